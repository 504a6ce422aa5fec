import type { ToolResultBlock, ToolUseBlock } from '../bedrock/anthropic.js';
import type { PermissionPolicy, SandboxGrant } from '../permissions/types.js';
import { validateToolInput } from '../tools/validate.js';
import type { AnyTool, ToolContext, ToolResult } from '../tools/types.js';
import { redactToolContent } from '../util/redact-for-model.js';
import type { AgentHooks } from '../extensions/hooks/api.js';
import type { FrontEnd } from './events.js';

export interface Denial {
  tool_name: string;
  tool_use_id: string;
  tool_input: unknown;
}

export interface DispatchOptions {
  tools: AnyTool[];
  policy: PermissionPolicy;
  frontEnd: FrontEnd;
  context: ToolContext;
  /** Input JSON problems found during stream assembly, by tool_use id. */
  inputErrors: Map<string, string>;
  now?: () => number;
  /** The session's hooks (PreToolUse, PostToolUse, Notification), when it has any. */
  hooks?: AgentHooks;
}

export interface DispatchOutcome {
  results: ToolResultBlock[];
  /** Each call's answer as data (stream-json `tool_use_result`), by tool_use id; not sent to the model. */
  structured: Map<string, unknown>;
  denials: Denial[];
  /** A hook answered `continue: false`: the run ends after these results, with this for the user. */
  stop?: string;
}

export const INTERRUPTED_RESULT = 'Interrupted by the user: this tool call was stopped before it finished (or before it started). Its effects, if any, may be partial.';

interface Planned {
  use: ToolUseBlock;
  tool?: AnyTool;
  input?: unknown;
  readOnly: boolean;
  /** Set when the call will not run: the error result for the model. */
  refusal?: string;
  /** Where an allowed Bash command may write, from its decision. */
  grant?: SandboxGrant;
}

/**
 * Runs one assistant message's tool calls. All calls are validated and permission-checked before
 * any runs; consecutive read-only calls run in parallel (and consecutive calls of a tool marked
 * `concurrent`), everything else one at a time, in the model's order. Every tool_use gets exactly one tool_result, in the same order.
 */
