import type { ContentBlock, MessageParam, MessagesRequest, TextBlock } from '../bedrock/anthropic.js';

/**
 * Prompt-caching breakpoints (A5). The API caches the prefix up to each `cache_control` marker and,
 * at a marker, looks for an earlier cached prefix only within 20 blocks before it. So:
 *
 * 1. the last system block: tools + system, identical for the whole session;
 * 2. the last block of the last message: writes this request's whole prefix;
 * 3. the last block of the user message before that: exactly where the previous request put its
 *    marker 2, so this request reads the previous one's prefix however many tool calls and
 *    results came in between (no reliance on the 20-block lookback).
 *
 * Three markers of the allowed four. The conversation itself is never modified: marked blocks
 * are copies.
 */
export const MAX_BREAKPOINTS = 4;

const EPHEMERAL = { type: 'ephemeral' } as const;

export function applyCacheBreakpoints(request: MessagesRequest, enabled: boolean): MessagesRequest {
  if (!enabled) return request;
  const out: MessagesRequest = { ...request };

  if (typeof out.system === 'string' && out.system.length > 0) {
    out.system = [{ type: 'text', text: out.system, cache_control: EPHEMERAL }];
  } else if (Array.isArray(out.system) && out.system.length > 0) {
    out.system = out.system.map((b, i, all): TextBlock => (i === all.length - 1 ? { ...b, cache_control: EPHEMERAL } : b));
  } else if (out.tools && out.tools.length > 0) {
    // No system prompt: mark the tools instead so their prefix is still cached.
    out.tools = out.tools.map((t, i, all) => (i === all.length - 1 ? { ...t, cache_control: EPHEMERAL } : t));
  }

  const messages = out.messages.slice();
  const targets: number[] = [];
  const last = messages.length - 1;
  if (last >= 0) targets.push(last);
  for (let i = last - 1; i >= 0; i--) {
    if (messages[i].role === 'user') {
      targets.push(i);
      break;
    }
  }
  for (const i of targets) {
    const marked = markLastBlock(messages[i]);
    if (marked) messages[i] = marked;
  }
  out.messages = messages;
  return out;
}

function markLastBlock(message: MessageParam): MessageParam | undefined {
  const blocks: ContentBlock[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content.slice();
  // Thinking blocks cannot carry a marker; mark the last block that can.
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (b.type === 'thinking' || b.type === 'redacted_thinking') continue;
    if (b.type === 'text' && b.text.length === 0) continue;
    blocks[i] = { ...b, cache_control: EPHEMERAL };
    return { ...message, content: blocks };
  }
  return undefined;
}

/** How many markers a request carries (tests and debug output). */
export function countBreakpoints(request: MessagesRequest): number {
  let n = 0;
  const has = (x: unknown) => typeof x === 'object' && x !== null && 'cache_control' in x && (x as { cache_control?: unknown }).cache_control !== undefined;
  for (const t of request.tools ?? []) if (has(t)) n++;
  if (Array.isArray(request.system)) for (const b of request.system) if (has(b)) n++;
  for (const m of request.messages) if (Array.isArray(m.content)) for (const b of m.content) if (has(b)) n++;
  return n;
}
