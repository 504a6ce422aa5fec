/**
 * `bcode` / `bcode "task"` in a terminal: the interactive UI (src/ui/tui) over one session, made
 * with the same options as print mode's. This module and the UI load only when the UI opens.
 */
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { PermissionMode } from '../permissions/types.js';
import { createSession } from '../session/create.js';
import { parseAgentsJson } from '../extensions/agents/discover.js';
import { runTui } from '../ui/tui/run.js';
import type { MainOptions } from './program.js';

export async function runInteractive(prompt: string, opts: MainOptions, config: Config, warnings: string[], version: string): Promise<number> {
  if (opts.resume === true) {
    throw new UsageError('--resume needs a session id', { hint: 'give the id (bcode -r <session-id>) or use --continue for the latest session here' });
  }
  const resume = opts.continue ? ({ latest: true } as const) : typeof opts.resume === 'string' ? { id: opts.resume } : undefined;
  return runTui({
    config,
    version,
    warnings,
    initialPrompt: prompt,
    resumed: resume !== undefined,
    createSession: (frontEnd) =>
      createSession(config, {
        frontEnd,
        permissionMode: opts.permissionMode as PermissionMode | undefined,
        systemPrompt: opts.systemPrompt,
        appendSystemPrompt: opts.appendSystemPrompt,
        resume,
        agents: opts.agents === undefined ? undefined : parseAgentsJson(opts.agents),
      }),
  });
}
