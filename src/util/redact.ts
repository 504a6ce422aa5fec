/**
 * The redaction layer (R2): every output path — console, logs, transcripts, errors, stream-json —
 * passes text through `redact()`. Filled in by the credentials/secret-hygiene issue.
 */
const secrets = new Set<string>();

/** Registers a literal secret value (a key bcode holds) to be masked wherever it appears. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out;
}
