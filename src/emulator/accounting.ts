/**
 * Token estimates and prompt-cache accounting. The estimate is deliberately simple and stable:
 * one token per 4 characters (rounded up) of each prompt block's JSON, without its
 * `cache_control`. Caching follows Anthropic's rules: the prompt is the block sequence
 * tools → system → messages; a `cache_control` breakpoint caches the prefix ending at its
 * block; a lookup tries the breakpoint and up to 20 blocks before it for the longest prefix
 * written earlier; entries live 5 minutes (or 1 hour with `ttl: "1h"`), refreshed on read.
 */
import { createHash } from 'node:crypto';

export const CACHE_LOOKBACK_BLOCKS = 20;
const FIVE_MINUTES = 5 * 60_000;
const ONE_HOUR = 60 * 60_000;

export interface PromptBlock {
  tokens: number;
  /** Hash of the prefix ending at (and including) this block. */
  prefixHash: string;
  /** Tokens of the prefix ending here. */
  cumulative: number;
  breakpoint?: { ttlMs: number };
}

export interface CacheUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

type Json = Record<string, unknown>;

export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return Math.max(1, Math.ceil(text.length / 4));
}

function withoutCacheControl(block: unknown): unknown {
  if (block && typeof block === 'object' && !Array.isArray(block) && 'cache_control' in block) {
    const { cache_control: _cc, ...rest } = block as Json;
    return rest;
  }
  return block;
}

function cacheControlOf(block: unknown): { ttl?: unknown } | undefined {
  if (block && typeof block === 'object' && !Array.isArray(block)) {
    const cc = (block as Json).cache_control;
    if (cc && typeof cc === 'object') return cc as { ttl?: unknown };
  }
  return undefined;
}

/** The prompt as one flat block sequence: tools, then system, then each message's content blocks. */
export function flattenPrompt(body: Json): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(body.tools)) out.push(...body.tools);
  if (typeof body.system === 'string') out.push({ type: 'text', text: body.system });
  else if (Array.isArray(body.system)) out.push(...body.system);
  if (Array.isArray(body.messages)) {
    for (const m of body.messages as Json[]) {
      const role = m?.role;
      if (typeof m?.content === 'string') out.push({ role, type: 'text', text: m.content });
      else if (Array.isArray(m?.content)) {
        // The role is part of a block's identity: the same text as user or assistant differs.
        for (const b of m.content) out.push(b && typeof b === 'object' ? { role, ...(b as Json) } : { role, value: b });
      }
    }
  }
  return out;
}

export function countCacheMarkers(body: Json): number {
  return flattenPrompt(body).filter((b) => cacheControlOf(b) !== undefined).length;
}

export function analysePrompt(body: Json): PromptBlock[] {
  let hash = createHash('sha256').update('bcode-emulator-prompt').digest('hex');
  let cumulative = 0;
  return flattenPrompt(body).map((block) => {
    const plain = withoutCacheControl(block);
    const json = JSON.stringify(plain);
    const tokens = estimateTokens(json);
    cumulative += tokens;
    hash = createHash('sha256').update(hash).update(json).digest('hex');
    const cc = cacheControlOf(block);
    return { tokens, prefixHash: hash, cumulative, breakpoint: cc ? { ttlMs: cc.ttl === '1h' ? ONE_HOUR : FIVE_MINUTES } : undefined };
  });
}

export function inputTokenEstimate(body: Json): number {
  const blocks = analysePrompt(body);
  return blocks.length ? blocks[blocks.length - 1].cumulative : 0;
}

/** One cache per emulator; keys include the model and region, like Bedrock's per-model caches. */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  account(scope: string, blocks: PromptBlock[], minTokens: number, now: number): CacheUsage {
    const total = blocks.length ? blocks[blocks.length - 1].cumulative : 0;
    const key = (i: number) => `${scope}|${blocks[i].prefixHash}`;
    const alive = (i: number) => (this.entries.get(key(i)) ?? -Infinity) > now;

    let hit = -1;
    blocks.forEach((b, bp) => {
      if (!b.breakpoint) return;
      for (let j = bp; j >= Math.max(0, bp - CACHE_LOOKBACK_BLOCKS); j--) {
        if (alive(j)) {
          hit = Math.max(hit, j);
          break;
        }
      }
    });

    const read = hit >= 0 ? blocks[hit].cumulative : 0;
    if (hit >= 0) {
      const ttl = blocks.slice(hit).find((b) => b.breakpoint)?.breakpoint?.ttlMs ?? FIVE_MINUTES;
      this.entries.set(key(hit), now + ttl);
    }

    let lastWritten = -1;
    blocks.forEach((b, i) => {
      if (!b.breakpoint || i <= hit || b.cumulative < minTokens) return;
      this.entries.set(key(i), now + b.breakpoint.ttlMs);
      lastWritten = i;
    });
    const created = lastWritten >= 0 ? blocks[lastWritten].cumulative - read : 0;
    return { input_tokens: total - read - created, cache_read_input_tokens: read, cache_creation_input_tokens: created };
  }
}