export async function dispatchToolCalls(uses: ToolUseBlock[], options: DispatchOptions): Promise<DispatchOutcome> {
  const { frontEnd, context } = options;
  const now = options.now ?? Date.now;
  const denials: Denial[] = [];
  const denied = new Set<string>();
  const planned: Planned[] = uses.map((use) => plan(use, options));
  let stop: string | undefined;
  const hookRules = options.hooks && (options.hooks.has('PreToolUse') || options.hooks.has('PostToolUse')) ? await import('../extensions/hooks/tool-hooks.js') : undefined;

  for (const p of planned) {
    if (p.refusal !== undefined || context.signal.aborted) continue;
    // PreToolUse hooks run first; their answer goes through the permission engine, never around it.
    const hook = hookRules && options.hooks?.has('PreToolUse') ? await options.hooks.preToolUse({ toolName: p.use.name, toolUseId: p.use.id, input: p.input }, context.signal) : undefined;
    if (hook?.stop !== undefined) stop ??= hook.stop;
    const hookRefusal = hookRules?.preToolRefusal(hook) ?? (hook?.updatedInput !== undefined ? await applyUpdatedInput(p, hook.updatedInput, options).then((r) => (r === undefined ? undefined : `Permission denied: ${r}`)) : undefined);
    if (hookRefusal !== undefined) {
      p.refusal = hookRefusal;
      continue;
    }
    const decided = await options.policy.decide(p.use.name, p.input, { shellCwd: context.shell.cwd });
    const decision = hookRules ? hookRules.applyHookPermission(decided, hook) : decided;
    let reason: string | undefined;
    // A user's yes is a decision to let the command change things in the workspace.
    p.grant = decision.behavior === 'allow' ? decision.sandbox : 'workspace';
    if (decision.behavior === 'deny') {
      reason = decision.reason;
    } else if (decision.behavior === 'ask') {
      if (!frontEnd.askPermission) {
        reason = `${decision.reason} (permission is needed and nobody can be asked in this mode; allow it with --allowedTools or a settings rule)`;
      } else {
        options.hooks?.notification(`Claude needs your permission to use ${p.use.name}`, 'permission_prompt');
        const reply = await frontEnd.askPermission({ toolName: p.use.name, toolUseId: p.use.id, input: p.input, description: describeCall(p.use.name, p.input), suggestedRule: decision.suggestedRule, ...(decision.suggestedRules ? { suggestedRules: decision.suggestedRules } : {}) });
        if (reply.decision === 'deny') reason = reply.feedback ? `the user declined: ${reply.feedback}` : 'the user declined this tool call';
        else {
          if (reply.updatedInput !== undefined) reason = await applyUpdatedInput(p, reply.updatedInput, options);
          if (reason === undefined && reply.remember && decision.suggestedRule) await options.policy.rememberAllow(decision.suggestedRule);
        }
      }
    }
    if (reason !== undefined) {
      p.refusal = `Permission denied: ${reason}`;
      denials.push({ tool_name: p.use.name, tool_use_id: p.use.id, tool_input: p.use.input });
      denied.add(p.use.id);
      // What would have allowed it (print mode lists these at the end); none when a rule or the mode denied it.
      const allowWith = decision.behavior === 'ask' ? (decision.suggestedRules ?? (decision.suggestedRule ? [decision.suggestedRule] : undefined)) : undefined;
      frontEnd.emit({ type: 'permission_denied', id: p.use.id, name: p.use.name, input: p.use.input, reason, ...(allowWith ? { suggestedRules: allowWith } : {}), asked: decision.behavior === 'ask' });
    }
  }

  const results = new Map<string, ToolResultBlock>();
  const structured = new Map<string, unknown>();
  const runOne = async (p: Planned): Promise<void> => {
    if (p.refusal !== undefined) {
      results.set(p.use.id, errorResult(p.use.id, p.refusal));
      structured.set(p.use.id, p.refusal);
      // Denials have their own event; other refusals (bad input, unknown tool) show as failed calls.
      if (!denied.has(p.use.id)) {
        frontEnd.emit({ type: 'tool_started', id: p.use.id, name: p.use.name, input: p.use.input, description: describeCall(p.use.name, p.use.input) });
        frontEnd.emit({ type: 'tool_finished', id: p.use.id, name: p.use.name, display: p.refusal.replace(/^Error: /, ''), isError: true, durationMs: 0 });
      }
      return;
    }
    if (context.signal.aborted) return;
    const started = now();
    frontEnd.emit({ type: 'tool_started', id: p.use.id, name: p.use.name, input: p.input, description: describeCall(p.use.name, p.input) });
    let result: ToolResult;
    // A14: what the files held goes into the session's checkpoints before the call changes them.
    const checkpointed = p.readOnly ? undefined : await context.checkpoint?.(p.use.name, p.input, context.shell.cwd).catch(() => undefined);
    try {
      result = await p.tool!.run(p.input, p.grant ? { ...context, sandboxGrant: p.grant } : context);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      result = { forModel: `Error: ${message}`, forDisplay: message, isError: true };
    }
    await checkpointed?.().catch(() => undefined);
    if (context.signal.aborted) {
      result = { forModel: INTERRUPTED_RESULT, forDisplay: 'interrupted', isError: true };
    } else if (hookRules && options.hooks?.has('PostToolUse')) {
      const verdict = await options.hooks.postToolUse({ toolName: p.use.name, toolUseId: p.use.id, input: p.input, response: hookRules.toolResponse(result) }, context.signal);
      if (verdict.stop !== undefined) stop ??= verdict.stop;
      result = hookRules.withHookFeedback(result, verdict);
    }
    results.set(p.use.id, toBlock(p.use.id, result));
    structured.set(p.use.id, structuredResult(result));
    frontEnd.emit({ type: 'tool_finished', id: p.use.id, name: p.use.name, display: result.forDisplay, isError: result.isError === true, durationMs: now() - started });
  };

  // Consecutive calls of the same kind run together: read-only ones, or calls of one tool that bounds its own concurrency (Task).
  const kind = (p: Planned): string | undefined => (p.refusal !== undefined ? undefined : p.readOnly ? 'read-only' : p.tool?.concurrent ? `concurrent:${p.tool.name}` : undefined);
  let i = 0;
  while (i < planned.length) {
    if (context.signal.aborted) break;
    const p = planned[i];
    const k = kind(p);
    if (k !== undefined) {
      const batch: Planned[] = [];
      while (i < planned.length && kind(planned[i]) === k) batch.push(planned[i++]);
      await Promise.all(batch.map(runOne));
    } else {
      await runOne(p);
      i++;
    }
  }

  const ordered = uses.map((u) => results.get(u.id) ?? errorResult(u.id, INTERRUPTED_RESULT));
  return { results: ordered, structured, denials, ...(stop !== undefined ? { stop } : {}) };
}

