/**
 * How many tokens a request may hold, per base model (B22), and where automatic compaction
 * starts (A9). Every Claude model bcode targets on Bedrock has a 200k-token window; the 1M-token
 * beta is not requested, so it does not count here.
 */
import { foundationIdOf } from '../bedrock/model-hints.js';

export const DEFAULT_CONTEXT_WINDOW = 200_000;

/** Most specific first; the first key found in the base model id wins. */
const WINDOWS: ReadonlyArray<{ model: string; tokens: number }> = [
  { model: 'claude-opus-4', tokens: 200_000 },
  { model: 'claude-sonnet-4', tokens: 200_000 },
  { model: 'claude-haiku-4', tokens: 200_000 },
  { model: 'claude-3', tokens: 200_000 },
];

/**
 * The context window of the base model behind an id as sent (foundation id, system profile id,
 * or an ARN naming one). Unknown models, application-profile ARNs included, get the default:
 * guessing too large would only surface as a "prompt is too long" answer, which compacts anyway.
 */
export function contextWindowOf(modelId: string): number {
  const id = foundationIdOf(modelId).toLowerCase();
  return WINDOWS.find((w) => id.includes(w.model))?.tokens ?? DEFAULT_CONTEXT_WINDOW;
}

export interface CompactionSettings {
  /** false: never compact on our own (a "prompt is too long" answer and `/compact` still do). */
  enabled: boolean;
  /** CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: compact when a request would pass this share of the window. */
  pct?: number;
  /** BCODE_AUTO_COMPACT_WINDOW: treat the window as this many tokens (compact earlier, pay less). */
  window?: number;
}

/**
 * The prompt size (in tokens) a request may reach before the older conversation is summarised.
 * By default the room for the answer (max output tokens) and a margin of 5% of the window for
 * the estimate's error stay free; a percentage override replaces that rule.
 */
export function compactionThreshold(modelId: string, maxOutputTokens: number, settings: CompactionSettings): number {
  const window = Math.min(settings.window ?? Infinity, contextWindowOf(modelId));
  if (settings.pct !== undefined) return Math.floor((window * settings.pct) / 100);
  return Math.max(Math.floor(window / 2), window - maxOutputTokens - Math.ceil(window * 0.05));
}
