/**
 * How a custom command's !`…` lines and @files reach the system: each command is decided by the
 * permission engine exactly as the model's Bash calls are (deny rules, the command's own
 * `allowed-tools`, the mode) and runs through the Bash tool, hence in the sandbox with the
 * scrubbed environment. Nobody is asked: a line that would need approval is refused.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PermissionPolicy } from '../../permissions/types.js';
import type { ToolContext } from '../../tools/types.js';
import { CommandRefusedError, type ExpandHost } from './expand.js';

/** Largest @file attached whole; a bigger one is refused (the model can Read it in parts). */
const MAX_ATTACHED_BYTES = 256 * 1024;

export function commandHost(commandName: string, policy: PermissionPolicy, context: ToolContext): ExpandHost {
  return {
    async runShell(command) {
      const decision = await policy.decide('Bash', { command }, { shellCwd: context.shell.cwd });
      if (decision.behavior !== 'allow') {
        throw new CommandRefusedError(`/${commandName}: the line !\`${command}\` may not run: ${decision.reason}`, {
          hint: decision.behavior === 'deny' ? 'a deny rule forbids it; remove the line from the command file' : `allow it in the command's header (allowed-tools: ${decision.suggestedRule ?? 'Bash(…)'}) or with a permissions.allow rule`,
        });
      }
      const { bashTool } = await import('../../tools/bash.js');
      const result = await bashTool.run({ command }, { ...context, sandboxGrant: decision.sandbox });
      const text = typeof result.forModel === 'string' ? result.forModel : result.forModel.map((b) => (b.type === 'text' ? b.text : '')).join('');
      return text;
    },
    async readFile(relativePath) {
      const absolute = path.resolve(context.cwd, relativePath);
      const info = await stat(absolute).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      const decision = await policy.decide('Read', { file_path: absolute });
      if (decision.behavior === 'deny') throw new CommandRefusedError(`/${commandName}: @${relativePath} may not be read: ${decision.reason}`, { hint: 'remove the @ reference from the command or the arguments' });
      if (decision.behavior !== 'allow') return undefined;
      if (info.size > MAX_ATTACHED_BYTES) throw new CommandRefusedError(`/${commandName}: @${relativePath} is too large to attach (${info.size} bytes)`, { hint: 'name the file without @ and let the model Read the parts it needs' });
      return readFile(absolute, 'utf8');
    },
  };
}
