import { setMaxListeners } from 'node:events';
import type { ContentBlock, ImageBlock, Message, MessageParam, MessagesRequest, TextBlock, ToolSpec, ToolUseBlock } from '../bedrock/anthropic.js';
import type { FailoverNotice } from '../bedrock/failover.js';
import type { GuardrailIntervention } from '../bedrock/guardrail.js';
import { guardrailLabel } from '../bedrock/guardrail.js';
import type { Provider, RetryNotice } from '../bedrock/types.js';
import { BcodeError } from '../errors.js';
import { debugError } from '../util/debug.js';
import type { PermissionPolicy } from '../permissions/types.js';
import { forgetReadResults } from '../tools/read-state.js';
import type { AnyTool, ToolContext } from '../tools/types.js';
import { IncompleteStreamError, StreamAssembler, type AssembledMessage } from './assemble.js';
import { applyCacheBreakpoints } from './caching.js';
import { GUARDRAIL_STOP_REASON, tagTypedMessages, withGuardrailConfig } from './guardrail.js';
import { collectStream, compactConversation, projectedTokens, type CompactionOutcome } from './compaction.js';
import { compactionThreshold, type CompactionSettings } from './context-window.js';
import { Conversation } from './conversation.js';
import { dispatchToolCalls, type Denial } from './dispatch.js';
import { STRUCTURED_OUTPUT_REMINDER, STRUCTURED_OUTPUT_RETRIES, STRUCTURED_OUTPUT_TOOL } from './structured-output-names.js';
import { modelLimits } from './model-limits.js';
import type { FrontEnd, RunResult, RunSubtype } from './events.js';
import { UsageTracker } from './usage.js';
import { DEFAULT_SUBAGENT_COOLDOWN_MS, isThrottleNotice, SubagentLimiter } from './subagent-limiter.js';
import type { AgentHooks } from '../extensions/hooks/api.js';

/** What stays the same for every run in a session (and is shared with sub-agents). */
export interface AgentRuntime {
  provider: Provider;
  /**
   * The tools. May be a promise: print mode sends the first request with the precomputed specs
   * and loads the tools' code once the model starts a tool call.
   */
  tools: AnyTool[] | (() => Promise<AnyTool[]>);
  /** Tool schemas as sent; computed once so every request carries the same bytes. */
  toolSpecs: ToolSpec[];
  policy: PermissionPolicy;
  system: TextBlock[];
  /** The main model id as sent (for usage and pricing). */
  modelId: string;
  smallModelId: string;
  maxOutputTokens: number;
  /** CLAUDE_CODE_MAX_OUTPUT_TOKENS was set: a cut turn is not asked again with more (B23). */
  maxOutputFixed?: boolean;
  /** `[1m]` asked for the 1M window (B22). */
  longContext?: boolean;
  thinkingBudget?: number;
  promptCaching: boolean;
  /** B26: wrap what the user typed in Bedrock's guard-content tags with this suffix (the `guardrails` setting). */
  guardTagSuffix?: string;
  /** Everything a tool gets except what the loop supplies per run (signal, sub-agent hooks). */
  toolContext: Omit<ToolContext, 'signal' | 'askSmallModel' | 'runSubAgent' | 'onTodos' | 'notice' | 'sandboxGrant'>;
  usage: UsageTracker;
  /**
   * Tools that join and leave during a session (MCP servers, src/extensions/mcp): offered after
   * the built-in ones, read again for every request.
   */
  extraTools?: ExtraTools;
  /** Automatic compaction (A9); absent = on, with the default threshold. */
  compaction?: CompactionSettings;
  /** The session's hooks (src/extensions/hooks), when it has any. */
  hooks?: AgentHooks;
  now?: () => number;
  /**
   * The Task tool's `subagent_type` → the sub-agent's prompt, model and tools (custom agents,
   * src/extensions/agents). Throws for an unknown type. Absent = every sub-agent is the session's own set-up.
   */
  subAgent?: (type: string, currentModelId: string) => { system?: TextBlock[]; modelId: string; toolNames?: readonly string[] };
  /** B23: the session's bound on sub-agents at once, lowered while its requests are throttled. Absent = one at a time. */
  subagents?: SubagentLimiter;
  /** Custom commands, agent types and skills, named in the session_start event (stream-json `system/init`). */
  advertised?: { slashCommands: string[]; agents: string[]; skills: string[] };
}

