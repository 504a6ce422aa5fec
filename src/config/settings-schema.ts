import { z } from 'zod';
import { PERMISSION_MODES } from './settings-keys.js';

export * from './settings-keys.js';

/**
 * The settings keys bcode reads, validated per file before any merge so that an error can name
 * the file it is in. Each schema's `error` text is the "expected …" half of the one-line message;
 * the "found …" half is computed from the input (see describeFound).
 */
const str = (what = 'a string') => z.string({ error: what });
const strArray = z.array(str(), { error: 'an array of strings' });
const MS = 'a positive whole number of milliseconds, at most 2147483647 (about 24.8 days)';
// A Node timer holds at most 2^31 − 1 ms; a longer one fires at once, with a warning on the terminal.
const positiveMs = () => z.number({ error: MS }).int({ error: MS }).positive({ error: MS }).max(2_147_483_647, { error: MS });


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

const bool = () => z.boolean({ error: 'true or false' });
const FAILURES = 'a whole number of failed attempts from 1 to 20';
const COOLDOWN = 'a number of seconds from 0 to 86400';
const TAG_SUFFIX = '1 to 20 letters or digits (Bedrock\'s tagSuffix)';
const failoverList = z.array(z.string({ error: 'a model id' }).trim().min(1, { error: 'a non-empty model id' }), { error: 'an array of model ids' }).min(1, { error: 'at least one model id' }).max(10, { error: 'at most 10 model ids' });
const sandboxSchema = z.looseObject(
  {
    enabled: bool().optional(),
    failIfUnavailable: bool().optional(),
    autoAllowBashIfSandboxed: bool().optional(),
    allowUnsandboxedCommands: bool().optional(),
    excludedCommands: strArray.optional(),
    network: z.looseObject({ allowedDomains: strArray.optional(), allowAllUnixSockets: bool().optional() }, { error: 'an object' }).optional(),
    filesystem: z.looseObject({ allowWrite: strArray.optional(), denyWrite: strArray.optional(), denyRead: strArray.optional() }, { error: 'an object' }).optional(),
  },
  { error: 'an object' },
);

// Hooks (docs/hooks.md): the reference product's shape. Event names and hook types bcode does not
// run are accepted here (a settings file is shared with the reference product) and named in a
// warning by src/extensions/hooks/config.ts, never dropped silently.
const HOOK_TIMEOUT = 'a positive number of seconds, at most 86400';
const hookEntrySchema = z
  .looseObject(
    {
      type: str(),
      command: str().optional(),
      timeout: z.number({ error: HOOK_TIMEOUT }).positive({ error: HOOK_TIMEOUT }).max(86_400, { error: HOOK_TIMEOUT }).optional(),
    },
    { error: 'an object with type and command' },
  )
  .refine((h) => h.type !== 'command' || (typeof h.command === 'string' && h.command.trim() !== ''), { error: 'a command hook with a non-empty command' });
const hookGroupSchema = z.looseObject({ matcher: str().optional(), hooks: z.array(hookEntrySchema, { error: 'an array of hooks' }) }, { error: 'an object with matcher and hooks' });
const hooksSchema = z.record(z.string(), z.array(hookGroupSchema, { error: 'an array of matcher groups' }), { error: 'an object of hook events' });
const RATE = 'a number of dollars per million tokens, ≥ 0';
const rate = () => z.number({ error: RATE }).nonnegative({ error: RATE }).finite({ error: RATE });
const priceSchema = z.strictObject({ input: rate(), output: rate(), cacheRead: rate().optional(), cacheWrite: rate().optional(), cacheWrite1h: rate().optional() }, { error: 'an object { input, output, cacheRead?, cacheWrite?, cacheWrite1h? }' });

// Numbers and booleans are accepted in `env` and turned into strings: `"DISABLE_PROMPT_CACHING": 1`
// is a natural thing to write and means the same as "1".
const envValue = z.union([z.string(), z.number(), z.boolean()], { error: 'a string' });

