/**
 * The interactive UI's /model picker and /permissions editing, end to end: the built CLI in a
 * pseudo-terminal against the emulator (which serves ListInferenceProfiles and records every
 * request), with an isolated HOME and managed-settings directory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicationProfileArn } from '../../src/emulator/catalog.js';
import type { EmulatorHandle, Scenario } from '../../src/emulator/index.js';
import { type PtyCli, typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const LONG = 90_000;
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const EU_OPUS = 'eu.anthropic.claude-opus-4-1-20250805-v1:0';
const world = ptyWorlds('bcode-tui-mp-');
let emulator: EmulatorHandle | undefined;

async function setup(scenario: Scenario) {
  const w = await world({ scenario, cols: 160, rows: 30 });
  mkdirSync(path.join(w.project, '.claude'));
  emulator = w.emulator;
  return { project: w.project, managed: w.managed, open: () => w.open() };
}

const modelCalls = () => emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
const selectedRow = (c: PtyCli) => c.screen().find((l) => l.includes('❯')) ?? '';

describe('/model picker', () => {
  it('lists aliases, configured ids and the region\'s profiles (filled in after the picker is drawn); an application profile ARN chosen with the keys gets the next request', async () => {
    const { open } = await setup({ turns: [{ reply: { content: [{ type: 'text', text: 'answered by the profile' }] } }] });
    const arn = applicationProfileArn('us-east-1');
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '/model');
    await c.waitForScreen(/Switch the model/);
    // The aliases are there at once; the current model is marked.
    expect(c.screen().join('\n')).toMatch(/sonnet \(current\)|us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 \(current\)/);
    expect(c.screen().join('\n')).toMatch(/\bhaiku · /);
    // The listing fills in: the emulator's system profiles and its application profile.
    await c.waitFor(() => emulator!.requests.some((r) => r.operation === 'ListInferenceProfiles'), 20_000, 'a ListInferenceProfiles request');
    await c.waitForScreen(/profile: /);
    expect(c.all()).not.toMatch(/profiles not listed/);
    // Down until the application profile is selected (the list scrolls).
    for (let i = 0; i < 60 && !selectedRow(c).includes(arn); i++) {
      const before = selectedRow(c);
      c.write('\x1b[B');
      await c.waitFor(() => selectedRow(c) !== before, 5_000, 'the selection to move');
    }
    expect(selectedRow(c)).toContain('application profile: bcode-team-sonnet');
    c.write('\r');
    await c.waitFor(new RegExp(`Model set to ${arn.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    await typeLine(c, 'hello');
    await c.waitFor(/answered by the profile/);
    expect(modelCalls().map((r) => r.modelId)).toEqual([arn]);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('Esc keeps the current model, and /model <profile id> switches without the picker', async () => {
    const { open } = await setup({
      turns: [
        { match: { modelId: MODEL }, reply: { content: [{ type: 'text', text: 'still sonnet' }] } },
        { match: { modelId: EU_OPUS }, reply: { content: [{ type: 'text', text: 'now opus' }] } },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '/model');
    await c.waitForScreen(/profile: /);
    c.write('\x1b');
    await c.waitFor(() => !/Switch the model/.test(c.screen().join('\n')), 5_000, 'the picker to close');
    await typeLine(c, 'one');
    await c.waitFor(/still sonnet/);
    await typeLine(c, `/model ${EU_OPUS}`);
    await c.waitFor(/Model set to eu\.anthropic/);
    await typeLine(c, 'two');
    await c.waitFor(/now opus/);
    expect(modelCalls().map((r) => r.modelId)).toEqual([MODEL, EU_OPUS]);
  }, LONG);
});

describe('/permissions editing', () => {
  it('remove takes an allow rule out of the engine and of the file it came from: the next matching call asks again', async () => {
    const { project, open } = await setup({
      turns: [
        { match: { lastUserTextContains: 'first' }, reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch x.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'first done' }] } },
        { match: { lastUserTextContains: 'second' }, reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch x.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'second done' }] } },
      ],
    });
    const local = path.join(project, '.claude', 'settings.local.json');
    writeFileSync(local, JSON.stringify({ permissions: { allow: ['Bash(touch x.txt)', 'Read(./docs/**)'] }, env: { KEEP_ME: '1' } }, null, 2));
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'first');
    await c.waitFor(/first done/);
    expect(c.all()).not.toMatch(/Run this command\?/);

    await typeLine(c, '/permissions remove Bash(touch x.txt)');
    await c.waitFor(/Removed allow rule Bash\(touch x\.txt\) from \.claude\/settings\.local\.json/);
    const after = JSON.parse(readFileSync(local, 'utf8')) as { permissions: { allow: string[] }; env: Record<string, string> };
    expect(after.permissions.allow).toEqual(['Read(./docs/**)']);
    expect(after.env).toEqual({ KEEP_ME: '1' });

    await typeLine(c, 'second');
    await c.waitForScreen(/Run this command\?[\s\S]*touch x\.txt[\s\S]*1 allow once/);
    c.write('1');
    await c.waitFor(/second done/);

    // The list no longer shows it; a rule that is not there is said so.
    await typeLine(c, '/permissions remove Bash(touch x.txt)');
    await c.waitFor(/no rule 'Bash\(touch x\.txt\)' is in force/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('a managed rule is refused with a clear line and its file is left alone; deny and ask rules are added and saved', async () => {
    const { project, managed, open } = await setup({ turns: [] });
    const managedFile = path.join(managed, 'managed-settings.json');
    const managedText = JSON.stringify({ permissions: { deny: ['Bash(curl:*)'] } });
    writeFileSync(managedFile, managedText);
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '/permissions remove Bash(curl:*)');
    await c.waitFor(/deny rule Bash\(curl:\*\) comes from managed settings \(.*managed/);
    expect(c.all()).toMatch(/managed-settings\.json\): only an administrator can\s*remove it/);
    expect(readFileSync(managedFile, 'utf8')).toBe(managedText);

    await typeLine(c, '/permissions deny Bash(rm:*)');
    await c.waitFor(/Denied: Bash\(rm:\*\) \(saved to \.claude\/settings\.local\.json\)/);
    await typeLine(c, '/permissions ask WebFetch');
    await c.waitFor(/Will ask for: WebFetch/);
    const local = JSON.parse(readFileSync(path.join(project, '.claude', 'settings.local.json'), 'utf8')) as { permissions: Record<string, string[]> };
    expect(local.permissions).toEqual({ deny: ['Bash(rm:*)'], ask: ['WebFetch'] });
    await typeLine(c, '/permissions');
    await c.waitFor(/deny:\s*\n\s*Bash\(curl:\*\)\s*\n\s*Bash\(rm:\*\)/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);
});
