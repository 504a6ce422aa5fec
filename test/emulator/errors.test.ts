import { afterEach, describe, expect, it } from 'vitest';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { applicationProfileArn, startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { creds, type Ev, messagesBody, runtimeClient, SONNET, streamEvents, textOf } from './sdk.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function streamError(e: EmulatorHandle, modelId = SONNET, body = messagesBody('hi'), over: Record<string, unknown> = {}): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const err = await streamEvents(runtimeClient(e, over), modelId, body).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(err instanceof Error)) throw new Error('expected the call to fail');
  return err;
}

const ok = { reply: { content: [{ type: 'text' as const, text: 'recovered fine' }] } };

describe('injected HTTP errors surface as the SDK’s typed exceptions', () => {
  it.each([
    ['ThrottlingException', 429, 'Too many tokens, please wait before trying again.'],
    ['AccessDeniedException', 403, "You don't have access to the model with the specified model ID."],
    ['ValidationException', 400, 'The provided model identifier is invalid.'],
    ['ServiceUnavailableException', 503, 'Bedrock is unable to process your request.'],
    ['InternalServerException', 500, 'The server encountered an internal error while processing the request.'],
    ['ModelNotReadyException', 429, 'The model specified in the request is not ready to serve inference requests.'],
    ['ExpiredTokenException', 403, 'The security token included in the request is expired'],
  ])('%s', async (errorType, status, message) => {
    const scenario: Scenario = { turns: [{ faults: [{ kind: 'http', errorType, message }] }, ok] };
    emu = await startEmulator({ scenario });
    const err = await streamError(emu);
    expect(err.name).toBe(errorType);
    expect(err.message).toBe(message);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(emu.requests[0].status).toBe(status);
    // The next turn answers: a fault consumed only its own turn.
    expect(textOf(await streamEvents(runtimeClient(emu), SONNET, messagesBody('again')))).toBe('recovered fine');
  });

  it('`times` fails N requests then the next turn succeeds', async () => {
    emu = await startEmulator({ scenario: { turns: [{ faults: [{ kind: 'http', errorType: 'ThrottlingException' }], times: 2 }, ok] } });
    expect((await streamError(emu)).name).toBe('ThrottlingException');
    expect((await streamError(emu)).name).toBe('ThrottlingException');
    expect(textOf(await streamEvents(runtimeClient(emu), SONNET, messagesBody('x')))).toBe('recovered fine');
  });
});

describe('mid-stream faults', () => {
  it.each([
    ['throttlingException', 'ThrottlingException'],
    ['modelStreamErrorException', 'ModelStreamErrorException'],
    ['InternalServerException', 'InternalServerException'],
    ['serviceUnavailableException', 'ServiceUnavailableException'],
    ['validationException', 'ValidationException'],
    ['modelTimeoutException', 'ModelTimeoutException'],
  ])('an exception frame (%s) raises the SDK stream exception %s after the first chunks', async (exceptionType, name) => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'one two three four five six seven eight nine ten' }] }, faults: [{ kind: 'exception', afterChunks: 3, exceptionType, message: 'stream broke' }] }] } });
    const res = await runtimeClient(emu).send(new (await import('@aws-sdk/client-bedrock-runtime')).InvokeModelWithResponseStreamCommand({ modelId: SONNET, body: messagesBody('hi') }));
    let chunks = 0;
    let caught: unknown;
    try {
      for await (const item of res.body ?? []) if (item.chunk) chunks++;
    } catch (e) {
      caught = e;
    }
    expect(chunks).toBe(3);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe(name);
    expect((caught as Error).message).toBe('stream broke');
  });

  it('a corrupted frame is rejected by the SDK decoder (checksum)', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'a b c d e f g h' }] }, faults: [{ kind: 'corrupt', afterChunks: 2 }] }] } });
    const err = await streamError(emu);
    expect(err.message).toMatch(/checksum/i);
  });

  it('a dropped connection surfaces as an error', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'a b c d e f g h' }] }, faults: [{ kind: 'drop', afterChunks: 2 }] }] } });
    const err = await streamError(emu);
    expect(err).toBeInstanceOf(Error);
  });

  it('a dropped connection on InvokeModel surfaces as an error', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'x' }] }, faults: [{ kind: 'drop', afterChunks: 0 }] }] } });
    const err = await runtimeClient(emu)
      .send(new InvokeModelCommand({ modelId: SONNET, body: messagesBody('hi') }))
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('delays before the first byte and between chunks still deliver the whole answer', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'slow and steady wins' }] }, faults: [{ kind: 'delay', firstByteMs: 5, betweenChunksMs: 1 }] }] } });
    expect(textOf(await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi')))).toBe('slow and steady wins');
  });
});

