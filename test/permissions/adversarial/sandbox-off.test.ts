/** The adversarial table with the sandbox off: the permission engine alone. */
import { describe, expect, it } from 'vitest';
import { describeFailures, runTable } from './world.js';

describe('adversarial table, sandbox off', () => {
  for (const mode of ['plan', 'default', 'acceptEdits'] as const) {
    it(`${mode}: no attack does harm`, async () => {
      const outcome = await runTable(mode, false);
      expect(describeFailures(mode, false, outcome)).toEqual([]);
      expect(outcome.code).toBe(0);
    }, 240_000);
  }
});
