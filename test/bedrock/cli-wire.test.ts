/**
 * The whole chain as a user runs it: environment → configuration → provider → the emulator,
 * through the built CLI (`npm run build` first). Asserts on what the emulator recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applicationProfileArn, startEmulator, TEST_API_KEY, TEST_CREDENTIALS, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

let home: string;
let work: string;
beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'bcode-provider-home-'));
  work = mkdtempSync(path.join(tmpdir(), 'bcode-provider-work-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const open: EmulatorHandle[] = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const e = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'answer from the emulator' }] } }], whenExhausted: 'echo' }, ...options });
  open.push(e);
  return e;
}

const keys = { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey };

async function bcode(emu: EmulatorHandle, env: Record<string, string>) {
  const r = await runCli(['-p', 'say hello'], { cwd: work, env: { HOME: home, AWS_REGION: emu.region, ANTHROPIC_BEDROCK_BASE_URL: emu.url, ...env } });
  const calls = emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream');
  return { ...r, calls };
}

describe('the built CLI drives the provider from the environment', () => {
  it('B3/B15: env keys sign a streamed request for AWS_REGION; the answer is printed', async () => {
    const emu = await emulator({ region: 'eu-west-1' });
    const r = await bcode(emu, keys);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('answer from the emulator');
    expect(r.code).toBe(0);
    expect(r.calls[0].auth).toMatchObject({ ok: true, kind: 'sigv4', region: 'eu-west-1' });
    expect((r.calls[0].body as Record<string, unknown>).anthropic_version).toBe('bedrock-2023-05-31');
  });

  it('the tools array the built CLI sends (inlined at build time) is the registry\'s, byte for byte', async () => {
    const { builtinTools, toolSpecs } = await import('../../src/tools/registry.js');
    const emu = await emulator();
    const r = await bcode(emu, keys);
    expect(r.code).toBe(0);
    const sent = (r.calls[0].body as { tools: Array<Record<string, unknown>> }).tools.map(({ cache_control: _marker, ...spec }) => spec);
    expect(JSON.stringify(sent)).toBe(JSON.stringify(toolSpecs(builtinTools())));
  });

  it('B10: an application-inference-profile ARN in ANTHROPIC_MODEL stays one path segment', async () => {
    const emu = await emulator();
    const arn = applicationProfileArn('us-east-1');
    const r = await bcode(emu, { ...keys, ANTHROPIC_MODEL: arn });
    expect(r.code).toBe(0);
    expect(r.calls[0].rawPath).toBe(`/model/${encodeURIComponent(arn)}/invoke-with-response-stream`);
    expect(r.calls[0].modelId).toBe(arn);
  });

  it('B12: caching markers are sent by default and none with DISABLE_PROMPT_CACHING=1', async () => {
    const on = await emulator();
    await bcode(on, keys);
    expect(JSON.stringify(on.requests[0].body)).toContain('cache_control');
    const off = await emulator();
    const r = await bcode(off, { ...keys, DISABLE_PROMPT_CACHING: '1' });
    expect(r.code).toBe(0);
    expect(JSON.stringify(r.calls[0].body)).not.toContain('cache_control');
  });

  it('B13: CLAUDE_CODE_MAX_OUTPUT_TOKENS and MAX_THINKING_TOKENS reach the body', async () => {
    const emu = await emulator();
    const r = await bcode(emu, { ...keys, CLAUDE_CODE_MAX_OUTPUT_TOKENS: '8192', MAX_THINKING_TOKENS: '2048' });
    expect(r.code).toBe(0);
    expect(r.calls[0].body).toMatchObject({ max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 2048 } });
  });

  it('B14: ANTHROPIC_CUSTOM_HEADERS are sent (and signed)', async () => {
    const emu = await emulator();
    const r = await bcode(emu, { ...keys, ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailIdentifier: gr-cli-1\nX-Amzn-Bedrock-GuardrailVersion: 2' });
    expect(r.code).toBe(0);
    expect(r.calls[0].headers['x-amzn-bedrock-guardrailidentifier']).toBe('gr-cli-1');
    expect(r.calls[0].headers['x-amzn-bedrock-guardrailversion']).toBe('2');
    expect(r.calls[0].auth.ok).toBe(true);
  });

  it('B4: AWS_BEARER_TOKEN_BEDROCK wins over AWS keys and goes out as a bearer header', async () => {
    const emu = await emulator();
    const r = await bcode(emu, { ...keys, AWS_BEARER_TOKEN_BEDROCK: TEST_API_KEY });
    expect(r.code).toBe(0);
    expect(r.calls[0].auth).toMatchObject({ ok: true, kind: 'bearer' });
    expect(r.stdout + r.stderr).not.toContain(TEST_API_KEY);
  });

  it('B16: CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 sends the request unsigned', async () => {
    const emu = await emulator({ authMode: 'off' });
    const r = await bcode(emu, { CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' });
    expect(r.code).toBe(0);
    expect(r.calls[0].auth.kind).toBe('none');
    expect(r.calls[0].headers).not.toHaveProperty('authorization');
  });

  it('B18: a typed error is one line plus a hint, exit 1, no stack trace', async () => {
    const emu = await emulator({ scenario: { turns: [{ faults: [{ kind: 'http', errorType: 'AccessDeniedException', message: 'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream' }] }] } });
    const r = await bcode(emu, keys);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^bcode: Access denied by AWS: /);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).toContain('bedrock:InvokeModelWithResponseStream');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(TEST_CREDENTIALS[0].secretAccessKey);
  });
});
