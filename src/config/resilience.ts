import { randomBytes } from 'node:crypto';
import type { EffectiveEnv } from './env.js';
import { MAX_TIMER_MS, parseWholeVar } from './env.js';
import { layerSetting, layerSource } from './merge.js';
import type { SettingsLayer } from './settings-files.js';
import type { Config } from './types.js';

/**
 * The configuration of failover (B24), the stream watchdog (B28) and guardrail tagging (B26):
 * `modelFailover` / `fallbackModel` / `--fallback-model`, BCODE_STREAM_IDLE_TIMEOUT_MS and the
 * `guardrails` setting, and the sub-agent bound (B23): `subagentConcurrency`. Kept out of load.ts, which only calls `resolveResilience`.
 */

export const DEFAULT_FAILOVER_AFTER_FAILURES = 3;
export const DEFAULT_FAILOVER_COOLDOWN_SECONDS = 300;
/** B23: sub-agents at once (src/agent/subagent-limiter.ts); the same values as there, kept here so config loading imports no agent code. */
export const DEFAULT_SUBAGENT_CONCURRENCY = 2;
export const MAX_SUBAGENT_CONCURRENCY = 16;
export const DEFAULT_SUBAGENT_COOLDOWN_MS = 60_000;

export interface ResilienceInput {
  layers: readonly SettingsLayer[];
  env: EffectiveEnv;
  /** `--fallback-model`. */
  fallbackFlag?: string;
  /** Resolves one model spec exactly like the main model (aliases, profile ids, ARNs). */
  resolveModel: (label: string, raw: string, source: string) => string;
  sources: Record<string, string>;
}

export type Resilience = Pick<Config, 'streamIdleTimeoutMs' | 'guardrails' | 'subagents'> & { failover?: NonNullable<Config['models']['failover']> };

export function resolveResilience(input: ResilienceInput): Resilience {
  const { layers, env, sources } = input;
  const out: Resilience = {};

  const idle = parseWholeVar(env, 'BCODE_STREAM_IDLE_TIMEOUT_MS', { min: 1, max: MAX_TIMER_MS, example: '60000' });
  if (idle !== undefined) {
    out.streamIdleTimeoutMs = idle;
    sources.streamIdleTimeoutMs = env.source('BCODE_STREAM_IDLE_TIMEOUT_MS');
  }

  // Failover: `modelFailover` (bcode: a list, or an object with the list and its bounds), the
  // reference's single `fallbackModel`, and `--fallback-model`, which replaces the list.
  const listLayer = layerSetting(layers, ['modelFailover']);
  const singleLayer = layerSetting(layers, ['fallbackModel']);
  let models: Array<{ raw: string; label: string; source: string }> = [];
  let afterFailures = DEFAULT_FAILOVER_AFTER_FAILURES;
  let cooldownSeconds = DEFAULT_FAILOVER_COOLDOWN_SECONDS;
  if (listLayer) {
    const v = listLayer.data.modelFailover as string[] | { models: string[]; afterFailures?: number; cooldownSeconds?: number };
    const list = Array.isArray(v) ? v : v.models;
    if (!Array.isArray(v)) {
      afterFailures = v.afterFailures ?? afterFailures;
      cooldownSeconds = v.cooldownSeconds ?? cooldownSeconds;
    }
    models = list.map((raw, i) => ({ raw, label: `${listLayer.origin}: modelFailover[${i}]`, source: layerSource(listLayer) }));
    sources['models.failover'] = layerSource(listLayer);
  } else if (singleLayer) {
    models = [{ raw: String(singleLayer.data.fallbackModel), label: `${singleLayer.origin}: fallbackModel`, source: layerSource(singleLayer) }];
    sources['models.failover'] = layerSource(singleLayer);
  }
  if (input.fallbackFlag !== undefined) {
    models = [{ raw: input.fallbackFlag, label: '--fallback-model', source: 'flag:--fallback-model' }];
    sources['models.failover'] = 'flag:--fallback-model';
  }
  if (models.length > 0) {
    const ids = [...new Set(models.map((m) => input.resolveModel(m.label, m.raw, m.source)))];
    out.failover = { models: ids, afterFailures, cooldownMs: cooldownSeconds * 1000 };
  }

  // B23: `subagentConcurrency` (settings) or BCODE_SUBAGENT_CONCURRENCY (env wins), and the
  // cool-down of a throttle's slow-down, BCODE_SUBAGENT_THROTTLE_COOLDOWN_MS.
  const concurrencyEnv = parseWholeVar(env, 'BCODE_SUBAGENT_CONCURRENCY', { min: 1, max: MAX_SUBAGENT_CONCURRENCY, example: String(DEFAULT_SUBAGENT_CONCURRENCY) });
  const cooldownEnv = parseWholeVar(env, 'BCODE_SUBAGENT_THROTTLE_COOLDOWN_MS', { min: 1, max: MAX_TIMER_MS, example: String(DEFAULT_SUBAGENT_COOLDOWN_MS) });
  const concurrencyLayer = layerSetting(layers, ['subagentConcurrency']);
  out.subagents = {
    concurrency: concurrencyEnv ?? (concurrencyLayer ? Number(concurrencyLayer.data.subagentConcurrency) : DEFAULT_SUBAGENT_CONCURRENCY),
    cooldownMs: cooldownEnv ?? DEFAULT_SUBAGENT_COOLDOWN_MS,
  };
  sources.subagents = concurrencyEnv !== undefined ? env.source('BCODE_SUBAGENT_CONCURRENCY') : concurrencyLayer ? layerSource(concurrencyLayer) : 'default';

  const guardLayer = layerSetting(layers, ['guardrails']);
  if (guardLayer) {
    const g = guardLayer.data.guardrails as { tagUserInput?: boolean; tagSuffix?: string };
    sources.guardrails = layerSource(guardLayer);
    if (g.tagUserInput === true) {
      // A suffix the user cannot guess keeps typed text from closing the tag early; it stays the
      // same for the whole session so that the prompt cache still matches.
      out.guardrails = { tagUserInput: true, tagSuffix: g.tagSuffix ?? randomBytes(6).toString('hex') };
    }
  }
  return out;
}
