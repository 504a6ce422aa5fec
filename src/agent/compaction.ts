/**
 * Compaction (A9): when the conversation nears the context window, its older part is replaced
 * by a structured summary written by the main model, and the most recent messages stay verbatim.
 *
 * Where the cut may fall is the delicate part. The kept messages go to the API as they are, so:
 * - a `tool_result` must never be kept without the `tool_use` it answers (the API rejects it);
 * - thinking blocks of the kept assistant messages must go back byte for byte, and a kept part
 *   that starts with an assistant message must start with that message's thinking when the
 *   session thinks (the API wants the assistant turn after a user text to open with thinking).
 * So the kept part starts either at a user message that holds no tool results (a prompt), or at
 * an assistant message (its results follow it), never in between.
 */
import type { ContentBlock, Message, MessageParam, MessagesRequest, StreamEvent } from '../bedrock/anthropic.js';
import { StreamAssembler } from './assemble.js';
import type { Conversation } from './conversation.js';

/** The summary's opening line, so a reader of the transcript (and the model) knows what it is. */
export const SUMMARY_HEADING = 'This session continues from an earlier conversation that was compacted to fit the context window. Summary of the earlier part:';

/**
 * Share of the threshold the verbatim tail may keep; a forced ("harder") compaction keeps the
 * minimum. Small on purpose: the kept tail is written to the cache again after every compaction,
 * while the summary already carries what matters of it. When even the last turn is larger, the
 * smallest valid tail (from the last cut point) is kept.
 */
export const KEEP_SHARE = 0.03;

/** One token per 4 characters of JSON: what the emulator counts, close enough for Claude's tokenizer at this margin. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? null).length / 4);
}

function blocksOf(m: MessageParam): ContentBlock[] {
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

const isThinking = (b: ContentBlock) => b.type === 'thinking' || b.type === 'redacted_thinking';

/** Whether the kept part may start at `messages[i]` (see the module comment); `i === length` keeps nothing. */
export function isCutPoint(messages: readonly MessageParam[], i: number, usesThinking: boolean): boolean {
  if (i === messages.length) {
    // Everything summarised: only after a finished answer (no call waiting for its result).
    const last = messages[i - 1];
    return last?.role === 'assistant' && !blocksOf(last).some((b) => b.type === 'tool_use');
  }
  const m = messages[i];
  if (m.role === 'user') return !blocksOf(m).some((b) => b.type === 'tool_result');
  const first = blocksOf(m)[0];
  return !usesThinking || (first !== undefined && isThinking(first));
}

export interface CutPlan {
  /** The kept part is `messages.slice(cut)`; the older part `messages.slice(0, cut)` is summarised. */
  cut: number;
}

/**
 * Chooses the cut: the earliest cut point whose kept tail fits `keepTokens`, else the latest cut
 * point (the smallest tail that stays valid). At least `minOlder` messages must be summarised;
 * undefined when no cut qualifies.
 */
export function planCut(messages: readonly MessageParam[], keepTokens: number, minOlder: number): CutPlan | undefined {
  const usesThinking = messages.some((m) => blocksOf(m).some(isThinking));
  let kept = 0;
  let best: number | undefined;
  let latest: number | undefined;
  for (let i = messages.length; i >= Math.max(1, minOlder); i--) {
    if (i < messages.length) kept += estimateTokens(messages[i]);
    if (!isCutPoint(messages, i, usesThinking)) continue;
    latest ??= i;
    if (kept <= keepTokens) best = i;
  }
  const cut = best ?? latest;
  return cut === undefined ? undefined : { cut };
}

/** The instruction that ends the summary request (our own wording). */
export function summaryInstruction(focus?: string): string {
  const lines = [
    'The conversation above is about to be replaced by a summary to free the context window; the most recent messages after it stay as they are. Write that summary now, so that you can continue the work from it alone.',
    'Do not call any tools. Answer with the summary only, under these headings:',
    '1. Goal: what the user asked for, with their exact words where they matter.',
    '2. Decisions: what was decided or found, and why.',
    '3. Files: each file read, created or changed, and its current state (what was changed, what is still to change).',
    '4. Errors: errors met, and whether and how each was resolved.',
    '5. Open work: what remains to be done, and the very next step.',
    '6. User preferences: every instruction the user gave about how to work (style, tools, things to avoid).',
    'Be concrete: name files, functions, commands, values and test names. Leave out what no longer matters.',
  ];
  const f = focus?.trim();
  if (f) lines.push(`The user asked that the summary pay particular attention to: ${f}`);
  return lines.join('\n');
}

export interface CompactionOutcome {
  /** The user message that now opens the conversation. */
  summary: MessageParam;
  /** How many older messages it replaced, and how many were kept verbatim after it. */
  compacted: number;
  kept: number;
  /** The summary response (its usage is the caller's to count). */
  response: Message;
}

export interface CompactOptions {
  conversation: Conversation;
  /** The prompt-size threshold (tokens) the kept tail is measured against. */
  threshold: number;
  /** A "prompt is too long" answer: keep only the smallest valid tail. */
  harder?: boolean;
  /** `/compact`: may summarise everything, and also a short conversation. */
  manual?: boolean;
  focus?: string;
  /** Builds the request as every other main-model request is built (system, tools, caching). */
  buildRequest: (messages: MessageParam[]) => MessagesRequest;
  /** Streams one request on the main model and returns the assembled message. */
  call: (request: MessagesRequest) => Promise<Message>;
}

/**
 * Summarises the older part of the conversation and replaces it. Returns undefined when nothing
 * can be compacted (too short, or no valid cut).
 */
export async function compactConversation(o: CompactOptions): Promise<CompactionOutcome | undefined> {
  const messages = o.conversation.messages;
  // `/compact` frees as much as it can, as does a retry after "prompt is too long".
  const keep = o.harder || o.manual ? 0 : Math.floor(o.threshold * KEEP_SHARE);
  const plan = planCut(messages, keep, o.manual ? 1 : 2);
  if (!plan) return undefined;
  const older = messages.slice(0, plan.cut);
  const kept = messages.slice(plan.cut);
  // Same system prompt and tools as every request: the older messages are then read from cache.
  const request = o.buildRequest([...older, { role: 'user', content: [{ type: 'text', text: summaryInstruction(o.focus) }] }]);
  const response = await o.call(request);
  const text = response.content.map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
  if (text === '') throw new Error('compaction failed: the model returned an empty summary');
  const summary: MessageParam = { role: 'user', content: [{ type: 'text', text: `${SUMMARY_HEADING}\n\n${text}` }] };
  o.conversation.replace([summary, ...kept]);
  return { summary, compacted: older.length, kept: kept.length, response };
}

/** Folds a stream into its message without showing anything (the summary is not an answer). */
export async function collectStream(events: AsyncIterable<StreamEvent>): Promise<Message> {
  const assembler = new StreamAssembler();
  for await (const event of events) assembler.handle(event);
  return assembler.finish().message;
}

/**
 * The size the next request will have: the last response's measured prompt plus its answer, and
 * an estimate of what came after; without a measurement (a resumed or freshly compacted
 * conversation), an estimate of the whole request.
 */
export function projectedTokens(conversation: Conversation, request: MessagesRequest): number {
  const mark = conversation.usageMark;
  if (mark && mark.length <= conversation.length) return mark.tokens + conversation.messages.slice(mark.length).reduce((n, m) => n + estimateTokens(m), 0);
  return estimateTokens(request.system) + estimateTokens(request.tools ?? []) + request.messages.reduce((n, m) => n + estimateTokens(m), 0);
}
