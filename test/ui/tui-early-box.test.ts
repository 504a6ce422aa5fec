/**
 * The early input box (src/ui/tui/early-box.ts): drawn by the launcher before the UI's bundle
 * loads, it shows what is typed, and hands every key to the UI, once, when the UI's first frame
 * replaces it in the same synchronized update. Unit tests on fake streams for the box itself, the
 * key splitting of the hand-over (early-keys.ts), and the built CLI in a pseudo-terminal.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { applyEarlyChunk, columnsAtMost, fitColumns, openEarlyBox, SYNC_BEGIN, SYNC_END, type EarlyBoxOptions } from '../../src/ui/tui/early-box.js';
import { splitKeys } from '../../src/ui/tui/early-keys.js';
import { fullScreenClears } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const LONG = 90_000;
const ESC = '\x1b';

/** A terminal's two ends, faked: keys are written into `stdin`, everything drawn is kept in `out`. */
function fakeTerminal(o: { columns?: number; rows?: number; tty?: boolean } = {}) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: o.tty ?? true,
    raw: false,
    refed: true,
    setRawMode(on: boolean) {
      stdin.raw = on;
      return stdin;
    },
    unref() {
      stdin.refed = false;
      return stdin;
    },
  });
  const stdout = Object.assign(new PassThrough(), { isTTY: o.tty ?? true, columns: o.columns ?? 80, rows: o.rows ?? 24 });
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const quits: number[] = [];
  const options: EarlyBoxOptions = {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    env: { TERM: 'xterm-256color' },
    version: '9.9.9',
    cwd: '/work/project',
    quit: () => quits.push(1),
  };
  const tick = () => new Promise((r) => setImmediate(r));
  return { stdin, stdout, options, quits, tick, out: () => out, clear: () => (out = '') };
}

