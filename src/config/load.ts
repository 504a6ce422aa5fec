import { resolveEnterprise } from './enterprise.js';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { capabilitiesOf } from '../models/capabilities.js';
import { addSecret } from '../util/redact.js';
import { activeProfileRegion } from './aws-profile.js';
import { controlEndpoint, parseBaseUrl, runtimeEndpoint } from './endpoints.js';
import { KNOWN_ENV } from './env-names.js';
import { checkRegion, EffectiveEnv, isFalseWord, isTrueWord, MAX_TIMER_MS, parseFlagVar, parseWholeVar } from './env.js';
import { echoValue } from '../util/text.js';
import { parseCustomHeaders } from './headers.js';
import { resolveResilience } from './resilience.js';
import { layerSetting, layerSource, layersSetting, mergeLayers } from './merge.js';
import { arnRegion, builtInAliasTarget, defaultMainModel, parseModelSpec, ALIAS_NAMES, REGION_PREFIX_VALUES, type AliasName } from './models.js';
import { DEFAULT_MANAGED_DIR, discoverSettings, SettingsSchemaNeeded, type DiscoverOptions, type SettingsLayer } from './settings-files.js';
import { settingsWarnings } from './settings-warnings.js';
import type { Config, ModelTarget, PermissionSettings } from './types.js';

export interface ConfigFlags {
  settings?: string;
  model?: string;
  /** `--fallback-model`: the failover list's only entry (B24). */
  fallbackModel?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  /** `--add-dir`: more directories the session may work in (permissions.additionalDirectories). */
  addDirs?: string[];
  /** `--setting-sources`: which of the user, project and local settings files are read (all when absent). */
  settingSources?: Array<'user' | 'project' | 'local'>;
  verbose?: boolean;
  debug?: boolean;
  /** `--mcp-config` (each value parsed to its `mcpServers`) and `--strict-mcp-config`. */
  mcpServers?: Array<{ origin: string; servers: Record<string, unknown> }>;
  strictMcpConfig?: boolean;
}

export interface LoadOptions {
  cwd: string;
  /** The process environment (shell variables win over settings `env`). */
  env: Record<string, string | undefined>;
  flags: ConfigFlags;
  /** Defaults to os.homedir(); tests pass a temporary HOME through the env instead. */
  homeDir?: string;
  /** Managed settings directory; default /etc/claude-code, overridable by BCODE_MANAGED_SETTINGS_DIR. */
  managedDir?: string;
  /**
   * For the commands that report (--print-config, doctor): a missing AWS_REGION does not stop
   * the load; `config.missingRegion` says what is wrong and everything else is still resolved.
   */
  tolerateMissingRegion?: boolean;
}

/** What the endpoints read when AWS_REGION is missing (tolerateMissingRegion). */
export const NEEDS_REGION = '(needs AWS_REGION)';

export interface LoadResult {
  config: Config;
  /** One line each, without a prefix (the caller prints `bcode: warning: …`): unknown keys, ignored settings. */
  warnings: string[];
}

/**
 * B13/B23: the default `max_tokens`, Bedrock's recommendation (docs/configuration.md: the quota
 * reserves max_tokens up front). A turn cut off inside a tool call is re-requested with more.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** Bedrock can take many minutes on a long answer; 10 minutes matches the reference product. */
export const DEFAULT_API_TIMEOUT_MS = 600_000;
export const MIN_THINKING_BUDGET = 1024;

/** Runs `fn`; a ConfigError it throws about `name` is extended with where the value was set. */
function about<T>(env: EffectiveEnv, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const where = env.where(name);
    if (err instanceof ConfigError && where && !err.message.includes(where)) throw new ConfigError(`${err.message}${where}`, { hint: err.hint });
    throw err;
  }
}

/**
 * Settings discovery; the validation schema (zod) is loaded only when there is a settings text
 * to check, and discovery then runs again from the start with it, so errors come in file order.
 */