export interface ExtraTools {
  tools(): AnyTool[];
  specs(): ToolSpec[];
  /** Waits for the source of tools the model called that are not there yet (a server still starting). */
  ready(toolNames: string[]): Promise<void>;
  /** The MCP servers and their state, for the session's start event. */
  servers(): Array<{ name: string; status: string }>;
  /** Called when a response starts: the request went out, slow loading may run now. */
  begin?(): void;
}

export interface RunOptions {
  prompt: string;
  /** More content for the user message after the prompt's text (files an `@` mention named, `!` command output). */
  attachments?: Array<TextBlock | ImageBlock>;
  sessionId: string;
  signal: AbortSignal;
  frontEnd: FrontEnd;
  maxTurns?: number;
  /** `--json-schema`: the turn ends at the model's first valid StructuredOutput call (the tool is in the runtime's tools). */
  structuredOutput?: boolean;
  /** `--max-budget-usd`: no request goes out once the session's cost (the usage tracker's total) reached this. */
  maxBudgetUsd?: number;
  conversation?: Conversation;
  /** Each completed message, before the next request (the session transcript). */
  onMessage?: (message: MessageParam) => void | Promise<void>;
  permissionMode?: string;
  /** Sub-agents run without the Task tool and without announcing a session. */
  nested?: boolean;
  /** A compaction replaced the older conversation (the session transcript records a marker). */
  onCompaction?: (outcome: CompactionOutcome) => void | Promise<void>;
  /** A guardrail blocked this run: its last `count` messages are no longer sent (the transcript records a marker). */
  onExclude?: (count: number, reason: string) => void | Promise<void>;
}

const SUB_AGENT_MAX_TURNS = 50;
const SMALL_MODEL_MAX_TOKENS = 2048;

/** True when the model stopped at max_tokens while writing a tool call's input. */
function cutInsideToolUse(message: Message): boolean {
  return message.stop_reason === 'max_tokens' && message.content.at(-1)?.type === 'tool_use';
}

/**
 * The turn loop (A4): request → streamed response → tool calls → tool results → next request,
 * until the model answers without tool calls, the turn limit is hit, or the run is interrupted.
 * Never throws for run failures: they come back as a RunResult with an error subtype.
 */
