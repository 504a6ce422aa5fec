import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../src/bedrock/retry.js';
import type { Scenario, ScenarioContentBlock } from '../../src/emulator/index.js';
import { modelRequests, REPO, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const answer: ScenarioContentBlock[] = [{ type: 'text', text: 'A long answer that arrives in many small chunks, so the stream can break in the middle of it.' }];

it('a throttled request is retried and reported as system/api_retry in stream-json', async () => {
  sb = await sandbox({
    turns: [
      { faults: [{ kind: 'http', status: 429, errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }], times: 1 },
      { reply: { content: answer } },
    ],
  });
  const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const retry = lines.find((l) => l.type === 'system' && l.subtype === 'api_retry');
  expect(retry).toMatchObject({ attempt: 1, error: 'rate_limit' });
  expect(typeof retry.retry_delay_ms).toBe('number');
  expect(typeof retry.max_retries).toBe('number');
  expect(lines[lines.length - 1]).toMatchObject({ type: 'result', subtype: 'success', result: answer[0].type === 'text' ? answer[0].text : '' });
});

it('a stream that breaks after partial output is re-requested once and the answer completes', async () => {
  sb = await sandbox({
    turns: [
      { reply: { content: answer }, faults: [{ kind: 'exception', afterChunks: 4, exceptionType: 'internalServerException', message: 'internal failure' }] },
      { reply: { content: answer } },
    ],
  });
  const r = await sb.run(['-p', 'hi', '--verbose']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${answer[0].type === 'text' ? answer[0].text : ''}\n`);
  // R1: a backoff wait like any 5xx (not an immediate re-request), and the answer starts again.
  expect(r.stderr).toMatch(/^bcode: Bedrock had a server error \(500\); retrying in \d+\.\d s \(attempt 1\/8\), the answer starts again: /m);
  const calls = modelRequests(sb.emulator);
  expect(calls).toHaveLength(2);
  expect(JSON.stringify(calls[1].body)).toBe(JSON.stringify(calls[0].body));
});

describe('the retry bound (R1), through the built CLI', () => {
  // The provider's backoff waits up to 30 s each; the preload runs them 1000× faster (only the
  // waits started by its realSleep) and logs each wait asked for.
  const fastSleep = (log: string) => ({ NODE_OPTIONS: `--import=${path.join(REPO, 'test', 'helpers', 'fast-retry-sleep.mjs')}`, BCODE_TEST_SLEEP_LOG: log });
  const throttled = (times: number): Scenario => ({
    turns: [{ faults: [{ kind: 'http', errorType: 'ThrottlingException' }], times }, { reply: { content: [{ type: 'text', text: 'finally through' }] } }],
  });
  // The documented bound (docs/provider.md: "at most maxRetries retries (default 8)").
  const N = 8;
  const waits = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

  it(`gives up after ${N} retries: throttled ${N + 1} times → exit 1 naming the count, with growing waits`, async () => {
    const n = N;
    sb = await sandbox(throttled(n + 1));
    const log = path.join(sb.home, 'waits.log');
    const r = await sb.run(['-p', 'hi', '--verbose'], { env: fastSleep(log) });
    expect(r.code).toBe(1);
    // The failed call is the answer on stdout, as the reference prints it.
    expect(r.stdout).toMatch(new RegExp(`^API Error: 429 Bedrock throttled the request: .*\\(gave up after ${n} retries\\)\\n$`));
    expect(r.stderr).toMatch(new RegExp(`^bcode: Bedrock throttled the request: .*\\(gave up after ${n} retries\\)$`, 'm'));
    expect(r.stderr).toMatch(/^\s+hint: /m);
    for (let i = 1; i <= n; i++) expect(r.stderr).toMatch(new RegExp(`^bcode: Bedrock is throttling \\(429\\); retrying in \\d+\\.\\d s \\(attempt ${i}/${n}\\): `, 'm'));
    expect(modelRequests(sb.emulator)).toHaveLength(n + 1);
    // Equal-jitter exponential backoff: retry k waits between half and all of min(cap, base·2^(k-1)).
    const w = waits(log);
    expect(w).toHaveLength(n);
    w.forEach((ms, k) => {
      const exp = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** k);
      expect(ms, `wait ${k + 1}`).toBeGreaterThanOrEqual(exp / 2);
      expect(ms, `wait ${k + 1}`).toBeLessThanOrEqual(exp);
    });
  });

  it(`succeeds when the ${N}th retry gets through`, async () => {
    const n = N;
    sb = await sandbox(throttled(n));
    const r = await sb.run(['-p', 'hi'], { env: fastSleep(path.join(sb.home, 'waits.log')) });
    // R1: each wait is one line on stderr, even without --verbose (not a terminal: one line each).
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(n);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^bcode: Bedrock is throttling \\(429\\); retrying in \\d+\\.\\d s \\(attempt ${i + 1}/${n}\\)$`)));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('finally through\n');
    expect(modelRequests(sb.emulator)).toHaveLength(n + 1);
  });
});

describe('clock skew, through the built CLI', () => {
  it('a request rejected for a clock 10 minutes off is re-signed at the server time from its Date header, once, and goes through', async () => {
    const skewMs = 10 * 60_000;
    sb = await sandbox({ turns: [{ reply: { content: answer } }] }, { emulator: { checkClockSkew: true, now: () => Date.now() + skewMs } });
    const r = await sb.run(['-p', 'hi']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls = modelRequests(sb.emulator);
    expect(calls).toHaveLength(2);
    expect(calls[0].auth).toMatchObject({ ok: false, error: expect.stringMatching(/^InvalidSignatureException: Signature expired/) });
    expect(calls[1].auth.ok).toBe(true);
    // The retry was signed at (about) the emulator's time, not the local one.
    const signedAt = (q: (typeof calls)[number]) => Date.parse(String(q.headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(Math.abs(signedAt(calls[1]) - calls[1].receivedAt)).toBeLessThan(5_000);
    expect(calls[1].receivedAt - signedAt(calls[0])).toBeGreaterThan(skewMs - 5_000);
  });
});
