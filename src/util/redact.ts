/**
 * The redaction layer (R2): every output path — console, logs, transcripts, errors, stream-json —
 * passes text through `redact()`. Two layers: shape patterns (key ids, bearer keys, header and
 * key=value forms) catch secrets bcode never saw, and registered literals catch the exact
 * values bcode holds even where they appear without any telltale shape. What goes to the model
 * (tool results, R7) passes `redactLiterals()` only: the shapes would also mask documentation
 * examples and test fixtures the model must be able to read and write back unchanged.
 */
import { readFileSync, statSync } from 'node:fs';

export const REDACTED = '[REDACTED]';

/** Literals shorter than this are not registered: masking them would garble ordinary text. */
const MIN_SECRET_LENGTH = 8;

const BEDROCK_KEY_PREFIX = 'bedrock-api-key-';

const secrets = new Set<string>();
/**
 * The literal pass: the literals too long for a regular expression, searched as plain text, then
 * one expression for all the others (longest first throughout). Rebuilt lazily after `addSecret`,
 * so registration stays cheap and `redact` stays one pass in the usual case.
 */
let literalPasses: (RegExp | string)[] | undefined;
/**
 * V8 refuses a regular expression holding one literal of much more than 32 K characters ("Regular
 * expression too large"), and `redact` must never throw: a token file may hold up to 64 KiB.
 * (Many shorter literals in one expression are fine.)
 */
const MAX_LITERAL_CHARS = 16_000;

/** Registers a literal secret value (a key bcode holds) to be masked wherever it appears. */
export function addSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  literalPasses = undefined;
  // A short-term Bedrock key is a prefix plus base64: the base64 alone is just as usable.
  if (value.startsWith(BEDROCK_KEY_PREFIX)) addSecret(value.slice(BEDROCK_KEY_PREFIX.length));
}

/** True when `value` is exactly a registered secret (used to strip such values from child envs). */
export function isRegisteredSecret(value: string): boolean {
  return secrets.has(value);
}

/** The values registered so far (for fragment checks; never printed). */
export function registeredSecrets(): ReadonlySet<string> {
  return secrets;
}

/** Environment variables whose values are secrets whenever they are set. */
export const SECRET_ENV_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  // Sent as the Authorization header to the container credentials endpoint (ECS, EKS Pod
  // Identity): whoever holds it can fetch the very credentials bcode signs with.
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
] as const;

/**
 * Variables naming a file whose contents are a credential: the container authorization token
 * (EKS Pod Identity) and the OIDC token that STS exchanges for role credentials (IRSA, web
 * identity). Their contents are registered by `registerSecretFiles()`.
 */
export const SECRET_FILE_ENV_VARS = ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;

/** Token files are small (a JWT is ~1 KB); anything much larger is not one and is not read. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Watched token files and what was last read from them (mtime and size; none yet), to re-read on rotation. */
const secretFiles = new Map<string, string | undefined>();

/**
 * Registers the values of the AWS secret variables of `env` (call once at start-up) and notes
 * the token files it names. No file is read here: start-up stays free of I/O, and the files are
 * read by `registerSecretFiles()` when a tool result is about to be redacted.
 */
export function registerEnvSecrets(env: Record<string, string | undefined>): void {
  for (const name of SECRET_ENV_VARS) addSecret(env[name]);
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('AWS_BEARER_TOKEN_')) addSecret(value);
  }
  for (const name of SECRET_FILE_ENV_VARS) {
    const file = env[name]?.trim();
    if (file && !secretFiles.has(file)) secretFiles.set(file, undefined);
  }
}

/**
 * Reads the watched token files that are new or changed since the last call (one `stat` each
 * otherwise) and registers their contents. Kubernetes rotates projected tokens in place, so a
 * long session sees several values; all of them stay registered.
 */
