/**
 * SigV4 against an independent oracle. bcode's signer and the emulator's verifier both use
 * @smithy/signature-v4, so a bug shared by the two (or a verifier that accepts too much) would
 * pass every end-to-end test. These vectors come from neither: `sigv4-vectors/sigv4_oracle.py`
 * computes them with Python's hashlib/hmac from AWS's public description of Signature Version 4,
 * after checking itself against AWS's own published test-suite vectors (see the README there).
 *
 * - the emulator's verifier accepts each vector's request and rejects it, with Bedrock's error,
 *   when one byte of the body, one signed header, the date, the path or the signature changes;
 * - bcode's transport, signing the same request with the same clock and credentials, produces the
 *   vector's path, headers and Authorization exactly.
 */
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, type AuthContext, type AuthInput } from '../../src/emulator/auth.js';
import { SIGNATURE_MISMATCH } from '../../src/emulator/aws-errors.js';
import { startEmulator, type EmulatorCredential, type EmulatorHandle } from '../../src/emulator/index.js';
import { requestBuilder } from '../../src/bedrock/transport.js';
import { TestCredentials } from './helpers.js';

interface Vector {
  name: string;
  about: string;
  client: 'bcode' | 'other';
  endpoint: string;
  region: string;
  modelId: string;
  operation: 'invoke' | 'invoke-with-response-stream';
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  amzDate: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  bodySha256: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const DIR = path.join(import.meta.dirname, 'sigv4-vectors');
const VECTORS_TEXT = readFileSync(path.join(DIR, 'vectors.json'), 'utf8');
const VECTORS = (JSON.parse(VECTORS_TEXT) as { vectors: Vector[] }).vectors;
const CONTENT_SHA_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed.";
const PYTHON = spawnSync('python3', ['--version']).status === 0;

/** What the emulator receives: the vector's headers plus the Authorization it carries. */
function received(v: Vector): AuthInput {
  return { method: v.method, rawUrl: v.path, headers: { ...v.headers, authorization: v.authorization }, body: Buffer.from(v.body, 'utf8') };
}

function context(v: Vector, credentials: EmulatorCredential[] = [v.credentials]): AuthContext {
  // The emulator's own region differs from every vector's on purpose where the host names one.
  return { mode: 'strict', region: 'us-east-1', credentials: new Map(credentials.map((c) => [c.accessKeyId, c])), apiKeys: new Set(), now: Date.parse('2025-03-01T12:00:00Z') };
}

/** The same string with one character changed (same length, so framing stays valid). */
function oneCharOff(s: string, at = s.length - 1): string {
  const c = s[at];
  const other = c === '0' ? '1' : /[0-9]/.test(c) ? '0' : c === 'a' ? 'b' : 'a';
  return s.slice(0, at) + other + s.slice(at + 1);
}

async function rejection(input: AuthInput, ctx: AuthContext) {
  const out = await authenticate(input, ctx);
  expect(out.ok, 'the verifier accepted a request it must reject').toBe(false);
  return { status: out.reply?.status, errorType: out.reply?.errorType, message: out.reply?.message };
}

describe('SigV4 oracle vectors (Python stdlib, independent of @smithy)', () => {
  it.skipIf(!PYTHON)('vectors.json is exactly what sigv4_oracle.py generates (after its self-check against AWS test-suite vectors)', () => {
    const r = spawnSync('python3', [path.join(DIR, 'sigv4_oracle.py')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(VECTORS_TEXT);
  });
  if (!PYTHON) console.warn('sigv4-oracle: python3 not found — the checked-in vectors are used without regenerating them');

  it('covers the body hash, double-encoded ids and ARNs, a host with a port, a session token', () => {
    const all = VECTORS.map((v) => v.canonicalRequest).join('\n');
    expect(all).toContain('%253A');
    expect(all).toContain('application-inference-profile%252F');
    expect(VECTORS.some((v) => /:\d+$/.test(v.headers.host))).toBe(true);
    expect(VECTORS.some((v) => v.headers['x-amz-security-token'])).toBe(true);
    expect(VECTORS.some((v) => v.headers['x-amz-content-sha256'])).toBe(true);
    expect(VECTORS.some((v) => !v.headers['x-amz-content-sha256'])).toBe(true);
  });
});

describe.each(VECTORS.map((v) => [v.name, v] as const))("the emulator's verifier on vector %s", (_name, v) => {
  it('accepts the request as signed', async () => {
    const out = await authenticate(received(v), context(v));
    expect(out).toEqual({ ok: true, kind: 'sigv4', accessKeyId: v.credentials.accessKeyId, region: v.region });
  });

  it('rejects one byte of the body changed', async () => {
    const input = received(v);
    const body = Buffer.from(input.body);
    body[body.length - 3] ^= 0x01;
    const r = await rejection({ ...input, body }, context(v));
    // With the hash header, the body is checked against it; without, the signature no longer matches.
    expect(r).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: v.headers['x-amz-content-sha256'] ? CONTENT_SHA_MISMATCH : SIGNATURE_MISMATCH });
  });

  it('rejects a signed header changed, one at a time', async () => {
    const signed = /SignedHeaders=([^,]+)/.exec(v.authorization)![1].split(';');
    expect(signed.length).toBeGreaterThanOrEqual(5);
    for (const name of signed) {
      const input = received(v);
      const r = await rejection({ ...input, headers: { ...input.headers, [name]: oneCharOff(input.headers[name], name === 'x-amz-date' ? 14 : undefined) } }, context(v));
      if (name === 'x-amz-security-token') expect(r, name).toMatchObject({ status: 403, errorType: 'UnrecognizedClientException' });
      else if (name === 'x-amz-content-sha256') expect(r, name).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: CONTENT_SHA_MISMATCH });
      else expect(r, name).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
    }
  });

