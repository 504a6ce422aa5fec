/**
 * The launcher (dist/cli.js) runs print mode from dist/print.cjs through V8's code cache: the
 * first run saves the cache under $HOME/.cache/bcode, the next one uses it, and both answer the
 * same. Everything else still goes through the ES-module build (commander).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';

let home: string;
let work: string;
let emu: EmulatorHandle;
beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'bcode-launch-home-'));
  work = mkdtempSync(path.join(tmpdir(), 'bcode-launch-work-'));
  emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'hello from the emulator' }] }, times: 10 }], whenExhausted: 'echo' } });
});
afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({
  HOME: home,
  AWS_REGION: emu.region,
  ANTHROPIC_BEDROCK_BASE_URL: emu.url,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey,
});

describe('print mode through the launcher', () => {
  it('saves a code cache on the first run and answers the same with it', async () => {
    const first = await runCli(['-p', 'say hello'], { cwd: work, env: env() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('hello from the emulator');
    const caches = readdirSync(path.join(home, '.cache', 'bcode'));
    expect(caches).toHaveLength(1);
    expect(caches[0]).toMatch(/^print\.cjs-.*\.v8cache$/);
    const second = await runCli(['-p', 'say hello'], { cwd: work, env: { ...env(), BCODE_DEBUG_CODE_CACHE: '1' } });
    expect(second.code).toBe(0);
    // V8 took the saved code: print.cjs, and every vendor file it loaded.
    expect(second.stderr).toMatch(/^bcode: code cache: print\.cjs hit(, vendor\/[a-z-]+\.cjs hit)*\n$/);
    expect(second.stdout).toBe(first.stdout);
    expect(readdirSync(path.join(home, '.cache', 'bcode'))).toEqual(caches);
  });

  it('only the launcher reads command lines the quick way: the ES-module build leaves them all to commander', () => {
    expect(readFileSync(CLI_PATH, 'utf8')).toContain('function fastParseMain(');
    const chunks = path.join(path.dirname(CLI_PATH), 'chunks');
    for (const f of readdirSync(chunks).filter((n) => n.endsWith('.js'))) {
      expect(readFileSync(path.join(chunks, f), 'utf8'), f).not.toContain('fastParseMain');
    }
  });

  it('a usage error in a print-mode command line is still commander\'s message (exit 2)', async () => {
    const r = await runCli(['-p', 'x', '--output-format', 'yaml'], { cwd: work, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'yaml' is invalid");
  });
});
