/**
 * Hooks an Agent SDK app registers in code (`options.hooks`). The SDK keeps the functions and
 * sends only their ids in its `initialize` request: `{ PreToolUse: [{ matcher, hookCallbackIds,
 * timeout?, onFailure? }] }`. Each id becomes one hook of bcode's engine whose callback asks the
 * host (a `hook_callback` control request) and reads its answer as a command hook's JSON output,
 * so matching, ordering, the combination of answers and the permission precedence (a hook's
 * allow never beats a deny rule) are the same code path for both kinds.
 */
import { DEFAULT_HOOK_TIMEOUT_S, HOOK_EVENTS, type ConfiguredHook, type HookEvent, type HookJsonOutput } from './types.js';
import { compileMatcher } from './matcher.js';

/** Sends one `hook_callback` request and resolves with the host's answer (rejects on an error answer). */
export type HookCallbackSender = (callbackId: string, input: Record<string, unknown>, toolUseId: string | undefined, signal: AbortSignal) => Promise<unknown>;

export interface SdkHooks {
  hooks: ConfiguredHook[];
  /** Events or entries bcode cannot run, one line each for the user. */
  notes: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The hooks of an initialize request. Throws an Error naming the problem when the shape is not the SDK's. */
export function sdkCallbackHooks(raw: unknown, send: HookCallbackSender): SdkHooks {
  const out: SdkHooks = { hooks: [], notes: [] };
  if (raw === undefined || raw === null) return out;
  if (!isObject(raw)) throw new Error('initialize.hooks must be an object keyed by hook event');
  for (const [event, matchers] of Object.entries(raw)) {
    if (!Array.isArray(matchers)) throw new Error(`initialize.hooks.${event} must be a list of matchers`);
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      if (matchers.length > 0) out.notes.push(`the app's ${event} hook callbacks are not run: bcode runs hooks for ${HOOK_EVENTS.join(', ')}`);
      continue;
    }
    for (const [i, m] of matchers.entries()) {
      const where = `initialize.hooks.${event}[${i}]`;
      if (!isObject(m) || !Array.isArray(m.hookCallbackIds) || m.hookCallbackIds.some((id) => typeof id !== 'string')) throw new Error(`${where} must carry hookCallbackIds (a list of strings)`);
      const matcher = typeof m.matcher === 'string' ? m.matcher : undefined;
      const compiled = compileMatcher(matcher);
      if ('error' in compiled) throw new Error(`${where}: ${compiled.error}`);
      const timeout = typeof m.timeout === 'number' && m.timeout > 0 ? m.timeout : DEFAULT_HOOK_TIMEOUT_S;
      const blockOnFailure = m.onFailure === 'block';
      for (const id of m.hookCallbackIds as string[]) {
        out.hooks.push({
          event: event as HookEvent,
          matcher,
          timeout,
          scope: 'sdk',
          origin: 'sdk',
          callback: async (input, signal) => {
            try {
              return answerOf(await send(id, input, typeof input.tool_use_id === 'string' ? input.tool_use_id : undefined, signal));
            } catch (err) {
              if (!blockOnFailure || signal.aborted) throw err;
              // onFailure: 'block' — a failed callback counts as a block, as a command hook's exit 2 does.
              return { decision: 'block', reason: `the app's ${event} hook callback failed: ${err instanceof Error ? err.message : String(err)}` };
            }
          },
        });
      }
    }
  }
  return out;
}

/** The host's answer as hook output: an async answer (`{ async: true }`) decides nothing now. */
function answerOf(answer: unknown): HookJsonOutput | undefined {
  if (!isObject(answer) || answer.async === true) return undefined;
  return answer as HookJsonOutput;
}
