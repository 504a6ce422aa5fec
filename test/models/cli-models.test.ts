import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applicationProfileArn } from '../../src/emulator/index.js';
import { MODELS } from '../../src/models/capabilities.js';
import { sandbox, type Sandbox } from '../e2e/harness.js';

let box: Sandbox | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

const hi = { turns: [{ reply: { content: [{ type: 'text' as const, text: 'hi' }] } }] };
const streamed = (b: Sandbox) => b.emulator.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream').map((q) => q.body as { max_tokens: number; anthropic_beta?: string[] });

describe('bcode models (B22)', () => {
  it('--json: the table, and which profiles answer in this account and region (ListInferenceProfiles)', async () => {
    box = await sandbox({ turns: [] });
    const r = await box.run(['models', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ version: 1, region: 'us-east-1', availability: { checked: true }, configured: { main: { id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', model: 'claude-sonnet-4-5' } } });
    expect(doc.models.map((m: { key: string }) => m.key)).toEqual(MODELS.map((m) => m.key));
    const sonnet = doc.models.find((m: { key: string }) => m.key === 'claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ contextWindow: 200000, longContextBeta: 'context-1m-2025-08-07', maxOutputTokens: 64000, minCacheTokens: 1024, roles: ['main'] });
    expect(sonnet.profiles).toEqual(expect.arrayContaining(['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', applicationProfileArn('us-east-1')]));
    // The emulator has no profile of Claude 3 Haiku (on demand only).
    expect(doc.models.find((m: { key: string }) => m.key === 'claude-3-haiku').profiles).toEqual([]);
    expect(box.emulator.requests.map((q) => q.operation)).toEqual(['ListInferenceProfiles']);
  });

  it('text: one row per model with the configured roles; --offline asks nothing', async () => {
    box = await sandbox({ turns: [] });
    const r = await box.run(['models', '--offline']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^model +foundation id +context +max out +thinking +cache min\/ttl +per MTok in\/out +profiles \(not checked\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^Claude Sonnet 4\.5 \(main\) +anthropic\.claude-sonnet-4-5-20250929-v1:0 +200k\/1M +64000 +budgeted\+interleaved +1024 5m\/1h +\$3\/\$15 +\?$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Claude Haiku 4\.5 \(small\/fast\) /));
    expect(box.emulator.requests).toHaveLength(0);
  });

  it('a failed listing still prints the table (exit 0) and says why on stderr', async () => {
    box = await sandbox({ turns: [] });
    const r = await box.run(['models', '--json'], { env: { AWS_SECRET_ACCESS_KEY: 'wrongwrongwrongwrongwrongwrongwrongwrong' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).availability.checked).toBe(false);
    expect(r.stderr).toMatch(/^bcode: could not list the inference profiles of us-east-1: .+\n {2}hint: the table is shown without availability; run `bcode doctor`/);
    expect(r.stderr).not.toContain('wrongwrong');
  });
});

describe('[1m] through the CLI (B22)', () => {
  it('sonnet[1m] sends the context-1m beta', async () => {
    box = await sandbox(hi);
    const r = await box.run(['-p', 'hi'], { env: { ANTHROPIC_MODEL: 'sonnet[1m]' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(streamed(box)[0].anthropic_beta).toEqual(['context-1m-2025-08-07']);
  });

  it('opus[1m] warns once and sends no beta (Opus 4.5 has no 1M window)', async () => {
    box = await sandbox(hi);
    const r = await box.run(['-p', 'hi'], { env: { ANTHROPIC_MODEL: 'opus[1m]' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('bcode: warning: the [1m] suffix in ANTHROPIC_MODEL asks for the 1M-token context window, which Claude Opus 4.5 does not have on Bedrock; using its 200k window\n');
    expect(streamed(box)[0].anthropic_beta).toBeUndefined();
  });

  it('without [1m] no beta is sent', async () => {
    box = await sandbox(hi);
    const r = await box.run(['-p', 'hi']);
    expect(r.code, r.stderr).toBe(0);
    expect(streamed(box)[0].anthropic_beta).toBeUndefined();
  });
});

describe('B23 through the CLI: a Write cut by max_tokens', () => {
  const content = `${'const line = "some generated code that makes a long file";\n'.repeat(400)}`;
  const bigWrite = {
    turns: [
      { reply: { content: [{ type: 'tool_use' as const, name: 'Write', input: { file_path: 'big.ts', content } }] }, times: 2 },
      { reply: { content: [{ type: 'text' as const, text: 'Written.' }] } },
    ],
  };

  it('an application-profile ARN: the base model is resolved (GetInferenceProfile) and its full limit used', async () => {
    box = await sandbox(bigWrite);
    const r = await box.run(['-p', 'write it', '--permission-mode', 'acceptEdits'], { env: { ANTHROPIC_MODEL: applicationProfileArn('us-east-1') } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(box.project, 'big.ts'), 'utf8')).toBe(content);
    expect(streamed(box).map((b) => b.max_tokens)).toEqual([4096, 64000, 4096]);
    expect(box.emulator.requests.filter((q) => q.operation === 'GetInferenceProfile')).toHaveLength(1);
  });

  it('CLAUDE_CODE_MAX_OUTPUT_TOKENS wins: no larger re-request, and the cut call does not run', async () => {
    box = await sandbox(bigWrite);
    const r = await box.run(['-p', 'write it', '--permission-mode', 'acceptEdits'], { env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096' } });
    expect(streamed(box).every((b) => b.max_tokens === 4096)).toBe(true);
    expect(r.stderr).not.toContain('asking again');
    // The cut input never reaches the tool: no half-written file.
    const written = existsSync(path.join(box.project, 'big.ts')) ? readFileSync(path.join(box.project, 'big.ts'), 'utf8') : undefined;
    expect(written === undefined || written === content).toBe(true);
  });
});
