/** Keeps every request for tests (and optionally a JSONL file) with secrets masked. */
import { appendFileSync } from 'node:fs';
import type { RecordedRequest } from './types.js';

const MASK = '[REDACTED]';

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization') {
      // Keep what identifies the request (key id, scope, signed headers); drop what proves it.
      out[name] = /^Bearer\s/i.test(value) ? `Bearer ${MASK}` : value.includes('Signature=') ? value.replace(/Signature=[^,\s]*/, `Signature=${MASK}`) : MASK;
    } else if (name === 'x-amz-security-token' || name === 'x-api-key' || name === 'cookie') {
      out[name] = MASK;
    } else {
      out[name] = value;
    }
  }
  return out;
}

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  constructor(
    private readonly file?: string,
    private readonly onFinish?: (r: RecordedRequest) => void,
  ) {}

  /** Listed as soon as it arrives, so a test can see a request whose response is still streaming. */
  add(entry: RecordedRequest): void {
    this.requests.push(entry);
  }

  /** Written to the file once complete: the status and usage are known only then. */
  finish(entry: RecordedRequest): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.onFinish?.(entry);
  }
}