export function registerSecretFiles(): void {
  for (const [file, seen] of secretFiles) {
    try {
      // A missing file throws into the catch below. Only a regular file is read: a FIFO or a
      // device named as a token file would block bcode or never end.
      const st = statSync(file);
      if (!st.isFile() || st.size > MAX_SECRET_FILE_BYTES) continue;
      const stamp = `${st.mtimeMs}:${st.size}`;
      if (stamp === seen) continue;
      addSecret(readFileSync(file, 'utf8').trim());
      secretFiles.set(file, stamp);
    } catch {
      // Unreadable for bcode means unreadable for its tools too (same user): nothing to mask.
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function currentLiteralPasses(): (RegExp | string)[] {
  return (literalPasses ??= buildLiteralPasses());
}

function buildLiteralPasses(): (RegExp | string)[] {
  // Longest first so that a secret containing another registered secret is masked whole.
  const sorted = [...secrets].sort((a, b) => b.length - a.length).map((secret) => ({ secret, escaped: escapeRegExp(secret) }));
  const passes: (RegExp | string)[] = sorted.filter((s) => s.escaped.length > MAX_LITERAL_CHARS).map((s) => s.secret);
  const rest = sorted.filter((s) => s.escaped.length <= MAX_LITERAL_CHARS).map((s) => s.escaped);
  if (rest.length) passes.push(new RegExp(rest.join('|'), 'g'));
  return passes;
}

/** `text` with every registered literal replaced by `by(literal)`. */
function replaceLiterals(text: string, by: (literal: string) => string): string {
  let out = text;
  for (const pass of currentLiteralPasses()) out = typeof pass === 'string' ? out.split(pass).join(by(pass)) : out.replace(pass, by);
  return out;
}

/** Names whose value is a secret in `name=value`, `name: value`, `"name":"value"` and query forms. */
const SECRET_NAMES = [
  'aws_secret_access_key',
  'secret_access_key',
  'secretaccesskey',
  'secret-access-key',
  'aws_session_token',
  'session_token',
  'sessiontoken',
  'session-token',
  'aws_security_token',
  'x-amz-security-token',
  'x-amz-signature',
  'aws_bearer_token_bedrock',
  'servicecredentialsecret',
];
const SECRET_NAME_SET = new Set(SECRET_NAMES.map((n) => n.replace(/[-_]/g, '')));

/**
 * `name` optionally quoted, a `:` or `=` separator, then the value optionally quoted. The name
 * must not be preceded by a word character (`mysecretkeyboard` is left alone). The value must
 * look like a credential — 16+ characters of base64 / hex / percent-encoding, not followed by
 * `.`, `(` or `[` — so that code such as `sessionToken: this.token` or
 * `secretAccessKey: process.env.KEY` and help-text placeholders stay readable.
 */
const KEY_VALUE = new RegExp(
  `(?<![A-Za-z0-9])(["']?(?:${SECRET_NAMES.map(escapeRegExp).join('|')})["']?\\s*[:=]\\s*["']?)(\\[REDACTED\\]|[A-Za-z0-9/+=%_-]{16,}(?![A-Za-z0-9/+=%_.(\\[-]))`,
  'gi',
);
/**
 * `Authorization: <anything to end of line or closing quote>` — SigV4 and Bearer alike. A
 * JSON-escaped line break (`\n`, `\r`) ends the value too: JSON output lines are redacted as
 * text, and the value must not swallow the rest of the string after an escaped newline.
 */
const AUTHORIZATION = /(?<![A-Za-z0-9])(["']?authorization["']?\s*[:=]\s*["']?)((?:[^"'\r\n\\]|\\(?![nr])){8,})/gi;
/** Access key ids (AKIA long-term, ASIA temporary; 20 chars) and other IAM unique ids (21 chars). */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA|AGPA)[A-Z0-9]{16,17}(?![A-Z0-9])/g;
/** Short-term Bedrock API keys (base64 of a presigned URL) and long-term ones (`ABSK…`). */
const BEARER_KEY = /bedrock-api-key-[A-Za-z0-9+/=_-]+|(?<![A-Za-z0-9])ABSK[A-Za-z0-9+/=_-]{16,}/g;
/** `Bearer <token>` wherever it appears, e.g. in a pasted curl command. */
const BEARER_SCHEME = /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/g;
/** STS session tokens start with a few well-known base64 prefixes. */
const SESSION_TOKEN = /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9+/=]{20,}/g;

/**
 * For the stream redactor (stream-redact.ts), which cuts a stream only just after whitespace:
 * of the patterns above, only these three can match across whitespace, so only they can still
 * be "open" — extendable by text yet to come — at such a cut. Each matches, at the end of the
 * text, a beginning of its pattern that ends in whitespace. Keep them in step with the patterns;
 * they may hold more than needed (no look-behinds), never less.
 */
// (The value alternatives are written so that no two parts compete for the same spaces: linear time.)
const OPEN_AUTHORIZATION = /["']?authorization["']?\s*(?:[:=]\s*(?:["'](?:[^"'\r\n\\]|\\(?![nr]))*|(?:[^"'\r\n\\\s]|\\(?![nr]))(?:[^"'\r\n\\]|\\(?![nr]))*)?)?$/i;
const OPEN_KEY_VALUE = new RegExp(`["']?(?:${SECRET_NAMES.map(escapeRegExp).join('|')})["']?\\s*(?:[:=]\\s*)?$`, 'i');
const OPEN_BEARER = /\bBearer\s+$/;

/**
 * Where a match of a whitespace-spanning pattern that later text could still extend begins in
 * `text`, or -1. Registered literals are first replaced by a same-length stand-in shaped like
 * `[REDACTED]`, because `redact()` runs the shape patterns over the literal-masked text.
 */
export function openMatchStart(text: string): number {
  const t = replaceLiterals(text, (m) => `[${'R'.repeat(m.length - 2)}]`);
  const start = Math.min(...[OPEN_AUTHORIZATION, OPEN_KEY_VALUE, OPEN_BEARER].map((re) => re.exec(t)?.index ?? Infinity));
  return start === Infinity ? -1 : start;
}

/** Cheap pre-check: if none of these substrings occur, only the literal pass can match. */
const HINT = /AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA|AGPA|ABSK|bedrock-api-key-|bearer|authorization|secret|token|signature|IQoJ|FwoG|FQoG/i;

/**
 * Masks only the registered literal values — what goes to the model. A tool result showing the
 * AWS documentation example key `AKIAIOSFODNN7EXAMPLE` must reach the model unchanged (else it
 * would write `[REDACTED]` into the files it edits); bcode's own keys must not reach it at all.
 */
export function redactLiterals(text: string): string {
  // Stryker disable next-line ConditionalExpression: empty text comes out empty either way; the guard keeps a non-string (outside the types) from throwing
  if (!text) return text;
  return replaceLiterals(text, () => REDACTED);
}

export function redact(text: string): string {
  // Stryker disable next-line ConditionalExpression: empty text comes out empty either way; the guard keeps a non-string (outside the types) from throwing
  if (!text) return text;
  let out = replaceLiterals(text, () => REDACTED);
  // Stryker disable next-line ConditionalExpression: a pre-check that only saves work (every shape below needs one of HINT's substrings, which a test checks per shape)
  if (!HINT.test(out)) return out;
  // (A value already masked comes out the same: head + REDACTED is the whole match then.)
  out = out.replace(AUTHORIZATION, (_m, head: string) => head + REDACTED);
  out = out.replace(KEY_VALUE, (_m, head: string) => head + REDACTED);
  out = out.replace(BEARER_KEY, REDACTED);
  out = out.replace(BEARER_SCHEME, (_m, head: string) => head + REDACTED);
  out = out.replace(SESSION_TOKEN, REDACTED);
  out = out.replace(ACCESS_KEY_ID, REDACTED);
  return out;
}

function isSecretName(key: string): boolean {
  return SECRET_NAME_SET.has(key.toLowerCase().replace(/[-_]/g, '')) || key.toLowerCase() === 'authorization';
}

/**
 * Redacts every string inside a JSON-like value (transcript entries, stream-json events,
 * recorded requests) and returns a copy; the input is not changed. Values under keys that name a
 * secret (`secretAccessKey`, `authorization`, …) are masked whole whatever they look like.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakMap()) as T;
}

function redactValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactValue(item, seen));
    return copy;
  }
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message) };
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    copy[k] = typeof v === 'string' && v.length > 0 && isSecretName(k) ? REDACTED : redactValue(v, seen);
  }
  return copy;
}