/** One entry of allowedMcpServers / deniedMcpServers: exactly one of the three ways to name a server. */
const mcpPolicyEntry = z.union(
  [z.strictObject({ serverName: str() }), z.strictObject({ serverCommand: z.array(str(), { error: 'an array of strings' }).min(1, { error: 'a non-empty array' }) }), z.strictObject({ serverUrl: str() })],
  { error: 'an object with one of serverName, serverCommand or serverUrl' },
);

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
  autoCompactEnabled: z.boolean({ error: 'true or false' }).optional(),
  sandbox: sandboxSchema.optional(),
  hooks: hooksSchema.optional(),
  disableAllHooks: bool().optional(),
  allowManagedHooksOnly: bool().optional(),
  statusLine: z.looseObject({ type: z.literal('command', { error: "'command'" }), command: str(), padding: z.number({ error: 'a number' }).int({ error: 'a whole number' }).min(0, { error: 'at least 0' }).max(20, { error: 'at most 20' }).optional() }, { error: 'an object' }).optional(),
  // B21, B25, B29 (docs/monitoring.md, docs/usage.md).
  otelHeadersHelper: str().optional(),
  bedrockRequestMetadata: z.union([z.boolean(), z.record(z.string(), z.string())], { error: 'true, or an object of string values' }).optional(),
  backgroundServiceTier: z.enum(['default', 'priority', 'flex'], { error: 'one of default, priority, flex' }).optional(),
  pricing: z.record(z.string(), priceSchema, { error: 'an object: model → { input, output, cacheRead?, cacheWrite?, cacheWrite1h? } in dollars per million tokens' }).optional(),
  // Failover (B24, docs/resilience.md): the reference's single fallback, and bcode's ordered list.
  fallbackModel: z.string({ error: 'a model id, inference profile id, ARN or alias' }).trim().min(1, { error: 'a model id, inference profile id, ARN or alias' }).optional(),
  modelFailover: z
    .union(
      [
        failoverList,
        z.strictObject(
          {
            models: failoverList,
            afterFailures: z.number({ error: FAILURES }).int({ error: FAILURES }).min(1, { error: FAILURES }).max(20, { error: FAILURES }).optional(),
            cooldownSeconds: z.number({ error: COOLDOWN }).min(0, { error: COOLDOWN }).max(86_400, { error: COOLDOWN }).optional(),
          },
          { error: 'an object with models, afterFailures, cooldownSeconds' },
        ),
      ],
      { error: 'a list of model ids, or { "models": [...], "afterFailures": n, "cooldownSeconds": n }' },
    )
    .optional(),
  // Guardrail-aware sessions (B26): wrap what the user typed in Bedrock's guard-content tags.
  guardrails: z
    .strictObject(
      {
        tagUserInput: z.boolean({ error: 'true or false' }).optional(),
        tagSuffix: z.string({ error: TAG_SUFFIX }).regex(/^[A-Za-z0-9]{1,20}$/, { error: TAG_SUFFIX }).optional(),
      },
      { error: 'an object with tagUserInput, tagSuffix' },
    )
    .optional(),
  // B23: sub-agents of one session at once (docs/resilience.md).
  subagentConcurrency: z.number({ error: 'a whole number from 1 to 16' }).int({ error: 'a whole number from 1 to 16' }).min(1, { error: 'a whole number from 1 to 16' }).max(16, { error: 'a whole number from 1 to 16' }).optional(),
  // MCP (src/extensions/mcp): each server entry's own shape is checked when it starts (a bad one
  // is reported by name and skipped, the session goes on).
  mcpServers: z.record(z.string(), z.looseObject({}, { error: 'an object (a server entry)' }), { error: 'an object keyed by server name' }).optional(),
  enableAllProjectMcpServers: z.boolean({ error: 'true or false' }).optional(),
  enabledMcpjsonServers: strArray.optional(),
  disabledMcpjsonServers: strArray.optional(),
  allowedMcpServers: z.array(mcpPolicyEntry, { error: 'an array of {"serverName": …}, {"serverCommand": […]} or {"serverUrl": …} entries' }).optional(),
  deniedMcpServers: z.array(mcpPolicyEntry, { error: 'an array of {"serverName": …}, {"serverCommand": […]} or {"serverUrl": …} entries' }).optional(),
});

export type SettingsFile = z.infer<typeof settingsFileSchema>;
