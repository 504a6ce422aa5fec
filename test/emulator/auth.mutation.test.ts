/**
 * The emulator's request authentication in-process (issue 20), branch by branch: each check
 * Bedrock makes before the signature (in Bedrock's order, with its exact error), then the
 * signature itself over query strings, signed host forms and session tokens. Requests are signed
 * here with @smithy/signature-v4 as a client would; sigv4-oracle.test.ts checks the verifier
 * against vectors computed without it.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { authenticate, regionFromHost, type AuthContext, type AuthInput } from '../../src/emulator/auth.js';
import { BAD_API_KEY_MESSAGE, INCOMPLETE_SIGNATURE, MISSING_AUTH_MESSAGE, SIGNATURE_MISMATCH } from '../../src/emulator/aws-errors.js';
import type { EmulatorCredential } from '../../src/emulator/types.js';

const NOW = Date.parse('2030-05-06T07:08:09Z');
const CRED: EmulatorCredential = { accessKeyId: 'AKIDAUTHTEST00000001', secretAccessKey: 'auth-test-secret-key-0001' };
const TEMP: EmulatorCredential = { accessKeyId: 'ASIDAUTHTEST00000002', secretAccessKey: 'auth-test-secret-key-0002', sessionToken: 'auth-test-session-token-0002' };
const HOST = 'bedrock-runtime.us-west-2.amazonaws.com';
const PATH = '/model/anthropic.claude-x%3A0/invoke';

function ctx(over: Partial<AuthContext> = {}): AuthContext {
  return { mode: 'strict', region: 'us-east-1', credentials: new Map([CRED, TEMP].map((c) => [c.accessKeyId, c])), apiKeys: new Set(['good-api-key-0001']), now: NOW, ...over };
}

interface SignSpec {
  cred?: EmulatorCredential;
  region?: string;
  service?: string;
  host?: string;
  /** The Host header sent, when it differs from the one signed. */
  sentHost?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  rawQuery?: string;
  headers?: Record<string, string>;
  body?: string;
  date?: number;
  authorityInsteadOfHost?: boolean;
}

/** A request signed as a client would sign it, in the form the emulator receives it. */
async function signed(s: SignSpec = {}): Promise<AuthInput> {
  const cred = s.cred ?? CRED;
  const host = s.host ?? HOST;
  const body = s.body ?? '{"x":1}';
  const signer = new SignatureV4({
    service: s.service ?? 'bedrock',
    region: s.region ?? 'us-west-2',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false,
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey, sessionToken: cred.sessionToken },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...s.headers };
  if (s.authorityInsteadOfHost) headers[':authority'] = host;
  else headers.host = host;
  const req = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: host, path: s.path ?? PATH, query: s.query ?? {}, headers, body });
  const out = await signer.sign(req, { signingDate: new Date(s.date ?? NOW) });
  const received: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) received[k.toLowerCase()] = v;
  if (s.sentHost !== undefined) received.host = s.sentHost;
  const qs = s.rawQuery ?? new URLSearchParams(Object.entries(s.query ?? {}).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]))).toString();
  return { method: 'POST', rawUrl: qs ? `${s.path ?? PATH}?${qs}` : (s.path ?? PATH), headers: received, body: Buffer.from(body) };
}

function withAuth(input: AuthInput, authorization: string | undefined, more: Record<string, string> = {}): AuthInput {
  const headers = { ...input.headers, ...more };
  if (authorization === undefined) delete headers.authorization;
  else headers.authorization = authorization;
  return { ...input, headers };
}

async function rejected(input: AuthInput, c: AuthContext = ctx()) {
  const out = await authenticate(input, c);
  expect(out.ok).toBe(false);
  return out;
}

