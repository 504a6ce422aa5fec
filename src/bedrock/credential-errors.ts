/**
 * Typed errors of the credential layer. Messages name the setting and the command (settings
 * text, not a secret) and never quote anything a command printed.
 */
import { BcodeError } from '../errors.js';
import { redact } from '../util/redact.js';

/** AWS credentials could not be obtained, or Bedrock keeps rejecting them. */
export class CredentialsError extends BcodeError {
  /** True when running `awsAuthRefresh` could plausibly fix it (expired sign-in, failed export). */
  readonly fixableByAuthRefresh: boolean;

  constructor(message: string, options: { hint?: string; cause?: unknown; fixableByAuthRefresh?: boolean } = {}) {
    super(redact(message), { hint: options.hint === undefined ? undefined : redact(options.hint), cause: options.cause });
    this.fixableByAuthRefresh = options.fixableByAuthRefresh ?? false;
  }
}

/** `awsCredentialExport` failed or printed something unusable. */
export class CredentialExportError extends CredentialsError {}

/** `awsAuthRefresh` failed or timed out. */
export class AuthRefreshError extends CredentialsError {}

/** Bedrock rejected the API key from AWS_BEARER_TOKEN_BEDROCK; bcode cannot refresh it. */
export class BearerKeyRejectedError extends CredentialsError {}

/** Shows a command in messages: one line, shortened, secrets masked. */
export function quoteCommand(command: string): string {
  const oneLine = command.replace(/\s+/g, ' ').trim();
  const short = oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
  return `\`${redact(short)}\``;
}
