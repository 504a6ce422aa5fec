/**
 * R1 (retries that match the failure), B28 (stream watchdog), B24 (failover): the provider
 * against the emulator over real HTTP, with the emulator's scripted faults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/bedrock/anthropic.js';
import { NetworkError, StreamInterruptedError, ThrottledError } from '../../src/bedrock/errors.js';
import type { FailoverNotice } from '../../src/bedrock/failover.js';
import { createProvider, type ProviderOptions } from '../../src/bedrock/provider.js';
import { DEFAULT_RETRY_POLICY, fitTimeout } from '../../src/bedrock/retry.js';
import { agentOptions, createTransport, KEEP_ALIVE_IDLE_MS } from '../../src/bedrock/transport.js';
import type { Config } from '../../src/config/types.js';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { MAIN_MODEL, TestCredentials, catchError, collect, makeConfig, retryCollector, simpleRequest } from './helpers.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

async function emulator(scenario: Scenario): Promise<EmulatorHandle> {
  const e = await startEmulator({ scenario });
  open.push(e);
  return e;
}

const ANSWER = 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen.';
const reply = { content: [{ type: 'text' as const, text: ANSWER }] };
const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '')).join('');
const streamCalls = (emu: EmulatorHandle) => emu.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');

async function provider(config: Config, extra: ProviderOptions = {}) {
  const waits: number[] = [];
  const p = await createProvider(config, { credentials: new TestCredentials(), sleep: async (ms) => void waits.push(ms), random: () => 0, ...extra });
  return { p, waits };
}

/** What a caller that can restart (the agent loop) keeps: only the events after the last restart. */
async function restartable(stream: (onRestart: () => void) => AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; restarts: number }> {
  let events: StreamEvent[] = [];
  let restarts = 0;
  for await (const e of stream(() => {
    restarts++;
    events = [];
  })) events.push(e);
  return { events, restarts };
}

describe('R1: a failure after content arrived is retried with backoff, and the answer is not duplicated', () => {
  it('mid-stream throttling twice → two backoff waits (429, restart), then one clean answer', async () => {
    const emu = await emulator({
      turns: [{ reply, faults: [{ kind: 'exception', afterChunks: 4, exceptionType: 'throttlingException', message: 'Too many tokens, please wait before trying again.' }], times: 2 }, { reply }],
    });
    const { onRetry, notices } = retryCollector();
    const { p, waits } = await provider(makeConfig(emu.url));
    const { events, restarts } = await restartable((onRestart) => p.stream(simpleRequest(), { role: 'main', onRetry, onRestart }));
    expect(textOf(events)).toBe(ANSWER);
    expect(events.filter((e) => e.type === 'message_start')).toHaveLength(1);
    expect(restarts).toBe(2);
    // The same equal-jitter backoff as an HTTP 429 (random 0 → half of base·2^(n-1)), never 0.
    expect(waits).toEqual([500, 1000]);
    expect(notices.map((n) => [n.reason, n.status, n.restart, n.attempt])).toEqual([
      ['rate_limit', 429, true, 1],
      ['rate_limit', 429, true, 2],
    ]);
    expect(streamCalls(emu)).toHaveLength(3);
  });

  it('a dropped connection and a damaged frame after content are retried the same way', async () => {
    const emu = await emulator({
      turns: [
        { reply, faults: [{ kind: 'drop', afterChunks: 5 }] },
        { reply, faults: [{ kind: 'corrupt', afterChunks: 5 }] },
        { reply },
      ],
    });
    const { onRetry, notices } = retryCollector();
    const { p, waits } = await provider(makeConfig(emu.url));
    const { events } = await restartable((onRestart) => p.stream(simpleRequest(), { role: 'main', onRetry, onRestart }));
    expect(textOf(events)).toBe(ANSWER);
    expect(waits).toEqual([500, 1000]);
    expect(notices.every((n) => n.restart)).toBe(true);
  });

  it('the bound holds after content too: the last failure ends the stream, marked not to be re-run', async () => {
    const emu = await emulator({ turns: [{ reply, faults: [{ kind: 'exception', afterChunks: 4, exceptionType: 'serviceUnavailableException' }], times: 10 }] });
    const { p, waits } = await provider(makeConfig(emu.url), { retry: { maxRetries: 2 } });
    const err = await catchError(restartable((onRestart) => p.stream(simpleRequest(), { role: 'main', onRestart })));
    expect(err).toBeInstanceOf(StreamInterruptedError);
    expect((err as StreamInterruptedError).retryable).toBe(false);
    expect((err as StreamInterruptedError).message).toContain('gave up after 2 retries');
    expect(waits).toHaveLength(2);
  });
});

