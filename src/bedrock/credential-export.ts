/**
 * `awsCredentialExport` (B6): a shell command that prints credentials as JSON. Its output is
 * captured silently — never shown, logged or quoted in errors — and every value obtained is
 * registered for redaction. Its stderr is discarded for the same reason: exporters have been
 * known to print the credentials there too; the error hint tells the user to run the command
 * in a terminal to see what it says.
 */
import type { AwsCredentials } from './credentials-types.js';
import { CredentialExportError, quoteCommand } from './credential-errors.js';
import { describeExit, runShellCommand } from './shell-command.js';
import { addSecret } from '../util/redact.js';

export const DEFAULT_EXPORT_TIMEOUT_MS = 5 * 60_000;
export const EXPORT_TIMEOUT_SETTING = 'awsCredentialExportTimeoutMs';

export interface ExportOptions {
  command: string;
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** Kills the command when aborted. */
  signal?: AbortSignal;
}

const FORMAT_HINT =
  'it must print {"Credentials":{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…}} or the credential_process shape {"Version":1,"AccessKeyId":…,"SecretAccessKey":…}';
const RUN_IT_HINT = 'run the command in a terminal to see its output (bcode never shows it, as it may contain secrets)';

function isWholeJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Runs the command and parses its output into credentials (with their expiration, if any). */
export async function runCredentialExport(options: ExportOptions): Promise<AwsCredentials> {
  const name = `awsCredentialExport ${quoteCommand(options.command)}`;
  const result = await runShellCommand({
    command: options.command,
    env: options.env,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    captureStdout: true,
    signal: options.signal,
    // Exited, and the JSON is whole: a background process it left holding stdout is not waited for.
    completeOnExit: isWholeJson,
  });
  if (result.timedOut) {
    throw new CredentialExportError(`${name} timed out after ${formatDuration(options.timeoutMs)}`, {
      hint: `make it finish sooner, or raise "${EXPORT_TIMEOUT_SETTING}" in settings`,
    });
  }
  if (result.overflow) {
    throw new CredentialExportError(`${name} printed more than 1 MB of output`, { hint: FORMAT_HINT });
  }
  if (result.spawnError || result.code !== 0) {
    throw new CredentialExportError(`${name} failed: it ${describeExit(result)}`, { hint: RUN_IT_HINT, fixableByAuthRefresh: true });
  }
  return parseExportOutput(result.stdout, name);
}

/**
 * Parses exporter output. `SessionToken` is required in the `{"Credentials":…}` shape (that is
 * the STS shape, which always carries one) and optional in the credential_process shape (whose
 * specification allows long-term keys). Error messages name fields, never values.
 */
export function parseExportOutput(stdout: string, name: string): AwsCredentials {
  const text = stdout.trim();
  if (!text) throw new CredentialExportError(`${name} printed nothing`, { hint: FORMAT_HINT });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialExportError(`${name} printed output that is not JSON`, { hint: FORMAT_HINT });
  }
  if (!isObject(parsed)) throw new CredentialExportError(`${name} printed JSON that is not an object`, { hint: FORMAT_HINT });

  let fields: Record<string, unknown>;
  let prefix: string;
  let required: string[];
  if ('Credentials' in parsed) {
    if (!isObject(parsed.Credentials)) throw new CredentialExportError(`${name} printed JSON whose "Credentials" is not an object`, { hint: FORMAT_HINT });
    fields = parsed.Credentials;
    prefix = 'Credentials.';
    required = ['AccessKeyId', 'SecretAccessKey', 'SessionToken'];
  } else if ('Version' in parsed || 'AccessKeyId' in parsed) {
    if (parsed.Version !== 1) throw new CredentialExportError(`${name} printed credential_process JSON with a "Version" other than 1`, { hint: FORMAT_HINT });
    fields = parsed;
    prefix = '';
    required = ['AccessKeyId', 'SecretAccessKey'];
  } else {
    throw new CredentialExportError(`${name} printed JSON without "Credentials"`, { hint: FORMAT_HINT });
  }

  // Register whatever looks like a value before any further check, so that even a half-valid
  // output cannot leak through a later message.
  for (const key of ['AccessKeyId', 'SecretAccessKey', 'SessionToken']) {
    if (typeof fields[key] === 'string') addSecret(fields[key] as string);
  }
  const missing = required.filter((key) => typeof fields[key] !== 'string' || (fields[key] as string).length === 0);
  if (missing.length) {
    throw new CredentialExportError(`${name} printed JSON without ${missing.map((k) => prefix + k).join(', ')}`, { hint: FORMAT_HINT });
  }
  if (fields.SessionToken !== undefined && typeof fields.SessionToken !== 'string') {
    throw new CredentialExportError(`${name} printed JSON whose ${prefix}SessionToken is not a string`, { hint: FORMAT_HINT });
  }

  const credentials: AwsCredentials = {
    accessKeyId: fields.AccessKeyId as string,
    secretAccessKey: fields.SecretAccessKey as string,
  };
  if (typeof fields.SessionToken === 'string' && fields.SessionToken) credentials.sessionToken = fields.SessionToken;
  const expiration = parseExpiration(fields.Expiration);
  if (expiration) credentials.expiration = expiration;
  return credentials;
}

/** A valid ISO-8601 `Expiration` becomes a Date; anything else means "no expiry" (1 h cache). */
function parseExpiration(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`.replace('.0 s', ' s');
  return `${Math.round(ms / 6000) / 10} min`.replace('.0 min', ' min');
}