export async function runAgent(rt: AgentRuntime, options: RunOptions): Promise<RunResult & { error?: unknown }> {
  const now = rt.now ?? Date.now;
  const started = now();
  const { frontEnd, signal } = options;
  // Every running tool call listens to this signal: consecutive read-only calls run in parallel,
  // as many as the model sends. Node's leak warning (at 11 listeners) would only reach the terminal.
  setMaxListeners(0, signal);
  const conversation = options.conversation ?? new Conversation();
  const denials: Denial[] = [];
  const pick = (all: AnyTool[]) => (options.nested ? all.filter((t) => t.name !== 'Task') : all);
  const toolsNow = Array.isArray(rt.tools) ? pick(rt.tools) : undefined;
  const baseSpecs = options.nested ? rt.toolSpecs.filter((t) => t.name !== 'Task') : rt.toolSpecs;
  const specsNow = () => (rt.extraTools ? [...baseSpecs, ...rt.extraTools.specs()] : baseSpecs);
  const apiMsBefore = rt.usage.apiMs;
  const totalsBefore = { ...rt.usage.total };
  const cacheBefore = { ...rt.usage.cacheCreation };
  let turns = 0;
  let lastMessage: Message | undefined;
  let subtype: RunSubtype = 'success';
  let failure: unknown;
  const errors: string[] = [];
  let structured: { value: unknown } | undefined;
  let reminders = 0;

  if (!options.nested) {
    const extra = rt.extraTools;
    const tools = [...(toolsNow ? toolsNow.map((t) => t.name) : baseSpecs.map((t) => t.name)), ...(extra?.specs().map((t) => t.name) ?? [])];
    const mcpServers = extra?.servers().map((s) => ({ name: s.name, status: s.status }));
    frontEnd.emit({ type: 'session_start', sessionId: options.sessionId, model: rt.modelId, cwd: rt.toolContext.cwd, tools, permissionMode: options.permissionMode ?? rt.policy.mode, ...rt.advertised, ...(mcpServers ? { mcpServers } : {}) });
  }

  const commit = async (message: MessageParam) => {
    conversation.push(message);
    await options.onMessage?.(message);
  };

  // A runtime without the session's limiter (hand-built ones, tests) runs its sub-agents one at a time.
  const subagents = rt.subagents ?? new SubagentLimiter({ max: 1, cooldownMs: DEFAULT_SUBAGENT_COOLDOWN_MS, now });
  const onRetry = (notice: RetryNotice) => {
    // B23: a throttled request slows the session's sub-agents before its own retry goes out.
    if (isThrottleNotice(notice)) subagents.throttled();
    frontEnd.emit({ type: 'retrying', notice });
  };
  const onNotice = (text: string) => frontEnd.emit({ type: 'notice', text });

  const context: ToolContext = {
    ...rt.toolContext,
    signal,
    askSmallModel: async (prompt, sig) => {
      const t0 = now();
      const reply = await rt.provider.invoke({ max_tokens: SMALL_MODEL_MAX_TOKENS, messages: [{ role: 'user', content: prompt }] }, { role: 'smallFast', signal: sig, onRetry, onNotice });
      rt.usage.apiMs += now() - t0;
      const cost = rt.usage.add(rt.smallModelId, reply.usage);
      frontEnd.emit({ type: 'usage', model: rt.smallModelId, usage: reply.usage, costUsd: cost });
      return reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    },
    // A sub-agent's conversation holds none of its parent's Read results (see read-state.ts).
    ...(options.nested ? { readResults: undefined } : {}),
    runSubAgent: options.nested
      ? undefined
      : async (input, sig) => {
          const release = await subagents.acquire(sig).catch((err: unknown) => {
            if (sig.aborted) throw new Error('the sub-agent was interrupted');
            throw err;
          });
          try {
            return await runSubAgentNow(input, sig);
          } finally {
            release();
          }
        },
    onTodos: (todos) => frontEnd.emit({ type: 'todos', todos }),
    notice: onNotice,
  };

  async function runSubAgentNow(input: { prompt: string; subagent_type?: string }, sig: AbortSignal): Promise<string> {
    const sub = await runAgent(subAgentRuntime(rt, input.subagent_type ?? 'general-purpose'), {
      prompt: input.prompt,
      sessionId: options.sessionId,
      signal: sig,
      nested: true,
      maxTurns: SUB_AGENT_MAX_TURNS,
      frontEnd: { emit: (e) => (e.type === 'retrying' || e.type === 'notice' || e.type === 'system_notice' || e.type === 'usage' ? frontEnd.emit(e) : undefined) },
    });
    if (sub.subtype === 'interrupted') throw new Error('the sub-agent was interrupted');
    if (sub.isError) throw new Error(`the sub-agent failed: ${(sub.errors ?? []).join('; ') || sub.subtype}`);
    return sub.result;
  }

  let stopHookActive = false;
  const runStart = conversation.length;
  try {
    const limits = await modelLimits(rt, signal);
    // An application profile ARN is priced as the model it routes to (found once per session).
    rt.usage.learnBase(rt.modelId, limits.model.via);
    // UserPromptSubmit hooks may drop the prompt (the user is told why) or add context to it.
    const promptHooks = rt.hooks && !options.nested ? await rt.hooks.userPromptSubmit(options.prompt, signal) : undefined;
    const refused = promptHooks?.block ?? promptHooks?.stop;
    if (refused !== undefined) {
      subtype = 'error_during_execution';
      errors.push(`the prompt was blocked by a UserPromptSubmit hook: ${refused}`);
      frontEnd.emit({ type: 'error', message: `the prompt was blocked by a UserPromptSubmit hook: ${refused}`, hint: 'change the prompt, or the hook in your settings (hooks.UserPromptSubmit)' });
      throw new PromptBlocked();
    }
    const hookContext = (promptHooks?.context ?? []).map((text): TextBlock => ({ type: 'text', text: `<hook-context>\n${text}\n</hook-context>` }));
    await commit({ role: 'user', content: [{ type: 'text', text: options.prompt }, ...(options.attachments ?? []), ...hookContext] });
    for (;;) {
      if (signal.aborted) {
        subtype = 'interrupted';
        break;
      }
      if (options.maxTurns !== undefined && turns >= options.maxTurns) {
        subtype = 'error_max_turns';
        errors.push(`Reached maximum number of turns (${options.maxTurns})`);
        break;
      }
      if (options.maxBudgetUsd !== undefined && rt.usage.totalCostUsd >= options.maxBudgetUsd) {
        subtype = 'error_max_budget_usd';
        errors.push(`reached the maximum budget: the session cost $${rt.usage.totalCostUsd.toFixed(4)} of --max-budget-usd $${options.maxBudgetUsd}`);
        break;
      }
      turns++;
      const toolSpecs = specsNow();
      const compactOptions = { signal, frontEnd, onRetry, onNotice, now, onCompaction: options.onCompaction };
      let request = buildRequest(rt, toolSpecs, conversation.messages);
      // A9: compact before a request would pass the threshold. Only on a measured conversation
      // (or the run's first request): after a compaction the next one waits for a response, so a
      // tail that alone is too large cannot make every request summarise again.
      const settings = rt.compaction ?? { enabled: true };
      if (settings.enabled && (conversation.usageMark !== undefined || turns === 1) && projectedTokens(conversation, request) > compactionThreshold(rt.modelId, rt.maxOutputTokens, settings, limits.window)) {
        if (await compactNow(rt, toolSpecs, conversation, compactOptions)) request = buildRequest(rt, toolSpecs, conversation.messages);
      }
      let assembled: TurnResult | undefined;
      try {
        assembled = await streamTurn(rt, request, { signal, frontEnd, onRetry, onNotice, now, background: options.nested });
      } catch (err) {
        // Bedrock measured the prompt as too long after all: compact harder, then try once more.
        if (signal.aborted || !isContextTooLong(err)) throw err;
        if (!(await compactNow(rt, toolSpecs, conversation, { ...compactOptions, harder: true }))) throw err;
        request = buildRequest(rt, toolSpecs, conversation.messages);
        assembled = await streamTurn(rt, request, { signal, frontEnd, onRetry, onNotice, now, background: options.nested });
      }
      // B23: max_tokens stays small (Bedrock reserves it from the quota), so a long tool call
      // (a Write of a big file) can be cut off inside its input. Such a message is never handed
      // on broken: the same request goes once more with the model's full output limit.
      if (assembled && cutInsideToolUse(assembled.message) && request.max_tokens < limits.escalateTo) {
        rt.usage.add(assembled.servedBy ?? rt.modelId, assembled.message.usage);
        onNotice(`bcode: the answer reached max_tokens (${request.max_tokens}) inside a tool call; asking again with max_tokens ${limits.escalateTo} for this turn`);
        assembled = await streamTurn(rt, { ...request, max_tokens: limits.escalateTo }, { signal, frontEnd, onRetry, onNotice, now, background: options.nested });
      }
      if (!assembled) {
        subtype = 'interrupted';
        break;
      }
      const { message } = assembled;
      lastMessage = message;
      // B24: tokens count, and are priced, under the id that answered (a fallback during failover).
      const answeredBy = assembled.servedBy ?? rt.modelId;
      const cost = rt.usage.add(answeredBy, message.usage);
      frontEnd.emit({ type: 'assistant_message', message });
      frontEnd.emit({ type: 'usage', model: answeredBy, usage: message.usage, costUsd: cost });
      await commit({ role: 'assistant', content: message.content });
      // B26: a guardrail replaced the answer. The blocked exchange (this run's messages) stays in
      // the transcript but leaves what is sent next, so the session's next prompt still works.
      if (assembled.guardrail || (message.stop_reason as string | null) === GUARDRAIL_STOP_REASON) {
        const g = assembled.guardrail ?? {};
        const text = `bcode: blocked by ${guardrailLabel(g)}${g.summary ? ` (${g.summary})` : ''}; this exchange is kept in the transcript but not sent to the model again`;
        frontEnd.emit({ type: 'system_notice', subtype: 'guardrail_intervened', text, data: { guardrail_id: g.id ?? null, guardrail_version: g.version ?? null, trace_summary: g.summary ?? null } });
        const count = Math.max(0, conversation.length - runStart);
        conversation.exclude(count);
        await options.onExclude?.(count, text);
        break;
      }
      const u = message.usage;
      conversation.usageMark = { tokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + u.output_tokens, length: conversation.length };

      const uses = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
      if (uses.length === 0 && options.structuredOutput) {
        // The answer must come as data: remind the model a few times, then give up.
        if (reminders >= STRUCTURED_OUTPUT_RETRIES) {
          subtype = 'error_max_structured_output_retries';
          errors.push(`the model did not call ${STRUCTURED_OUTPUT_TOOL} with valid input after ${reminders} reminders`);
          break;
        }
        reminders++;
        await commit({ role: 'user', content: [{ type: 'text', text: STRUCTURED_OUTPUT_REMINDER }] });
        continue;
      }
      if (uses.length === 0) {
        // Stop / SubagentStop hooks may send the model back to work, with their reason.
        const stopEvent = options.nested ? 'SubagentStop' : 'Stop';
        if (rt.hooks?.has(stopEvent)) {
          const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
          const verdict = await rt.hooks.stop(options.nested === true, stopHookActive, text, signal);
          if (verdict.stop === undefined && verdict.block !== undefined && !signal.aborted) {
            stopHookActive = true;
            await commit({ role: 'user', content: [{ type: 'text', text: `${stopEvent} hook feedback:\n${verdict.block}` }] });
            continue;
          }
          if (verdict.stop !== undefined) onNotice(`bcode: ${verdict.stop}`);
        }
        break;
      }

      let tools = toolsNow ?? pick(await (rt.tools as () => Promise<AnyTool[]>)());
      if (rt.extraTools) {
        const missing = uses.map((u) => u.name).filter((n) => !tools.some((t) => t.name === n));
        if (missing.length > 0) await rt.extraTools.ready(missing);
        tools = [...tools, ...rt.extraTools.tools()];
      }
      const toolsStarted = now();
      const outcome = await dispatchToolCalls(uses, { tools, policy: rt.policy, frontEnd, context, inputErrors: assembled.inputErrors, now, hooks: rt.hooks });
      denials.push(...outcome.denials);
      frontEnd.emit({ type: 'tool_results', content: outcome.results, durationMs: now() - toolsStarted, toolUseResults: outcome.structured });
      await commit({ role: 'user', content: outcome.results });
      if (outcome.stop !== undefined) {
        // A hook's `continue: false`: the run ends here; its reason is for the user.
        onNotice(`bcode: ${outcome.stop}`);
        break;
      }
      if (options.structuredOutput) {
        const given = uses.find((u) => u.name === STRUCTURED_OUTPUT_TOOL && outcome.results.some((r) => r.tool_use_id === u.id && !r.is_error));
        if (given) {
          structured = { value: given.input };
          break;
        }
      }
    }
  } catch (err) {
    if (err instanceof PromptBlocked) {
      // Reported above; nothing was sent.
    } else if (signal.aborted) {
      subtype = 'interrupted';
    } else {
      subtype = 'error_during_execution';
      failure = err;
      debugError('error', err);
      errors.push(err instanceof Error ? err.message : String(err));
      const hint = err instanceof BcodeError ? err.hint : undefined;
      frontEnd.emit({ type: 'error', message: err instanceof Error ? err.message : String(err), hint });
    }
  }

  const resultText = lastMessage ? lastMessage.content.map((b) => (b.type === 'text' ? b.text : '')).join('') : '';
  const totals = rt.usage.total;
  const result: RunResult & { error?: unknown } = {
    subtype,
    isError: subtype !== 'success',
    result: resultText,
    numTurns: turns,
    durationMs: now() - started,
    durationApiMs: rt.usage.apiMs - apiMsBefore,
    // The session's running total, as the Agent SDK reads it (the latest result, not a sum of them).
    totalCostUsd: rt.usage.totalCostUsd,
    usage: {
      input_tokens: totals.input_tokens - totalsBefore.input_tokens,
      output_tokens: totals.output_tokens - totalsBefore.output_tokens,
      cache_creation_input_tokens: totals.cache_creation_input_tokens - totalsBefore.cache_creation_input_tokens,
      cache_read_input_tokens: totals.cache_read_input_tokens - totalsBefore.cache_read_input_tokens,
      cache_creation: {
        ephemeral_5m_input_tokens: rt.usage.cacheCreation.ephemeral_5m_input_tokens - cacheBefore.ephemeral_5m_input_tokens,
        ephemeral_1h_input_tokens: rt.usage.cacheCreation.ephemeral_1h_input_tokens - cacheBefore.ephemeral_1h_input_tokens,
      },
      ...(rt.usage.serviceTier ? { service_tier: rt.usage.serviceTier } : {}),
    },
    modelUsage: structuredClone(rt.usage.byModel),
    sessionId: options.sessionId,
    stopReason: lastMessage?.stop_reason ?? null,
    permissionDenials: denials,
  };
  if (structured) result.structuredOutput = structured.value;
  if (subtype === 'interrupted') errors.push('interrupted by the user');
  if (errors.length > 0) result.errors = errors;
  if (failure !== undefined) {
    result.error = failure;
    const status = (failure as { status?: unknown }).status;
    if (typeof status === 'number' && status > 0) result.apiErrorStatus = status;
    // The error is the turn's answer for programs that read only `result`.
    if (resultText === '') result.result = errors[0] ?? '';
  }
  if (!options.nested) frontEnd.emit({ type: 'done', result });
  return result;
}

