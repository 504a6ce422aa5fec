import { setMaxListeners } from 'node:events';
import type { ContentBlock, Message, MessageParam, MessagesRequest, TextBlock, ToolSpec, ToolUseBlock } from '../bedrock/anthropic.js';
import type { Provider, RetryNotice } from '../bedrock/types.js';
import { BcodeError } from '../errors.js';
import { debugError } from '../util/debug.js';
import type { PermissionPolicy } from '../permissions/types.js';
import type { AnyTool, ToolContext } from '../tools/types.js';
import { IncompleteStreamError, StreamAssembler, type AssembledMessage } from './assemble.js';
import { applyCacheBreakpoints } from './caching.js';
import { collectStream, compactConversation, projectedTokens, type CompactionOutcome } from './compaction.js';
import { compactionThreshold, type CompactionSettings } from './context-window.js';
import { Conversation } from './conversation.js';
import { dispatchToolCalls, type Denial } from './dispatch.js';
import type { FrontEnd, RunResult, RunSubtype } from './events.js';
import { UsageTracker } from './usage.js';

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
  thinkingBudget?: number;
  promptCaching: boolean;
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
  now?: () => number;
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
  sessionId: string;
  signal: AbortSignal;
  frontEnd: FrontEnd;
  maxTurns?: number;
  conversation?: Conversation;
  /** Each completed message, before the next request (the session transcript). */
  onMessage?: (message: MessageParam) => void | Promise<void>;
  permissionMode?: string;
  /** Sub-agents run without the Task tool and without announcing a session. */
  nested?: boolean;
  /** A compaction replaced the older conversation (the session transcript records a marker). */
  onCompaction?: (outcome: CompactionOutcome) => void | Promise<void>;
}

