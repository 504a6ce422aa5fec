import { describe, expect, it } from 'vitest';
import { costOf, priceFor } from '../../src/bedrock/prices.js';

const M = 1_000_000;

describe('prices', () => {
  it('prices global Sonnet 4.5 at base rates and regional with the 10% premium', () => {
    expect(costOf('global.anthropic.claude-sonnet-4-5-20250929-v1:0', { input_tokens: M, output_tokens: 0 })).toBeCloseTo(3, 6);
    expect(costOf('us.anthropic.claude-sonnet-4-5-20250929-v1:0', { input_tokens: M, output_tokens: M })).toBeCloseTo(3.3 + 16.5, 6);
    expect(costOf('anthropic.claude-sonnet-4-5-20250929-v1:0', { input_tokens: 0, output_tokens: M })).toBeCloseTo(16.5, 6);
  });

  it('cache writes cost 1.25x input and reads 0.1x', () => {
    const u = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: M, cache_read_input_tokens: M };
    expect(costOf('global.anthropic.claude-haiku-4-5-20251001-v1:0', u)).toBeCloseTo(1.25 + 0.1, 6);
    expect(costOf('eu.anthropic.claude-haiku-4-5-20251001-v1:0', u)).toBeCloseTo((1.25 + 0.1) * 1.1, 6);
  });

  it('older models have one rate; Opus 4.1 and 4.5 differ', () => {
    expect(costOf('us.anthropic.claude-sonnet-4-20250514-v1:0', { input_tokens: M, output_tokens: 0 })).toBeCloseTo(3, 6);
    expect(costOf('us.anthropic.claude-opus-4-1-20250805-v1:0', { input_tokens: M, output_tokens: M })).toBeCloseTo(90, 6);
    expect(costOf('global.anthropic.claude-opus-4-5-20251101-v1:0', { input_tokens: M, output_tokens: M })).toBeCloseTo(30, 6);
  });

  it('prices every model the emulator catalog serves (Opus 4.6 and Sonnet 4.6 ids have no date stamp)', async () => {
    const { FOUNDATION_MODELS } = await import('../../src/emulator/catalog.js');
    for (const m of FOUNDATION_MODELS) expect(priceFor(`us.${m.id}`), m.id).toBeDefined();
    expect(costOf('global.anthropic.claude-sonnet-4-6', { input_tokens: M, output_tokens: M })).toBeCloseTo(18, 6);
    expect(costOf('us.anthropic.claude-sonnet-4-6', { input_tokens: M, output_tokens: 0 })).toBeCloseTo(3.3, 6);
    expect(costOf('global.anthropic.claude-opus-4-6-v1', { input_tokens: M, output_tokens: M })).toBeCloseTo(30, 6);
  });

  it('reads the model from system profile ARNs; application profiles and unknown models cost 0', () => {
    expect(priceFor('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0')?.model).toBe('claude-haiku-4-5');
    expect(priceFor('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123')).toBeUndefined();
    expect(priceFor('us.anthropic.claude-opus-4-7-v1:0')).toBeUndefined();
    expect(costOf('meta.llama3-70b-instruct-v1:0', { input_tokens: M, output_tokens: M })).toBe(0);
  });
});
