/**
 * `doctor` and the capability table (B22): are the configured models ones bcode knows, and do the
 * token settings fit them? An unknown model still works, with the conservative request shape.
 */
import type { Config, ModelTarget } from '../config/types.js';
import { capabilitiesOf, windowOf } from '../models/capabilities.js';
import { isApplicationProfileArn } from '../models/resolve-base.js';
import type { CheckResult } from './types.js';

function describe(target: ModelTarget): { text: string; unknown: boolean } {
  if (isApplicationProfileArn(target.id)) return { text: 'application profile (its model is looked up with GetInferenceProfile at the first request)', unknown: false };
  const caps = capabilitiesOf(target.id);
  if (!caps) return { text: `'${target.id}' is not in bcode's table (conservative request shape)`, unknown: true };
  const window = windowOf(caps, target.longContext === true);
  return { text: `${caps.name} (${window >= 1_000_000 ? '1M' : `${window / 1000}k`} window, max output ${caps.maxOutputTokens})`, unknown: false };
}

export function capabilityCheck(config: Config): CheckResult {
  const main = describe(config.models.main);
  const small = describe(config.models.smallFast);
  const detail = `main: ${main.text}; small/fast: ${small.text}`;
  const base = { id: 'models.capabilities', title: 'model capabilities' };
  if (main.unknown || small.unknown) {
    return { ...base, status: 'warn', detail, fix: 'use a model from `bcode models` (or expect no betas, fewer cache markers and a 32000-token retry limit)' };
  }
  const caps = capabilitiesOf(config.models.main.id);
  const explicit = !(config.sources.maxOutputTokens ?? 'default').startsWith('default');
  if (caps && explicit && config.maxOutputTokens > caps.maxOutputTokens) {
    return { ...base, status: 'warn', detail: `${detail}; CLAUDE_CODE_MAX_OUTPUT_TOKENS ${config.maxOutputTokens} is above ${caps.name}'s limit (${caps.maxOutputTokens}), bcode sends ${caps.maxOutputTokens}`, fix: `export CLAUDE_CODE_MAX_OUTPUT_TOKENS=${Math.min(caps.maxOutputTokens, 4096)}` };
  }
  return { ...base, status: 'pass', detail };
}
