/**
 * The session's usage totals as json/stream-json results carry them: cache writes split by
 * lifetime when Bedrock reports it, each model's limits from the capability table, and an
 * application profile ARN priced as the model it routes to.
 */
import { describe, expect, it } from 'vitest';
import { costOf } from '../../src/bedrock/prices.js';
import { UsageTracker } from '../../src/agent/usage.js';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
const BASE = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('UsageTracker', () => {
  it('splits cache writes by lifetime only for responses that report it, and prices the 1h writes at their rate', () => {
    const t = new UsageTracker();
    const reported = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 300, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 } };
    const cost = t.add(SONNET, reported);
    t.add(SONNET, { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 50 });
    expect(t.cacheCreation).toEqual({ ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 });
    expect(t.total.cache_creation_input_tokens).toBe(350);
    expect(t.byModel[SONNET]).toMatchObject({ cacheCreationInputTokens: 350, cacheCreationEphemeral5mInputTokens: 100, cacheCreationEphemeral1hInputTokens: 200 });
    // 1h writes cost 2× input, 5m writes 1.25× (regional Sonnet 4.5: $3.30 per million input tokens).
    const rate = 3.3 / 1e6;
    expect(cost).toBeCloseTo(10 * rate + 5 * 16.5e-6 + 100 * rate * 1.25 + 200 * rate * 2, 12);
  });

  it("gives each model its context window and output limit, and 0 for one the table does not know", () => {
    const t = new UsageTracker();
    t.add(SONNET, { input_tokens: 1, output_tokens: 1 });
    t.add('acme.unknown-model-v1', { input_tokens: 1, output_tokens: 1 });
    expect(t.byModel[SONNET]).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000, webSearchRequests: 0 });
    expect(t.byModel['acme.unknown-model-v1']).toMatchObject({ contextWindow: 0, maxOutputTokens: 0 });
    expect([...t.unpriced]).toEqual(['acme.unknown-model-v1']);
  });

  it('prices an application profile ARN as its base model once that is known, keyed by the ARN', () => {
    const usage = { input_tokens: 1000, output_tokens: 100 };
    const before = new UsageTracker();
    expect(before.add(ARN, usage)).toBe(0);
    expect([...before.unpriced]).toEqual([ARN]);
    const t = new UsageTracker();
    t.learnBase(ARN, BASE);
    const cost = t.add(ARN, usage);
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeCloseTo(costOf(BASE, usage), 12);
    expect(t.byModel[ARN]).toMatchObject({ costUSD: cost, contextWindow: 200_000 });
    expect(t.unpriced.size).toBe(0);
  });
});