async function discover(options: DiscoverOptions): Promise<ReturnType<typeof discoverSettings>> {
  try {
    return discoverSettings(options);
  } catch (err) {
    if (!(err instanceof SettingsSchemaNeeded)) throw err;
  }
  const { settingsFileSchema } = await import('./settings-schema.js');
  return discoverSettings({ ...options, schema: settingsFileSchema });
}

function flagLayers(flags: ConfigFlags): SettingsLayer[] {
  const layers: SettingsLayer[] = [];
  if (flags.permissionMode !== undefined) layers.push({ scope: 'flag', origin: 'flag:--permission-mode', data: { permissions: { defaultMode: flags.permissionMode } } });
  if (flags.allowedTools?.length) layers.push({ scope: 'flag', origin: 'flag:--allowedTools', data: { permissions: { allow: flags.allowedTools } } });
  if (flags.disallowedTools?.length) layers.push({ scope: 'flag', origin: 'flag:--disallowedTools', data: { permissions: { deny: flags.disallowedTools } } });
  if (flags.addDirs?.length) layers.push({ scope: 'flag', origin: 'flag:--add-dir', data: { permissions: { additionalDirectories: flags.addDirs } } });
  return layers;
}

function checkBedrockSwitch(env: EffectiveEnv): void {
  const name = 'CLAUDE_CODE_USE_BEDROCK';
  const v = env.get(name);
  if (v === undefined || isTrueWord(v)) return;
  if (isFalseWord(v)) {
    throw new ConfigError(`bcode runs only on Amazon Bedrock, but ${name}=${echoValue(v)}${env.where(name)} turns Bedrock off`, { hint: `unset ${name} or set it to 1` });
  }
  throw new ConfigError(`${name} must be 1, true or yes, got '${echoValue(v)}'${env.where(name)}`, { hint: `export ${name}=1 (or leave it unset: bcode always uses Bedrock)` });
}

function resolveRegion(env: EffectiveEnv, homeDir: string): string {
  const value = env.get('AWS_REGION');
  if (value !== undefined) return about(env, 'AWS_REGION', () => checkRegion('AWS_REGION', value));
  const fromProfile = activeProfileRegion(env, homeDir);
  if (fromProfile) {
    throw new ConfigError(`AWS_REGION is not set; your profile '${fromProfile.profile}' uses ${fromProfile.region} — export AWS_REGION=${fromProfile.region}`, {
      hint: 'bcode takes the region only from AWS_REGION (the shell or settings env), never from ~/.aws/config',
    });
  }
  const legacy = env.get('AWS_DEFAULT_REGION');
  if (legacy) {
    throw new ConfigError(`AWS_REGION is not set (AWS_DEFAULT_REGION is, but bcode reads only AWS_REGION)`, { hint: `export AWS_REGION=${legacy}` });
  }
  throw new ConfigError('AWS_REGION is not set', { hint: 'export AWS_REGION=us-east-1 (the region where your Bedrock models are enabled)' });
}

interface ResolvedModel {
  id: string;
  source: string;
  /** Where a `[1m]` suffix asked for the 1M window (B22). */
  asked1m?: string;
}

