import type { Usage } from '../bedrock/anthropic.js';
import { costOf, priceFor } from '../bedrock/prices.js';
import type { ModelUsage } from './events.js';

/** Sums tokens and dollars per model over a session, sub-agents and small-model calls included (A10). */
export class UsageTracker {
  readonly byModel: Record<string, ModelUsage> = {};
  readonly total: Required<Omit<Usage, 'service_tier'>> = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  totalCostUsd = 0;
  apiMs = 0;
  /** The service tier Bedrock reported for the latest request that named one (B29). */
  serviceTier?: string;
  /** Model ids with no known price (their cost counts as 0). */
  readonly unpriced = new Set<string>();

  /** Records one response's usage and returns its cost. */
  add(modelId: string, usage: Usage): number {
    const cost = costOf(modelId, usage);
    if (usage.service_tier) this.serviceTier = usage.service_tier;
    if (!priceFor(modelId)) this.unpriced.add(modelId);
    const m = (this.byModel[modelId] ??= { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 0 });
    m.inputTokens += usage.input_tokens ?? 0;
    m.outputTokens += usage.output_tokens ?? 0;
    m.cacheReadInputTokens += usage.cache_read_input_tokens ?? 0;
    m.cacheCreationInputTokens += usage.cache_creation_input_tokens ?? 0;
    m.costUSD += cost;
    this.total.input_tokens += usage.input_tokens ?? 0;
    this.total.output_tokens += usage.output_tokens ?? 0;
    this.total.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
    this.total.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
    this.totalCostUsd += cost;
    return cost;
  }
}
