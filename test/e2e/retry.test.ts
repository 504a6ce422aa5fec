import { afterEach, expect, it } from 'vitest';
import type { ScenarioContentBlock } from '../../src/emulator/index.js';
import { modelRequests, sandbox, type Sandbox } from './harness.js';

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
  expect(r.stderr).toMatch(/retrying \(stream_interrupted/);
  const calls = modelRequests(sb.emulator);
  expect(calls).toHaveLength(2);
  expect(JSON.stringify(calls[1].body)).toBe(JSON.stringify(calls[0].body));
});
