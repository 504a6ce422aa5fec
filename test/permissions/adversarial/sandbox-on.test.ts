/** The adversarial table with the sandbox on (bubblewrap; CI installs it). */
import { describe, expect, it } from 'vitest';
import { ATTACKS } from './attacks.js';
import { describeFailures, runTable } from './world.js';
import { requireBwrapInCi } from '../../helpers/bwrap.js';

const HAVE_BWRAP = requireBwrapInCi('the adversarial table with the sandbox');

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
