/**
 * The settings keys bcode knows, without the validation schema (settings-schema.ts), so that
 * start-up loads zod only when there is a settings file to check.
 */
export const PERMISSION_MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions'] as const;

/** Top-level keys bcode acts on; anything else is kept in `Config.settings` but has no effect here. */
export const IMPLEMENTED_KEYS = new Set([
  '$schema',
  'model',
  'env',
  'permissions',
  'awsAuthRefresh',
  'awsCredentialExport',
  'awsAuthRefreshTimeoutMs',
  'awsCredentialExportTimeoutMs',
  'passAwsCredentialsToTools',
  'sandbox',
  'autoCompactEnabled',
  'statusLine',
  // Hooks (src/extensions/hooks, docs/hooks.md).
  'hooks',
  'disableAllHooks',
  'allowManagedHooksOnly',
  // B21, B25, B29 (src/config/enterprise.ts, src/telemetry, src/usage).
  'otelHeadersHelper',
  'bedrockRequestMetadata',
  'backgroundServiceTier',
  'pricing',
  'fallbackModel',
  'modelFailover',
  'guardrails',
  'subagentConcurrency',
  'mcpServers',
  'enableAllProjectMcpServers',
  'enabledMcpjsonServers',
  'disabledMcpjsonServers',
  'allowedMcpServers',
  'deniedMcpServers',
]);

/** Keys inside `sandbox` bcode acts on (`network` only for allowedDomains, see docs/permissions.md). */
export const IMPLEMENTED_SANDBOX_KEYS = new Set(['enabled', 'failIfUnavailable', 'excludedCommands', 'filesystem', 'network']);
/** Keys inside `sandbox.network` and `sandbox.filesystem` bcode acts on. */
export const IMPLEMENTED_SANDBOX_SUBKEYS: Record<string, Set<string>> = {
  network: new Set(['allowedDomains', 'allowAllUnixSockets']),
  filesystem: new Set(['allowWrite', 'denyWrite', 'denyRead']),
};

/** Keys inside `permissions` bcode acts on. */
export const IMPLEMENTED_PERMISSION_KEYS = new Set(['allow', 'ask', 'deny', 'additionalDirectories', 'defaultMode']);

/**
 * Keys the reference product documents that bcode does not act on (yet). They are valid in a
 * settings file shared between the two tools, so they are mentioned only with --verbose.
 */
export const DOCUMENTED_NOT_IMPLEMENTED = new Set([
  'apiKeyHelper',
  'alwaysThinkingEnabled',
  'attribution',
  'autoUpdates',
  'availableModels',
  'awsRegion',
  'cleanupPeriodDays',
  'companyAnnouncements',
  'enabledPlugins',
  'extraKnownMarketplaces',
  'fileSuggestion',
  'forceLoginMethod',
  'forceLoginOrgUUID',
  'includeCoAuthoredBy',
  'includeGitInstructions',
  'language',
  'modelOverrides',
  'outputStyle',
  'plansDirectory',
  'respectGitignore',
  'spinnerTipsEnabled',
  'subagentStatusLine',
  'theme',
  'verbose',
]);

export const DOCUMENTED_NOT_IMPLEMENTED_PERMISSIONS = new Set(['disableBypassPermissionsMode']);