export async function loadConfig(options: LoadOptions): Promise<LoadResult> {
  const shell = options.env;
  const cwd = resolve(options.cwd);
  if (!isDirectory(cwd)) throw new ConfigError(`working directory ${cwd} does not exist or is not a directory`, { hint: 'pass an existing directory to --cwd' });
  const homeDir = options.homeDir ?? (shell.HOME?.trim() || homedir());
  const userConfigDir = shell.CLAUDE_CONFIG_DIR?.trim() ? resolve(cwd, shell.CLAUDE_CONFIG_DIR.trim()) : join(homeDir, '.claude');
  checkConfigDir(userConfigDir, shell.CLAUDE_CONFIG_DIR?.trim() ? 'CLAUDE_CONFIG_DIR' : undefined);
  const managedDir = options.managedDir ?? (shell.BCODE_MANAGED_SETTINGS_DIR?.trim() || DEFAULT_MANAGED_DIR);
  const flags = options.flags;
  const verbose = flags.verbose === true;

  // 1. Settings files: every file is parsed and validated before anything else is looked at.
  const { layers, projectRoot } = await discover({ cwd, userConfigDir, managedDir, settingsFlag: flags.settings, flagLayers: flagLayers(flags), settingSources: flags.settingSources });
  const settings = mergeLayers(layers);
  const warnings = settingsWarnings(layers, verbose);
  const sources: Record<string, string> = {};

  // 2. The environment bcode reads: shell over settings `env` (B8).
  const env = new EffectiveEnv(shell, layers);
  checkBedrockSwitch(env);
  let region: string;
  let missingRegion: Config['missingRegion'];
  try {
    region = resolveRegion(env, homeDir);
  } catch (err) {
    if (!(options.tolerateMissingRegion && err instanceof ConfigError && env.get('AWS_REGION') === undefined)) throw err;
    missingRegion = { message: err.message, hint: err.hint };
    region = '';
  }
  const endpointFor = (r: string) => (r === '' ? NEEDS_REGION : runtimeEndpoint(r));
  sources.region = env.source('AWS_REGION');

  // 3. Endpoints and authentication.
  const baseUrlRaw = env.get('ANTHROPIC_BEDROCK_BASE_URL');
  const baseUrl = baseUrlRaw === undefined ? undefined : about(env, 'ANTHROPIC_BEDROCK_BASE_URL', () => parseBaseUrl('ANTHROPIC_BEDROCK_BASE_URL', baseUrlRaw));
  const endpointSource = baseUrl ? env.source('ANTHROPIC_BEDROCK_BASE_URL') : 'default';
  const mainEndpoint = baseUrl ?? endpointFor(region);
  sources.endpoint = endpointSource;
  sources.controlEndpoint = endpointSource;
  sources.customEndpoint = endpointSource;

  const skipAuth = parseFlagVar(env, 'CLAUDE_CODE_SKIP_BEDROCK_AUTH') === true;
  const bearer = env.get('AWS_BEARER_TOKEN_BEDROCK');
  if (bearer !== undefined) {
    addSecret(bearer);
    // The token goes into a header as is; whitespace inside means a bad copy-paste. Never quoted.
    if (/\s/.test(bearer)) throw new ConfigError(`AWS_BEARER_TOKEN_BEDROCK contains whitespace${env.where('AWS_BEARER_TOKEN_BEDROCK')}`, { hint: 'copy the Bedrock API key again, without spaces or line breaks' });
  }
  const auth: Config['auth'] = skipAuth ? { mode: 'none' } : bearer !== undefined ? { mode: 'bearer', bearerToken: bearer } : { mode: 'sigv4' };
  sources['auth.mode'] = skipAuth ? env.source('CLAUDE_CODE_SKIP_BEDROCK_AUTH') : bearer !== undefined ? env.source('AWS_BEARER_TOKEN_BEDROCK') : 'default';
  if (auth.mode === 'bearer') sources['auth.bearerToken'] = env.source('AWS_BEARER_TOKEN_BEDROCK');
  if (skipAuth && bearer !== undefined) warnings.push('AWS_BEARER_TOKEN_BEDROCK is ignored because CLAUDE_CODE_SKIP_BEDROCK_AUTH is set');
  const profile = env.get('AWS_PROFILE');
  if (auth.mode === 'sigv4' && profile !== undefined) {
    auth.profile = profile;
    sources['auth.profile'] = env.source('AWS_PROFILE');
  }

  // 4. Models (B9, B10, B11).
  const smallFastRegionRaw = env.get('ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION');
  const smallFastRegion = smallFastRegionRaw === undefined ? region : about(env, 'ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION', () => checkRegion('ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION', smallFastRegionRaw));

  const prefixName = 'ANTHROPIC_BEDROCK_REGION_PREFIX';
  const regionPrefix = env.get(prefixName)?.toLowerCase();
  if (regionPrefix !== undefined && !REGION_PREFIX_VALUES.includes(regionPrefix)) {
    throw new ConfigError(`${prefixName} must be one of ${REGION_PREFIX_VALUES.join(', ')}, got '${echoValue(env.get(prefixName) ?? '')}'${env.where(prefixName)}`, {
      hint: `e.g. export ${prefixName}=global, or unset it to follow AWS_REGION`,
    });
  }
  const builtInSource = regionPrefix === undefined ? 'default' : env.source(prefixName);

  const aliasTargets = {} as Record<AliasName, ResolvedModel>;
  const explicitAlias = {} as Record<AliasName, boolean>;
  for (const alias of ALIAS_NAMES) {
    const name = `ANTHROPIC_DEFAULT_${alias.toUpperCase()}_MODEL`;
    const raw = env.get(name);
    if (raw !== undefined) {
      const spec = about(env, name, () => parseModelSpec(name, raw, { allowAlias: false }));
      aliasTargets[alias] = { id: spec.value, source: env.source(name) };
      if (spec.dropped1m) aliasTargets[alias].asked1m = name;
      explicitAlias[alias] = true;
    } else {
      aliasTargets[alias] = { id: builtInAliasTarget(alias, region, regionPrefix), source: builtInSource };
      explicitAlias[alias] = false;
    }
    sources[`models.aliases.${alias}`] = aliasTargets[alias].source;
  }

  const resolveSpec = (label: string, raw: string, source: string, fallback: () => ResolvedModel): ResolvedModel => {
    const spec = parseModelSpec(label, raw, { allowAlias: true });
    const asked = (m: ResolvedModel): ResolvedModel => (spec.dropped1m ? { ...m, asked1m: label } : m);
    if (spec.kind === 'default') return asked(fallback());
    if (spec.kind === 'alias') {
      const target = aliasTargets[spec.value as AliasName];
      const resolved: ResolvedModel = { id: target.id, source: `${source}, alias ${spec.value} → ${target.source === 'default' ? 'built-in' : target.source}` };
      if (target.asked1m) resolved.asked1m = target.asked1m;
      return asked(resolved);
    }
    return asked({ id: spec.value, source });
  };

  const mainDefault = (): ResolvedModel => ({ id: defaultMainModel(region, regionPrefix), source: builtInSource });
  let main: ResolvedModel;
  const modelLayer = layerSetting(layers, ['model']);
  if (flags.model !== undefined) main = resolveSpec('--model', flags.model, 'flag:--model', mainDefault);
  else if (env.get('ANTHROPIC_MODEL') !== undefined) main = about(env, 'ANTHROPIC_MODEL', () => resolveSpec('ANTHROPIC_MODEL', env.get('ANTHROPIC_MODEL') as string, env.source('ANTHROPIC_MODEL'), mainDefault));
  else if (modelLayer) main = resolveSpec(`${modelLayer.origin}: model`, String(modelLayer.data.model), layerSource(modelLayer), mainDefault);
  else main = mainDefault();

  // Without an explicit choice, the small/fast model is the haiku alias; when that is built in it
  // is computed for the small/fast region so the profile prefix matches where the call goes.
  const smallDefault = (): ResolvedModel =>
    explicitAlias.haiku ? aliasTargets.haiku : { id: builtInAliasTarget('haiku', smallFastRegion, regionPrefix), source: builtInSource };
  const smallRaw = env.get('ANTHROPIC_SMALL_FAST_MODEL');
  const small = smallRaw === undefined ? smallDefault() : about(env, 'ANTHROPIC_SMALL_FAST_MODEL', () => resolveSpec('ANTHROPIC_SMALL_FAST_MODEL', smallRaw, env.source('ANTHROPIC_SMALL_FAST_MODEL'), smallDefault));

  const mainTarget: ModelTarget = { id: main.id, region, endpoint: mainEndpoint };
  const smallTarget: ModelTarget = { id: small.id, region: smallFastRegion, endpoint: baseUrl ?? endpointFor(smallFastRegion) };
  for (const [target, model] of [[mainTarget, main], [smallTarget, small]] as const) {
    if (!model.asked1m) continue;
    const problem = longContextProblem(model.id, model.asked1m);
    if (problem) warnings.push(problem);
    else target.longContext = true;
  }
  sources['models.main'] = main.source;
  sources['models.main.region'] = sources.region;
  sources['models.smallFast'] = small.source;
  sources['models.smallFast.region'] = smallFastRegionRaw === undefined ? sources.region : env.source('ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION');
  for (const [role, target] of [['main', mainTarget], ['small/fast', smallTarget]] as const) {
    const inArn = arnRegion(target.id);
    if (inArn && inArn !== target.region) warnings.push(`the ${role} model ARN names region ${inArn}, but its requests go to ${target.region}`);
  }

  // 5. Request shaping (B12, B13, B14) and timeouts.
  const maxOutputRaw = parseWholeVar(env, 'CLAUDE_CODE_MAX_OUTPUT_TOKENS', { min: 1, example: '4096' });
  let maxOutputTokens = maxOutputRaw ?? DEFAULT_MAX_OUTPUT_TOKENS;
  sources.maxOutputTokens = maxOutputRaw === undefined ? 'default' : env.source('CLAUDE_CODE_MAX_OUTPUT_TOKENS');
  const thinkingBudget = resolveThinking(env, maxOutputTokens, maxOutputRaw !== undefined);
  // A thinking budget at or above the default limit, with no limit chosen: the answer still gets the default's room.
  if (maxOutputRaw === undefined && thinkingBudget !== undefined && thinkingBudget >= maxOutputTokens) {
    maxOutputTokens = thinkingBudget + DEFAULT_MAX_OUTPUT_TOKENS;
    sources.maxOutputTokens = `default (MAX_THINKING_TOKENS + ${DEFAULT_MAX_OUTPUT_TOKENS})`;
  }
  sources.thinkingBudget = env.get('MAX_THINKING_TOKENS') === undefined ? 'default' : env.source('MAX_THINKING_TOKENS');

  const headersRaw = env.raw('ANTHROPIC_CUSTOM_HEADERS');
  const customHeaders = headersRaw === undefined ? {} : about(env, 'ANTHROPIC_CUSTOM_HEADERS', () => parseCustomHeaders(headersRaw, { authSkipped: skipAuth }));
  sources.customHeaders = headersRaw === undefined ? 'default' : env.source('ANTHROPIC_CUSTOM_HEADERS');

  const cachingOff = parseFlagVar(env, 'DISABLE_PROMPT_CACHING');
  sources.promptCaching = cachingOff === undefined ? 'default' : env.source('DISABLE_PROMPT_CACHING');

  // A9: automatic compaction. The window override has a floor so that a summary still fits.
  const compactPct = parseWholeVar(env, 'CLAUDE_AUTOCOMPACT_PCT_OVERRIDE', { min: 1, max: 100, example: '80' });
  // bcode's own name wins over the reference product's when both are set.
  const windowVar = env.raw('BCODE_AUTO_COMPACT_WINDOW') !== undefined ? 'BCODE_AUTO_COMPACT_WINDOW' : 'CLAUDE_CODE_AUTO_COMPACT_WINDOW';
  const compactWindow = parseWholeVar(env, windowVar, { min: 4096, example: '100000' });
  const compactLayer = layerSetting(layers, ['autoCompactEnabled']);
  const autoCompact: NonNullable<Config['autoCompact']> = { enabled: compactLayer ? compactLayer.data.autoCompactEnabled !== false : true };
  if (compactPct !== undefined) autoCompact.pct = compactPct;
  if (compactWindow !== undefined) autoCompact.window = compactWindow;
  sources.autoCompact = compactLayer ? layerSource(compactLayer) : compactPct !== undefined ? env.source('CLAUDE_AUTOCOMPACT_PCT_OVERRIDE') : compactWindow !== undefined ? env.source(windowVar) : 'default';

  const timeoutRaw = parseWholeVar(env, 'API_TIMEOUT_MS', { min: 1, max: MAX_TIMER_MS, example: '600000' });
  // Read by the credential layer; checked here so that a bad value stops bcode before any request.
  parseWholeVar(env, 'CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS', { min: 1, max: MAX_TIMER_MS, example: '60000' });
  parseFlagVar(env, 'CLAUDE_CODE_SKIP_AWS_CRED_CACHE');
  sources.apiTimeoutMs = timeoutRaw === undefined ? 'default' : env.source('API_TIMEOUT_MS');

  const resilience = resolveResilience({
    layers,
    env,
    fallbackFlag: flags.fallbackModel,
    sources,
    resolveModel: (label, raw, source) => resolveSpec(label, raw, source, mainDefault).id,
  });

  // 6. Settings-only values.
  const stringSetting = (key: string): string | undefined => {
    const layer = layerSetting(layers, [key]);
    if (!layer) return undefined;
    sources[key] = layerSource(layer);
    const v = String(layer.data[key]).trim();
    return v === '' ? undefined : v;
  };
  const awsAuthRefresh = stringSetting('awsAuthRefresh');
  const awsCredentialExport = stringSetting('awsCredentialExport');
  const permissions = resolvePermissions(settings, layers, sources);
  // B21/B25/B29: service tiers, request metadata, pricing, telemetry (src/config/enterprise.ts).
  const enterprise = resolveEnterprise(env.values, settings);
  for (const { name } of KNOWN_ENV) if (env.values[name] !== undefined) sources[`env.${name}`] = env.source(name);

  const config: Config = {
    cwd,
    projectRoot,
    region,
    controlEndpoint: baseUrl ?? (region === '' ? NEEDS_REGION : controlEndpoint(region)),
    customEndpoint: baseUrl !== undefined,
    auth,
    models: {
      main: mainTarget,
      smallFast: smallTarget,
      aliases: { haiku: aliasTargets.haiku.id, sonnet: aliasTargets.sonnet.id, opus: aliasTargets.opus.id },
      ...(resilience.failover ? { failover: resilience.failover } : {}),
    },
    maxOutputTokens,
    thinkingBudget,
    customHeaders,
    promptCaching: cachingOff !== true,
    autoCompact,
    apiTimeoutMs: timeoutRaw ?? DEFAULT_API_TIMEOUT_MS,
    ...(resilience.streamIdleTimeoutMs !== undefined ? { streamIdleTimeoutMs: resilience.streamIdleTimeoutMs } : {}),
    ...(resilience.guardrails ? { guardrails: resilience.guardrails } : {}),
    ...(resilience.subagents ? { subagents: resilience.subagents } : {}),
    awsAuthRefresh,
    awsCredentialExport,
    permissions,
    enterprise,
    settings,
    env: { ...env.values },
    sources,
    settingsFiles: layers.filter((l) => !l.origin.startsWith('flag:')).map((l) => ({ scope: l.scope, path: l.origin })),
    hookLayers: layers
      .filter((l) => l.data.hooks !== undefined || l.data.disableAllHooks !== undefined || l.data.allowManagedHooksOnly !== undefined)
      .map((l) => ({ scope: l.scope, origin: l.origin, hooks: l.data.hooks, disableAllHooks: l.data.disableAllHooks, allowManagedHooksOnly: l.data.allowManagedHooksOnly })),
    trustEnv: { HOME: shell.HOME, CLAUDE_CONFIG_DIR: shell.CLAUDE_CONFIG_DIR, BCODE_TRUST_PROJECT: shell.BCODE_TRUST_PROJECT },
    verbose,
    debug: flags.debug === true,
    mcp: { flagServers: flags.mcpServers ?? [], strict: flags.strictMcpConfig === true, layers: layers.map((l) => ({ scope: l.scope, origin: l.origin, data: l.data })) },
  };
  if (config.awsAuthRefresh === undefined) delete config.awsAuthRefresh;
  if (config.awsCredentialExport === undefined) delete config.awsCredentialExport;
  if (config.thinkingBudget === undefined) delete config.thinkingBudget;
  if (missingRegion) config.missingRegion = missingRegion;
  return { config: deepFreeze(config), warnings };
}

