/**
 * Custom commands, /agents and /skills in the interactive UI: the built CLI in a pseudo-terminal
 * against the emulator, with an isolated HOME. Tab completes a custom command's name, the
 * expanded prompt is what the model receives, and a mistyped name gets a suggestion.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ptyWorlds } from '../helpers/pty-world.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const world = ptyWorlds('bcode-ext-tui-');

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('custom commands, /agents and /skills in the terminal UI', () => {
  it('completes a custom command with Tab, sends its expansion, lists it in /help, and suggests it when mistyped', async () => {
    const { home, project, emulator, open } = await world({
      scenario: { turns: [{ match: { lastUserTextContains: 'Greet Ada (full name: Ada Lovelace) in one line.' }, reply: { content: [{ type: 'text', text: 'Hello, Ada!' }] } }] },
      env: { ANTHROPIC_MODEL: MODEL },
    });
    write(project, '.claude/commands/team/greet.md', '---\ndescription: Greet someone warmly\nargument-hint: <first> <last>\n---\nGreet $1 (full name: $ARGUMENTS) in one line.\n');
    write(project, '.claude/agents/reviewer.md', '---\ndescription: Reviews a change for bugs\ntools: Read, Grep\nmodel: haiku\n---\nYou review code.\n');
    write(home, '.claude/skills/pdf-forms/SKILL.md', '---\ndescription: Fills PDF forms\n---\nbody\n');
    const c = open();
    await c.waitFor(/\/help for commands/);

    c.write('/team:gr');
    await c.waitForScreen(/> \/team:gr/);
    c.write('\t');
    await c.waitForScreen(/> \/team:greet \s*$/m);
    c.write('Ada Lovelace');
    await c.waitForScreen(/> \/team:greet Ada Lovelace/);
    c.write('\r');
    await c.waitFor(/Hello, Ada!/);
    const calls = emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
    expect(calls).toHaveLength(1);

    c.write('/help');
    await c.waitForScreen(/> \/help/);
    c.write('\r');
    await c.waitFor(/Custom commands:\n\/team:greet <first> <last> +Greet someone warmly \(project\)/);

    c.write('/agents');
    await c.waitForScreen(/> \/agents/);
    c.write('\r');
    await c.waitFor(/reviewer +project · Reviews a change for bugs \(model haiku · tools Read, Grep\)/);

    c.write('/skills');
    await c.waitForScreen(/> \/skills/);
    c.write('\r');
    await c.waitFor(/pdf-forms +user · Fills PDF forms/);

    c.write('/team:gret');
    await c.waitForScreen(/> \/team:gret/);
    c.write('\r');
    await c.waitFor(/unknown command \/team:gret — did you mean \/team:greet\?/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, 90_000);
});
