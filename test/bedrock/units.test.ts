import { describe, expect, it } from 'vitest';
import { closestId, foundationIdOf, geoPrefixForRegion, suggestProfileId } from '../../src/bedrock/model-hints.js';
import { buildRequestBody, stripCacheControl } from '../../src/bedrock/request-body.js';
import { backoffDelay, mayRetry, resolvePolicy } from '../../src/bedrock/retry.js';
import { decodeChunk, decodeMessage, guardrailIntervened } from '../../src/bedrock/stream-decode.js';
import { MalformedStreamError } from '../../src/bedrock/errors.js';
import type { MessagesRequest } from '../../src/bedrock/anthropic.js';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('request body (B12, B13, B15)', () => {
  const req: MessagesRequest = {
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 't', description: 'd', input_schema: { type: 'object', properties: { cache_control: { type: 'string' } } }, cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: { cache_control: 'data' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'r', cache_control: { type: 'ephemeral' } }], cache_control: { type: 'ephemeral' } }] },
    ],
    anthropic_beta: ['a-1', 'a-1', 'b-2'],
  };

  it('adds anthropic_version, keeps max_tokens/thinking, de-duplicates betas, never model/stream', () => {
    const body = buildRequestBody({ ...req, model: 'x', stream: true } as MessagesRequest, true);
    expect(body.anthropic_version).toBe('bedrock-2023-05-31');
    expect(body.max_tokens).toBe(4096);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(body.anthropic_beta).toEqual(['a-1', 'b-2']);
    expect(body).not.toHaveProperty('model');
    expect(body).not.toHaveProperty('stream');
    expect(JSON.stringify(body)).toContain('"cache_control":{"type":"ephemeral"');
  });

  it('omits an empty beta list', () => {
    expect(buildRequestBody({ ...req, anthropic_beta: [] }, true)).not.toHaveProperty('anthropic_beta');
  });

  it('strips every cache_control marker when caching is off, but not look-alike data', () => {
    const body = buildRequestBody(req, false);
    const text = JSON.stringify(body);
    expect(text).not.toContain(`"cache_control":{"type":"ephemeral"`);
    // A property named cache_control inside a tool schema or a tool input is data, not a marker.
    expect((body.tools as Array<{ input_schema: { properties: Record<string, unknown> } }>)[0].input_schema.properties.cache_control).toEqual({ type: 'string' });
    expect(text).toContain('"input":{"cache_control":"data"}');
    // The caller's request is not mutated.
    expect(JSON.stringify(req)).toContain('cache_control');
    expect(stripCacheControl([{ cache_control: 1, a: 2 }])).toEqual([{ a: 2 }]);
  });
});

describe('retry policy', () => {
  const p = resolvePolicy({ baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 3, maxTotalMs: 2000 });
  it('grows exponentially with equal jitter, capped', () => {
    expect(backoffDelay(1, p, () => 0)).toBe(50);
    expect(backoffDelay(1, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(400);
    expect(backoffDelay(10, p, () => 1)).toBe(1000);
    expect(backoffDelay(10, p, () => 0)).toBe(500);
  });
  it('is bounded by count and by total time', () => {
    expect(mayRetry(3, 100, 0, 0, p)).toBe(true);
    expect(mayRetry(4, 100, 0, 0, p)).toBe(false);
    expect(mayRetry(1, 600, 0, 1500, p)).toBe(false);
  });
  it('ignores nonsense overrides', () => {
    expect(resolvePolicy({ maxRetries: -1, baseDelayMs: Number.NaN }).maxRetries).toBe(8);
  });
});

describe('stream decoding', () => {
  it('decodes events and keeps invocation metrics', () => {
    const ev = decodeChunk(enc({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 1, outputTokenCount: 2, invocationLatency: 3, firstByteLatency: 4 } }));
    expect(ev).toEqual({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 1, outputTokenCount: 2, invocationLatency: 3, firstByteLatency: 4 } });
    expect(decodeChunk(enc({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } })).type).toBe('content_block_delta');
  });
  it('rejects malformed payloads with a typed error', () => {
    expect(() => decodeChunk(enc('{not json'))).toThrow(MalformedStreamError);
    expect(() => decodeChunk(enc({ nope: 1 }))).toThrow(MalformedStreamError);
    expect(() => decodeChunk(enc({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } }))).toThrow(/text_delta has no string "text"/);
    expect(() => decodeChunk(enc({ type: 'message_start', message: { content: 'x' } }))).toThrow(MalformedStreamError);
    expect(() => decodeChunk(undefined)).toThrow(MalformedStreamError);
    expect(() => decodeMessage(enc('<html>'))).toThrow(MalformedStreamError);
  });
  it('detects guardrail interventions', () => {
    expect(guardrailIntervened({ type: 'message_stop', 'amazon-bedrock-guardrailAction': 'INTERVENED' })).toBe(true);
    expect(guardrailIntervened({ type: 'message_stop' })).toBe(false);
  });
});

describe('model hints', () => {
  it('maps regions to geography prefixes', () => {
    expect(geoPrefixForRegion('us-gov-west-1')).toBe('us-gov');
    expect(geoPrefixForRegion('us-east-1')).toBe('us');
    expect(geoPrefixForRegion('eu-central-1')).toBe('eu');
    expect(geoPrefixForRegion('ap-southeast-2')).toBe('apac');
    expect(geoPrefixForRegion('ca-central-1')).toBe('global');
  });
  it('finds foundation ids and suggestions', () => {
    expect(foundationIdOf('global.anthropic.claude-x-v1:0')).toBe('anthropic.claude-x-v1:0');
    expect(foundationIdOf('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x-v1:0')).toBe('anthropic.claude-x-v1:0');
    expect(suggestProfileId('anthropic.claude-x-v1:0', 'eu-west-1')).toBe('eu.anthropic.claude-x-v1:0');
    expect(suggestProfileId('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc', 'us-east-1')).toBeUndefined();
  });
  it('names the closest profile', () => {
    const ids = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'];
    expect(closestId('anthropic.claude-sonnet-4-5-20250929-v1:0', ids, 'us-east-1')).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(closestId('us.anthropic.claude-sonet-4-5-20250929-v1:0', ids, 'us-east-1')).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(closestId('totally-different', ids, 'us-east-1')).toBeUndefined();
  });
});