  it('rejects a signed header left out', async () => {
    for (const name of ['content-type', v.operation === 'invoke' ? 'accept' : 'x-amzn-bedrock-accept']) {
      const input = received(v);
      const { [name]: _dropped, ...headers } = input.headers;
      expect(await rejection({ ...input, headers }, context(v)), name).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
    }
  });

  it('rejects the date moved by one second, and a date of another day than the scope', async () => {
    const input = received(v);
    const later = { ...input, headers: { ...input.headers, 'x-amz-date': oneCharOff(v.amzDate, v.amzDate.length - 2) } };
    expect(await rejection(later, context(v))).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
    const nextDay = { ...input, headers: { ...input.headers, 'x-amz-date': v.amzDate.replace(/^(\d{6})01/, '$102') } };
    expect(await rejection(nextDay, context(v))).toMatchObject({ status: 403, errorType: 'InvalidSignatureException', message: expect.stringMatching(/^Date in Credential scope does not match/) });
  });

  it('rejects the path changed: one byte, or the model id sent singly encoded', async () => {
    const input = received(v);
    expect(await rejection({ ...input, rawUrl: v.path.replace(/invoke/, 'invokf') }, context(v))).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
    // The wire path decoded once (':' and '/' literal): what a client that does not encode the label sends.
    const decoded = v.path.replace(/%3A/g, ':');
    expect(decoded).not.toBe(v.path);
    expect(await rejection({ ...input, rawUrl: decoded }, context(v))).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
  });

  it('rejects a signature with one hex digit changed, and the right signature under another secret', async () => {
    const input = received(v);
    const bad = { ...input, headers: { ...input.headers, authorization: oneCharOff(v.authorization) } };
    expect(await rejection(bad, context(v))).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
    const otherSecret = { ...v.credentials, secretAccessKey: oneCharOff(v.credentials.secretAccessKey) };
    expect(await rejection(input, context(v, [otherSecret]))).toEqual({ status: 403, errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH });
  });

  it('rejects the request scoped to another region than its host names', async () => {
    const input = received(v);
    const other = v.region === 'us-east-1' ? 'eu-west-1' : 'us-east-1';
    const auth = v.authorization.replace(`/${v.region}/`, `/${other}/`);
    expect(await rejection({ ...input, headers: { ...input.headers, authorization: auth } }, context(v))).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
  });
});

describe('the running emulator, over HTTP, on the vectors', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    const creds = new Map(VECTORS.map((v) => [v.credentials.accessKeyId, v.credentials]));
    emulator = await startEmulator({ credentials: [...creds.values()], scenario: { turns: [], whenExhausted: 'echo' } });
  });
  afterAll(() => emulator.close());

  function send(v: Vector, body: Buffer): Promise<{ status: number; errorType: string | undefined; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: emulator.port, method: v.method, path: v.path, headers: { ...v.headers, authorization: v.authorization } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, errorType: res.headers['x-amzn-errortype'] as string | undefined, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it.each(VECTORS.map((v) => [v.name, v] as const))('%s: verified as sent; one body byte off → 403 InvalidSignatureException', async (_name, v) => {
    const before = emulator.requests.length;
    const good = await send(v, Buffer.from(v.body, 'utf8'));
    expect(good.status, good.text).not.toBe(403);
    expect(emulator.requests[before].auth).toMatchObject({ ok: true, kind: 'sigv4', region: v.region });
    const body = Buffer.from(v.body, 'utf8');
    body[5] ^= 0x01;
    const bad = await send(v, body);
    expect(bad.status).toBe(403);
    expect(bad.errorType).toMatch(/^InvalidSignatureException:/);
    expect(emulator.requests[before + 1].auth.ok).toBe(false);
  });
});

describe.each(VECTORS.filter((v) => v.client === 'bcode').map((v) => [v.name, v] as const))("bcode's signer on vector %s", (_name, v) => {
  it('signs the same request, at the same time with the same credentials, exactly as the oracle', async () => {
    const customHeaders = Object.fromEntries(Object.entries(v.headers).filter(([k]) => k.startsWith('x-amzn-bedrock-guardrail')));
    const build = requestBuilder({ region: v.region, endpoint: v.endpoint, auth: { mode: 'sigv4', credentials: new TestCredentials(v.credentials) }, timeoutMs: 10_000, customHeaders });
    const signingDate = new Date(v.amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const wire = await build(v.operation, v.modelId, Buffer.from(v.body, 'utf8'), signingDate);
    expect(wire.path).toBe(v.path);
    const signed = /SignedHeaders=([^,]+)/.exec(v.authorization)![1].split(';');
    for (const name of signed) expect(wire.headers[name], name).toBe(v.headers[name]);
    expect(Object.keys(wire.headers).sort()).toEqual([...Object.keys(v.headers), 'authorization'].sort());
    expect(wire.headers.authorization).toBe(v.authorization);
  });
});
