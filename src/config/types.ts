/**
 * The one frozen Config that `config.load()` produces. Every later layer reads this, never
 * process.env directly, so that all validation happens up front (before any request) and
 * `--print-config` / `doctor` can show where each value came from.
 */

/** Where a value came from, e.g. `env:AWS_REGION`, `settings:/home/u/.claude/settings.json`, `flag:--model`, `default`. */
export type ValueSource = string;

export type AuthMode = 'sigv4' | 'bearer' | 'none';

export interface ModelTarget {
  /** As sent in the request path (before URL encoding): foundation id, profile id or ARN. */
  id: string;
  /** Region the call is signed for and sent to. */
  region: string;
  /** Runtime endpoint for that region (ANTHROPIC_BEDROCK_BASE_URL when set). */
  endpoint: string;
  /** The user asked for the 1M-token window (`[1m]`) and the model has it (B22). */
  longContext?: boolean;
}

export interface PermissionSettings {
  allow: string[];
  ask: string[];
  deny: string[];
  additionalDirectories: string[];
  defaultMode?: 'default' | 'acceptEdits' | 'plan' | 'bypassPermissions';
}

export interface Config {
  cwd: string;
  projectRoot: string;
  region: string;
  /** Control-plane endpoint (ListInferenceProfiles …) for the main region. */
  controlEndpoint: string;
  /** True when ANTHROPIC_BEDROCK_BASE_URL was set. */
  customEndpoint: boolean;
  auth: {
    mode: AuthMode;
    /** Present only in bearer mode. A secret: never print it. */
    bearerToken?: string;
    profile?: string;
  };
  models: {
    main: ModelTarget;
    smallFast: ModelTarget;
    aliases: { haiku: string; sonnet: string; opus: string };
    /** Failover (B24): `modelFailover` / `--fallback-model`, ids resolved like the main model. Absent = none. */
    failover?: { models: string[]; afterFailures: number; cooldownMs: number };
  };
  maxOutputTokens: number;
  /** undefined = extended thinking off. */
  thinkingBudget?: number;
  customHeaders: Record<string, string>;
  promptCaching: boolean;
  /**
   * Automatic compaction (A9): `autoCompactEnabled`, CLAUDE_AUTOCOMPACT_PCT_OVERRIDE,
   * BCODE_AUTO_COMPACT_WINDOW. Absent (hand-built configs) = on with the default threshold.
   */
  autoCompact?: { enabled: boolean; pct?: number; window?: number };
  apiTimeoutMs: number;
  /** Stream watchdog (B28): BCODE_STREAM_IDLE_TIMEOUT_MS; absent = the default (60 s). */
  streamIdleTimeoutMs?: number;
  /** Guardrail-aware sessions (B26): the `guardrails` setting. Absent = no tagging. */
  guardrails?: { tagUserInput: boolean; tagSuffix: string };
  /** B23: sub-agents at once (`subagentConcurrency`) and the cool-down after a throttle. Absent (hand-built configs) = the defaults. */
  subagents?: { concurrency: number; cooldownMs: number };
  awsAuthRefresh?: string;
  awsCredentialExport?: string;
  permissions: PermissionSettings;
  /** Service tiers, request metadata, pricing overrides, telemetry (src/config/enterprise.ts). Absent in hand-built configs. */
  enterprise?: import('./enterprise.js').EnterpriseSettings;
  /** The merged settings object as read (unknown keys kept). */
  settings: Record<string, unknown>;
  /** Effective environment: process env over settings `env`. Contains secrets: never print it whole. */
  env: Record<string, string>;
  /** Source of each top-level value above, keyed by field path (`region`, `models.main`, …). */
  sources: Record<string, ValueSource>;
  /** The settings files that were read, highest precedence first (`--settings` inline JSON shows as `--settings`). */
  settingsFiles?: Array<{ scope: 'managed' | 'flag' | 'local' | 'project' | 'user'; path: string }>;
  /**
   * The settings files that speak about hooks, highest precedence first, kept apart because
   * whether a hook runs depends on its file's scope (folder trust, allowManagedHooksOnly).
   */
  hookLayers?: HookLayer[];
  /**
   * HOME, CLAUDE_CONFIG_DIR and BCODE_TRUST_PROJECT as the shell set them (never from settings
   * `env`): where folder trust is read (src/config/trust.ts). A project cannot trust itself.
   */
  trustEnv?: Record<string, string | undefined>;
  verbose: boolean;
  debug: boolean;
  /**
   * MCP (src/extensions/mcp): the servers of `--mcp-config`, `--strict-mcp-config`, and each
   * settings layer by scope (a project's shared files may not approve their own servers).
   */
  mcp?: {
    flagServers: Array<{ origin: string; servers: Record<string, unknown> }>;
    strict: boolean;
    layers: Array<{ scope: 'managed' | 'flag' | 'local' | 'project' | 'user'; origin: string; data: Record<string, unknown> }>;
  };
  /**
   * Set only by `loadConfig({ tolerateMissingRegion: true })` (--print-config, doctor) when
   * AWS_REGION is not set: `region` is then '' and the endpoints name the missing variable.
   */
  missingRegion?: { message: string; hint?: string };
}

/** One settings file's hook keys (src/extensions/hooks decides which hooks run). */
export interface HookLayer {
  scope: 'managed' | 'flag' | 'local' | 'project' | 'user';
  origin: string;
  hooks?: unknown;
  disableAllHooks?: unknown;
  allowManagedHooksOnly?: unknown;
}
