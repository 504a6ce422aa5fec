import { capabilitiesOf } from '../models/capabilities.js';
import type { Usage } from './anthropic.js';

/**
 * Bedrock prices per million tokens (A10), read from the capability table (src/models). Rates are
 * Anthropic's public list prices (bedrock-wire.md §8). From Sonnet 4.5 / Haiku 4.5 / Opus 4.5 on, Bedrock prices global
 * profiles at base rates and regional/geo profiles (and in-region ids) 10% higher; older models
 * have one rate.
 */
export interface ModelPrice {
  /** Base model key, e.g. `claude-sonnet-4-5`. */
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** true when regional/geo endpoints carry the 10% premium. */
  regionalPremium: boolean;
}

const CACHE_WRITE_5M = 1.25;
const CACHE_WRITE_1H = 2;
const CACHE_READ = 0.1;
const REGIONAL_PREMIUM = 1.1;

export type ProfileScope = 'global' | 'regional';

export interface ResolvedPrice extends ModelPrice {
  scope: ProfileScope;
  /** The multiplier applied to the base rates (1 or 1.1). */
  multiplier: number;
}

/**
 * Finds the price for a model id as sent to Bedrock: foundation id (`anthropic.claude-…`, priced
 * as in-region), system profile (`global.` / `us.` / `eu.` …) or an ARN naming one of those.
 * Application inference profile ARNs do not name their model: undefined (cost unknown).
 */
export function priceFor(modelId: string): ResolvedPrice | undefined {
  const caps = capabilitiesOf(modelId);
  if (!caps) return undefined;
  const id = modelId.toLowerCase();
  const last = id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1) : id;
  const scope: ProfileScope = last.startsWith('global.') ? 'global' : 'regional';
  const multiplier = caps.price.regionalPremium && scope === 'regional' ? REGIONAL_PREMIUM : 1;
  return { model: caps.key, ...caps.price, scope, multiplier };
}

/** Dollars for one response's usage; 0 when the model is not in the table. */
export function costOf(modelId: string, usage: Partial<Usage>): number {
  const price = priceFor(modelId);
  if (!price) return 0;
  return costWith(price, usage);
}

export function costWith(price: ResolvedPrice, usage: Partial<Usage> & { cache_creation?: { ephemeral_1h_input_tokens?: number } }): number {
  const inRate = (price.inputPerMTok * price.multiplier) / 1e6;
  const outRate = (price.outputPerMTok * price.multiplier) / 1e6;
  const write1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const write5m = Math.max(0, (usage.cache_creation_input_tokens ?? 0) - write1h);
  return (
    (usage.input_tokens ?? 0) * inRate +
    (usage.output_tokens ?? 0) * outRate +
    write5m * inRate * CACHE_WRITE_5M +
    write1h * inRate * CACHE_WRITE_1H +
    (usage.cache_read_input_tokens ?? 0) * inRate * CACHE_READ
  );
}
