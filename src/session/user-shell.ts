/**
 * `!command` in the interactive UI: the person runs a shell command themselves, without a model
 * turn. It runs through the Bash tool — same shell state, same sandbox, same output limits — and
 * the permission rules: a deny rule refuses it (the person's own typing is the answer to "ask",
 * never to "deny"). What it printed is kept for the model, which sees it with the next prompt.
 */
import type { TextBlock } from '../bedrock/anthropic.js';
import type { PermissionPolicy } from '../permissions/types.js';
import type { AnyTool, ToolContext } from '../tools/types.js';
import { redactToolContent } from '../util/redact-for-model.js';

export interface UserShellResult {
  /** What to show: the command's output (or why it did not run). */
  display: string;
  /** False when a rule refused the command or it failed to start. */
  ran: boolean;
  isError: boolean;
  /** For the next request: the command and what it printed (absent when it did not run). */
  forModel?: TextBlock;
}

export async function runUserShell(command: string, deps: { policy: PermissionPolicy; tools: readonly AnyTool[]; context: ToolContext }): Promise<UserShellResult> {
  const bash = deps.tools.find((t) => t.name === 'Bash');
  if (!bash) return { display: 'the Bash tool is not available in this session', ran: false, isError: true };
  const input = { command };
  const decision = await deps.policy.decide('Bash', input, { shellCwd: deps.context.shell.cwd });
  if (decision.behavior === 'deny') return { display: `not run: ${decision.reason}`, ran: false, isError: true };
  // Allowed by a rule or asked (the person typed it: a yes): it may write in the workspace, as an approved call may.
  const grant = decision.behavior === 'allow' && decision.sandbox ? decision.sandbox : 'workspace';
  const result = await bash.run(input, { ...deps.context, sandboxGrant: grant });
  const output = redactToolContent(typeof result.forModel === 'string' ? result.forModel : result.forModel.map((b) => (b.type === 'text' ? b.text : '')).join('\n'));
  return {
    display: output.trim() === '' ? '(no output)' : output,
    ran: true,
    isError: result.isError === true,
    forModel: { type: 'text', text: `The user ran a shell command themselves (not a tool call of yours):\n$ ${command}\n${output}` },
  };
}