describe('authentication as Bedrock', () => {
  it('a wrong secret fails with the signature-mismatch error', async () => {
    emu = await startEmulator();
    const err = await streamError(emu, SONNET, messagesBody('hi'), { credentials: { ...creds, secretAccessKey: 'not-the-secret' } });
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  it('an unknown key id is UnrecognizedClientException', async () => {
    emu = await startEmulator();
    const err = await streamError(emu, SONNET, messagesBody('hi'), { credentials: { ...creds, accessKeyId: 'AKIAUNKNOWNKEY000000' } });
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.message).toBe('The security token included in the request is invalid.');
  });

  it('session credentials: the token is checked and expiry follows the emulator clock', async () => {
    emu = await startEmulator();
    const start = Date.now();
    emu.addCredential({ accessKeyId: 'ASIAEMULATORSESSION1', secretAccessKey: 'session-secret-0001', sessionToken: 'session-token-value-0001', expiresAt: start + 60_000 });
    const session = { accessKeyId: 'ASIAEMULATORSESSION1', secretAccessKey: 'session-secret-0001', sessionToken: 'session-token-value-0001' };
    expect(textOf(await streamEvents(runtimeClient(emu, { credentials: session }), SONNET, messagesBody('hi')))).toContain('hi');
    expect(emu.requests[0].headers['x-amz-security-token']).toBe('[REDACTED]');

    const wrongToken = await streamError(emu, SONNET, messagesBody('hi'), { credentials: { ...session, sessionToken: 'other-token' } });
    expect(wrongToken.name).toBe('UnrecognizedClientException');

    emu.advanceClock(61_000);
    const expired = await streamError(emu, SONNET, messagesBody('hi'), { credentials: session });
    expect(expired.name).toBe('ExpiredTokenException');
    expect(expired.message).toBe('The security token included in the request is expired');
    expect(expired.$metadata?.httpStatusCode).toBe(403);
    expect(JSON.stringify(emu.requests)).not.toContain('session-token-value-0001');
  });

  it('checkClockSkew: a request signed more than 5 minutes off the emulator clock is refused as AWS does, with the server time in Date', async () => {
    const skew = 20 * 60_000;
    emu = await startEmulator({ checkClockSkew: true, now: () => Date.now() + skew });
    const err = await streamError(emu);
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    expect(err.$metadata?.httpStatusCode).toBe(403);
    const date = (err as { $response?: { headers?: Record<string, string> } }).$response?.headers?.date;
    expect(Math.abs(Date.parse(date ?? '') - (Date.now() + skew))).toBeLessThan(5_000);
    // Signed on the server's time (the SDK's own clock offset), the same request passes.
    expect(textOf(await streamEvents(runtimeClient(emu, { systemClockOffset: skew }), SONNET, messagesBody('hi')))).toContain('hi');
    // Off by default: tests that move the clock are not refused.
    const plain = await startEmulator({ now: () => Date.now() + skew });
    try {
      expect(textOf(await streamEvents(runtimeClient(plain), SONNET, messagesBody('hi')))).toContain('hi');
    } finally {
      await plain.close();
    }
  });

  it('a credential scoped to another region is refused', async () => {
    emu = await startEmulator({ region: 'eu-west-1' });
    const err = await streamError(emu, 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', messagesBody('hi'), { region: 'us-east-1' });
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toContain("not 'us-east-1'");
  });

  it('an application-inference-profile ARN signs and verifies (double-encoded canonical path)', async () => {
    emu = await startEmulator({ scenario: { turns: [{ match: { modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }, reply: { content: [{ type: 'text', text: 'via the app profile' }] } }] } });
    const arn = applicationProfileArn('us-east-1');
    const events = await streamEvents(runtimeClient(emu), arn, messagesBody('hi'));
    expect(textOf(events)).toBe('via the app profile');
    expect(emu.requests[0].rawPath).toContain('arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2F');
    expect(emu.requests[0].modelId).toBe(arn);
    expect(emu.requests[0].auth.ok).toBe(true);
  });

  it('a request with no Authorization header gets the missing-auth error', async () => {
    emu = await startEmulator();
    const res = await fetch(`${emu.url}/model/${encodeURIComponent(SONNET)}/invoke`, { method: 'POST', body: messagesBody('hi') });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException:/);
    expect(await res.json()).toEqual({ Message: 'Authorization header is missing' });
  });

  it("authMode 'off' accepts unsigned requests", async () => {
    emu = await startEmulator({ authMode: 'off' });
    const res = await fetch(`${emu.url}/model/${encodeURIComponent(SONNET)}/invoke`, { method: 'POST', body: messagesBody('hello') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Ev).content[0].text).toContain('hello');
  });
});

describe('lenient auth mode', () => {
  async function signedWithoutPort(e: EmulatorHandle): Promise<Response> {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const body = messagesBody('hi');
    const path = `/model/${encodeURIComponent(SONNET)}/invoke`;
    const signer = new SignatureV4({ service: 'bedrock', region: 'us-east-1', credentials: creds, sha256: Hash.bind(null, 'sha256') });
    // A peer that signs for the host without its port (as some proxies present it).
    const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path, headers: { host: '127.0.0.1', 'content-type': 'application/json' }, body }));
    const { host: _h, ...headers } = signed.headers;
    return fetch(`${e.url}${path}`, { method: 'POST', headers, body });
  }

  it('strict refuses a signature over the host without port; lenient accepts it', async () => {
    emu = await startEmulator();
    const strict = await signedWithoutPort(emu);
    expect(strict.status).toBe(403);
    expect(strict.headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException:/);
    await emu.close();
    emu = await startEmulator({ authMode: 'lenient' });
    const lenient = await signedWithoutPort(emu);
    expect(lenient.status).toBe(200);
    expect(emu.requests[0].auth).toMatchObject({ ok: true, kind: 'sigv4' });
  });
});