/** A call's `tool_use_result`: the tool's data, else (a failure, a tool without data) the text it answered. */
function structuredResult(r: ToolResult): unknown {
  if (r.data !== undefined && !r.isError) return r.data;
  const text = typeof r.forModel === 'string' ? r.forModel : r.forModel.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
  return r.isError && !text.startsWith('Error') ? `Error: ${text}` : text;
}

/**
 * An approval that came with a rewritten input: the new input must still be a valid call, and a
 * deny rule or the mode still wins over it (the approval was for "ask", not for what a rule
 * forbids). Returns the refusal reason, or undefined when the call runs with the new input.
 */
async function applyUpdatedInput(p: Planned, updated: unknown, options: DispatchOptions): Promise<string | undefined> {
  if (!p.tool) return 'the approved call has no tool';
  const parsed = validateToolInput(p.tool, updated);
  if (!parsed.ok) return `the approval's updated input is not valid: ${parsed.message}`;
  const again = await options.policy.decide(p.use.name, parsed.value, { shellCwd: options.context.shell.cwd });
  if (again.behavior === 'deny') return again.reason;
  p.input = parsed.value;
  try {
    p.readOnly = p.tool.isReadOnly(parsed.value);
  } catch {
    p.readOnly = false;
  }
  return undefined;
}

function plan(use: ToolUseBlock, options: DispatchOptions): Planned {
  const inputError = options.inputErrors.get(use.id);
  if (inputError !== undefined) {
    return { use, readOnly: false, refusal: `Error: the ${use.name} call could not be run: ${inputError}. Send the call again with its input as one valid JSON object.` };
  }
  const tool = options.tools.find((t) => t.name === use.name);
  if (!tool) {
    const names = options.tools.map((t) => t.name).join(', ');
    return { use, readOnly: false, refusal: `Error: there is no tool named "${use.name}". Available tools: ${names}.` };
  }
  const parsed = validateToolInput(tool, use.input);
  if (!parsed.ok) {
    return { use, tool, readOnly: false, refusal: `Error: ${parsed.message}. Fix the input and call the tool again.` };
  }
  let readOnly = false;
  try {
    readOnly = tool.isReadOnly(parsed.value);
  } catch {
    readOnly = false;
  }
  return { use, tool, input: parsed.value, readOnly };
}

function toBlock(id: string, r: ToolResult): ToolResultBlock {
  const empty = typeof r.forModel === 'string' ? r.forModel.length === 0 : r.forModel.length === 0;
  // Every result, error or sub-agent answer leaves here: bcode's own secrets never reach the model (R7).
  const block: ToolResultBlock = { type: 'tool_result', tool_use_id: id, content: empty ? '(no output)' : redactToolContent(r.forModel) };
  if (r.isError) block.is_error = true;
  return block;
}

function errorResult(id: string, text: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: id, content: redactToolContent(text), is_error: true };
}

const PRIMARY_FIELDS = ['file_path', 'command', 'pattern', 'path', 'url', 'description', 'notebook_path'];

/** `Read(src/a.ts)`, `Bash(npm test)`: one short line naming the call. */
export function describeCall(name: string, input: unknown): string {
  if (input && typeof input === 'object') {
    const obj = input as Record<string, unknown>;
    for (const f of PRIMARY_FIELDS) {
      const v = obj[f];
      if (typeof v === 'string' && v.length > 0) {
        const oneLine = v.replace(/\s+/g, ' ');
        return `${name}(${oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine})`;
      }
    }
  }
  return name;
}