/** The runtime a sub-agent of this type runs on: its own prompt, model and (fewer) tools. */
function subAgentRuntime(rt: AgentRuntime, type: string): AgentRuntime {
  // B23: sub-agents run side by side; each starts in the session's directory and a `cd` in its Bash stays its own.
  const own = { ...rt, toolContext: { ...rt.toolContext, shell: { cwd: rt.toolContext.shell.cwd } } };
  if (!rt.subAgent) return own;
  const profile = rt.subAgent(type, rt.modelId);
  const names = profile.toolNames ? new Set(profile.toolNames) : undefined;
  const keep = <T extends { name: string }>(list: T[]): T[] => (names ? list.filter((t) => names.has(t.name)) : list);
  const load = rt.tools;
  const tools = Array.isArray(load) ? keep(load) : async () => keep(await load());
  return { ...own, system: profile.system ?? rt.system, modelId: profile.modelId, toolSpecs: keep(rt.toolSpecs), tools };
}

export function buildRequest(rt: Pick<AgentRuntime, 'system' | 'maxOutputTokens' | 'thinkingBudget' | 'promptCaching' | 'guardTagSuffix'>, toolSpecs: ToolSpec[], messages: readonly MessageParam[]): MessagesRequest {
  const suffix = rt.guardTagSuffix;
  const request: MessagesRequest = {
    max_tokens: rt.maxOutputTokens,
    system: rt.system,
    messages: mergeSameRole(suffix ? tagTypedMessages(messages, suffix) : messages),
  };
  if (suffix) withGuardrailConfig(request, suffix);
  if (toolSpecs.length > 0) request.tools = toolSpecs;
  if (rt.thinkingBudget !== undefined && rt.thinkingBudget > 0) {
    request.thinking = { type: 'enabled', budget_tokens: rt.thinkingBudget };
    // The API requires max_tokens above the thinking budget.
    if (request.max_tokens <= rt.thinkingBudget) request.max_tokens = rt.thinkingBudget + rt.maxOutputTokens;
  }
  return applyCacheBreakpoints(request, rt.promptCaching);
}

