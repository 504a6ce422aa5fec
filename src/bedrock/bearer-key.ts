/**
 * Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK, option E). A short-term key is `bedrock-api-key-`
 * followed by the base64 of a SigV4-presigned URL (without `https://`), so its issue time,
 * lifetime and region can be read locally and the user warned before it runs out. A long-term
 * key is opaque. bcode cannot refresh either kind.
 */
import { BearerKeyRejectedError } from './credential-errors.js';
import { addSecret } from '../util/redact.js';

export const SHORT_TERM_PREFIX = 'bedrock-api-key-';
/** Warn when a short-term key has less than this left. */
export const BEARER_WARNING_WINDOW_MS = 10 * 60_000;

export interface ShortTermKeyInfo {
  issuedAt: Date;
  expiresAt: Date;
  /** Region from the presigned credential scope: the key works only there. */
  region?: string;
}

/** Decodes a short-term key; undefined for long-term (opaque) keys and anything unreadable. */
export function decodeShortTermKey(token: string): ShortTermKeyInfo | undefined {
  const trimmed = token.trim();
  if (!trimmed.startsWith(SHORT_TERM_PREFIX)) return undefined;
  let url: URL;
  try {
    const b64 = trimmed.slice(SHORT_TERM_PREFIX.length).replace(/-/g, '+').replace(/_/g, '/');
    const decoded = Buffer.from(b64, 'base64').toString('utf8');
    url = new URL(/^https?:\/\//.test(decoded) ? decoded : `https://${decoded}`);
  } catch {
    return undefined;
  }
  const date = url.searchParams.get('X-Amz-Date');
  const expires = url.searchParams.get('X-Amz-Expires');
  const m = date?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m || !expires || !/^\d+$/.test(expires)) return undefined;
  const issuedAt = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  const expiresAt = new Date(issuedAt.getTime() + Number(expires) * 1000);
  const scope = url.searchParams.get('X-Amz-Credential')?.split('/');
  const region = scope && scope.length >= 5 ? scope[scope.length - 3] : undefined;
  return region ? { issuedAt, expiresAt, region } : { issuedAt, expiresAt };
}

function minutes(ms: number): string {
  const m = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  return m === 1 ? '1 min' : `${m} min`;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One line when a short-term key has expired or expires within 10 minutes, or (when `region`
 * is given) was issued for another region; undefined otherwise. Never includes the key.
 */
export function bearerKeyWarning(token: string, now: number = Date.now(), region?: string): string | undefined {
  addSecret(token);
  const info = decodeShortTermKey(token);
  if (!info) return undefined;
  const left = info.expiresAt.getTime() - now;
  if (left <= 0) {
    return `the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK expired at ${isoSeconds(info.expiresAt)} (${minutes(left)} ago); generate a new one`;
  }
  if (left <= BEARER_WARNING_WINDOW_MS) {
    return `the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK expires at ${isoSeconds(info.expiresAt)} (in ${minutes(left)}); generate a new one before it runs out`;
  }
  if (region && info.region && info.region !== region) {
    return `the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK was issued for ${info.region}, but requests go to ${region}; short-term keys work only in their own region`;
  }
  return undefined;
}

/** The error to show when Bedrock rejects a bearer key: says why if the key tells, and that bcode cannot refresh it. */
export function bearerKeyRejectedError(token: string, now: number = Date.now(), cause?: unknown): BearerKeyRejectedError {
  addSecret(token);
  const info = decodeShortTermKey(token);
  let why = '';
  if (info && info.expiresAt.getTime() <= now) why = ` (it expired at ${isoSeconds(info.expiresAt)})`;
  return new BearerKeyRejectedError(`Bedrock rejected the API key in AWS_BEARER_TOKEN_BEDROCK${why}`, {
    hint: 'bcode cannot refresh a Bedrock API key: generate a new one and set AWS_BEARER_TOKEN_BEDROCK, or unset it to use AWS credentials',
    cause,
  });
}
