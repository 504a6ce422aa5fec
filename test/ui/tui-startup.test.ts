/**
 * Start-up of the interactive UI: the input box takes keys before the session is made (what is
 * typed meanwhile waits for it), the UI runs from its own bundle through the code cache, and a
 * session that cannot be made leaves one error line and a hint with exit 2, the input box erased.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import type { Session } from '../../src/session/create.js';
import { TuiController } from '../../src/ui/tui/controller.js';
import type { PromptHistory } from '../../src/ui/tui/history.js';
import { handleKey } from '../../src/ui/tui/keys.js';
import { TuiStore } from '../../src/ui/tui/store.js';
import { makeStyle } from '../../src/ui/tui/style.js';
import { typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const LONG = 90_000;
const usage = { totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, byModel: {} };
const noKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false } as Key;

describe('before the session is made', () => {
  it('keys are echoed at once; a prompt and a command typed meanwhile run, in order, once it is', async () => {
    const store = new TuiStore(makeStyle(false), '/p', () => usage, { model: 'm', region: 'r', mode: 'default' }, { width: 80, rows: 24 }, 0);
    const submitted: string[] = [];
    const session = {
      id: 's',
      usage,
      modelId: 'm2',
      policy: { mode: 'plan' },
      submit: (prompt: string) => {
        submitted.push(prompt);
        store.emit({ type: 'done', result: { subtype: 'success' } as never });
        return Promise.resolve({});
      },
      extensions: { skills: [], agents: [], commands: [] },
    } as unknown as Session;
    let make!: (s: Session) => void;
    const made = new Promise<Session>((resolve) => (make = resolve));
    const list: string[] = [];
    const history = { entries: list, add: (p: string) => list.push(p) } as unknown as PromptHistory;
    const ctl = new TuiController(made, store, history, { cwd: '/p', env: {}, models: { aliases: {} } } as unknown as Config, '0', () => undefined);
    const key = (input: string, k: Partial<Key> = {}) => handleKey(input, { ...noKey, ...k }, ctl);
    key('hel');
    key('lo');
    expect(store.current.input.text).toBe('hello');
    key('', { return: true });
    expect(ctl.started).toBe(false);
    expect(store.current.queued).toEqual(['hello']);
    expect(submitted).toEqual([]);
    // Shift-Tab before the session exists is applied once it does (not lost, no crash).
    key('', { tab: true, shift: true });
    make(session);
    await ctl.ready;
    expect(submitted).toEqual(['hello']);
    expect(store.current.queued).toEqual([]);
    // The status line takes the session's model and mode.
    expect(store.current.status.model).toBe('m2');
  });
});

const world = ptyWorlds('bcode-tui-start-');
const setup = () => world({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'early answer' }] } }], whenExhausted: 'echo' } });

describe('the UI in a terminal', () => {
  it('a prompt typed the moment bcode starts is answered; the UI bundle writes its code cache, which the next start uses', async () => {
    const { home, open } = await setup();
    const c = open({ env: { BCODE_DEBUG_CODE_CACHE: '1' } });
    // Typed before anything is drawn (the terminal keeps it until the UI reads it).
    c.write('hi there');
    await c.waitForScreen(/> hi there/);
    c.write('\r');
    await c.waitFor(/early answer/);
    // Written once the UI has been up a moment.
    const cacheDir = path.join(home, '.cache', 'bcode');
    await c.waitFor(() => existsSync(cacheDir) && readdirSync(cacheDir).some((f) => f.startsWith('tui.cjs-')), 20_000, 'the UI bundle\'s code cache');
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
    expect(c.all()).toMatch(/code cache: tui\.cjs (miss|hit)/);

    const again = open({ env: { BCODE_DEBUG_CODE_CACHE: '1' } });
    await again.waitFor(/\/help for commands/);
    await typeLine(again, 'second');
    await again.waitFor(/You said: "second"/);
    again.write('\x04');
    expect(await again.waitExit()).toBe(0);
    expect(again.all()).toMatch(/code cache: tui\.cjs hit/);
  }, LONG);

  it('a session that cannot be made (-c with none to continue) erases the input box and exits 2 with one line and a hint', async () => {
    const { open } = await setup();
    const c = open({ args: ['-c'] });
    expect(await c.waitExit()).toBe(2);
    await c.waitFor(/bcode: no earlier session in /);
    expect(c.all()).toMatch(/hint: run without --continue to start one/);
    expect(c.screen().join('\n')).not.toMatch(/^> /m);
    expect(c.all()).not.toMatch(/at .*\.(c?js|ts):\d+/);
  }, LONG);

  it('a configuration error stops bcode before anything is drawn: one line, a hint, exit 2', async () => {
    const { open } = await setup();
    const c = open({ env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: 'lots' } });
    expect(await c.waitExit()).toBe(2);
    await c.waitFor(/bcode: .*CLAUDE_CODE_MAX_OUTPUT_TOKENS/);
    expect(c.all()).toMatch(/hint: /);
    expect(c.all()).not.toMatch(/\/help for commands/);
  }, LONG);
});
