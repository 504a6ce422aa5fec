/**
 * What the hooks of one event said, taken together, as the reference product documents it:
 *
 * - exit 0: success. Plain stdout is context for the model on UserPromptSubmit and SessionStart,
 *   and shown only with --verbose elsewhere. JSON stdout is read for its fields.
 * - exit 2: a blocking error; stderr is the reason. Who gets it depends on the event: the model
 *   for PreToolUse (the call does not run), PostToolUse, Stop and SubagentStop (the model goes
 *   on); the user for UserPromptSubmit (the prompt is dropped); the user only for the others.
 * - anything else (a crash, a time-out): a non-blocking error, shown to the user; the session
 *   goes on.
 *
 * Several hooks: a block or a deny from any of them wins; deny > ask > allow; the first
 * updatedInput counts; contexts and messages add up.
 */
import { oneLine } from './config.js';
import type { HookEvent, HookRun, HookVerdict } from './types.js';

const BLOCKING_EVENTS = new Set<HookEvent>(['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop', 'SubagentStop']);
const STDOUT_IS_CONTEXT = new Set<HookEvent>(['UserPromptSubmit', 'SessionStart']);
const RANK = { allow: 1, ask: 2, deny: 3 } as const;

function label(run: HookRun): string {
  return `${run.hook.event} hook '${oneLine(run.hook.command ?? 'callback', 40)}'`;
}

export function combineRuns(event: HookEvent, runs: readonly HookRun[]): HookVerdict {
  const v: HookVerdict = { context: [], userMessages: [], verbose: [] };
  const blocks: string[] = [];
  const setPermission = (p: 'allow' | 'deny' | 'ask', reason: string | undefined) => {
    if (v.permission === undefined || RANK[p] > RANK[v.permission]) {
      v.permission = p;
      v.permissionReason = reason;
    }
  };
  for (const run of runs) {
    if (run.exitCode === 2) {
      const why = run.stderr.trim() || `${label(run)} blocked this (exit 2, no message)`;
      if (BLOCKING_EVENTS.has(event)) blocks.push(why);
      else v.userMessages.push(`${label(run)} (exit 2): ${why}`);
      continue;
    }
    if (run.exitCode !== 0) {
      const why = run.failure ?? `exit ${run.exitCode}`;
      const err = run.stderr.trim();
      v.userMessages.push(`${label(run)} failed (${why})${err ? `: ${oneLine(err, 300)}` : ''}`);
      continue;
    }
    const json = run.json;
    if (!json) {
      const out = run.stdout.trim();
      if (out) (STDOUT_IS_CONTEXT.has(event) ? v.context : v.verbose).push(out);
      continue;
    }
    if (typeof json.systemMessage === 'string' && json.systemMessage.trim()) v.userMessages.push(json.systemMessage.trim());
    if (json.continue === false) v.stop ??= typeof json.stopReason === 'string' && json.stopReason.trim() ? json.stopReason.trim() : `${label(run)} stopped the session`;
    const specific = json.hookSpecificOutput && typeof json.hookSpecificOutput === 'object' ? json.hookSpecificOutput : undefined;
    const reason = typeof json.reason === 'string' ? json.reason : undefined;
    if (event === 'PreToolUse') {
      const p = specific?.permissionDecision;
      if (p === 'allow' || p === 'deny' || p === 'ask') setPermission(p, typeof specific?.permissionDecisionReason === 'string' ? specific.permissionDecisionReason : reason);
      // The older form: decision approve / block.
      else if (json.decision === 'approve') setPermission('allow', reason);
      else if (json.decision === 'block') setPermission('deny', reason);
      if (specific && specific.updatedInput !== undefined && v.updatedInput === undefined) v.updatedInput = specific.updatedInput;
    } else if (json.decision === 'block' && BLOCKING_EVENTS.has(event)) {
      blocks.push(reason?.trim() || `${label(run)} blocked this`);
    }
    if (typeof specific?.additionalContext === 'string' && specific.additionalContext.trim()) v.context.push(specific.additionalContext.trim());
    // suppressOutput keeps the answer out of the --verbose display.
    if (json.suppressOutput !== true && run.stdout.trim()) v.verbose.push(run.stdout.trim());
  }
  if (blocks.length > 0) v.block = blocks.join('\n');
  return v;
}
