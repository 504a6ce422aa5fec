/**
 * Configuration errors stop the built CLI before anything goes on the wire (B1, B2): exit 2, one
 * line naming the problem and a hint — and the emulator, which every request would reach,
 * recorded nothing at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const hello = { turns: [{ reply: { content: [{ type: 'text' as const, text: 'hello' }] } }] };

describe('no request is sent when the configuration is wrong', () => {
  it('B2: AWS_REGION missing → exit 2 with an example, emulator untouched', async () => {
    sb = await sandbox(hello);
    const r = await sb.run(['-p', 'hi'], { env: { AWS_REGION: undefined } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bcode: AWS_REGION is not set/);
    expect(r.stderr).toMatch(/hint: export AWS_REGION=us-east-1/);
    expect(sb.emulator.requests).toEqual([]);
  });

  it("B2: AWS_REGION is never taken from ~/.aws/config; the error names the profile's region instead", async () => {
    sb = await sandbox(hello);
    mkdirSync(path.join(sb.home, '.aws'));
    writeFileSync(path.join(sb.home, '.aws', 'config'), '[profile dev]\nregion = eu-west-1\n');
    const r = await sb.run(['-p', 'hi'], { env: { AWS_REGION: undefined, AWS_PROFILE: 'dev' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("your profile 'dev' uses eu-west-1");
    expect(r.stderr).toContain('export AWS_REGION=eu-west-1');
    expect(sb.emulator.requests).toEqual([]);
  });

  it('B1: CLAUDE_CODE_USE_BEDROCK=0 → exit 2, emulator untouched', async () => {
    sb = await sandbox(hello);
    const r = await sb.run(['-p', 'hi'], { env: { CLAUDE_CODE_USE_BEDROCK: '0' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/runs only on Amazon Bedrock/);
    expect(sb.emulator.requests).toEqual([]);
  });

  it('the same environment with AWS_REGION set does reach the emulator (the cases above are not vacuous)', async () => {
    sb = await sandbox(hello);
    const r = await sb.run(['-p', 'hi']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello\n');
    expect(sb.emulator.requests.length).toBeGreaterThan(0);
  });
});
