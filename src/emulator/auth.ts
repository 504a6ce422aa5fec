/**
 * Request authentication as Bedrock does it: SigV4 (service `bedrock`) recomputed with the
 * credential's secret through @smithy/signature-v4, or a Bedrock API key as a bearer token.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorAuthMode, EmulatorCredential, RecordedRequest } from './types.js';
import { type AwsErrorReply, awsError, frontDoorDenied, BAD_API_KEY_MESSAGE, MISSING_AUTH_MESSAGE, SIGNATURE_MISMATCH } from './aws-errors.js';

export interface AuthInput {
  method: string;
  /** Path and query exactly as received. */
  rawUrl: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface AuthContext {
  mode: EmulatorAuthMode;
  region: string;
  credentials: Map<string, EmulatorCredential>;
  apiKeys: Set<string>;
  now: number;
  /** When set: a request signed further than this from `now` is rejected as AWS does. */
  maxSkewMs?: number;
  /** The signing name the request must be scoped to: `bedrock`, or `sts` for GetCallerIdentity. */
  service?: string;
}

export type AuthOutcome = RecordedRequest['auth'] & { reply?: AwsErrorReply };

const SERVICE = 'bedrock';

interface ParsedSigV4 {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseSigV4(value: string): ParsedSigV4 | undefined {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value);
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return undefined;
  return { accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3], signedHeaders: signedHeaders.split(';'), signature };
}

/** A Host like `bedrock-runtime.eu-west-1.amazonaws.com` (or `...localhost`) names the region to verify for. */
export function regionFromHost(host: string | undefined): string | undefined {
  const m = /^bedrock(?:-runtime)?(?:-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d+)\./.exec(host ?? '');
  return m?.[1];
}

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function splitQuery(rawUrl: string): { path: string; query: Record<string, string | string[]> } {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { path, query };
}

async function computeSignature(input: AuthInput, parsed: ParsedSigV4, cred: EmulatorCredential, host: string, signingDate: Date): Promise<string> {
  const { path, query } = splitQuery(input.rawUrl);
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const v = name === 'host' || name === ':authority' ? host : input.headers[name];
    if (v !== undefined) headers[name] = v;
  }
  const tokenSigned = parsed.signedHeaders.includes('x-amz-security-token');
  const signer = new SignatureV4({
    service: parsed.service,
    region: parsed.region,
    sha256: Hash.bind(null, 'sha256'),
    // The signer re-encodes the received (already encoded) path: Bedrock's double encoding.
    uriEscapePath: true,
    applyChecksum: false,
    credentials: {
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secretAccessKey,
      sessionToken: tokenSigned ? input.headers['x-amz-security-token'] : undefined,
    },
  });
  const request = new HttpRequest({ method: input.method, protocol: 'http:', hostname: host, path, query, headers, body: input.body });
  const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(parsed.signedHeaders) });
  const auth = signed.headers.authorization ?? signed.headers.Authorization ?? '';
  return /Signature=([0-9a-f]+)/.exec(auth)?.[1] ?? '';
}

function fail(kind: AuthOutcome['kind'], reply: AwsErrorReply, extra: Partial<AuthOutcome> = {}): AuthOutcome {
  return { ok: false, kind, error: `${reply.errorType}: ${reply.message}`, reply, ...extra };
}

export async function authenticate(input: AuthInput, ctx: AuthContext): Promise<AuthOutcome> {
  const authorization = input.headers.authorization;
  if (ctx.mode === 'off') {
    const kind = authorization?.startsWith('Bearer ') ? 'bearer' : authorization ? 'sigv4' : 'none';
    return { ok: true, kind };
  }
  if (!authorization) return fail('none', frontDoorDenied(MISSING_AUTH_MESSAGE));

  const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
  if (bearer) {
    return ctx.apiKeys.has(bearer[1].trim()) ? { ok: true, kind: 'bearer' } : fail('bearer', frontDoorDenied(BAD_API_KEY_MESSAGE));
  }

  const parsed = parseSigV4(authorization);
  if (!parsed) return fail('sigv4', awsError('IncompleteSignatureException'));
  const who = { accessKeyId: parsed.accessKeyId, region: parsed.region };

  const cred = ctx.credentials.get(parsed.accessKeyId);
  if (!cred) return fail('sigv4', awsError('UnrecognizedClientException'), who);
  const token = input.headers['x-amz-security-token'];
  if ((cred.sessionToken ?? undefined) !== (token ?? undefined)) return fail('sigv4', awsError('UnrecognizedClientException'), who);
  if (cred.expiresAt !== undefined && ctx.now >= cred.expiresAt) return fail('sigv4', awsError('ExpiredTokenException'), who);

  const service = ctx.service ?? SERVICE;
  if (parsed.service !== service) {
    return fail('sigv4', awsError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `), who);
  }
  const expectedRegion = regionFromHost(input.headers.host) ?? ctx.region;
  if (parsed.region !== expectedRegion) {
    return fail('sigv4', awsError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${parsed.region}'. `), who);
  }
  const signingDate = parseAmzDate(input.headers['x-amz-date']);
  if (!signingDate) return fail('sigv4', awsError('IncompleteSignatureException'), who);
  if (input.headers['x-amz-date']?.slice(0, 8) !== parsed.date) {
    return fail('sigv4', awsError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${input.headers['x-amz-date']?.slice(0, 8)}', from '${input.headers['x-amz-date']}'.`), who);
  }
  if (ctx.maxSkewMs !== undefined) {
    const skew = signingDate.getTime() - ctx.now;
    const amz = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
    const minutes = Math.round(ctx.maxSkewMs / 60_000);
    if (skew < -ctx.maxSkewMs) {
      return fail('sigv4', awsError('InvalidSignatureException', `Signature expired: ${amz(signingDate.getTime())} is now earlier than ${amz(ctx.now - ctx.maxSkewMs)} (${amz(ctx.now)} - ${minutes} min.)`), who);
    }
    if (skew > ctx.maxSkewMs) {
      return fail('sigv4', awsError('InvalidSignatureException', `Signature not yet current: ${amz(signingDate.getTime())} is still later than ${amz(ctx.now + ctx.maxSkewMs)} (${amz(ctx.now)} + ${minutes} min.)`), who);
    }
  }
  const claimedHash = input.headers['x-amz-content-sha256'];
  if (claimedHash && claimedHash !== 'UNSIGNED-PAYLOAD' && claimedHash !== createHash('sha256').update(input.body).digest('hex')) {
    return fail('sigv4', awsError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed."), who);
  }

  const host = (parsed.signedHeaders.includes(':authority') ? input.headers[':authority'] : input.headers.host) ?? '';
  const hosts = [host];
  // Peers that sign for a proxy's view of the host drop the port; lenient mode accepts that too.
  if (ctx.mode === 'lenient' && host.includes(':')) hosts.push(host.replace(/:\d+$/, ''));
  for (const h of hosts) {
    if ((await computeSignature(input, parsed, cred, h, signingDate)) === parsed.signature) return { ok: true, kind: 'sigv4', ...who };
  }
  return fail('sigv4', awsError('InvalidSignatureException', SIGNATURE_MISMATCH), who);
}
