/**
 * TerminalView between the real store and a real terminal emulator (@xterm/headless): what the
 * store publishes in one turn of the event loop is one frame; finished items are written once,
 * above the live region; a resize redraws the region for the new size; clear() erases it for
 * good and close() leaves the last frame with the cursor shown.
 */
import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { emptyEditor } from '../../src/ui/tui/editor.js';
import { TuiStore } from '../../src/ui/tui/store.js';
import { makeStyle } from '../../src/ui/tui/style.js';
import { TerminalView } from '../../src/ui/tui/terminal-view.js';

const usage = { totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } };

class FakeTty extends EventEmitter {
  readonly isTTY = true;
  raw = '';
  readonly term: InstanceType<typeof xterm.Terminal>;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
    this.term = new xterm.Terminal({ cols: columns, rows, scrollback: 1000, allowProposedApi: true, convertEol: true });
  }
  write(data: string): boolean {
    this.raw += data;
    this.term.write(data);
    return true;
  }
  /** As a terminal does it: what was written before is laid out at the old size, then rewrapped. */
  async resize(columns: number, rows: number): Promise<void> {
    await new Promise<void>((resolve) => this.term.write('', resolve));
    this.columns = columns;
    this.rows = rows;
    this.term.resize(columns, rows);
    this.emit('resize');
  }
  async lines(): Promise<string[]> {
    await new Promise<void>((resolve) => this.term.write('', resolve));
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push((b.getLine(i)?.translateToString(true) ?? '').trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }
  frames(): number {
    return this.raw.split('\x1b[?2026h').length - 1;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function setup(cols = 60, rows = 12) {
  const tty = new FakeTty(cols, rows);
  const store = new TuiStore(makeStyle(false), '/p', () => usage, { model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-east-1', mode: 'default' }, { width: cols, rows }, 0);
  store.commit(['header']);
  store.flush();
  const view = new TerminalView(store, tty);
  return { tty, store, view };
}

describe('TerminalView', () => {
  it('draws at once, then one frame per turn of the event loop, finished lines once above the live region', async () => {
    const { tty, store, view } = setup();
    expect(tty.frames()).toBe(1);
    expect(await tty.lines()).toEqual(['header', '>', 'claude-sonnet-4-5 · default · $0.0000 · us-east-1']);
    // A submit: the input cleared, the prompt added, the turn marked busy — three publishes.
    store.setInput({ ...emptyEditor(0), text: 'hi', cursor: 2 });
    await turn();
    const before = tty.frames();
    store.setInput(emptyEditor(0));
    store.userPrompt('hi');
    store.setHint('a hint');
    expect(tty.frames()).toBe(before);
    await turn();
    expect(tty.frames()).toBe(before + 1);
    const shown = await tty.lines();
    expect(shown.filter((l) => l === '> hi')).toHaveLength(1);
    expect(shown.slice(0, 3)).toEqual(['header', '', '> hi']);
    expect(shown.at(-1)).toContain('us-east-1');
    // Nothing new: no frame.
    store.flush();
    await turn();
    expect(tty.frames()).toBe(before + 1);
    view.close();
  });

  it('redraws the region after the terminal narrows, laid out for the new width', async () => {
    const { tty, store, view } = setup(60, 12);
    store.info('a finished line');
    await turn();
    await tty.resize(30, 12);
    await turn();
    expect(store.current.width).toBe(30);
    const shown = await tty.lines();
    expect(shown.slice(0, 2)).toEqual(['header', 'a finished line']);
    expect(shown.at(-2)).toBe('>');
    expect(shown.at(-1)?.length).toBeLessThan(30);
    // eslint-disable-next-line no-control-regex -- the escape character is what is looked for
    expect(tty.raw.match(/\x1b\[[23]J/g)).toBeNull();
    view.close();
  });

  it('clear() erases the region and draws nothing more; close() leaves the last frame and shows the cursor', async () => {
    const a = setup();
    a.store.info('kept');
    a.view.clear();
    a.store.info('after the clear');
    await turn();
    expect(await a.tty.lines()).toEqual(['header', 'kept']);
    expect(a.tty.raw.endsWith('\x1b[?25h')).toBe(true);

    const b = setup();
    b.store.info('last words');
    b.view.close();
    expect(await b.tty.lines()).toEqual(['header', 'last words', '>', 'claude-sonnet-4-5 · default · $0.0000 · us-east-1']);
    expect(b.tty.raw.endsWith('\x1b[?25h')).toBe(true);
    b.store.info('not drawn');
    await turn();
    expect(await b.tty.lines()).not.toContain('not drawn');
  });
});
