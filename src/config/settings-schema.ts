import { z } from 'zod';

/**
 * The settings keys bcode reads, validated per file before any merge so that an error can name
 * the file it is in. Each schema's `error` text is the "expected …" half of the one-line message;
 * the "found …" half is computed from the input (see describeFound).
 */
const str = (what = 'a string') => z.string({ error: what });
const strArray = z.array(str(), { error: 'an array of strings' });
const MS = 'a positive whole number of milliseconds';
const positiveMs = () => z.number({ error: MS }).int({ error: MS }).positive({ error: MS });

export const PERMISSION_MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions'] as const;

const permissionsSchema = z.looseObject(
  {
    allow: strArray.optional(),
    ask: strArray.optional(),
    deny: strArray.optional(),
    additionalDirectories: strArray.optional(),
    defaultMode: z.enum(PERMISSION_MODES, { error: `one of ${PERMISSION_MODES.join(', ')}` }).optional(),
  },
  { error: 'an object' },
);

// Numbers and booleans are accepted in `env` and turned into strings: `"DISABLE_PROMPT_CACHING": 1`
// is a natural thing to write and means the same as "1".
const envValue = z.union([z.string(), z.number(), z.boolean()], { error: 'a string' });

export const settingsFileSchema = z.looseObject({
  $schema: str().optional(),
  model: str().optional(),
  env: z.record(z.string(), envValue, { error: 'an object of string values' }).optional(),
  permissions: permissionsSchema.optional(),
  awsAuthRefresh: str().optional(),
  awsCredentialExport: str().optional(),
  // Credential layer (docs/credentials.md).
  awsAuthRefreshTimeoutMs: positiveMs().optional(),
  awsCredentialExportTimeoutMs: positiveMs().optional(),
  passAwsCredentialsToTools: z.boolean({ error: 'true or false' }).optional(),
});

export type SettingsFile = z.infer<typeof settingsFileSchema>;

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
]);

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
  'disableAllHooks',
  'disabledMcpjsonServers',
  'enableAllProjectMcpServers',
  'enabledMcpjsonServers',
  'allowedMcpServers',
  'deniedMcpServers',
  'enabledPlugins',
  'extraKnownMarketplaces',
  'fallbackModel',
  'fileSuggestion',
  'forceLoginMethod',
  'forceLoginOrgUUID',
  'hooks',
  'includeCoAuthoredBy',
  'includeGitInstructions',
  'language',
  'mcpServers',
  'modelOverrides',
  'otelHeadersHelper',
  'outputStyle',
  'plansDirectory',
  'respectGitignore',
  'sandbox',
  'spinnerTipsEnabled',
  'statusLine',
  'subagentStatusLine',
  'theme',
  'verbose',
]);

export const DOCUMENTED_NOT_IMPLEMENTED_PERMISSIONS = new Set(['disableBypassPermissionsMode']);
