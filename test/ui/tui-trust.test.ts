/**
 * Folder trust in the interactive UI: a project whose own settings have hooks is asked about
 * once, before the session starts; yes runs its hooks and is remembered, no skips them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PtyCli } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const LONG = 90_000;
const world = ptyWorlds('bcode-tui-trust-');

async function setup() {
  const w = await world({
    scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'answered' }] } }] },
    git: false,
    env: { ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
    cols: 220,
  });
  mkdirSync(path.join(w.project, '.claude'));
  const marker = path.join(w.project, 'hook-ran');
  writeFileSync(path.join(w.project, '.claude', 'settings.json'), JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: `touch ${marker}` }] }] } }));
  return { home: w.home, project: w.project, marker, open: () => w.open() };
}

async function prompt(c: PtyCli, text: string): Promise<void> {
  c.write(text);
  await c.waitForScreen(new RegExp(`> ${text}`));
  c.write('\r');
}

describe('folder trust in the interactive UI', () => {
  it('asks before the session starts; yes runs the project hooks, is saved, and /hooks lists them', async () => {
    const { home, project, marker, open } = await setup();
    const c = open();
    await c.waitFor(/Trust this folder and run its hooks\? \[y\/N\]/);
    expect(c.all()).toContain(`UserPromptSubmit: touch ${marker}`);
    c.write('y');
    await c.waitFor(/\/help for commands/);
    await prompt(c, 'hello');
    await c.waitFor(/answered/);
    expect(existsSync(marker)).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(home, '.claude', 'bcode', 'trusted-folders.json'), 'utf8'));
    expect(Object.keys(saved.folders)).toEqual([project]);
    await prompt(c, '/hooks');
    await c.waitFor(/UserPromptSubmit {2}touch .*hook-ran {2}60 s {2}· project:/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);

    // Asked once: the next start in this folder goes straight to the UI.
    const again = open();
    await again.waitFor(/\/help for commands/);
    expect(again.all()).not.toContain('Trust this folder');
    again.write('\x04');
    expect(await again.waitExit()).toBe(0);
  }, LONG);

  it('no skips the project hooks with a warning and saves nothing', async () => {
    const { home, marker, open } = await setup();
    const c = open();
    await c.waitFor(/Trust this folder and run its hooks\? \[y\/N\]/);
    c.write('n');
    await c.waitFor(/\/help for commands/);
    await prompt(c, 'hello');
    await c.waitFor(/answered/);
    expect(existsSync(marker)).toBe(false);
    expect(c.all()).toMatch(/1 project hook from .* not run .*you did not trust/);
    expect(existsSync(path.join(home, '.claude', 'bcode', 'trusted-folders.json'))).toBe(false);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);
});
