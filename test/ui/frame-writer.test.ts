/**
 * FrameWriter against a real terminal emulator (@xterm/headless, line feeds with a carriage
 * return as a pty's ONLCR gives them): after every frame the terminal holds exactly the finished
 * lines in order (scrollback and screen) with the live region under them and the cursor on the
 * row below it; rows that did not change are not written; the screen is never cleared.
 */
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/ui/tui/frame-writer.js';

type Term = InstanceType<typeof xterm.Terminal>;

function terminal(cols: number, rows: number) {
  const term = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true, convertEol: true });
  let raw = '';
  const writes: string[] = [];
  const writer = new FrameWriter({ columns: cols, rows, write: (d) => ((raw += d), writes.push(d), term.write(d)) });
  const flush = () => new Promise<void>((resolve) => term.write('', resolve));
  return { term, writer, flush, writes, raw: () => raw };
}

function lines(term: Term): string[] {
  const b = term.buffer.active;
  const out: string[] = [];
  for (let i = 0; i < b.length; i++) out.push((b.getLine(i)?.translateToString(true) ?? '').trimEnd());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Text as the terminal shows it (styles off). */
// eslint-disable-next-line no-control-regex -- escape sequences are what is removed
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function cursorRow(term: Term): number {
  const b = term.buffer.active;
  return b.baseY + b.cursorY;
}

/** A small deterministic random source (the fuzz is reproducible). */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
const dim = (s: string) => `\x1b[2m${s}\x1b[22m`;

describe('FrameWriter', () => {
  it('keeps the terminal equal to the finished lines plus the live region, frame after frame (fuzzed)', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const cols = seed % 2 === 0 ? 40 : 30;
      const rows = 10 + (seed % 3);
      const { term, writer, flush, raw } = terminal(cols, rows);
      const rand = rng(seed);
      const words = ['alpha', 'be', 'c', '**x**', bold('bold'), dim('dim'), '漢字', 'é', '👍', 'word'];
      const pick = () => words[Math.floor(rand() * words.length)];
      const line = (max: number) => {
        let l = '';
        const n = 1 + Math.floor(rand() * 6);
        for (let i = 0; i < n; i++) {
          const next = l === '' ? pick() : `${l} ${pick()}`;
          if (plain(next).length * 2 >= max) break;
          l = next;
        }
        return l;
      };
      const committedAll: string[] = [];
      let streaming = '';
      let input = '> ';
      let status = dim('model · default · $0.00');
      for (let f = 0; f < 80; f++) {
        const r = rand();
        let committed: string[] = [];
        if (r < 0.35) streaming = streaming === '' ? pick() : `${streaming} ${pick()}`;
        else if (r < 0.5) {
          committed = [streaming, line(cols)].filter((l) => l !== '');
          streaming = '';
        } else if (r < 0.6) input = `> ${line(cols - 4)}`;
        else if (r < 0.65) status = dim(`model · default · $0.0${f % 10}`);
        else if (r < 0.7) committed = Array.from({ length: rows + 2 }, () => line(cols)); // taller than the screen
        else if (r < 0.75) committed = ['x'.repeat(cols + 5)]; // wider than the screen: wraps
        else if (r < 0.8) streaming = '';
        // The streaming text as the live region shows it: wrapped by hand below the width.
        const live: string[] = [];
        let rest = streaming.split(' ');
        while (rest.length > 0 && rest[0] !== '') {
          let l = rest[0];
          let i = 1;
          while (i < rest.length && plain(`${l} ${rest[i]}`).length * 2 < cols - 1) l = `${l} ${rest[i++]}`;
          live.push(l);
          rest = rest.slice(i);
        }
        const region = [...live.slice(-(rows - 5)), ...(live.length > 0 ? [''] : []), input, status];
        writer.frame(committed, region);
        committedAll.push(...committed);
        await flush();
        const expected = [...committedAll, ...region].map((l) => plain(l).trimEnd());
        // A line wider than the terminal takes more rows: compare the text with the rows joined back.
        const got = lines(term);
        expect(got.join('').replace(/\s+/g, ''), `seed ${seed} frame ${f}`).toBe(expected.join('').replace(/\s+/g, ''));
        expect(got.slice(-region.length), `seed ${seed} frame ${f}`).toEqual(region.map((l) => plain(l).trimEnd()));
        expect(cursorRow(term), `seed ${seed} frame ${f}`).toBe(got.length);
      }
      // eslint-disable-next-line no-control-regex -- the escape character is what is looked for
      expect(raw().match(/\x1b\[[23]J/g)).toBeNull();
    }
  });

  it('writes only the new end of a growing line and never rewrites an unchanged input box or status line', async () => {
    const { term, writer, flush, writes } = terminal(60, 12);
    const input = `${bold('> ')}\x1b[7m \x1b[27m`;
    const status = dim('claude-sonnet-4-5 · default · $0.0000 · us-east-1');
    writer.frame(['header'], ['The first', '', input, status]);
    writes.length = 0;
    writer.frame([], ['The first words of', '', input, status]);
    expect(writes).toHaveLength(1);
    const grow = writes[0];
    expect(grow).toContain(' words of');
    expect(grow).not.toContain('The first');
    expect(grow).not.toContain('us-east-1');
    expect(grow).not.toContain('> ');
    // A finished line leaves the region: inserted above the input box, which is not redrawn.
    writes.length = 0;
    writer.frame(['The first words of a long line'], ['that goes on', '', input, status]);
    const commit = writes.join('');
    expect(commit).not.toContain('us-east-1');
    expect(commit).not.toContain('> ');
    expect(commit).toContain('\x1b[L');
    expect(commit.startsWith('\x1b[?2026h') && commit.endsWith('\x1b[?2026l')).toBe(true);
    await flush();
    expect(lines(term)).toEqual(['header', 'The first words of a long line', 'that goes on', '', '>', 'claude-sonnet-4-5 · default · $0.0000 · us-east-1']);
    // Nothing changed: nothing written.
    writes.length = 0;
    expect(writer.frame([], ['that goes on', '', input, status])).toBe(0);
    expect(writes).toHaveLength(0);
  });

  it('restyles a row whole when its start changed, and closes a style a cut line left open', async () => {
    const { term, writer, flush, writes } = terminal(40, 10);
    writer.frame([], ['touches **thr', 'status']);
    writes.length = 0;
    writer.frame([], [`touches ${bold('three')} files`, 'status']);
    // The common start "touches " is kept; the rest is drawn bold.
    expect(writes[0]).toContain(`\x1b[9G${bold('three')} files`);
    writer.frame([], ['\x1b[33mopen yellow', 'status']);
    expect(writes.at(-1)).toContain('\x1b[0m');
    writer.frame([], ['plain again', 'status']);
    await flush();
    expect(lines(term)).toEqual(['plain again', 'status']);
    const cell = term.buffer.active.getLine(0)?.getCell(0);
    expect(cell?.isFgDefault()).toBe(true);
  });

  it('redraws the region whole after a resize (rows rewrapped by a narrower terminal)', async () => {
    const { term, writer, flush } = terminal(50, 10);
    const wide = 'a'.repeat(45);
    writer.frame(['kept'], [wide, '> ', 'status']);
    await flush();
    term.resize(30, 10);
    const narrow = { columns: 30, rows: 10 };
    // The writer reads the size it was given: a new one with the same state is not what a view
    // does, so the size object is patched as a real stream's would change.
    Object.assign((writer as unknown as { term: { columns: number; rows: number } }).term, narrow);
    writer.resized();
    writer.frame([], ['b'.repeat(20), '> ', 'status']);
    await flush();
    expect(lines(term)).toEqual(['kept', 'b'.repeat(20), '>', 'status']);
  });

  it('takes over a region drawn before it (an early input box): only the rows that differ are written', async () => {
    const { term, writer, flush, writes } = terminal(40, 10);
    term.write('$ bcode\n> hel\nstatus line\n');
    writer.adopt(['> hel', 'status line']);
    writer.frame(['bcode 0.1.0'], ['> hello', 'status line']);
    await flush();
    expect(lines(term)).toEqual(['$ bcode', 'bcode 0.1.0', '> hello', 'status line']);
    expect(writes.join('')).not.toContain('status line');
    expect(cursorRow(term)).toBe(4);
  });

  it('clear() erases the live region and leaves the finished lines', async () => {
    const { term, writer, flush } = terminal(40, 10);
    writer.frame(['one', 'two'], ['live', '> ', 'status']);
    writer.clear();
    await flush();
    expect(lines(term)).toEqual(['one', 'two']);
    expect(cursorRow(term)).toBe(2);
  });
});