describe('regionFromHost', () => {
  it('reads the region from Bedrock host names, and only from them', () => {
    expect(regionFromHost('bedrock-runtime.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionFromHost('bedrock.ap-southeast-2.amazonaws.com')).toBe('ap-southeast-2');
    expect(regionFromHost('bedrock-runtime-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionFromHost('bedrock-fips.ca-central-1.localhost:8080')).toBe('ca-central-1');
    for (const h of ['xbedrock-runtime.eu-west-1.amazonaws.com', 'bedrock-runtime.eu-west-1', 'bedrock-runtime.EU-west-1.amazonaws.com', 'bedrock-runtime.eu-west-x.amazonaws.com', 'bedrock-agent.eu-west-1.amazonaws.com', 'bedrock-runtime.euwest-1.x', 'bedrock-runtime.eu-west-12a.x', 'bedrock-runtime.eu1-west-1.x', '127.0.0.1:4000', '']) {
      expect(regionFromHost(h), h).toBeUndefined();
    }
    expect(regionFromHost(undefined)).toBeUndefined();
  });
});

describe('authenticate: before the signature', () => {
  it('mode off accepts anything and says what kind of auth it saw', async () => {
    const base = await signed();
    const off = ctx({ mode: 'off' });
    expect(await authenticate(withAuth(base, 'Bearer whatever'), off)).toEqual({ ok: true, kind: 'bearer' });
    expect(await authenticate(withAuth(base, 'garbage'), off)).toEqual({ ok: true, kind: 'sigv4' });
    expect(await authenticate(withAuth(base, 'Bearerx'), off)).toEqual({ ok: true, kind: 'sigv4' });
    expect(await authenticate(withAuth(base, undefined), off)).toEqual({ ok: true, kind: 'none' });
  });

  it('no Authorization: the front door denies it', async () => {
    const out = await rejected(withAuth(await signed(), undefined));
    expect(out).toEqual({ ok: false, kind: 'none', error: `AccessDeniedException: ${MISSING_AUTH_MESSAGE}`, reply: expect.objectContaining({ status: 403, errorType: 'AccessDeniedException', message: MISSING_AUTH_MESSAGE, capitalMessage: true }) });
    expect(await rejected(withAuth(await signed(), ''))).toMatchObject({ kind: 'none' });
  });

  it('a Bearer API key: accepted when known (any case of the scheme, spaces trimmed), denied otherwise', async () => {
    const base = await signed();
    expect(await authenticate(withAuth(base, 'Bearer good-api-key-0001'), ctx())).toEqual({ ok: true, kind: 'bearer' });
    expect(await authenticate(withAuth(base, 'bearer   good-api-key-0001  '), ctx())).toEqual({ ok: true, kind: 'bearer' });
    const bad = await rejected(withAuth(base, 'Bearer other-key'));
    expect(bad).toMatchObject({ kind: 'bearer', error: `AccessDeniedException: ${BAD_API_KEY_MESSAGE}`, reply: { status: 403, message: BAD_API_KEY_MESSAGE, capitalMessage: true } });
    expect(await rejected(withAuth(base, 'Bearer '))).toMatchObject({ kind: 'sigv4', reply: { errorType: 'IncompleteSignatureException' } });
  });

  it('an Authorization that is not a complete SigV4 header is incomplete', async () => {
    const base = await signed();
    const good = base.headers.authorization;
    const cred = /Credential=([^,]+)/.exec(good)![1];
    const sh = /SignedHeaders=([^,]+)/.exec(good)![1];
    const sig = /Signature=([0-9a-f]+)/.exec(good)![1];
    for (const a of [
      `AWS4-HMAC-SHA1 Credential=${cred}, SignedHeaders=${sh}, Signature=${sig}`,
      `AWS4-HMAC-SHA256 SignedHeaders=${sh}, Signature=${sig}`,
      `AWS4-HMAC-SHA256 Credential=${cred}, Signature=${sig}`,
      `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=${sh}`,
      `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=, Signature=${sig}`,
      `AWS4-HMAC-SHA256 Credential=${cred}/extra, SignedHeaders=${sh}, Signature=${sig}`,
      `AWS4-HMAC-SHA256 Credential=${cred.replace('aws4_request', 'aws4_requesx')}, SignedHeaders=${sh}, Signature=${sig}`,
      `AWS4-HMAC-SHA256 Credential=${cred.split('/').slice(0, 4).join('/')}, SignedHeaders=${sh}, Signature=${sig}`,
      `x AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=${sh}, Signature=${sig}`,
      `AWS4-HMAC-SHA256Credential=${cred}, SignedHeaders=${sh}, Signature=${sig}`,
    ]) {
      const out = await rejected(withAuth(base, a));
      expect(out, a).toEqual({ ok: false, kind: 'sigv4', error: `IncompleteSignatureException: ${INCOMPLETE_SIGNATURE}`, reply: expect.objectContaining({ status: 403, errorType: 'IncompleteSignatureException' }) });
    }
    // Parameters in another order, with spaces and line breaks around them, and an empty part, are the same header.
    expect(await authenticate(withAuth(base, `AWS4-HMAC-SHA256\n Signature=${sig} ,SignedHeaders=${sh},, =x,Credential=${cred}`), ctx())).toMatchObject({ ok: true });
  });

  it('an unknown key id, or a session token that does not match the key, is an unrecognized client', async () => {
    const who = { accessKeyId: 'AKIDUNKNOWN000000009', region: 'us-west-2' };
    const unknown = await rejected(await signed({ cred: { accessKeyId: who.accessKeyId, secretAccessKey: 'x' } }));
    expect(unknown).toMatchObject({ kind: 'sigv4', ...who, error: 'UnrecognizedClientException: The security token included in the request is invalid.', reply: { status: 403 } });
    const temp = await signed({ cred: TEMP });
    expect(await authenticate(temp, ctx())).toEqual({ ok: true, kind: 'sigv4', accessKeyId: TEMP.accessKeyId, region: 'us-west-2' });
    expect(await rejected(withAuth(temp, temp.headers.authorization, { 'x-amz-security-token': 'other-token' }))).toMatchObject({ reply: { errorType: 'UnrecognizedClientException' }, accessKeyId: TEMP.accessKeyId });
    const { 'x-amz-security-token': _t, ...noToken } = temp.headers;
    expect(await rejected({ ...temp, headers: noToken })).toMatchObject({ reply: { errorType: 'UnrecognizedClientException' } });
    // A long-term key sent with a token is refused too.
    const lt = await signed();
    expect(await rejected(withAuth(lt, lt.headers.authorization, { 'x-amz-security-token': 'stray' }))).toMatchObject({ reply: { errorType: 'UnrecognizedClientException' } });
  });

  it('an expired credential: from its expiry on, not before', async () => {
    const c = (expiresAt: number) => ctx({ credentials: new Map([[CRED.accessKeyId, { ...CRED, expiresAt }]]) });
    const input = await signed();
    expect(await authenticate(input, c(NOW + 1))).toMatchObject({ ok: true });
    expect(await rejected(input, c(NOW))).toMatchObject({ kind: 'sigv4', accessKeyId: CRED.accessKeyId, error: 'ExpiredTokenException: The security token included in the request is expired' });
  });

  it('scoped to another service than the endpoint’s', async () => {
    const out = await rejected(await signed({ service: 'sts' }));
    expect(out).toMatchObject({ kind: 'sigv4', accessKeyId: CRED.accessKeyId, error: "InvalidSignatureException: Credential should be scoped to correct service: 'bedrock'. " });
    expect(await authenticate(await signed({ service: 'sts' }), ctx({ service: 'sts' }))).toMatchObject({ ok: true });
    expect(await rejected(await signed(), ctx({ service: 'sts' }))).toMatchObject({ error: "InvalidSignatureException: Credential should be scoped to correct service: 'sts'. " });
  });

  it('scoped to another region than the host names, or than the emulator’s own when the host names none', async () => {
    expect(await rejected(await signed({ region: 'eu-west-1' }))).toMatchObject({ region: 'eu-west-1', error: "InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'. " });
    const local = { host: '127.0.0.1:4000' };
    expect(await authenticate(await signed({ ...local, region: 'us-east-1' }), ctx())).toMatchObject({ ok: true, region: 'us-east-1' });
    expect(await rejected(await signed({ ...local, region: 'us-west-2' }))).toMatchObject({ error: "InvalidSignatureException: Credential should be scoped to a valid region, not 'us-west-2'. " });
  });

  it('a missing or malformed x-amz-date is incomplete; one of another day than the scope is named', async () => {
    const input = await signed();
    const { 'x-amz-date': _d, ...noDate } = input.headers;
    expect(await rejected({ ...input, headers: noDate })).toMatchObject({ error: `IncompleteSignatureException: ${INCOMPLETE_SIGNATURE}` });
    for (const bad of ['2030-05-06T07:08:09Z', '20300506T070809', '20300506T0708090Z', 'x20300506T070809Z']) {
      expect(await rejected(withAuth(input, input.headers.authorization, { 'x-amz-date': bad })), bad).toMatchObject({ reply: { errorType: 'IncompleteSignatureException' } });
    }
    const other = await rejected(withAuth(input, input.headers.authorization, { 'x-amz-date': '20300507T070809Z' }));
    expect(other.error).toBe("InvalidSignatureException: Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20300506' != '20300507', from '20300507T070809Z'.");
  });

  it('clock skew, when checked: up to the limit is fine, beyond it is expired or not yet current, with AWS’s message', async () => {
    const skew = 5 * 60_000;
    expect(await authenticate(await signed({ date: NOW - skew }), ctx({ maxSkewMs: skew }))).toMatchObject({ ok: true });
    expect(await authenticate(await signed({ date: NOW + skew }), ctx({ maxSkewMs: skew }))).toMatchObject({ ok: true });
    expect(await authenticate(await signed({ date: NOW - 3600_000 }), ctx())).toMatchObject({ ok: true });
    const old = await rejected(await signed({ date: NOW - skew - 1000 }), ctx({ maxSkewMs: skew }));
    expect(old.error).toBe('InvalidSignatureException: Signature expired: 20300506T070308Z is now earlier than 20300506T070309Z (20300506T070809Z - 5 min.)');
    const early = await rejected(await signed({ date: NOW + skew + 1000 }), ctx({ maxSkewMs: skew }));
    expect(early.error).toBe('InvalidSignatureException: Signature not yet current: 20300506T071310Z is still later than 20300506T071309Z (20300506T070809Z + 5 min.)');
    expect(early).toMatchObject({ accessKeyId: CRED.accessKeyId, region: 'us-west-2' });
    const minutes = await rejected(await signed({ date: NOW + 200_000 }), ctx({ maxSkewMs: 90_000 }));
    expect(minutes.error).toMatch(/\(20300506T070809Z \+ 2 min\.\)$/);
  });

  it('the body hash header: checked when sent, UNSIGNED-PAYLOAD accepted', async () => {
    const body = '{"x":1}';
    const hash = createHash('sha256').update(body).digest('hex');
    expect(await authenticate(await signed({ headers: { 'x-amz-content-sha256': hash } }), ctx())).toMatchObject({ ok: true });
    expect(await authenticate(await signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), ctx())).toMatchObject({ ok: true });
    const wrong = await signed({ headers: { 'x-amz-content-sha256': hash } });
    const out = await rejected({ ...wrong, body: Buffer.from('{"x":2}') });
    expect(out.error).toBe("InvalidSignatureException: The provided 'x-amz-content-sha256' header does not match what was computed.");
    expect(out).toMatchObject({ accessKeyId: CRED.accessKeyId });
  });
});

describe('authenticate: the signature', () => {
  it('a good signature is accepted with who signed it; a wrong one is a mismatch naming who', async () => {
    const input = await signed();
    expect(await authenticate(input, ctx())).toEqual({ ok: true, kind: 'sigv4', accessKeyId: CRED.accessKeyId, region: 'us-west-2' });
    const other = ctx({ credentials: new Map([[CRED.accessKeyId, { ...CRED, secretAccessKey: 'another-secret' }]]) });
    expect(await rejected(input, other)).toEqual({ ok: false, kind: 'sigv4', accessKeyId: CRED.accessKeyId, region: 'us-west-2', error: `InvalidSignatureException: ${SIGNATURE_MISMATCH}`, reply: expect.objectContaining({ status: 403, message: SIGNATURE_MISMATCH }) });
  });

  it('over the query string, repeated keys included, exactly as received', async () => {
    const query = { b: '2', a: ['1', 'x y'], c: '' };
    const input = await signed({ query });
    expect(await authenticate(input, ctx())).toMatchObject({ ok: true });
    // The same keys in another order are the same canonical query.
    expect(await authenticate({ ...input, rawUrl: `${PATH}?c=&a=1&b=2&a=x+y` }, ctx())).toMatchObject({ ok: true });
    for (const raw of [`${PATH}?b=2&a=1&c=`, `${PATH}?b=2&a=x+y&a=1&a=1&c=`, `${PATH}?b=3&a=1&a=x+y&c=`, PATH]) {
      expect(await rejected({ ...input, rawUrl: raw }), raw).toMatchObject({ error: `InvalidSignatureException: ${SIGNATURE_MISMATCH}` });
    }
    const three = await signed({ query: { a: ['1', '2', '3'] } });
    expect(await authenticate(three, ctx())).toMatchObject({ ok: true });
    expect(await rejected({ ...three, rawUrl: `${PATH}?a=1&a=2` })).toMatchObject({ ok: false });
  });

  it('only the signed headers count: an unsigned header may change, a signed one may not', async () => {
    const input = await signed({ headers: { 'x-extra': 'one' } });
    expect(input.headers.authorization).toContain('x-extra');
    expect(await rejected(withAuth(input, input.headers.authorization, { 'x-extra': 'two' }))).toMatchObject({ ok: false });
    expect(await authenticate(withAuth(input, input.headers.authorization, { 'x-unsigned': 'anything' }), ctx())).toMatchObject({ ok: true });
    // A signed header that did not arrive is missing from the recomputation, so the signature differs.
    const { 'x-extra': _x, ...headers } = input.headers;
    expect(await rejected({ ...input, headers })).toMatchObject({ ok: false });
  });

  it('the host as signed: from Host, or from :authority when that was signed (HTTP/2)', async () => {
    // No Host header: the region is the emulator's own.
    const h2 = await signed({ authorityInsteadOfHost: true, host: 'bedrock-runtime.us-west-2.amazonaws.com', region: 'us-east-1' });
    expect(h2.headers.authorization).toContain(':authority');
    expect(await authenticate(h2, ctx())).toMatchObject({ ok: true });
    expect(await rejected({ ...h2, headers: { ...h2.headers, ':authority': 'bedrock-runtime.us-west-2.amazonaws.com:443' } })).toMatchObject({ ok: false });
    const { ':authority': _a, ...noAuthority } = h2.headers;
    expect(await rejected({ ...h2, headers: noAuthority })).toMatchObject({ ok: false });
  });

  it('a host signed without its port: strict refuses it, lenient accepts it; neither accepts another host', async () => {
    const input = await signed({ host: '127.0.0.1', sentHost: '127.0.0.1:4000', region: 'us-east-1' });
    expect(await rejected(input)).toMatchObject({ error: `InvalidSignatureException: ${SIGNATURE_MISMATCH}` });
    expect(await authenticate(input, ctx({ mode: 'lenient' }))).toEqual({ ok: true, kind: 'sigv4', accessKeyId: CRED.accessKeyId, region: 'us-east-1' });
    expect(await authenticate(await signed({ host: '127.0.0.1:4000', region: 'us-east-1' }), ctx({ mode: 'lenient' }))).toMatchObject({ ok: true });
    const elsewhere = await signed({ host: '127.0.0.2', sentHost: '127.0.0.1:4000', region: 'us-east-1' });
    expect(await rejected(elsewhere, ctx({ mode: 'lenient' }))).toMatchObject({ ok: false });
    const portOnly = await signed({ host: 'localhost', sentHost: 'localhost:', region: 'us-east-1' });
    expect(await rejected(portOnly, ctx({ mode: 'lenient' }))).toMatchObject({ ok: false });
  });

  it('a session token is part of the signature when signed', async () => {
    const input = await signed({ cred: TEMP });
    expect(input.headers.authorization).toContain('x-amz-security-token');
    expect(await authenticate(input, ctx())).toMatchObject({ ok: true });
    const changed = ctx({ credentials: new Map([[TEMP.accessKeyId, { ...TEMP, sessionToken: 'auth-test-session-token-0003' }]]) });
    expect(await rejected(withAuth(input, input.headers.authorization, { 'x-amz-security-token': 'auth-test-session-token-0003' }), changed)).toMatchObject({ error: `InvalidSignatureException: ${SIGNATURE_MISMATCH}` });
  });

  it('the path is signed double-encoded, as Bedrock does', async () => {
    const input = await signed({ path: '/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A1%3Aapplication-inference-profile%2Fabc/invoke' });
    expect(await authenticate(input, ctx())).toMatchObject({ ok: true });
    expect(await rejected({ ...input, rawUrl: '/model/arn:aws:bedrock:us-west-2:1:application-inference-profile/abc/invoke' })).toMatchObject({ ok: false });
  });

  it('the signing time is the x-amz-date to the second (month and day included)', async () => {
    for (const date of [Date.parse('2030-12-31T23:59:58Z'), Date.parse('2030-01-01T00:00:01Z')]) {
      const input = await signed({ date });
      expect(await authenticate(input, ctx({ now: date })), new Date(date).toISOString()).toMatchObject({ ok: true });
    }
  });
});