const SUB_AGENT_MAX_TURNS = 50;
const SMALL_MODEL_MAX_TOKENS = 2048;
/** The limit of a turn re-requested because it was cut inside a tool call (every current model allows it). */
export const RAISED_MAX_TOKENS = 32_000;

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
  const costBefore = rt.usage.totalCostUsd;
  const totalsBefore = { ...rt.usage.total };
  let turns = 0;
  let lastMessage: Message | undefined;
  let subtype: RunSubtype = 'success';
  let failure: unknown;
  const errors: string[] = [];

  if (!options.nested) {
    const extra = rt.extraTools;
    const tools = [...(toolsNow ? toolsNow.map((t) => t.name) : baseSpecs.map((t) => t.name)), ...(extra?.specs().map((t) => t.name) ?? [])];
    const mcpServers = extra?.servers().map((s) => ({ name: s.name, status: s.status }));
    frontEnd.emit({ type: 'session_start', sessionId: options.sessionId, model: rt.modelId, cwd: rt.toolContext.cwd, tools, permissionMode: options.permissionMode ?? rt.policy.mode, ...(mcpServers ? { mcpServers } : {}) });
  }

  const commit = async (message: MessageParam) => {
    conversation.push(message);
    await options.onMessage?.(message);
  };

  const onRetry = (notice: RetryNotice) => frontEnd.emit({ type: 'retrying', notice });
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
    runSubAgent: options.nested
      ? undefined
      : async (input, sig) => {
          const sub = await runAgent(rt, {
            prompt: input.prompt,
            sessionId: options.sessionId,
            signal: sig,
            nested: true,
            maxTurns: SUB_AGENT_MAX_TURNS,
            frontEnd: { emit: (e) => (e.type === 'retrying' || e.type === 'notice' || e.type === 'usage' ? frontEnd.emit(e) : undefined) },
          });
          if (sub.subtype === 'interrupted') throw new Error('the sub-agent was interrupted');
          if (sub.isError) throw new Error(`the sub-agent failed: ${(sub.errors ?? []).join('; ') || sub.subtype}`);
          return sub.result;
        },
    onTodos: (todos) => frontEnd.emit({ type: 'todos', todos }),
    notice: onNotice,
  };

  try {
    await commit({ role: 'user', content: [{ type: 'text', text: options.prompt }] });
    for (;;) {
      if (signal.aborted) {
        subtype = 'interrupted';
        break;
      }
      if (options.maxTurns !== undefined && turns >= options.maxTurns) {
        subtype = 'error_max_turns';
        errors.push(`reached the maximum number of turns (${options.maxTurns})`);
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
      if (settings.enabled && (conversation.usageMark !== undefined || turns === 1) && projectedTokens(conversation, request) > compactionThreshold(rt.modelId, rt.maxOutputTokens, settings)) {
        if (await compactNow(rt, toolSpecs, conversation, compactOptions)) request = buildRequest(rt, toolSpecs, conversation.messages);
      }
      let assembled: AssembledMessage | undefined;
      try {
        assembled = await streamTurn(rt, request, { signal, frontEnd, onRetry, onNotice, now });
      } catch (err) {
        // Bedrock measured the prompt as too long after all: compact harder, then try once more.
        if (signal.aborted || !isContextTooLong(err)) throw err;
        if (!(await compactNow(rt, toolSpecs, conversation, { ...compactOptions, harder: true }))) throw err;
        request = buildRequest(rt, toolSpecs, conversation.messages);
        assembled = await streamTurn(rt, request, { signal, frontEnd, onRetry, onNotice, now });
      }
      // B23: max_tokens stays small (Bedrock reserves it from the quota), so a long tool call
      // (a Write of a big file) can be cut off inside its input. Such a message is never handed
      // on broken: the same request goes once more with a larger limit.
      if (assembled && cutInsideToolUse(assembled.message) && request.max_tokens < RAISED_MAX_TOKENS) {
        rt.usage.add(rt.modelId, assembled.message.usage);
        onNotice(`bcode: the answer reached max_tokens (${request.max_tokens}) inside a tool call; asking again with max_tokens ${RAISED_MAX_TOKENS} for this turn`);
        assembled = await streamTurn(rt, { ...request, max_tokens: RAISED_MAX_TOKENS }, { signal, frontEnd, onRetry, onNotice, now });
      }
      if (!assembled) {
        subtype = 'interrupted';
        break;
      }
      const { message } = assembled;
      lastMessage = message;
      const cost = rt.usage.add(rt.modelId, message.usage);
      frontEnd.emit({ type: 'assistant_message', message });
      frontEnd.emit({ type: 'usage', model: rt.modelId, usage: message.usage, costUsd: cost });
      await commit({ role: 'assistant', content: message.content });
      const u = message.usage;
      conversation.usageMark = { tokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + u.output_tokens, length: conversation.length };

      const uses = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
      if (uses.length === 0) break;

      let tools = toolsNow ?? pick(await (rt.tools as () => Promise<AnyTool[]>)());
      if (rt.extraTools) {
        const missing = uses.map((u) => u.name).filter((n) => !tools.some((t) => t.name === n));
        if (missing.length > 0) await rt.extraTools.ready(missing);
        tools = [...tools, ...rt.extraTools.tools()];
      }
      const toolsStarted = now();
      const outcome = await dispatchToolCalls(uses, { tools, policy: rt.policy, frontEnd, context, inputErrors: assembled.inputErrors, now });
      denials.push(...outcome.denials);
      frontEnd.emit({ type: 'tool_results', content: outcome.results, durationMs: now() - toolsStarted });
      await commit({ role: 'user', content: outcome.results });
    }
  } catch (err) {
    if (signal.aborted) {
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
    totalCostUsd: rt.usage.totalCostUsd - costBefore,
    usage: {
      input_tokens: totals.input_tokens - totalsBefore.input_tokens,
      output_tokens: totals.output_tokens - totalsBefore.output_tokens,
      cache_creation_input_tokens: totals.cache_creation_input_tokens - totalsBefore.cache_creation_input_tokens,
      cache_read_input_tokens: totals.cache_read_input_tokens - totalsBefore.cache_read_input_tokens,
    },
    modelUsage: structuredClone(rt.usage.byModel),
    sessionId: options.sessionId,
    stopReason: lastMessage?.stop_reason ?? null,
    permissionDenials: denials,
  };
  if (subtype === 'interrupted') errors.push('interrupted by the user');
  if (errors.length > 0) result.errors = errors;
  if (failure !== undefined) result.error = failure;
  if (!options.nested) frontEnd.emit({ type: 'done', result });
  return result;
}

export function buildRequest(rt: Pick<AgentRuntime, 'system' | 'maxOutputTokens' | 'thinkingBudget' | 'promptCaching'>, toolSpecs: ToolSpec[], messages: readonly MessageParam[]): MessagesRequest {
  const request: MessagesRequest = {
    max_tokens: rt.maxOutputTokens,
    system: rt.system,
    messages: mergeSameRole(messages),
  };
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

interface StreamTurnOptions {
  signal: AbortSignal;
  frontEnd: FrontEnd;
  onRetry: (n: RetryNotice) => void;
  onNotice: (t: string) => void;
  now: () => number;
}

/** One model call, retried once when the stream breaks off midway. undefined = interrupted. */
async function streamTurn(rt: AgentRuntime, request: MessagesRequest, o: StreamTurnOptions): Promise<AssembledMessage | undefined> {
  for (let attempt = 0; ; attempt++) {
    const assembler = new StreamAssembler();
    const t0 = o.now();
    try {
      for await (const event of rt.provider.stream(request, { role: 'main', modelId: rt.modelId, signal: o.signal, onRetry: o.onRetry, onNotice: o.onNotice })) {
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
      return assembler.finish();
    } catch (err) {
      rt.usage.apiMs += o.now() - t0;
      if (o.signal.aborted) return undefined;
      if (attempt === 0 && isStreamInterruption(err)) {
        o.onRetry({ attempt: 1, maxRetries: 1, delayMs: 0, reason: 'stream_interrupted', message: err instanceof Error ? err.message : String(err) });
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
  const outcome = await compactConversation({
    conversation,
    threshold: compactionThreshold(rt.modelId, rt.maxOutputTokens, settings),
    harder: o.harder,
    manual: o.manual,
    focus: o.focus,
    buildRequest: (messages) => buildRequest(rt, toolSpecs, messages),
    call: async (request) => {
      const t0 = now();
      try {
        return await collectStream(rt.provider.stream(request, { role: 'main', modelId: rt.modelId, signal: o.signal, onRetry: o.onRetry, onNotice: o.onNotice }));
      } finally {
        rt.usage.apiMs += now() - t0;
      }
    },
  });
  if (!outcome) return undefined;
  const usage = outcome.response.usage;
  const cost = rt.usage.add(rt.modelId, usage);
  o.frontEnd.emit({ type: 'usage', model: rt.modelId, usage, costUsd: cost });
  await o.onCompaction?.(outcome);
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
