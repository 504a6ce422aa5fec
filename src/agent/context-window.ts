/**
 * How many tokens a request may hold (B22) and where automatic compaction starts (A9). The window
 * comes from the capability table (src/models): the resolved base model's, 1M only where the model
 * has the beta and the user asked (`[1m]`).
 */
import { capabilitiesOf, windowOf } from '../models/capabilities.js';

export const DEFAULT_CONTEXT_WINDOW = 200_000;

/**
 * The context window of the base model behind an id as sent (foundation id, system profile id,
 * or an ARN naming one). Unknown models, application-profile ARNs not yet resolved included, get
 * the default: guessing too large would only surface as a "prompt is too long" answer, which
 * compacts anyway.
 */
export function contextWindowOf(modelId: string, longContext = false): number {
  const caps = capabilitiesOf(modelId);
  return caps ? windowOf(caps, longContext) : DEFAULT_CONTEXT_WINDOW;
}

export interface CompactionSettings {
  /** false: never compact on our own (a "prompt is too long" answer and `/compact` still do). */
  enabled: boolean;
  /** CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: compact when a request would pass this share of the window. */
  pct?: number;
  /** BCODE_AUTO_COMPACT_WINDOW (or the reference's CLAUDE_CODE_AUTO_COMPACT_WINDOW): treat the window as this many tokens (compact earlier, pay less). */
  window?: number;
}

/**
 * Default share of the window at which automatic compaction starts. Compacting at two thirds
 * rather than near the edge makes every later request of a long session smaller (each one re-reads
 * the whole conversation from cache), which costs less than the extra summaries (bench figure 12).
 */
export const DEFAULT_COMPACT_SHARE = 0.67;

/**
 * The prompt size (in tokens) a request may reach before the older conversation is summarised.
 * By default two thirds of the window, and never so late that the room for the answer (max output
 * tokens) and a margin of 5% of the window for the estimate's error are gone; a percentage
 * override replaces that rule.
 */
export function compactionThreshold(modelId: string, maxOutputTokens: number, settings: CompactionSettings, modelWindow = contextWindowOf(modelId)): number {
  const window = Math.min(settings.window ?? Infinity, modelWindow);
  if (settings.pct !== undefined) return Math.floor((window * settings.pct) / 100);
  const roomy = Math.max(Math.floor(window / 2), window - maxOutputTokens - Math.ceil(window * 0.05));
  return Math.min(roomy, Math.floor(window * DEFAULT_COMPACT_SHARE));
}
