import { ConfigError } from '../errors.js';

/**
 * The enterprise part of the configuration (B21, B25, B29): service tiers, request metadata for
 * cost attribution, negotiated prices and whether OpenTelemetry is on. Parsed once in
 * loadConfig so that a bad value stops bcode before any request (exit 2 with a hint); only
 * plain string checks here — the OpenTelemetry packages load later, and only when enabled.
 */

export const SERVICE_TIERS = ['default', 'priority', 'flex'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Dollars per million tokens; the cache rates default to the usual multiples of `input`. */
export interface PriceOverride {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
}

export interface EnterpriseSettings {
  /** ANTHROPIC_BEDROCK_SERVICE_TIER: the tier of the interactive turn. */
  serviceTier?: ServiceTier;
  /** `backgroundServiceTier`: titles, compaction, summaries, sub-agents. */
  backgroundServiceTier?: ServiceTier;
  /** `bedrockRequestMetadata`: header key → value template (`${user}`, `${project}`, `${session}` …). */
  requestMetadata?: Record<string, string>;
  /** `pricing`: model key (`claude-sonnet-4-5`) or exact model id → rates. */
  pricing?: Record<string, PriceOverride>;
  /** CLAUDE_CODE_ENABLE_TELEMETRY. */
  telemetry: boolean;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);

export function parseServiceTier(value: string, name: string): ServiceTier {
  const v = value.trim().toLowerCase();
  if ((SERVICE_TIERS as readonly string[]).includes(v)) return v as ServiceTier;
  throw new ConfigError(`${name} must be one of ${SERVICE_TIERS.join(', ')}, got '${value.slice(0, 40)}'`, {
    hint: `e.g. ${name === 'ANTHROPIC_BEDROCK_SERVICE_TIER' ? 'export ANTHROPIC_BEDROCK_SERVICE_TIER=priority' : '"backgroundServiceTier": "flex"'} (unset it for Bedrock's default tier)`,
  });
}

/**
 * Bedrock's limits on request metadata (the `requestMetadata` member of the Bedrock Runtime API,
 * sent on InvokeModel as the X-Amzn-Bedrock-Request-Metadata header): at most 16 entries; keys
 * 1–256 characters, values 0–256; letters, digits, white space and `: _ @ $ # = / + , - .` only.
 */
export const METADATA_MAX_ENTRIES = 16;
export const METADATA_MAX_LENGTH = 256;
const METADATA_CHARS = /^[A-Za-z0-9\s:_@$#=/+,.-]*$/;
/** The placeholders a value may use; anything else in `${…}` is a mistake. */
export const METADATA_PLACEHOLDERS = ['user', 'account', 'arn', 'os_user', 'project', 'session', 'model', 'region'] as const;

export function checkMetadataKey(key: string): string | undefined {
  if (key.length < 1 || key.length > METADATA_MAX_LENGTH) return `key '${key.slice(0, 40)}' must be 1–${METADATA_MAX_LENGTH} characters`;
  if (!METADATA_CHARS.test(key)) return `key '${key.slice(0, 40)}' has characters Bedrock refuses (allowed: letters, digits, spaces and : _ @ $ # = / + , - .)`;
  return undefined;
}

/** Makes a resolved value fit Bedrock's rules: refused characters become `_`, cut to 256. */
export function sanitizeMetadataValue(value: string): string {
  return value.replace(/[^A-Za-z0-9\s:_@$#=/+,.-]/g, '_').slice(0, METADATA_MAX_LENGTH);
}

function parseRequestMetadata(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === false) return undefined;
  // `true`: the three attributions the setting exists for.
  if (raw === true) return { user: '${user}', project: '${project}', session: '${session}' };
  const entries = Object.entries(raw as Record<string, string>);
  const where = 'settings key bedrockRequestMetadata';
  if (entries.length > METADATA_MAX_ENTRIES) throw new ConfigError(`${where} has ${entries.length} entries; Bedrock accepts at most ${METADATA_MAX_ENTRIES}`, { hint: 'keep the keys you filter invocation logs by' });
  for (const [key, template] of entries) {
    const bad = checkMetadataKey(key);
    if (bad) throw new ConfigError(`${where}: ${bad}`, { hint: 'e.g. "bedrockRequestMetadata": { "user": "${user}", "project": "${project}" }' });
    const literal = template.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
      if (!(METADATA_PLACEHOLDERS as readonly string[]).includes(name)) {
        throw new ConfigError(`${where}: '${key}' uses an unknown placeholder \${${name.slice(0, 30)}}`, { hint: `the placeholders are ${METADATA_PLACEHOLDERS.map((p) => `\${${p}}`).join(', ')}` });
      }
      return '';
    });
    if (!METADATA_CHARS.test(literal)) throw new ConfigError(`${where}: the value of '${key}' has characters Bedrock refuses`, { hint: 'allowed: letters, digits, spaces and : _ @ $ # = / + , - . (placeholders are cleaned automatically)' });
    if (literal.length > METADATA_MAX_LENGTH) throw new ConfigError(`${where}: the value of '${key}' is longer than ${METADATA_MAX_LENGTH} characters`, { hint: 'shorten it' });
  }
  return Object.fromEntries(entries);
}

const METRICS_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'];
const LOGS_EXPORTERS = ['otlp', 'console', 'none'];
const OTLP_PROTOCOLS = ['grpc', 'http/json', 'http/protobuf'];

/** The OTEL_* values bcode chooses code paths by; checked here so a typo is an error, not silence. */
function checkOtelEnv(env: Record<string, string | undefined>): void {
  const list = (name: string, allowed: string[]) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return;
    for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!allowed.includes(part)) throw new ConfigError(`${name} must be ${allowed.join(', ')} (comma-separated), got '${part.slice(0, 40)}'`, { hint: `e.g. export ${name}=${allowed[0]}` });
    }
  };
  list('OTEL_METRICS_EXPORTER', METRICS_EXPORTERS);
  list('OTEL_LOGS_EXPORTER', LOGS_EXPORTERS);
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL']) {
    const v = env[name]?.trim();
    if (v && !OTLP_PROTOCOLS.includes(v)) throw new ConfigError(`${name} must be one of ${OTLP_PROTOCOLS.join(', ')}, got '${v.slice(0, 40)}'`, { hint: `e.g. export ${name}=http/protobuf` });
  }
  for (const name of ['OTEL_METRIC_EXPORT_INTERVAL', 'OTEL_LOGS_EXPORT_INTERVAL']) {
    const v = env[name]?.trim();
    if (v && !(/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 2_147_483_647)) throw new ConfigError(`${name} must be a whole number of milliseconds ≥ 1, got '${v.slice(0, 40)}'`, { hint: `e.g. export ${name}=10000` });
  }
}

export function resolveEnterprise(env: Record<string, string | undefined>, settings: Record<string, unknown>): EnterpriseSettings {
  const out: EnterpriseSettings = { telemetry: TRUE_WORDS.has((env.CLAUDE_CODE_ENABLE_TELEMETRY ?? '').trim().toLowerCase()) };
  const tier = env.ANTHROPIC_BEDROCK_SERVICE_TIER;
  if (tier !== undefined && tier.trim() !== '') out.serviceTier = parseServiceTier(tier, 'ANTHROPIC_BEDROCK_SERVICE_TIER');
  if (typeof settings.backgroundServiceTier === 'string') out.backgroundServiceTier = parseServiceTier(settings.backgroundServiceTier, 'backgroundServiceTier');
  const metadata = parseRequestMetadata(settings.bedrockRequestMetadata);
  if (metadata) out.requestMetadata = metadata;
  if (settings.pricing && typeof settings.pricing === 'object') out.pricing = settings.pricing as Record<string, PriceOverride>;
  if (out.telemetry) checkOtelEnv(env);
  return out;
}