describe('the early box on a fake terminal', () => {
  it('draws the banner and a prompt in three rows, in raw mode, in one synchronized update', () => {
    const t = fakeTerminal();
    const box = openEarlyBox(t.options);
    expect(box).toBeDefined();
    expect(t.stdin.raw).toBe(true);
    const drawn = t.out();
    expect(drawn.startsWith(SYNC_BEGIN)).toBe(true);
    expect(drawn.endsWith(SYNC_END)).toBe(true);
    // The terminal's cursor is left alone (nothing to restore if bcode is killed now).
    // eslint-disable-next-line no-control-regex -- the escape is what is looked for
    expect(drawn).not.toMatch(/\x1b\[\?25[lh]/);
    // eslint-disable-next-line no-control-regex -- styles removed to read the text
    const text = drawn.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '');
    expect(text.split('\n')).toEqual(['bcode 9.9.9 · /work/project', '/help for commands and keys · Esc interrupts · Ctrl-C twice quits', '> ']);
    box!.cancel();
  });

  it('echoes text and Backspace at once; stops changing at the first key it cannot show; hands over the text and the keys after it', async () => {
    const t = fakeTerminal();
    const box = openEarlyBox(t.options)!;
    t.clear();
    t.stdin.write('hel');
    await t.tick();
    t.stdin.write('lp');
    await t.tick();
    t.stdin.write('\x7f');
    await t.tick();
    t.stdin.write('o');
    await t.tick();
    expect(t.out().endsWith(`> \x1b[22mhello${SYNC_END}`)).toBe(true);
    t.clear();
    t.stdin.write(`${ESC}[D`);
    await t.tick();
    t.stdin.write('X');
    await t.tick();
    t.stdin.write('\r');
    await t.tick();
    // Frozen: nothing drawn for the arrow and what follows it.
    expect(t.out()).toBe('');
    const handed = box.handOver()!;
    expect(handed.text).toBe('hello');
    expect(handed.keys).toEqual([`${ESC}[D`, 'X', '\r']);
    // Read once: a second hand-over, or a cancel after it, gives nothing and draws nothing.
    expect(box.handOver()).toBeUndefined();
    box.cancel();
    expect(t.out()).toBe('');
    // Keys typed after the hand-over are left in stdin for the UI.
    t.stdin.write('later');
    await t.tick();
    expect(t.stdin.read()).toBe('later');
    handed.finish();
  });

  it("puts the erase in front of the UI's first write (one synchronized update), or erases by itself if nothing was written", () => {
    const t = fakeTerminal();
    const box = openEarlyBox(t.options)!;
    t.clear();
    const handed = box.handOver()!;
    expect(t.out()).toBe('');
    t.stdout.write(`${SYNC_BEGIN}FRAME${SYNC_END}`);
    // Up from the prompt row to the banner's first row, erase below: the box's three rows, no screen clear.
    expect(t.out()).toBe(`${SYNC_BEGIN}\r${ESC}[2A${ESC}[J${SYNC_BEGIN}FRAME${SYNC_END}`);
    t.stdout.write('next');
    expect(t.out().endsWith(`${SYNC_END}next`)).toBe(true);
    handed.finish();
    expect(t.out().endsWith('next')).toBe(true);

    const u = fakeTerminal();
    const other = openEarlyBox(u.options)!;
    u.clear();
    other.handOver()!.finish();
    expect(u.out()).toBe(`${SYNC_BEGIN}\r${ESC}[2A${ESC}[J${SYNC_END}`);
    expect(fullScreenClears(t.out() + u.out())).toBe(0);
  });

  it('Ctrl-C twice quits at once, the box erased; cancel erases the box once', async () => {
    const t = fakeTerminal();
    openEarlyBox(t.options);
    t.stdin.write('\x03');
    await t.tick();
    expect(t.quits).toEqual([]);
    t.clear();
    t.stdin.write('\x03');
    await t.tick();
    expect(t.quits).toEqual([1]);
    expect(t.out()).toBe(`${SYNC_BEGIN}\r${ESC}[2A${ESC}[J${SYNC_END}`);

    // A key in between starts the count again; two in one chunk count as two.
    const v = fakeTerminal();
    openEarlyBox(v.options);
    for (const k of ['\x03', 'a', '\x03']) {
      v.stdin.write(k);
      await v.tick();
    }
    expect(v.quits).toEqual([]);
    v.stdin.write('\x03\x03');
    await v.tick();
    expect(v.quits).toEqual([1]);

    const u = fakeTerminal();
    const box = openEarlyBox(u.options)!;
    u.clear();
    box.cancel();
    box.cancel();
    expect(u.out()).toBe(`${SYNC_BEGIN}\r${ESC}[2A${ESC}[J${SYNC_END}`);
    expect(box.handOver()).toBeUndefined();
  });

  it('is not drawn where the UI would not draw it the same way: no terminal, CI, TERM=dumb, a tiny terminal', () => {
    expect(openEarlyBox(fakeTerminal({ tty: false }).options)).toBeUndefined();
    for (const env of [{ CI: 'true' }, { CONTINUOUS_INTEGRATION: '1' }, { TERM: 'dumb' }]) {
      const t = fakeTerminal();
      expect(openEarlyBox({ ...t.options, env })).toBeUndefined();
      expect(t.out()).toBe('');
      expect(t.stdin.raw).toBe(false);
    }
    // CI=false is not CI.
    const ci = fakeTerminal();
    openEarlyBox({ ...ci.options, env: { CI: 'false' } })?.cancel();
    expect(ci.out()).not.toBe('');
    expect(openEarlyBox(fakeTerminal({ columns: 19 }).options)).toBeUndefined();
    expect(openEarlyBox(fakeTerminal({ rows: 4 }).options)).toBeUndefined();
  });

  it('NO_COLOR: no colour or text style at all', async () => {
    const t = fakeTerminal();
    const box = openEarlyBox({ ...t.options, env: { TERM: 'xterm-256color', NO_COLOR: '1' } })!;
    t.stdin.write('x');
    await t.tick();
    box.cancel();
    expect(t.out()).toContain('> x');
    // eslint-disable-next-line no-control-regex -- the escape is what is looked for
    expect(t.out()).not.toMatch(/\x1b\[[0-9;]*m/);
  });

  it('keeps each banner line to one row at 40 columns, and the end of a long input in view', async () => {
    const t = fakeTerminal({ columns: 40 });
    const box = openEarlyBox({ ...t.options, cwd: '/a/very/long/path/to/some/project/folder/deep/inside' })!;
    // eslint-disable-next-line no-control-regex -- styles removed to read the text
    const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '');
    for (const line of plain(t.out()).split('\n')) expect(columnsAtMost(line)).toBeLessThanOrEqual(39);
    t.clear();
    t.stdin.write('0123456789'.repeat(6));
    await t.tick();
    const shown = plain(t.out());
    expect(columnsAtMost(shown)).toBeLessThanOrEqual(39);
    expect(shown.endsWith('56789')).toBe(true);
    expect(box.handOver()!.text).toBe('0123456789'.repeat(6));
  });
});

