import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { TEST_API_KEY, TEST_CREDENTIALS, type RecordedRequest } from '../../src/emulator/index.js';
import { runtimeClient, SONNET, messagesBody, streamEvents, textOf } from './sdk.js';
import { makeTempDir } from '../helpers/temp.js';

const HELLO = join(process.cwd(), 'examples/scenarios/hello.json');
const helloText = JSON.parse(readFileSync(HELLO, 'utf8')).turns[0].reply.content[0].text as string;

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`emulator exited before printing its URL: ${seen}`)));
  });
}

describe('bcode emulator (built CLI)', () => {
  it('serves hello.json to the AWS SDK, prints one export line per credential, records JSONL, exits 0 on SIGINT', async () => {
    const dir = makeTempDir('bcode-emu-');
    const record = join(dir, 'requests.jsonl');
    let child: ChildProcess | undefined;
    const done = runCli(['emulator', '--scenario', HELLO, '--record', record], { onSpawn: (c) => (child = c), timeoutMs: 20_000 });
    const url = await waitForUrl(child!);
    const events = await streamEvents(runtimeClient({ url, region: 'us-east-1' }), SONNET, messagesBody('hello?'));
    expect(textOf(events)).toBe(helloText);
    child!.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain(`export ANTHROPIC_BEDROCK_BASE_URL=${url}\n`);
    expect(res.stdout).toContain(`export AWS_ACCESS_KEY_ID=${TEST_CREDENTIALS[0].accessKeyId}\n`);
    expect(res.stdout).toContain(`export AWS_SECRET_ACCESS_KEY=${TEST_CREDENTIALS[0].secretAccessKey}\n`);
    expect(res.stdout).toContain(`export AWS_BEARER_TOKEN_BEDROCK=${TEST_API_KEY}\n`);
    expect(res.stdout).toMatch(/POST \/model\/us\.anthropic\.claude-sonnet-4-5-20250929-v1%3A0\/invoke-with-response-stream -> 200 \(sigv4\)/);
    const lines = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedRequest);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ operation: 'InvokeModelWithResponseStream', status: 200, auth: { ok: true, kind: 'sigv4' } });
    expect(lines[0].usage?.input_tokens).toBeGreaterThan(0);
    expect(readFileSync(record, 'utf8')).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  it('exits at once on SIGTERM while a delay fault holds a request (issue 17)', async () => {
    const dir = makeTempDir('bcode-emu-');
    const slow = join(dir, 'slow.json');
    (await import('node:fs')).writeFileSync(slow, JSON.stringify({ turns: [{ reply: { content: [{ type: 'text', text: 'late' }] }, faults: [{ kind: 'delay', firstByteMs: 600_000 }] }] }));
    let child: ChildProcess | undefined;
    const done = runCli(['emulator', '--scenario', slow], { onSpawn: (c) => (child = c), timeoutMs: 20_000 });
    const url = await waitForUrl(child!);
    const pending = streamEvents(runtimeClient({ url, region: 'us-east-1' }, { maxAttempts: 1 }), SONNET, messagesBody('hello?')).catch((e: unknown) => e);
    // The request is in: the emulator sleeps in its delay fault.
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = Date.now();
    child!.kill('SIGTERM');
    const res = await done;
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(res.code).toBe(0);
    expect(res.signal).toBeNull();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('--demo streams one answer through the AWS SDK and exits 0 with nothing else on the terminal', async () => {
    const res = await runCli(['emulator', '--scenario', HELLO, '--demo']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`${helloText}\n`);
    expect(res.stderr).toBe('');
  });

  it('a bad scenario file is a one-line usage error', async () => {
    const dir = makeTempDir('bcode-emu-');
    const bad = join(dir, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, JSON.stringify({ turns: [{ reply: { content: [{ type: 'txt', text: 'x' }] } }] }));
    const res = await runCli(['emulator', '--scenario', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^bcode: scenario .*bad\.json: turns\.0\.reply\.content\.0\.type: .*\n {2}hint: see docs\/emulator\.md/);
    const missing = await runCli(['emulator', '--scenario', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const port = await runCli(['emulator', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr.split('\n')[0]).toBe("bcode: --port must be a whole number from 0 to 65535, got '99999'");
  });
});
