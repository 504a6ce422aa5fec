/**
 * What a request for one model may carry (B22). Everything bcode sends to Bedrock passes through
 * here, after the loop built it and before the body is encoded: betas the model lacks, body fields
 * it rejects, a `max_tokens` above its limit, cache markers that cannot cache (prefix below the
 * model's minimum) and TTLs it does not offer are taken out; the 1M-context and interleaved-thinking
 * betas are added where the model has them and the request wants them.
 */
import type { CacheControl, ContentBlock, MessageParam, MessagesRequest, TextBlock, ToolSpec } from '../bedrock/anthropic.js';
import { CORE_BODY_FIELDS, type ModelCapabilities } from './capabilities.js';

export interface ShapeOptions {
  /** The user asked for the 1M window (`[1m]`). */
  longContext?: boolean;
}

export interface ShapedRequest {
  request: MessagesRequest;
  /** Things the user asked for that this model cannot take (each said once by the caller). */
  notes: string[];
}

/**
 * Tokens of a block, estimated low on purpose: a marker is kept only where the prefix surely
 * reaches the minimum (real tokenizers give about one token per 3–4 characters; 5 keeps us
 * under). A marker below the minimum costs one of the four slots and caches nothing.
 */
export function lowTokenEstimate(block: unknown): number {
  return Math.floor(JSON.stringify(block).length / 5);
}

type Markable = { cache_control?: CacheControl };

export function shapeRequest(request: MessagesRequest, caps: ModelCapabilities, options: ShapeOptions = {}): ShapedRequest {
  const notes: string[] = [];
  const out: MessagesRequest = { ...request };

  const allowed = new Set([...CORE_BODY_FIELDS, ...caps.extraFields]);
  for (const key of Object.keys(out)) {
    if (allowed.has(key)) continue;
    if (key === 'thinking') notes.push(`${caps.name} has no extended thinking on Bedrock; the thinking budget (MAX_THINKING_TOKENS) is not sent`);
    delete (out as unknown as Record<string, unknown>)[key];
  }

  if (out.max_tokens > caps.maxOutputTokens && caps.key !== 'unknown') {
    notes.push(`max_tokens ${out.max_tokens} is above ${caps.name}'s limit of ${caps.maxOutputTokens}; sending ${caps.maxOutputTokens}`);
    out.max_tokens = caps.maxOutputTokens;
  }
  if (out.thinking && out.thinking.budget_tokens >= out.max_tokens) {
    // The API wants room for the answer after the thinking.
    out.thinking = { ...out.thinking, budget_tokens: Math.max(1024, Math.floor(out.max_tokens / 2)) };
    if (out.thinking.budget_tokens >= out.max_tokens) delete out.thinking;
  }

  const wanted = new Set(out.anthropic_beta ?? []);
  if (options.longContext && caps.longContextBeta) wanted.add(caps.longContextBeta);
  else if (options.longContext) {
    const who = caps.key === 'unknown' ? 'this model is not known to have a' : `${caps.name} has no`;
    notes.push(`${who} 1M-token context window on Bedrock; the context-1m beta is not sent`);
  }
  if (out.thinking && caps.interleavedThinkingBeta) wanted.add(caps.interleavedThinkingBeta);
  const betas = [...wanted].filter((b) => caps.betas.includes(b));
  if (betas.length > 0) out.anthropic_beta = betas;
  else delete out.anthropic_beta;

  return { request: placeMarkers(out, caps), notes };
}

/** Keeps the markers whose cached prefix reaches the model's minimum; drops TTLs it lacks. */
function placeMarkers(request: MessagesRequest, caps: ModelCapabilities): MessagesRequest {
  let total = 0;
  const count = (plain: unknown): void => {
    total += lowTokenEstimate(plain);
  };
  const keep = (block: Markable): boolean => {
    const { cache_control: _cc, ...plain } = block;
    count(plain);
    return caps.promptCaching && total >= caps.minCacheTokens;
  };
  const fix = <T extends Markable>(block: T): T => {
    const marked = block.cache_control !== undefined;
    const ok = keep(block);
    if (!marked) return block;
    if (!ok) {
      const { cache_control: _cc, ...rest } = block;
      return rest as T;
    }
    const ttl = block.cache_control?.ttl;
    if (ttl !== undefined && !(caps.cacheTtls as readonly string[]).includes(ttl)) return { ...block, cache_control: { type: 'ephemeral' } };
    return block;
  };

  const out: MessagesRequest = { ...request };
  // Bedrock's prompt order: tools, then system, then messages.
  if (out.tools) out.tools = out.tools.map((t): ToolSpec => fix(t));
  if (typeof out.system === 'string') count({ type: 'text', text: out.system });
  else if (Array.isArray(out.system)) out.system = out.system.map((b): TextBlock => fix(b));
  out.messages = out.messages.map((m): MessageParam => {
    if (typeof m.content === 'string') {
      count({ type: 'text', text: m.content });
      return m;
    }
    return { ...m, content: m.content.map((b): ContentBlock => fix(b as ContentBlock & Markable)) };
  });
  return out;
}