describe('pieces', () => {
  it('applyEarlyChunk: text and Backspace apply; control keys and a paste the UI folds do not', () => {
    expect(applyEarlyChunk('ab', 'cd')).toBe('abcd');
    expect(applyEarlyChunk('ab', '\x7f')).toBe('a');
    expect(applyEarlyChunk('a😀', '\b')).toBe('a');
    expect(applyEarlyChunk('', '\x7f')).toBe('');
    expect(applyEarlyChunk('ab', '\r')).toBeUndefined();
    expect(applyEarlyChunk('ab', '\t')).toBeUndefined();
    expect(applyEarlyChunk('ab', `${ESC}[A`)).toBeUndefined();
    expect(applyEarlyChunk('', 'x'.repeat(5000))).toBeUndefined();
  });

  it('fitColumns never lets a line grow past the width, counting wide characters as two', () => {
    expect(fitColumns('abcdef', 4)).toBe('abcd');
    expect(fitColumns('abcdef', 4, true)).toBe('cdef');
    expect(fitColumns('日本語', 5)).toBe('日本');
    expect(columnsAtMost('a日')).toBe(3);
  });

  it('splitKeys cuts a chunk where ink does: text runs, CSI and SS3 sequences, ESC + key, meta + arrow', () => {
    expect(splitKeys('hello')).toEqual(['hello']);
    expect(splitKeys(`ab${ESC}[DX\r`)).toEqual(['ab', `${ESC}[D`, 'X\r']);
    expect(splitKeys(`${ESC}OA${ESC}[1;5C`)).toEqual([`${ESC}OA`, `${ESC}[1;5C`]);
    expect(splitKeys(`${ESC}b${ESC}`)).toEqual([`${ESC}b`, ESC]);
    expect(splitKeys(`${ESC}${ESC}[A`)).toEqual([`${ESC}${ESC}[A`]);
    expect(splitKeys(`${ESC}[[A${ESC}[200~`)).toEqual([`${ESC}[[A`, `${ESC}[200~`]);
  });
});

const world = ptyWorlds('bcode-tui-early-');
let emulator: EmulatorHandle | undefined;

async function setup() {
  const w = await world({ scenario: { turns: [], whenExhausted: 'echo' } });
  emulator = w.emulator;
  return w;
}

// eslint-disable-next-line no-control-regex -- styles removed to read the text
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
const prompts = () => emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream').map((r) => (r.body as { messages: { content: { text?: string }[] }[] }).messages.at(-1)!.content.map((c) => c.text ?? '').join(''));

describe('the early box in a terminal', () => {
  it('shows keys typed at once before the UI is up; the UI takes them over, none lost or doubled, its first frame replacing the box in one update', async () => {
    const { open } = await setup();
    const c = open();
    // Typed before bcode even runs (the terminal keeps it), then, once the box shows it, an
    // arrow and more text (which the box does not draw: the UI applies them after the text).
    c.write('hid');
    await c.waitFor(() => /> hid/.test(plain(c.raw)), 20_000, 'the early box');
    c.write(`${ESC}[D`);
    c.write('s t');
    await c.waitForScreen(/us-east-1/);
    await c.waitForScreen(/> his td/);
    const raw = c.raw;
    // The box came first: drawn before the UI's status line, the typed text in it.
    expect(raw.indexOf('> \x1b[22mhid')).toBeGreaterThanOrEqual(0);
    expect(raw.indexOf('> \x1b[22mhid')).toBeLessThan(raw.indexOf('us-east-1'));
    // Erased inside the update that draws the UI's first frame (no end of update in between).
    const erase = `${SYNC_BEGIN}\r${ESC}[2A${ESC}[J`;
    expect(raw.split(erase)).toHaveLength(2);
    expect(raw.slice(raw.indexOf(erase) + erase.length).startsWith(SYNC_BEGIN)).toBe(true);
    // Typing goes on in the UI; Enter sends the whole line once.
    c.write('e');
    await c.waitForScreen(/> his ted/);
    c.write('\r');
    await c.waitFor(/You said: "his ted"/);
    expect(prompts()).toEqual(['his ted']);
    // The box's rows were erased: its banner is in the terminal once (the UI's).
    expect(c.all().match(/\/help for commands and keys/g)).toHaveLength(1);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('Enter typed before the UI is up submits what was typed, once', async () => {
    const { open } = await setup();
    const c = open();
    c.write('quick');
    await c.waitFor(() => /> quick/.test(plain(c.raw)), 20_000, 'the early box');
    c.write('\r');
    await c.waitFor(/You said: "quick"/);
    expect(prompts()).toEqual(['quick']);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('with --debug there is no early box (debug lines on stderr would land among its rows); the UI still takes keys typed at once', async () => {
    const { open } = await setup();
    const c = open({ args: ['--debug'] });
    c.write('dbg');
    await c.waitForScreen(/us-east-1/);
    await c.waitForScreen(/> dbg/);
    expect(c.raw).not.toContain(`\r${ESC}[2A${ESC}[J`);
    // Ctrl-U empties the input, then Ctrl-D quits.
    c.write('\x15');
    await c.waitFor(() => !/> dbg/.test(c.screen().join('\n')), 20_000, 'the input emptied');
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);
});