/**
 * Consecutive messages of one role become one (a resumed session whose last message was the
 * user's, followed by the new prompt). The API wants roles to alternate.
 */
export function mergeSameRole(messages: readonly MessageParam[]): MessageParam[] {
  const out: MessageParam[] = [];
  const blocks = (m: MessageParam): ContentBlock[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content);
  for (const m of messages) {
    const prev = out[out.length - 1];
    if (prev && prev.role === m.role) out[out.length - 1] = { role: m.role, content: [...blocks(prev), ...blocks(m)] };
    else out.push(m);
  }
  return out;
}

/** A streamed answer, the guardrail intervention it carried (B26) and the id that answered it (B24). */
type TurnResult = AssembledMessage & { guardrail?: GuardrailIntervention; servedBy?: string };

interface StreamTurnOptions {
  signal: AbortSignal;
  /** Sub-agent turns: a background request (B29). */
  background?: boolean;
  frontEnd: FrontEnd;
  onRetry: (n: RetryNotice) => void;
  onNotice: (t: string) => void;
  now: () => number;
}

/**
 * One model call. undefined = interrupted. The provider retries a stream that breaks off after
 * content arrived (with backoff) and calls onRestart first: the partial answer is dropped here
 * and the front ends are told by the retry notice, so nothing is shown or recorded twice. A
 * provider that cannot restart throws a retryable interruption; that gets one more request.
 */
