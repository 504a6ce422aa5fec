import { ConfigError } from '../errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers that would break the request if a user value replaced them: they are computed per
 * request and covered by the signature. `authorization` is allowed only when bcode does not
 * authenticate itself (CLAUDE_CODE_SKIP_BEDROCK_AUTH), for gateways that take their own token.
 */
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']);

/**
 * B14: `ANTHROPIC_CUSTOM_HEADERS`, one `Name: value` per line. Values can be gateway tokens, so no
 * error quotes a line's content: errors name the line number and what is wrong with it.
 */
export function parseCustomHeaders(text: string, options: { authSkipped: boolean }): Record<string, string> {
  const name = 'ANTHROPIC_CUSTOM_HEADERS';
  const out: Record<string, string> = {};
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon < 0) throw new ConfigError(`${name} line ${n} has no ':'; each line must be 'Name: value'`, { hint: 'e.g. X-Amzn-Bedrock-GuardrailIdentifier: abc123 — one header per line' });
    const header = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (header === '') throw new ConfigError(`${name} line ${n} has no header name before ':'`, { hint: "each line must be 'Name: value'" });
    if (!TOKEN.test(header)) throw new ConfigError(`${name} line ${n}: the header name is not a valid HTTP header name`, { hint: 'header names use letters, digits and - (no spaces), e.g. X-Amzn-Bedrock-GuardrailVersion' });
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new ConfigError(`${name} line ${n}: the value of ${header} contains control characters`, { hint: 'remove the control characters (tabs are allowed; a pasted value may carry hidden ones) — one header per line' });
    const lower = header.toLowerCase();
    if (RESERVED.has(lower) || (lower === 'authorization' && !options.authSkipped)) {
      throw new ConfigError(`${name} line ${n}: ${header} cannot be set, bcode computes it for each request`, {
        hint: lower === 'authorization' ? 'to send your own Authorization header to a gateway, also set CLAUDE_CODE_SKIP_BEDROCK_AUTH=1' : `remove the ${header} line`,
      });
    }
    const first = seen.get(lower);
    if (first !== undefined) throw new ConfigError(`${name} line ${n} repeats the header ${header} (first set on line ${first})`, { hint: 'keep one line per header' });
    seen.set(lower, n);
    out[header] = value;
  });
  return out;
}
