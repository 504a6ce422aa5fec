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
  /** Explicit cache rates (a `pricing` override); else the usual multiples of the input rate. */
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  /** True for a rate from the `pricing` setting (a negotiated rate, used as it is). */
  override?: boolean;
}

/** When the table's rates were last compared with the public price pages (bedrock-wire.md §8). */
export const PRICES_CHECKED = '2026-06-01';

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
  const id = modelId.toLowerCase();
  // A negotiated rate (the `pricing` setting) wins, also for a model the table does not know.
  const negotiated = overrideFor(id);
  if (negotiated) return negotiated;
  const caps = capabilitiesOf(modelId);
  if (!caps) return undefined;
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
  const p = costParts(price, usage);
  return p.input + p.output + p.cacheWrite + p.cacheRead;
}

/** The dollars of one response split the way `bcode usage` shows them. */
export function costParts(price: ResolvedPrice, usage: Partial<Usage> & { cache_creation?: { ephemeral_1h_input_tokens?: number } }): { input: number; output: number; cacheRead: number; cacheWrite: number } {
  const inRate = (price.inputPerMTok * price.multiplier) / 1e6;
  const outRate = (price.outputPerMTok * price.multiplier) / 1e6;
  const rate = (explicit: number | undefined, multiple: number) => (explicit !== undefined ? (explicit * price.multiplier) / 1e6 : inRate * multiple);
  const write1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const write5m = Math.max(0, (usage.cache_creation_input_tokens ?? 0) - write1h);
  return {
    input: (usage.input_tokens ?? 0) * inRate,
    output: (usage.output_tokens ?? 0) * outRate,
    cacheWrite: write5m * rate(price.cacheWritePerMTok, CACHE_WRITE_5M) + write1h * rate(price.cacheWrite1hPerMTok, CACHE_WRITE_1H),
    cacheRead: (usage.cache_read_input_tokens ?? 0) * rate(price.cacheReadPerMTok, CACHE_READ),
  };
}

export interface NegotiatedPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
}

let overrides: Array<[string, NegotiatedPrice]> = [];

/**
 * The `pricing` setting: negotiated rates by exact model id (as sent to Bedrock) or by table key
 * (`claude-sonnet-4-5`). They replace the table's rates, premium included, for every later cost.
 */
export function setPriceOverrides(table: Record<string, NegotiatedPrice> | undefined): void {
  overrides = Object.entries(table ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
}

function overrideFor(id: string): ResolvedPrice | undefined {
  if (overrides.length === 0) return undefined;
  const last = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
  const hit =
    overrides.find(([k]) => k === id || k === last) ??
    overrides.find(([k]) => new RegExp(`(^|[./])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[:@]|-\\d{8}|-v\\d)`).test(last));
  if (!hit) return undefined;
  const [key, v] = hit;
  return {
    model: key,
    inputPerMTok: v.input,
    outputPerMTok: v.output,
    cacheReadPerMTok: v.cacheRead,
    cacheWritePerMTok: v.cacheWrite,
    cacheWrite1hPerMTok: v.cacheWrite1h,
    regionalPremium: false,
    override: true,
    scope: last.startsWith('global.') ? 'global' : 'regional',
    multiplier: 1,
  };
}
