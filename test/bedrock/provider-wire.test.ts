/**
 * The provider against the emulator, through the real wire (HTTP, SigV4 / bearer, event
 * streams): one test per requirement, asserting on what the emulator recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../src/bedrock/provider.js';
import { applicationProfileArn, startEmulator, TEST_API_KEY, TEST_CREDENTIALS, type EmulatorHandle, type EmulatorOptions, type Scenario } from '../../src/emulator/index.js';
import { ClockSkewError, CredentialsExpiredError, CredentialsInvalidError } from '../../src/bedrock/errors.js';
import { TestCredentials, catchError, collect, fakeSleep, makeConfig, retryCollector, simpleRequest, startProxy, startRawServer, type Proxy } from './helpers.js';
import type { StreamEvent } from '../../src/bedrock/anthropic.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const e = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' }, ...options });
  open.push(e);
  return e;
}

async function proxy(target: string, opts: Parameters<typeof startProxy>[1]): Promise<Proxy> {
  const p = await startProxy(target, opts);
  open.push(p);
  return p;
}

const textTurn = (text: string): Scenario['turns'][number] => ({ reply: { content: [{ type: 'text', text }] } });

function textOf(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '')).join('');
}

describe('B15 streaming through InvokeModelWithResponseStream', () => {
  it('sends the Anthropic body to /model/{id}/invoke-with-response-stream and yields typed events with metrics', async () => {
    const emu = await emulator({ scenario: { turns: [textTurn('streamed answer')] } });
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    const events = await collect(provider.stream(simpleRequest('hi', { anthropic_beta: ['interleaved-thinking-2025-05-14'] }), { role: 'main' }));

    expect(textOf(events)).toBe('streamed answer');
    expect(events.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const stop = events.at(-1) as Extract<StreamEvent, { type: 'message_stop' }>;
    expect(stop['amazon-bedrock-invocationMetrics']?.outputTokenCount).toBeGreaterThan(0);

    const [r] = emu.requests;
    expect(r.operation).toBe('InvokeModelWithResponseStream');
    expect(r.rawPath).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream');
    expect(r.auth).toMatchObject({ ok: true, kind: 'sigv4', region: 'us-east-1', accessKeyId: TEST_CREDENTIALS[0].accessKeyId });
    const body = r.body as Record<string, unknown>;
    expect(body.anthropic_version).toBe('bedrock-2023-05-31');
    expect(body.anthropic_beta).toEqual(['interleaved-thinking-2025-05-14']);
    expect(body).not.toHaveProperty('model');
    expect(body).not.toHaveProperty('stream');
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('invoke() uses InvokeModel for small non-streamed calls', async () => {
    const emu = await emulator({ scenario: { turns: [textTurn('title: x')] } });
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    const msg = await provider.invoke(simpleRequest(), { role: 'smallFast' });
    expect(msg.content).toEqual([{ type: 'text', text: 'title: x' }]);
    expect(emu.requests[0].operation).toBe('InvokeModel');
    expect(emu.requests[0].rawPath).toBe('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke');
    expect(emu.requests[0].auth.ok).toBe(true);
  });
});

describe('B10 model ids on the wire', () => {
  it('sends an application-inference-profile ARN as one URL-encoded path segment', async () => {
    const emu = await emulator();
    const arn = applicationProfileArn('us-east-1');
    const provider = await createProvider(makeConfig(emu.url, { models: { main: { id: arn } } }), { credentials: new TestCredentials() });
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    // B22: the profile's base model is looked up once first (GetInferenceProfile), then the call.
    const [lookup, r] = emu.requests;
    expect(lookup.operation).toBe('GetInferenceProfile');
    expect(r.rawPath).toBe(`/model/${encodeURIComponent(arn)}/invoke-with-response-stream`);
    expect(r.rawPath.split('/')).toHaveLength(4);
    expect(r.modelId).toBe(arn);
    expect(r.status).toBe(200);
    expect(r.auth.ok).toBe(true);
  });

  it('a per-call model override (--model, sub-agents) goes to the path', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    await provider.invoke(simpleRequest(), { role: 'main', modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(emu.requests[0].modelId).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
  });
});

describe('B11 small/fast model in its own region', () => {
  it('sends small/fast calls to that region, signed for it; main calls stay in the main region', async () => {
    const east = await emulator({ region: 'us-east-1' });
    const west = await emulator({ region: 'eu-west-1' });
    const config = makeConfig(east.url, { models: { smallFast: { id: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', region: 'eu-west-1', endpoint: west.url } } });
    const provider = await createProvider(config, { credentials: new TestCredentials() });
    await provider.invoke(simpleRequest(), { role: 'smallFast' });
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    expect(west.requests).toHaveLength(1);
    expect(west.requests[0].auth).toMatchObject({ ok: true, region: 'eu-west-1' });
    expect(west.requests[0].modelId).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(east.requests).toHaveLength(1);
    expect(east.requests[0].auth).toMatchObject({ ok: true, region: 'us-east-1' });
  });

  it('a request signed for the wrong region is refused (the check above can fail)', async () => {
    const west = await emulator({ region: 'eu-west-1' });
    // Misconfigured on purpose: endpoint of eu-west-1, signed for us-east-1.
    const config = makeConfig(west.url, { models: { smallFast: { region: 'us-east-1' } } });
    const provider = await createProvider(config, { credentials: new TestCredentials() });
    const err = await catchError(provider.invoke(simpleRequest(), { role: 'smallFast' }));
    expect(err).toBeInstanceOf(CredentialsInvalidError);
    expect(west.requests[0].auth.ok).toBe(false);
  });
});

describe('B3 SigV4 credentials from a CredentialSource', () => {
  it('resolves credentials lazily, from the source the config describes (env keys)', async () => {
    const emu = await emulator();
    const config = makeConfig(emu.url, { env: { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey } });
    const provider = await createProvider(config);
    expect(emu.requests).toHaveLength(0);
    await provider.invoke(simpleRequest(), { role: 'main' });
    expect(emu.requests[0].auth).toMatchObject({ ok: true, kind: 'sigv4', accessKeyId: TEST_CREDENTIALS[0].accessKeyId });
  });

  it('refreshes once on ExpiredTokenException and retries with the new credentials', async () => {
    const stale = { accessKeyId: 'AKIAEMULATORSTALE001', secretAccessKey: 'stale/secret/for/tests/only/000000000001', expiresAt: 1 };
    const fresh = { accessKeyId: 'AKIAEMULATORFRESH001', secretAccessKey: 'fresh/secret/for/tests/only/000000000001' };
    const emu = await emulator({ credentials: [stale, fresh] });
    const creds = new TestCredentials({ accessKeyId: stale.accessKeyId, secretAccessKey: stale.secretAccessKey }, fresh);
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    const events = await collect(provider.stream(simpleRequest(), { role: 'main' }));
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(creds.refreshes).toHaveLength(1);
    expect(creds.refreshes[0]).toContain('ExpiredTokenException');
    expect(emu.requests.map((r) => [r.auth.accessKeyId, r.status])).toEqual([
      [stale.accessKeyId, 403],
      [fresh.accessKeyId, 200],
    ]);
  });

  it('asks the source for every request, so credentials it rotates on its own are used at once', async () => {
    const other = { accessKeyId: 'AKIAEMULATOROTHER002', secretAccessKey: 'other/secret/for/tests/only/000000000002' };
    const emu = await emulator({ credentials: [...TEST_CREDENTIALS, other] });
    const creds = new TestCredentials();
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    await provider.invoke(simpleRequest(), { role: 'main' });
    creds.current = other;
    await provider.invoke(simpleRequest(), { role: 'main' });
    expect(emu.requests.map((r) => r.auth.accessKeyId)).toEqual([TEST_CREDENTIALS[0].accessKeyId, other.accessKeyId]);
    expect(creds.refreshes).toEqual([]);
  });

  it('a second credential failure after the refresh is a typed error, not a loop', async () => {
    const stale = { accessKeyId: 'AKIAEMULATORSTALE002', secretAccessKey: 'stale/secret/for/tests/only/000000000002', expiresAt: 1 };
    const emu = await emulator({ credentials: [stale] });
    const creds = new TestCredentials({ accessKeyId: stale.accessKeyId, secretAccessKey: stale.secretAccessKey });
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    const err = await catchError(provider.invoke(simpleRequest(), { role: 'main' }));
    expect(err).toBeInstanceOf(CredentialsExpiredError);
    expect((err as Error).message).toContain('still rejected after refreshing');
    expect((err as CredentialsExpiredError).hint).toContain('awsAuthRefresh');
    expect(creds.refreshes).toHaveLength(1);
    expect(emu.requests).toHaveLength(2);
    expect(JSON.stringify(err)).not.toContain(stale.secretAccessKey);
  });

  it('a stray AWS_BEARER_TOKEN_BEDROCK in the process environment does not switch a SigV4 config to bearer', async () => {
    const emu = await emulator();
    const saved = process.env.AWS_BEARER_TOKEN_BEDROCK;
    process.env.AWS_BEARER_TOKEN_BEDROCK = 'not-a-real-key-0000000000';
    try {
      const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
      await provider.invoke(simpleRequest(), { role: 'main' });
    } finally {
      if (saved === undefined) delete process.env.AWS_BEARER_TOKEN_BEDROCK;
      else process.env.AWS_BEARER_TOKEN_BEDROCK = saved;
    }
    expect(emu.requests[0].auth).toMatchObject({ ok: true, kind: 'sigv4' });
  });
});

describe('B4 bearer keys', () => {
  it('sends Authorization: Bearer with the API key and no SigV4 headers', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url, { auth: { mode: 'bearer', bearerToken: TEST_API_KEY } }));
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    await provider.invoke(simpleRequest(), { role: 'smallFast' });
    for (const r of emu.requests) {
      expect(r.auth).toMatchObject({ ok: true, kind: 'bearer' });
      expect(r.headers.authorization).toMatch(/^Bearer /);
      expect(r.headers.authorization).not.toContain(TEST_API_KEY);
      expect(r.headers).not.toHaveProperty('x-amz-date');
    }
  });

  it('warns once, through onNotice, when a short-term key is about to expire', async () => {
    const issued = Date.UTC(2026, 0, 1, 12, 0, 0);
    const url = 'bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fbedrock%2Faws4_request&X-Amz-Date=20260101T120000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&Version=1';
    const key = `bedrock-api-key-${Buffer.from(url).toString('base64')}`;
    const emu = await emulator({ apiKeys: [key] });
    const notices: string[] = [];
    const provider = await createProvider(makeConfig(emu.url, { auth: { mode: 'bearer', bearerToken: key } }), { now: () => issued + 55 * 60_000 });
    await provider.invoke(simpleRequest(), { role: 'main', onNotice: (t) => notices.push(t) });
    await provider.invoke(simpleRequest(), { role: 'main', onNotice: (t) => notices.push(t) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('expires at 2026-01-01T13:00:00Z');
    expect(notices[0]).not.toContain(key);
    expect(emu.requests.every((r) => r.auth.ok && r.auth.kind === 'bearer')).toBe(true);
  });

  it('a rejected key is reported as such (no refresh, no retry)', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url, { auth: { mode: 'bearer', bearerToken: 'ABSKbm90LWEtdmFsaWQta2V5OnNlY3JldA==' } }));
    const err = await catchError(provider.invoke(simpleRequest(), { role: 'main' }));
    expect((err as Error).name).toBe('BearerKeyRejectedError');
    expect((err as Error).message).toContain('AWS_BEARER_TOKEN_BEDROCK');
    expect((err as Error).message).not.toContain('ABSKbm90');
    expect(emu.requests).toHaveLength(1);
  });
});

describe('B12 prompt caching off', () => {
  const cached = () =>
    simpleRequest('x', {
      system: [{ type: 'text', text: 'system prompt', cache_control: { type: 'ephemeral' } }],
      tools: [{ name: 'Read', description: 'read', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }],
    });

  it('no cache_control reaches Bedrock when DISABLE_PROMPT_CACHING is set, even if the caller placed some', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url, { promptCaching: false }), { credentials: new TestCredentials() });
    await collect(provider.stream(cached(), { role: 'main' }));
    await provider.invoke(cached(), { role: 'smallFast' });
    for (const r of emu.requests) expect(JSON.stringify(r.body)).not.toContain('cache_control');
  });

  it('with caching on, the markers are sent as placed where the prefix can be cached', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    const big = cached();
    big.system = [{ type: 'text', text: 'system prompt '.repeat(800), cache_control: { type: 'ephemeral' } }];
    await collect(provider.stream(big, { role: 'main' }));
    expect(JSON.stringify(emu.requests[0].body).match(/cache_control/g)).toHaveLength(2);
    // B22: below the model's minimum (1024 tokens for Sonnet 4.5) a marker caches nothing: none is sent.
    await collect(provider.stream(cached(), { role: 'main' }));
    expect(JSON.stringify(emu.requests[1].body)).not.toContain('cache_control');
  });
});

describe('B13 max_tokens and thinking', () => {
  it('passes max_tokens and the thinking budget through unchanged', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    await collect(provider.stream(simpleRequest('x', { max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 2048 } }), { role: 'main' }));
    expect(emu.requests[0].body).toMatchObject({ max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 2048 } });
  });
});

describe('B14 custom headers', () => {
  it('adds ANTHROPIC_CUSTOM_HEADERS to every model request, signed', async () => {
    const emu = await emulator();
    const headers = { 'X-Amzn-Bedrock-GuardrailIdentifier': 'gr-emu-1', 'X-Amzn-Bedrock-GuardrailVersion': '3', 'X-Team': 'platform' };
    const provider = await createProvider(makeConfig(emu.url, { customHeaders: headers }), { credentials: new TestCredentials() });
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    await provider.invoke(simpleRequest(), { role: 'smallFast' });
    expect(emu.requests).toHaveLength(2);
    for (const r of emu.requests) {
      expect(r.headers['x-amzn-bedrock-guardrailidentifier']).toBe('gr-emu-1');
      expect(r.headers['x-amzn-bedrock-guardrailversion']).toBe('3');
      expect(r.headers['x-team']).toBe('platform');
      expect(r.auth.ok).toBe(true);
    }
  });
});

describe('clock skew', () => {
  const MIN = 60_000;

  it('a "Signature expired" rejection corrects the signing clock from the Date header and retries once, without refreshing credentials', async () => {
    const emu = await emulator({ checkClockSkew: true, now: () => Date.now() + 20 * MIN });
    const creds = new TestCredentials();
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    const events = await collect(provider.stream(simpleRequest(), { role: 'main' }));
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(emu.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(emu.requests[0].auth.error).toMatch(/Signature expired/);
    expect(creds.refreshes).toEqual([]);
    // The offset is kept: the next request is signed on the server's time at once.
    await provider.invoke(simpleRequest(), { role: 'main' });
    expect(emu.requests.map((r) => r.status)).toEqual([403, 200, 200]);
  });

  it('a clock ahead of the server ("Signature not yet current") is corrected the same way', async () => {
    const emu = await emulator({ checkClockSkew: true, now: () => Date.now() - 20 * MIN });
    const creds = new TestCredentials();
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    await provider.invoke(simpleRequest(), { role: 'main' });
    expect(emu.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(emu.requests[0].auth.error).toMatch(/Signature not yet current/);
    expect(creds.refreshes).toEqual([]);
  });

  it('a skew rejection the clock correction cannot fix is a ClockSkewError, never a credential refresh', async () => {
    let calls = 0;
    const server = await startRawServer((_req, res) => {
      calls++;
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
      res.end(JSON.stringify({ message: 'Signature expired: 20250101T000000Z is now earlier than 20250101T000500Z (20250101T001000Z - 5 min.)' }));
    });
    open.push(server);
    const creds = new TestCredentials();
    const provider = await createProvider(makeConfig(server.url), { credentials: creds });
    const err = await catchError(provider.invoke(simpleRequest(), { role: 'main' }));
    expect(err).toBeInstanceOf(ClockSkewError);
    expect((err as ClockSkewError).hint).toMatch(/clock/);
    expect(creds.refreshes).toEqual([]);
    // The server's Date header matches this clock: no correction to try, one request.
    expect(calls).toBe(1);
  });

  it('true expiry is still detected: ExpiredTokenException (clock checks on) refreshes once as before', async () => {
    const stale = { accessKeyId: 'AKIAEMULATORSTALE003', secretAccessKey: 'stale/secret/for/tests/only/000000000003', expiresAt: 1 };
    const fresh = { accessKeyId: 'AKIAEMULATORFRESH003', secretAccessKey: 'fresh/secret/for/tests/only/000000000003' };
    const emu = await emulator({ checkClockSkew: true, credentials: [stale, fresh] });
    const creds = new TestCredentials({ accessKeyId: stale.accessKeyId, secretAccessKey: stale.secretAccessKey }, fresh);
    const provider = await createProvider(makeConfig(emu.url), { credentials: creds });
    await provider.invoke(simpleRequest(), { role: 'main' });
    expect(creds.refreshes).toHaveLength(1);
    expect(emu.requests.map((r) => r.status)).toEqual([403, 200]);
  });
});

describe('request identity', () => {
  it('every model request carries user-agent bcode/<version>', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    await provider.invoke(simpleRequest(), { role: 'smallFast' });
    expect(emu.requests).toHaveLength(2);
    for (const r of emu.requests) expect(r.headers['user-agent']).toMatch(/^bcode\/\S+$/);
  });

  it('custom headers cannot replace the computed or signed ones, whatever their case', async () => {
    const emu = await emulator();
    const customHeaders = { Host: 'evil.example', 'Content-Type': 'text/plain', 'User-Agent': 'spoof/1', 'X-Amz-Date': '20000101T000000Z', 'X-Amz-Content-Sha256': 'abc', Authorization: 'Bearer nope', 'X-Team': 'platform' };
    const provider = await createProvider(makeConfig(emu.url, { customHeaders }), { credentials: new TestCredentials() });
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    const r = emu.requests[0];
    expect(r.auth.ok).toBe(true);
    expect(r.headers['user-agent']).toMatch(/^bcode\//);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.host).toBe(new URL(emu.url).host);
    expect(r.headers['x-team']).toBe('platform');
  });
});

describe('B16 endpoint override and unsigned mode', () => {
  it('ANTHROPIC_BEDROCK_BASE_URL with a path prefix: requests go under the prefix', async () => {
    const emu = await emulator();
    const gw = await proxy(emu.url, { prefix: '/bedrock/v1' });
    expect(gw.url).toMatch(/\/bedrock\/v1$/);
    const provider = await createProvider(makeConfig(gw.url, { auth: { mode: 'bearer', bearerToken: TEST_API_KEY } }));
    const events = await collect(provider.stream(simpleRequest(), { role: 'main' }));
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(gw.seen[0].path).toBe('/bedrock/v1/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream');
    expect(emu.requests[0].rawPath).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream');
    expect(emu.requests[0].auth.ok).toBe(true);
  });

  it('CLAUDE_CODE_SKIP_BEDROCK_AUTH: requests go unsigned', async () => {
    const emu = await emulator({ authMode: 'off' });
    const provider = await createProvider(makeConfig(emu.url, { auth: { mode: 'none' } }));
    await collect(provider.stream(simpleRequest(), { role: 'main' }));
    await provider.invoke(simpleRequest(), { role: 'smallFast' });
    for (const r of emu.requests) {
      expect(r.status).toBe(200);
      expect(r.auth.kind).toBe('none');
      expect(r.headers).not.toHaveProperty('authorization');
      expect(r.headers).not.toHaveProperty('x-amz-date');
      expect(r.headers).not.toHaveProperty('x-amz-security-token');
    }
  });

  it('unsigned requests to an endpoint that needs auth fail with a hint naming the variable', async () => {
    const emu = await emulator();
    const provider = await createProvider(makeConfig(emu.url, { auth: { mode: 'none' } }), { sleep: fakeSleep().sleep });
    const err = await catchError(provider.invoke(simpleRequest(), { role: 'main' }));
    expect(err).toBeInstanceOf(CredentialsInvalidError);
    expect((err as CredentialsInvalidError).hint).toContain('CLAUDE_CODE_SKIP_BEDROCK_AUTH');
  });
});

describe('R1 retries', () => {
  it('retries throttling with backoff, reports each wait before sleeping, then succeeds', async () => {
    const emu = await emulator({ scenario: { turns: [{ faults: [{ kind: 'http', errorType: 'ThrottlingException', message: 'Too many tokens, please wait before trying again.' }], times: 2 }, textTurn('finally')] } });
    const { onRetry, notices } = retryCollector();
    const order: string[] = [];
    const provider = await createProvider(makeConfig(emu.url), {
      credentials: new TestCredentials(),
      random: () => 0.5,
      retry: { baseDelayMs: 1000 },
      sleep: async (ms) => void order.push(`sleep ${ms} after ${notices.length} notices`),
    });
    const events = await collect(provider.stream(simpleRequest(), { role: 'main', onRetry }));
    expect(textOf(events)).toBe('finally');
    expect(notices.map((n) => [n.attempt, n.reason, n.delayMs])).toEqual([
      [1, 'rate_limit', 750],
      [2, 'rate_limit', 1500],
    ]);
    expect(order).toEqual(['sleep 750 after 1 notices', 'sleep 1500 after 2 notices']);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });
});
