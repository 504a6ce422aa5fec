/**
 * A session's hooks, as the engine calls them: one method per event, each building the event's
 * JSON (the reference product's field names), running the matching hooks and combining what
 * they said. Messages meant for the user go out as notices here; what the engine must act on
 * (a block, a permission answer, a rewritten input, context for the model, a stop) comes back
 * in the verdict.
 */
import { redactForModel } from '../../util/redact-for-model.js';
import { combineRuns } from './outcome.js';
import { matchingHooks, runHooks, type RunnerOptions } from './runner.js';
import type { AgentHooks, BaseFields, ToolCallInfo } from './api.js';
import type { ConfiguredHook, HookEvent, HookVerdict } from './types.js';

export interface SessionHooksOptions {
  hooks: ConfiguredHook[];
  runner: RunnerOptions;
  /** The fields every event carries, as they are now (the session id changes on /clear). */
  base: () => BaseFields;
  notice: (text: string) => void;
  verbose: boolean;
}

const EMPTY: HookVerdict = Object.freeze({ context: [], userMessages: [], verbose: [] }) as HookVerdict;

export function createSessionHooks(o: SessionHooksOptions): AgentHooks {
  let pendingContext: string[] = [];

  const fire = async (event: HookEvent, matchValue: string | undefined, fields: Record<string, unknown>, signal?: AbortSignal): Promise<HookVerdict> => {
    const hooks = matchingHooks(o.hooks, event, matchValue);
    if (hooks.length === 0) return EMPTY;
    const input = { ...o.base(), hook_event_name: event, ...fields };
    const verdict = combineRuns(event, await runHooks(hooks, input, o.runner, signal));
    for (const m of verdict.userMessages) o.notice(`bcode: ${m}`);
    if (o.verbose) for (const m of verdict.verbose) o.notice(`${event} hook: ${m}`);
    // Context reaches the model: the redaction for the model applies on top of the plain one.
    verdict.context = verdict.context.map(redactForModel);
    if (verdict.block !== undefined) verdict.block = redactForModel(verdict.block);
    return verdict;
  };

  return {
    configured: o.hooks,
    has: (event) => o.hooks.some((h) => h.event === event),
    preToolUse: (call: ToolCallInfo, signal) => fire('PreToolUse', call.toolName, { tool_name: call.toolName, tool_input: call.input, tool_use_id: call.toolUseId }, signal),
    postToolUse: (call, signal) => fire('PostToolUse', call.toolName, { tool_name: call.toolName, tool_input: call.input, tool_response: call.response, tool_use_id: call.toolUseId }, signal),
    async userPromptSubmit(prompt, signal) {
      const verdict = await fire('UserPromptSubmit', undefined, { prompt }, signal);
      const context = [...pendingContext, ...verdict.context];
      pendingContext = [];
      return { ...verdict, context };
    },
    stop: (subagent, stopHookActive, lastMessage, signal) =>
      fire(subagent ? 'SubagentStop' : 'Stop', undefined, { stop_hook_active: stopHookActive, ...(lastMessage ? { last_assistant_message: lastMessage } : {}) }, signal),
    async preCompact(trigger, customInstructions, signal) {
      await fire('PreCompact', trigger, { trigger, custom_instructions: customInstructions }, signal);
    },
    notification(message, type) {
      void fire('Notification', type, { message, notification_type: type }).catch(() => undefined);
    },
    async sessionStart(source) {
      const verdict = await fire('SessionStart', source, { source });
      // Given to the model with the next prompt.
      pendingContext.push(...verdict.context);
    },
    async sessionEnd(reason) {
      await fire('SessionEnd', undefined, { reason });
    },
  };
}