describe('R1: the request timeout and the retry budget agree', () => {
  it('the budget grows to hold one full request timeout plus the longest wait', () => {
    expect(fitTimeout(DEFAULT_RETRY_POLICY, 600_000).maxTotalMs).toBe(600_000 + DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(fitTimeout(DEFAULT_RETRY_POLICY, 10_000).maxTotalMs).toBe(DEFAULT_RETRY_POLICY.maxTotalMs);
  });

  for (const [label, timeoutMs, maxTotalMs] of [
    ['a timeout shorter than the budget', 150, 60_000],
    ['a timeout longer than the budget', 300, 50],
  ] as const) {
    it(`${label} is retried`, async () => {
      const emu = await emulator({ turns: [{ reply, faults: [{ kind: 'delay', firstByteMs: 2_000 }] }, { reply }] });
      const { onRetry, notices } = retryCollector();
      const { p } = await provider({ ...makeConfig(emu.url), apiTimeoutMs: timeoutMs }, { retry: { maxTotalMs } });
      const events = await collect(p.stream(simpleRequest(), { role: 'main', onRetry }));
      expect(textOf(events)).toBe(ANSWER);
      expect(notices.map((n) => n.reason)).toEqual(['network_error']);
      expect(notices[0].message).toMatch(/request timeout/);
    });
  }
});

describe('B28: the stream watchdog', () => {
  it('a stream that stalls after its first events is abandoned after the idle limit and re-requested', async () => {
    const emu = await emulator({ turns: [{ reply, faults: [{ kind: 'stall', afterChunks: 3 }] }, { reply }] });
    const { onRetry, notices } = retryCollector();
    // The whole-request timeout stays at 10 minutes: only the idle limit can end the stall.
    const { p } = await provider({ ...makeConfig(emu.url), apiTimeoutMs: 600_000, streamIdleTimeoutMs: 300 });
    const t0 = performance.now();
    const { events, restarts } = await restartable((onRestart) => p.stream(simpleRequest(), { role: 'main', onRetry, onRestart }));
    const elapsed = performance.now() - t0;
    expect(textOf(events)).toBe(ANSWER);
    expect(restarts).toBe(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ reason: 'network_error', restart: true });
    expect(notices[0].message).toMatch(/went silent: no event for 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5_000);
    expect(streamCalls(emu)).toHaveLength(2);
  });

  it('without a restartable caller, the stall is a typed, retryable network error', async () => {
    const emu = await emulator({ turns: [{ reply, faults: [{ kind: 'stall', afterChunks: 3 }] }] });
    const { p } = await provider({ ...makeConfig(emu.url), streamIdleTimeoutMs: 200 });
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(StreamInterruptedError);
    expect((err as StreamInterruptedError).cause).toBeInstanceOf(NetworkError);
    expect((err as StreamInterruptedError).hint).toBeTruthy();
  });

  it('pooled connections idle past the limit are not reused', async () => {
    expect(agentOptions({}).timeout).toBe(KEEP_ALIVE_IDLE_MS);
    expect(KEEP_ALIVE_IDLE_MS).toBeLessThanOrEqual(300_000);
    const sockets = new Set<string>();
    const server: Server = createServer((req, res) => {
      sockets.add(`${req.socket.remotePort}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    open.push({ close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const t = await createTransport({ region: 'us-east-1', endpoint: url, auth: { mode: 'none' }, timeoutMs: 5_000, keepAliveIdleMs: 150, customHeaders: {} });
    const body = new TextEncoder().encode('{}');
    await t.invoke(MAIN_MODEL, body);
    await t.invoke(MAIN_MODEL, body);
    expect(sockets.size).toBe(1); // reused while fresh
    await new Promise((r) => setTimeout(r, 400));
    await t.invoke(MAIN_MODEL, body);
    expect(sockets.size).toBe(2); // idle too long: a new connection
  });
});

describe('B24: failover', () => {
  const FALLBACK = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';

  it('moves to the fallback after the bound, says so once, and returns after the cool-down', async () => {
    const emu = await emulator({ unavailable: [{ modelId: MAIN_MODEL, requests: 3 }], turns: [{ reply }, { reply }, { reply }] });
    let clock = 1_000_000;
    const failovers: FailoverNotice[] = [];
    const { onRetry, notices } = retryCollector();
    const config = makeConfig(emu.url);
    config.models.failover = { models: [FALLBACK], afterFailures: 2, cooldownMs: 60_000 };
    const { p, waits } = await provider(config, { now: () => clock });
    const call = () => collect(p.stream(simpleRequest(), { role: 'main', onRetry, onFailover: (n) => failovers.push(n) }));

    expect(textOf(await call())).toBe(ANSWER);
    expect(streamCalls(emu).map((r) => r.modelId)).toEqual([MAIN_MODEL, MAIN_MODEL, FALLBACK]);
    expect(waits).toHaveLength(1); // one backoff on the main model, none before the switch
    expect(notices).toHaveLength(1);
    expect(failovers).toHaveLength(1);
    expect(failovers[0]).toMatchObject({ from: MAIN_MODEL, to: FALLBACK, reason: 'rate_limit' });
    expect(failovers[0].message).toContain(`continuing on ${FALLBACK}`);

    // Within the cool-down the session stays on the fallback, without another notice.
    clock += 30_000;
    await call();
    expect(streamCalls(emu).at(-1)?.modelId).toBe(FALLBACK);
    expect(failovers).toHaveLength(1);

    // After it, the main model is tried first again (still throttled once: back to the fallback
    // only after the bound; here the throttle has one refusal left, then it answers).
    clock += 31_000;
    await call();
    expect(failovers[1]).toMatchObject({ from: FALLBACK, to: MAIN_MODEL, reason: 'cooldown_over' });
    expect(streamCalls(emu).slice(4).map((r) => r.modelId)).toEqual([MAIN_MODEL, MAIN_MODEL]);
  });

  it('without a failover list, a persistent throttle ends in the typed error as before', async () => {
    const emu = await emulator({ unavailable: [{ modelId: MAIN_MODEL }], turns: [{ reply }] });
    const { p } = await provider(makeConfig(emu.url), { retry: { maxRetries: 2 } });
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(ThrottledError);
    expect(streamCalls(emu).every((r) => r.modelId === MAIN_MODEL)).toBe(true);
  });
});
