/** Compaction settings: autoCompactEnabled, CLAUDE_AUTOCOMPACT_PCT_OVERRIDE, BCODE_AUTO_COMPACT_WINDOW, validated. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

it('defaults to on, reads the setting and the variables', async () => {
  expect((await fx.load()).config.autoCompact).toEqual({ enabled: true });
  fx.write(fx.projectSettings, { autoCompactEnabled: false });
  const { config } = await fx.load({ CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '60', BCODE_AUTO_COMPACT_WINDOW: '100000' });
  expect(config.autoCompact).toEqual({ enabled: false, pct: 60, window: 100_000 });
});

it('refuses bad values with one line and a hint', async () => {
  expect(await fx.error({ CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '0' })).toMatch(/^bcode: CLAUDE_AUTOCOMPACT_PCT_OVERRIDE must be a whole number .*'0'.*\n {2}hint: e\.g\. export CLAUDE_AUTOCOMPACT_PCT_OVERRIDE=80/);
  expect(await fx.error({ CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '85.5' })).toMatch(/must be a whole number/);
  expect(await fx.error({ BCODE_AUTO_COMPACT_WINDOW: '100' })).toMatch(/^bcode: BCODE_AUTO_COMPACT_WINDOW must be a whole number/);
  const file = fx.write(fx.projectSettings, { autoCompactEnabled: 'no' });
  expect(await fx.errorLine()).toBe(`bcode: ${file}: autoCompactEnabled must be true or false, found a string`);
});

it("reads the reference product's CLAUDE_CODE_AUTO_COMPACT_WINDOW; bcode's own name wins when both are set", async () => {
  expect((await fx.load({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: '90000' })).config.autoCompact).toEqual({ enabled: true, window: 90_000 });
  expect((await fx.load({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: '90000', BCODE_AUTO_COMPACT_WINDOW: '50000' })).config.autoCompact).toEqual({ enabled: true, window: 50_000 });
  expect(await fx.error({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: 'big' })).toMatch(/^bcode: CLAUDE_CODE_AUTO_COMPACT_WINDOW must be a whole number.*\n {2}hint: /);
});
