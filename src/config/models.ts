import { ConfigError } from '../errors.js';
import { didYouMean, echoValue } from '../util/text.js';

export type ModelIdKind = 'foundation-model' | 'inference-profile' | 'arn';
export type AliasName = 'haiku' | 'sonnet' | 'opus';
export const ALIAS_NAMES: readonly AliasName[] = ['haiku', 'sonnet', 'opus'];

/** Cross-region inference profile prefixes (system-defined profile id = `{geo}.{model id}`). */
export const GEO_PREFIXES = ['us', 'eu', 'apac', 'jp', 'au', 'ca', 'global', 'us-gov'];

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const OPUS_45 = 'anthropic.claude-opus-4-5-20251101-v1:0';

/** B9: the main model unless something overrides it. */
export const DEFAULT_MAIN_MODEL = `global.${SONNET_45}`;

/** `{provider}.{model}[:{version}]`; providers are plain words (anthropic, amazon, meta, ai21 …). */
const FOUNDATION_ID = /^[a-z][a-z0-9]*\.[A-Za-z][A-Za-z0-9._-]*(:[A-Za-z0-9._-]+)*$/;
const ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b|-eusc)?:bedrock:[a-z0-9-]+:(\d{12})?:(application-inference-profile|inference-profile|foundation-model|provisioned-model|imported-model|custom-model-deployment)\/[A-Za-z0-9._:-]+$/;

export const ACCEPTED_SHAPES_HINT =
  'use an alias (sonnet, opus, haiku), a foundation-model id (anthropic.claude-sonnet-4-5-20250929-v1:0), an inference-profile id (us.anthropic.claude-sonnet-4-5-20250929-v1:0) or an application-inference-profile ARN (arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123)';

export function classifyModelId(id: string): ModelIdKind | undefined {
  if (id.startsWith('arn:')) {
    const m = ARN.exec(id);
    if (!m) return undefined;
    // Only foundation-model ARNs have an empty account field.
    if ((m[2] === undefined) !== (m[3] === 'foundation-model')) return undefined;
    return 'arn';
  }
  const dot = id.indexOf('.');
  if (dot > 0 && GEO_PREFIXES.includes(id.slice(0, dot)) && FOUNDATION_ID.test(id.slice(dot + 1))) return 'inference-profile';
  return FOUNDATION_ID.test(id) ? 'foundation-model' : undefined;
}

/** The region named inside an ARN, when the value is one. */
export function arnRegion(id: string): string | undefined {
  return id.startsWith('arn:') ? id.split(':')[3] : undefined;
}

/**
 * The geography prefix of the built-in alias targets: the regional profile when the source region
 * can use it (so requests stay in that geography), `global.` otherwise. Tables follow the public
 * per-model source-region lists; ANTHROPIC_DEFAULT_*_MODEL overrides any of them.
 */
export const REGIONAL_PROFILES: Record<AliasName, Record<string, string[]>> = {
  sonnet: {
    us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
    eu: ['eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
    jp: ['ap-northeast-1', 'ap-northeast-3'],
    au: ['ap-southeast-2', 'ap-southeast-4'],
  },
  haiku: {
    us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1'],
    eu: ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'],
    jp: ['ap-northeast-1', 'ap-northeast-3'],
    au: ['ap-southeast-2', 'ap-southeast-4'],
  },
  opus: {
    us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
    eu: ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'],
  },
};

export const ALIAS_MODEL: Record<AliasName, string> = { sonnet: SONNET_45, haiku: HAIKU_45, opus: OPUS_45 };

export function geoPrefixFor(alias: AliasName, region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov';
  for (const [geo, regions] of Object.entries(REGIONAL_PROFILES[alias])) if (regions.includes(region)) return geo;
  return 'global';
}

/** `prefix` is ANTHROPIC_BEDROCK_REGION_PREFIX when set: it replaces the computed geography. */
export function builtInAliasTarget(alias: AliasName, region: string, prefix?: string): string {
  return `${prefix ?? geoPrefixFor(alias, region)}.${ALIAS_MODEL[alias]}`;
}

/** B9's default, except in GovCloud, which has no `global.` profiles, or with an explicit prefix. */
export function defaultMainModel(region: string, prefix?: string): string {
  if (prefix) return `${prefix}.${SONNET_45}`;
  return region.startsWith('us-gov-') ? `us-gov.${SONNET_45}` : DEFAULT_MAIN_MODEL;
}

/** Values of ANTHROPIC_BEDROCK_REGION_PREFIX. */
export const REGION_PREFIX_VALUES = ['us', 'eu', 'apac', 'jp', 'au', 'global', 'us-gov'];

export interface ParsedModelSpec {
  /** An alias name, `default`, or a checked model id. */
  kind: 'alias' | 'default' | 'id';
  value: string;
  /** True when a `[1m]` suffix was dropped. */
  dropped1m: boolean;
}

/**
 * Checks one model value from `label` (a variable, flag or setting). Aliases are allowed where
 * `allowAlias` is set; everything else must have one of the shapes Bedrock accepts in the path.
 */
export function parseModelSpec(label: string, raw: string, options: { allowAlias: boolean }): ParsedModelSpec {
  let value = raw.trim();
  let dropped1m = false;
  if (/\[1m\]$/i.test(value)) {
    value = value.slice(0, -4);
    dropped1m = true;
  }
  const lower = value.toLowerCase();
  if (options.allowAlias && (ALIAS_NAMES as readonly string[]).includes(lower)) return { kind: 'alias', value: lower, dropped1m };
  if (options.allowAlias && lower === 'default') return { kind: 'default', value: lower, dropped1m };
  if (value === '') throw new ConfigError(`${label} is empty`, { hint: ACCEPTED_SHAPES_HINT });
  if ((ALIAS_NAMES as readonly string[]).includes(lower)) {
    throw new ConfigError(`${label} must be a model id, not the alias '${value}'`, { hint: 'aliases are defined by these variables; give a full id such as us.anthropic.claude-sonnet-4-5-20250929-v1:0' });
  }
  if (/\s/.test(value)) throw new ConfigError(`${label} is not a Bedrock model id: '${echoValue(value)}' contains whitespace`, { hint: ACCEPTED_SHAPES_HINT });
  if (!classifyModelId(value)) {
    if (['opusplan', 'best', 'fable'].includes(lower)) throw new ConfigError(`${label}: the alias '${value}' is not supported by bcode`, { hint: ACCEPTED_SHAPES_HINT });
    const near = options.allowAlias ? didYouMean(lower, ALIAS_NAMES) : undefined;
    if (near) throw new ConfigError(`${label}: '${echoValue(value)}' is not a model alias; did you mean '${near}'?`, { hint: `use ${near} (the aliases are ${ALIAS_NAMES.join(', ')})` });
    throw new ConfigError(`${label}: '${echoValue(value)}' is not a Bedrock model id`, { hint: ACCEPTED_SHAPES_HINT });
  }
  return { kind: 'id', value, dropped1m };
}