/** Why a `[1m]` suffix cannot be honoured, for a model the table knows lacks the 1M window. */
function longContextProblem(id: string, label: string): string | undefined {
  const caps = capabilitiesOf(id);
  if (!caps || caps.longContextBeta) return undefined;
  return `the [1m] suffix in ${label} asks for the 1M-token context window, which ${caps.name} does not have on Bedrock; using its ${caps.contextWindow / 1000}k window`;
}

function resolveThinking(env: EffectiveEnv, maxOutputTokens: number, maxFromEnv: boolean): number | undefined {
  const name = 'MAX_THINKING_TOKENS';
  const v = env.get(name);
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new ConfigError(`${name} must be a whole number (0 = no thinking, or ${MIN_THINKING_BUDGET} or more), got '${echoValue(v)}'${env.where(name)}`, { hint: `e.g. export ${name}=${MIN_THINKING_BUDGET}` });
  }
  if (n === 0) return undefined;
  if (n < MIN_THINKING_BUDGET) {
    throw new ConfigError(`${name} must be 0 or at least ${MIN_THINKING_BUDGET} (Bedrock's smallest thinking budget), got ${n}${env.where(name)}`, { hint: `export ${name}=${MIN_THINKING_BUDGET}, or 0 to turn thinking off` });
  }
  if (n >= maxOutputTokens && maxFromEnv) {
    const max = `CLAUDE_CODE_MAX_OUTPUT_TOKENS (${maxOutputTokens})`;
    throw new ConfigError(`${name} (${n}) must be less than ${max}${env.where(name)}`, { hint: 'the thinking budget is part of max_tokens: raise CLAUDE_CODE_MAX_OUTPUT_TOKENS or lower MAX_THINKING_TOKENS' });
  }
  return n;
}

