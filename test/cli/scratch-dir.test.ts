/**
 * Print mode's scratch directory (`$TMPDIR/bcode-<session>-*`, where full Bash outputs go) is
 * removed when the run ends — after an answer, and also when the run stops at start-up with a
 * configuration error.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' } });
});
afterAll(() => emu.close());

function world() {
  const root = makeTempDir('bcode-scratch-');
  const dirs = { home: path.join(root, 'home'), project: path.join(root, 'project'), tmp: path.join(root, 'tmp') };
  for (const d of Object.values(dirs)) mkdirSync(d);
  const env = {
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    AWS_REGION: 'us-east-1',
    ANTHROPIC_BEDROCK_BASE_URL: emu.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey,
  };
  return { ...dirs, run: (args: string[]) => runCli(args, { cwd: dirs.project, env }) };
}

describe('the print-mode scratch dir', () => {
  it('is removed after a run that answers', async () => {
    const w = world();
    const r = await runCliOk(w.run(['-p', 'hi']));
    expect(r.stdout).not.toBe('');
    expect(readdirSync(w.tmp)).toEqual([]);
  });

  it('is removed after — or never made by — a run that stops at start-up on an invalid permission rule', async () => {
    const w = world();
    mkdirSync(path.join(w.project, '.claude'));
    writeFileSync(path.join(w.project, '.claude', 'settings.json'), JSON.stringify({ permissions: { deny: ['WebFetch(example.com)'] } }));
    const r = await w.run(['-p', 'hi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid permission rule 'WebFetch(example.com)'");
    expect(readdirSync(w.tmp)).toEqual([]);
  });
});

async function runCliOk(p: ReturnType<typeof runCli>) {
  const r = await p;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}
