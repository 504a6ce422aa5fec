/** The adversarial table with the sandbox on (bubblewrap; CI installs it). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ATTACKS } from './attacks.js';
import { describeFailures, runTable } from './world.js';

function bwrapWorks(): boolean {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--proc', '/proc', '--dev', '/dev', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAVE_BWRAP = bwrapWorks();
if (!HAVE_BWRAP && process.env.CI) throw new Error('bubblewrap is required in CI: the adversarial table must run with the sandbox');

describe.skipIf(!HAVE_BWRAP)('adversarial table, sandbox on', () => {
  it('has at least 150 attacks across the classes', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ATTACKS.map((a) => a.class)).size).toBeGreaterThanOrEqual(10);
  });
  for (const mode of ['plan', 'default', 'acceptEdits'] as const) {
    it(`${mode}: no attack does harm`, async () => {
      const outcome = await runTable(mode, true);
      expect(describeFailures(mode, true, outcome)).toEqual([]);
      expect(outcome.code).toBe(0);
    }, 240_000);
  }
});
