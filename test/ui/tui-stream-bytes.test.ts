/**
 * A long streamed answer in the real UI (built CLI in a pseudo-terminal, emulator streaming it in
 * small chunks): what ends up in the terminal is the answer rendered once, line for line as a
 * render of the whole Markdown at once, and the bytes written while it streams stay close to the
 * answer's own size — the finished lines leave the live region instead of being redrawn, and the
 * unchanged input box and status line are not written again on any frame.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/ui/tui/markdown.js';
import { makeStyle } from '../../src/ui/tui/style.js';
import { fullScreenClears, typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const COLS = 100;
const world = ptyWorlds('bcode-stream-');

const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
const answer = [
  '## Plan',
  '',
  'The change touches **three** files:',
  '',
  words,
  '',
  '```ts',
  'const x = 1;',
  '',
  'export function f(): number { return x; }',
  '```',
  '',
  '- first, a point long enough to wrap: ' + 'more '.repeat(30).trim(),
  '- second',
  '',
  'DONE-MARK',
].join('\n');

describe('a streamed answer in the terminal', () => {
  it('ends up in the scrollback exactly once, as rendered whole, with few bytes written per character', async () => {
    const { open } = await world({
      scenario: { turns: [{ reply: { content: [{ type: 'text', text: answer }], chunkChars: 12 }, faults: [{ kind: 'delay', betweenChunksMs: 4 }] }] },
      cols: COLS,
      rows: 30,
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    // The UI itself (its status line), not the launcher's early box: its first frame is not streaming.
    await c.waitForScreen(/us-east-1/);
    await typeLine(c, 'explain the plan');
    const from = c.raw.length;
    await c.waitFor(/DONE-MARK/);
    await c.waitForScreen(/\$0\.\d+/);
    const written = Buffer.byteLength(c.raw.slice(from));

    // (a) The text, as a render of the whole answer at once would show it, once.
    const expected = renderMarkdown(answer, { width: COLS - 1, style: makeStyle(false) }).map((l) => l.trimEnd());
    const all = c.all().split('\n');
    const start = all.findIndex((l) => l === expected[0]);
    expect(start).toBeGreaterThan(0);
    expect(all.slice(start, start + expected.length)).toEqual(expected);
    for (const probe of ['word0 ', 'word200 ', 'word399', 'const x = 1;', 'DONE-MARK']) expect(all.filter((l) => l.includes(probe)).length, probe).toBe(1);
    expect(fullScreenClears(c.raw)).toBe(0);

    // (b) Bytes: the answer is ~3,400 characters. Redrawing the whole growing paragraph on every
    // frame wrote ~14 times that (~48 kB, measured); with only its unfinished line live but the
    // region erased and redrawn on each frame, ~3×; with rows diffed, ~1.6× (measured).
    expect(written).toBeLessThan(answer.length * 2.2);

    // (c) While it streams, the input box and the status line (unchanged) are never written
    // again: new lines are inserted above them, a growing line gets only its new end.
    const streamed = c.raw.slice(c.raw.indexOf('word0', from), c.raw.indexOf('DONE-MARK', from));
    expect(streamed.length).toBeGreaterThan(answer.length / 2);
    expect(streamed).not.toContain('us-east-1');
    expect(streamed).not.toContain('\x1b[7m \x1b[27m');
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, 90_000);
});