async function streamTurn(rt: AgentRuntime, request: MessagesRequest, o: StreamTurnOptions): Promise<TurnResult | undefined> {
  for (let attempt = 0; ; attempt++) {
    let assembler = new StreamAssembler();
    let guardrail: GuardrailIntervention | undefined;
    let servedBy: string | undefined;
    const t0 = o.now();
    o.frontEnd.emit({ type: 'requesting' });
    try {
      const stream = rt.provider.stream(request, {
        role: 'main',
        modelId: rt.modelId,
        signal: o.signal,
        onRetry: o.onRetry,
        onNotice: o.onNotice,
        background: o.background,
        onRestart: () => {
          assembler = new StreamAssembler();
          guardrail = undefined;
        },
        onFailover: (n: FailoverNotice) => o.frontEnd.emit({ type: 'system_notice', subtype: 'model_failover', text: n.message, data: { from: n.from, to: n.to, reason: n.reason } }),
        onGuardrail: (g) => {
          guardrail = g;
        },
        onServedBy: (id) => {
          servedBy = id;
        },
      });
      for await (const event of stream) {
        if (o.signal.aborted) return undefined;
        assembler.handle(event);
        if (event.type === 'message_start') rt.extraTools?.begin?.();
        // A tool call is coming: load the tools (when lazy) while its input streams in.
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use' && typeof rt.tools === 'function') void rt.tools().catch(() => undefined);
        o.frontEnd.emit({ type: 'stream_event', event });
        if (event.type === 'content_block_delta') {
          if (event.delta.type === 'text_delta') o.frontEnd.emit({ type: 'text_delta', text: event.delta.text });
          else if (event.delta.type === 'thinking_delta') o.frontEnd.emit({ type: 'thinking_delta', thinking: event.delta.thinking });
        }
      }
      rt.usage.apiMs += o.now() - t0;
      if (o.signal.aborted) return undefined;
      return { ...assembler.finish(), ...(guardrail ? { guardrail } : {}), ...(servedBy ? { servedBy } : {}) };
    } catch (err) {
      rt.usage.apiMs += o.now() - t0;
      if (o.signal.aborted) return undefined;
      if (attempt === 0 && isStreamInterruption(err)) {
        o.onRetry({ attempt: 1, maxRetries: 1, delayMs: 0, reason: 'stream_interrupted', message: err instanceof Error ? err.message : String(err), restart: true });
        continue;
      }
      throw err;
    }
  }
}

