import type { Usage } from '../bedrock/anthropic.js';
import { costOf, priceFor } from '../bedrock/prices.js';
import { capabilitiesOf } from '../models/capabilities.js';
import type { ModelUsage } from './events.js';

/** Cache writes split by lifetime, as Bedrock reports them (`usage.cache_creation`). */
export interface CacheCreationSplit {
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

/** Sums tokens and dollars per model over a session, sub-agents and small-model calls included (A10). */
export class UsageTracker {
  readonly byModel: Record<string, ModelUsage> = {};
  readonly total: Required<Omit<Usage, 'service_tier' | 'cache_creation'>> = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  /** Cache writes of responses that said how long they live; a response that did not adds to neither. */
  readonly cacheCreation: CacheCreationSplit = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
  totalCostUsd = 0;
  apiMs = 0;
  /** The service tier Bedrock reported for the latest request that named one (B29). */
  serviceTier?: string;
  /** Model ids with no known price (their cost counts as 0). */
  readonly unpriced = new Set<string>();
  /** Model ids that do not name their model (application inference profile ARNs) → the model they route to. */
  private readonly base = new Map<string, string>();

  /**
   * Prices `modelId` as `baseModel` from now on: an application inference profile ARN names no
   * model, so its price comes from the model GetInferenceProfile said it routes to.
   */
  learnBase(modelId: string, baseModel: string | undefined): void {
    if (baseModel && baseModel !== modelId) this.base.set(modelId, baseModel);
  }

  /** Records one response's usage and returns its cost. */
  add(modelId: string, usage: Usage): number {
    const priceId = this.base.get(modelId) ?? modelId;
    const cost = costOf(priceId, usage);
    if (usage.service_tier) this.serviceTier = usage.service_tier;
    if (!priceFor(priceId)) this.unpriced.add(modelId);
    const m = (this.byModel[modelId] ??= newModelUsage(priceId));
    m.inputTokens += usage.input_tokens ?? 0;
    m.outputTokens += usage.output_tokens ?? 0;
    m.cacheReadInputTokens += usage.cache_read_input_tokens ?? 0;
    m.cacheCreationInputTokens += usage.cache_creation_input_tokens ?? 0;
    m.costUSD += cost;
    const split = usage.cache_creation;
    if (split) {
      const w5 = split.ephemeral_5m_input_tokens ?? 0;
      const w1 = split.ephemeral_1h_input_tokens ?? 0;
      m.cacheCreationEphemeral5mInputTokens = (m.cacheCreationEphemeral5mInputTokens ?? 0) + w5;
      m.cacheCreationEphemeral1hInputTokens = (m.cacheCreationEphemeral1hInputTokens ?? 0) + w1;
      this.cacheCreation.ephemeral_5m_input_tokens += w5;
      this.cacheCreation.ephemeral_1h_input_tokens += w1;
    }
    this.total.input_tokens += usage.input_tokens ?? 0;
    this.total.output_tokens += usage.output_tokens ?? 0;
    this.total.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
    this.total.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
    this.totalCostUsd += cost;
    return cost;
  }
}

/** A model's first entry: its limits from the capability table (0 when the table does not know it). */
function newModelUsage(priceId: string): ModelUsage {
  const caps = capabilitiesOf(priceId);
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, webSearchRequests: 0, costUSD: 0, contextWindow: caps?.contextWindow ?? 0, maxOutputTokens: caps?.maxOutputTokens ?? 0 };
}