function resolvePermissions(settings: Record<string, unknown>, layers: readonly SettingsLayer[], sources: Record<string, string>): PermissionSettings {
  const p = (settings.permissions ?? {}) as Record<string, unknown>;
  const list = (key: 'allow' | 'ask' | 'deny' | 'additionalDirectories'): string[] => {
    const from = layersSetting(layers, ['permissions', key]);
    if (from.length) sources[`permissions.${key}`] = from.map(layerSource).join(', ');
    return Array.isArray(p[key]) ? (p[key] as string[]) : [];
  };
  const out: PermissionSettings = { allow: list('allow'), ask: list('ask'), deny: list('deny'), additionalDirectories: list('additionalDirectories') };
  const modeLayer = layerSetting(layers, ['permissions', 'defaultMode']);
  if (modeLayer) {
    out.defaultMode = p.defaultMode as PermissionSettings['defaultMode'];
    sources['permissions.defaultMode'] = layerSource(modeLayer);
  }
  return out;
}

/**
 * The user config directory holds settings and session transcripts: it must be a directory (or
 * not exist yet). A file there, or a file on its path, is a configuration error named now, not a
 * failure to save the first transcript line later.
 */
function checkConfigDir(dir: string, variable: string | undefined): void {
  let problem: string | undefined;
  try {
    if (!statSync(dir).isDirectory()) problem = 'is a file, not a directory';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') problem = 'is not a directory: part of its path is a file';
  }
  if (!problem) return;
  const what = variable ? `${variable} (${dir})` : dir;
  throw new ConfigError(`${what} ${problem}`, {
    hint: variable ? `point ${variable} at a directory (it is created if missing), or unset it to use ~/.claude` : `move the file ${dir} away; bcode keeps settings and sessions in that directory`,
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