export interface CompactNowOptions {
  signal: AbortSignal;
  frontEnd: FrontEnd;
  onRetry?: (n: RetryNotice) => void;
  onNotice?: (t: string) => void;
  now?: () => number;
  onCompaction?: (outcome: CompactionOutcome) => void | Promise<void>;
  harder?: boolean;
  manual?: boolean;
  focus?: string;
}

/**
 * Summarises the older conversation on the main model (automatic, after "prompt is too long",
 * or `/compact`). The summary's usage counts like any response; the front end gets one notice.
 * undefined when there was nothing to compact.
 */
export async function compactNow(rt: AgentRuntime, toolSpecs: ToolSpec[], conversation: Conversation, o: CompactNowOptions): Promise<CompactionOutcome | undefined> {
  const now = o.now ?? rt.now ?? Date.now;
  const settings = rt.compaction ?? { enabled: true };
  await rt.hooks?.preCompact(o.manual ? 'manual' : 'auto', o.focus ?? null, o.signal);
  const { window } = await modelLimits(rt, o.signal);
  let summarisedBy = rt.modelId;
  const outcome = await compactConversation({
    conversation,
    threshold: compactionThreshold(rt.modelId, rt.maxOutputTokens, settings, window),
    harder: o.harder,
    manual: o.manual,
    focus: o.focus,
    buildRequest: (messages) => buildRequest(rt, toolSpecs, messages),
    call: async (request) => {
      const t0 = now();
      try {
        return await collectStream(rt.provider.stream(request, { role: 'main', modelId: rt.modelId, signal: o.signal, onRetry: o.onRetry, onNotice: o.onNotice, background: true, onServedBy: (id) => (summarisedBy = id) }));
      } finally {
        rt.usage.apiMs += now() - t0;
      }
    },
  });
  if (!outcome) return undefined;
  // Earlier Read results may be among the summarised messages: the next Read sends the full text.
  forgetReadResults(rt.toolContext);
  const usage = outcome.response.usage;
  const cost = rt.usage.add(summarisedBy, usage);
  o.frontEnd.emit({ type: 'usage', model: summarisedBy, usage, costUsd: cost });
  await o.onCompaction?.(outcome);
  await rt.hooks?.sessionStart('compact');
  const why = o.manual ? '' : o.harder ? ' (Bedrock said the prompt was too long)' : ' (the context window was filling up)';
  o.frontEnd.emit({ type: 'notice', text: `compacted ${outcome.compacted} message${outcome.compacted === 1 ? '' : 's'} into a summary${why}; ${outcome.kept === 0 ? 'none kept verbatim' : `the last ${outcome.kept} kept verbatim`}` });
  return outcome;
}

/** Bedrock's "prompt is too long" (ContextTooLongError, matched by kind: the loop does not import the provider). */
function isContextTooLong(err: unknown): boolean {
  return err instanceof Error && (err as { kind?: unknown }).kind === 'context_too_long';
}

/** The provider's StreamInterruptedError (matched by name: the loop does not import the provider) or our own. */
function isStreamInterruption(err: unknown): boolean {
  if (err instanceof IncompleteStreamError) return true;
  // The provider says whether re-running the turn makes sense (`retryable`).
  return err instanceof Error && err.name === 'StreamInterruptedError' && (err as { retryable?: unknown }).retryable !== false;
}

/** A UserPromptSubmit hook refused the prompt (already reported to the front end). */
class PromptBlocked extends Error {}
