import { ConfigError } from '../errors.js';
import type { SettingsLayer } from './settings-files.js';
import { layerSource } from './merge.js';
import { didYouMean, echoValue } from '../util/text.js';

/**
 * The environment bcode configures itself from: shell variables over the merged settings `env`
 * (B8). An empty shell variable counts as unset, so `export AWS_REGION=` does not hide a region
 * that a settings file provides.
 */
export class EffectiveEnv {
  readonly values: Record<string, string> = {};
  readonly sources: Record<string, string> = {};
  /** For names whose value came from a settings file (not the shell): that file. */
  readonly settingsOrigin: Record<string, string> = {};

  constructor(shell: Record<string, string | undefined>, layers: readonly SettingsLayer[]) {
    // Lowest layer first so that higher layers overwrite.
    for (let i = layers.length - 1; i >= 0; i--) {
      const env = layers[i].data.env;
      if (env === null || typeof env !== 'object' || Array.isArray(env)) continue;
      for (const [name, raw] of Object.entries(env as Record<string, unknown>)) {
        if (name === '__proto__' || raw === undefined || raw === null) continue;
        this.values[name] = String(raw);
        this.sources[name] = `${layerSource(layers[i])} env.${name}`;
        this.settingsOrigin[name] = layers[i].origin;
      }
    }
    for (const [name, value] of Object.entries(shell)) {
      if (value === undefined || name === '__proto__') continue;
      if (value === '' && Object.hasOwn(this.values, name)) continue;
      this.values[name] = value;
      this.sources[name] = `env:${name}`;
      delete this.settingsOrigin[name];
    }
  }

  /** The value, trimmed; undefined when unset or blank. */
  get(name: string): string | undefined {
    const v = this.values[name];
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
  }

  /** The raw value (not trimmed), for multi-line values such as custom headers. */
  raw(name: string): string | undefined {
    const v = this.values[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  }

  source(name: string): string {
    return this.sources[name] ?? `env:${name}`;
  }

  /** ` (set in <file> env)` when a settings file supplied the value, so errors point at it. */
  where(name: string): string {
    const origin = this.settingsOrigin[name];
    return origin ? ` (set in ${origin} env)` : '';
  }
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** A yes/no variable; anything but the usual spellings is an error rather than a guess. */
export function parseFlagVar(env: EffectiveEnv, name: string): boolean | undefined {
  const v = env.get(name);
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return true;
  if (FALSE_WORDS.includes(lower)) return false;
  throw new ConfigError(`${name} must be 1 or 0 (or true/false, yes/no), got '${echoValue(v)}'${env.where(name)}`, { hint: `e.g. export ${name}=1` });
}

export function isFalseWord(value: string): boolean {
  return FALSE_WORDS.includes(value.toLowerCase());
}

export function isTrueWord(value: string): boolean {
  return TRUE_WORDS.includes(value.toLowerCase());
}

/** The longest delay a Node timer holds (2^31 − 1 ms, about 24.8 days); longer ones fire at once, with a warning. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole number variable: digits only, so `4e3`, `4096.0` and `-1` are refused. */
export function parseWholeVar(env: EffectiveEnv, name: string, options: { min: number; max?: number; example: string }): number | undefined {
  const v = env.get(name);
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < options.min || n > max) {
    const range = options.max === undefined ? `≥ ${options.min}` : `from ${options.min} to ${options.max}`;
    throw new ConfigError(`${name} must be a whole number ${range}, got '${echoValue(v)}'${env.where(name)}`, { hint: `e.g. export ${name}=${options.example}` });
  }
  return n;
}

/**
 * Region names as AWS spells them: `us-east-1`, `us-gov-west-1`, `eu-central-2`, `cn-north-1`,
 * `eusc-de-east-1`. Upper case, availability zones (`us-east-1a`) and bare words are refused.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/**
 * The AWS regions that exist today (commercial, GovCloud, China, European Sovereign Cloud). A
 * region outside this list is still accepted (AWS opens new ones), unless it is one typo away
 * from a listed one: `us-east-11` is a mistake, not a new region.
 */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
  'us-gov-east-1', 'us-gov-west-1',
  'cn-north-1', 'cn-northwest-1',
  'eusc-de-east-1',
];

/** A known family (`ap-southeast`) with the next number, which AWS may have opened since this list was written. */
function mayBeNewRegion(value: string): boolean {
  const m = /^(.*)-(\d+)$/.exec(value);
  if (!m) return false;
  const numbers = KNOWN_REGIONS.filter((r) => r.startsWith(`${m[1]}-`) && /^\d+$/.test(r.slice(m[1].length + 1))).map((r) => Number(r.slice(m[1].length + 1)));
  return numbers.length > 0 && Number(m[2]) === Math.max(...numbers) + 1;
}

export function checkRegion(name: string, value: string): string {
  if (REGION_PATTERN.test(value)) {
    if (KNOWN_REGIONS.includes(value) || mayBeNewRegion(value)) return value;
    const near = didYouMean(value, KNOWN_REGIONS);
    if (near) throw new ConfigError(`${name} '${echoValue(value)}' is not an AWS region; did you mean ${near}?`, { hint: `export ${name}=${near}` });
    return value;
  }
  if (/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}[a-z]$/.test(value)) {
    throw new ConfigError(`${name} must be a region, got '${echoValue(value)}', which is an availability zone`, { hint: `export ${name}=${value.slice(0, -1)}` });
  }
  if (REGION_PATTERN.test(value.toLowerCase())) {
    throw new ConfigError(`${name} must be a region in lower case, got '${echoValue(value)}'`, { hint: `export ${name}=${value.toLowerCase()}` });
  }
  throw new ConfigError(`${name} must be an AWS region such as us-east-1, got '${echoValue(value)}'`, { hint: `e.g. export ${name}=us-east-1` });
}
