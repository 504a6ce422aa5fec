/**
 * Turns a scripted reply into the Anthropic stream events Bedrock forwards, split into small
 * deltas the way a model produces them (text in a few words at a time, tool input as JSON
 * fragments, thinking followed by its signature), and into the single message InvokeModel returns.
 */
import type { ContentBlock, Message, StopReason, StreamEvent, Usage } from '../bedrock/anthropic.js';
import type { ScenarioContentBlock } from './types.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789';

/** Deterministic Bedrock-looking ids (`msg_bdrk_01…`, `toolu_bdrk_01…`) from a counter. */
export function makeId(prefix: string, n: number): string {
  let x = n * 7919 + 104729;
  let s = '';
  for (let i = 0; i < 22; i++) {
    s += ALPHABET[x % ALPHABET.length];
    x = Math.floor(x / ALPHABET.length) + (i + 1) * 131 + n;
  }
  return `${prefix}_bdrk_01${s}`;
}

/** Splits text into pieces of about three words, keeping whitespace with the words. */
export function splitText(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(''));
  return out.length ? out : [''];
}

function splitJson(json: string): string[] {
  const size = Math.max(4, Math.ceil(json.length / 5));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}

export interface PlannedBlock {
  block: ContentBlock;
  /** Scripted raw tool-input text (possibly invalid JSON) streamed instead of the input. */
  rawInput?: string;
}

export interface ReplyPlan {
  blocks: PlannedBlock[];
  stopReason: StopReason;
  outputTokens: number;
  /** Scripted delta size in characters (`reply.chunkChars`), instead of the default splits. */
  chunkChars?: number;
}

/** Fixed-size pieces, for scenarios that split a value across many deltas on purpose. */
function splitChars(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

export function planReply(scripted: ScenarioContentBlock[], stopReason: StopReason | undefined, outputTokens: number | undefined, nextToolId: () => string, chunkChars?: number): ReplyPlan {
  const blocks: PlannedBlock[] = scripted.map((b) => {
    if (b.type === 'tool_use') return { block: { type: 'tool_use', id: b.id ?? nextToolId(), name: b.name, input: b.input ?? {} }, rawInput: b.rawInput };
    return { block: { ...b } };
  });
  const hasTool = blocks.some((b) => b.block.type === 'tool_use');
  const estimate = Math.max(1, Math.ceil(JSON.stringify(blocks.map((b) => b.rawInput ?? b.block)).length / 4));
  return { blocks, stopReason: stopReason ?? (hasTool ? 'tool_use' : 'end_turn'), outputTokens: outputTokens ?? estimate, chunkChars };
}

export function streamEvents(plan: ReplyPlan, messageId: string, model: string, usage: Usage): StreamEvent[] {
  const events: StreamEvent[] = [];
  const message: Message = {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage, output_tokens: 1 },
  };
  events.push({ type: 'message_start', message });
  const size = plan.chunkChars;
  const words = (text: string) => (size ? splitChars(text, size) : splitText(text));
  const fragments = (json: string) => (size ? splitChars(json, size) : splitJson(json));
  plan.blocks.forEach(({ block, rawInput }, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of words(block.text)) events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    } else if (block.type === 'tool_use') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      const json = rawInput ?? JSON.stringify(block.input);
      for (const piece of ['', ...fragments(json)]) events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
    } else if (block.type === 'thinking') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of words(block.thinking)) events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
    } else {
      events.push({ type: 'content_block_start', index, content_block: block });
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push({ type: 'message_delta', delta: { stop_reason: plan.stopReason, stop_sequence: null }, usage: { ...usage, output_tokens: plan.outputTokens } });
  return events;
}

export function wholeMessage(plan: ReplyPlan, messageId: string, model: string, usage: Usage): Message & { content: unknown[] } {
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model,
    content: plan.blocks.map(({ block, rawInput }) => {
      if (rawInput === undefined) return block;
      // Invalid scripted JSON cannot be an object; InvokeModel shows it as the model would: unparsed.
      let input: unknown;
      try {
        input = JSON.parse(rawInput);
      } catch {
        input = rawInput;
      }
      return { ...block, input };
    }),
    stop_reason: plan.stopReason,
    stop_sequence: null,
    usage: { ...usage, output_tokens: plan.outputTokens },
  };
}

/** The emulator's estimate of how many characters one output token is. */
const CHARS_PER_TOKEN = 4;

function blockText(p: PlannedBlock): string {
  const b = p.block;
  if (b.type === 'text') return b.text;
  if (b.type === 'thinking') return b.thinking;
  if (b.type === 'tool_use') return p.rawInput ?? JSON.stringify(b.input);
  return '';
}

/**
 * Bedrock stops generating at the request's `max_tokens`: the reply ends there (a text cut
 * mid-word, a tool call's input cut mid-JSON), `stop_reason` is `max_tokens` and the output
 * tokens equal the limit. A reply that fits is returned as it is.
 */
export function limitPlan(plan: ReplyPlan, maxTokens: number): ReplyPlan {
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || plan.outputTokens <= maxTokens) return plan;
  let room = maxTokens * CHARS_PER_TOKEN;
  const blocks: PlannedBlock[] = [];
  for (const p of plan.blocks) {
    if (room <= 0) break;
    const text = blockText(p);
    if (text.length <= room) {
      blocks.push(p);
      room -= Math.max(1, text.length);
      continue;
    }
    const cut = text.slice(0, room);
    const b = p.block;
    if (b.type === 'text') blocks.push({ block: { ...b, text: cut } });
    else if (b.type === 'thinking') blocks.push({ block: { ...b, thinking: cut } });
    else if (b.type === 'tool_use') blocks.push({ block: b, rawInput: cut });
    room = 0;
  }
  return { blocks, stopReason: 'max_tokens', outputTokens: maxTokens };
}
