/**
 * Bedrock on-demand prices in $ per million tokens (shared/spec/bedrock-wire.md §8): global
 * inference profiles at the base rate, regional/geo ones with a 10 % premium.
 */
import type { RecordedRequest } from '../../src/emulator/types.js';

interface Rates { input: number; cacheWrite: number; cacheRead: number; output: number }

const SONNET_45: Rates = { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 };
const HAIKU_45: Rates = { input: 1, cacheWrite: 1.25, cacheRead: 0.1, output: 5 };

export function ratesFor(modelId: string | undefined): Rates {
  const base = modelId?.includes('haiku') ? HAIKU_45 : SONNET_45;
  if (!modelId || modelId.startsWith('global.')) return base;
  return { input: base.input * 1.1, cacheWrite: base.cacheWrite * 1.1, cacheRead: base.cacheRead * 1.1, output: base.output * 1.1 };
}

export type Usage = NonNullable<RecordedRequest['usage']>;

/** Input side of the bill: uncached × 1 + cache writes × 1.25 + cache reads × 0.1 (of the input rate). */
export function inputCost(u: Usage, modelId: string | undefined): number {
  const r = ratesFor(modelId);
  return (u.input_tokens * r.input + u.cache_creation_input_tokens * r.cacheWrite + u.cache_read_input_tokens * r.cacheRead) / 1e6;
}

export function totalCost(u: Usage, modelId: string | undefined): number {
  return inputCost(u, modelId) + (u.output_tokens * ratesFor(modelId).output) / 1e6;
}
