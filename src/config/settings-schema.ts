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
  statusLine: z.looseObject({ type: z.literal('command', { error: "'command'" }), command: str() }, { error: 'an object' }).optional(),
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
