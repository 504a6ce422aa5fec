/**
 * Writes the UI's frames to the terminal with as few bytes as it can: finished lines go above the
 * live region (into the scrollback as the screen scrolls) and the live region is changed row by
 * row. A row that did not change is not written; a row that grew (the streaming line) gets only
 * its new end; lines that arrive above an unchanged input box and status line are inserted with
 * the terminal's own line insertion (IL) instead of redrawing everything below them.
 *
 * The model: the live region's rows are `shown`, drawn from the cursor's row upwards; the cursor
 * rests at the start of the row under the last of them (as ink left it). Nothing above the region
 * is ever touched again, and the whole screen is never cleared (only "erase below", ED 0, when a
 * frame cannot be diffed: lines as wide as the terminal, a frame taller than it, a resize).
 *
 * Line feeds rely on the terminal's ONLCR (a line feed also returns the carriage), which raw mode
 * keeps; ink relied on it the same way.
 */
import { stringWidth } from './text.js';

const ESC = '\x1b[';
/** DECSET 2026: the terminal shows the frame at once, not half-drawn. */
const SYNC_BEGIN = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export interface Terminal {
  columns: number;
  rows: number;
  write(data: string): void;
}

export class FrameWriter {
  /** The live region's lines as they are on the screen now. */
  private shown: string[] = [];
  /** Screen rows the region takes (differs from shown.length only after a resize reflowed it). */
  private shownRows = 0;
  private cursorHidden = false;
  /** Set by a resize: the next frame redraws the region whole (its rows may have been rewrapped). */
  private redrawAll = false;

  constructor(
    private readonly term: Terminal,
    /** Wrap frames in synchronized-output sequences (a TTY that may support them). */
    private readonly sync = true,
  ) {}

  /**
   * One frame: `committed` lines go above the live region for good (scrollback), `live` becomes
   * the region. Returns the bytes written (0 when nothing changed).
   */
  frame(committedLines: readonly string[], liveLines: readonly string[]): number {
    const committed = committedLines.map(trimEnd);
    const live = liveLines.map(trimEnd);
    const body = this.redrawAll || !this.diffable(committed, live) ? this.redraw(committed, live) : this.diff(committed, live);
    this.redrawAll = false;
    this.shown = [...live];
    this.shownRows = live.length;
    if (body === '') return 0;
    let out = body;
    if (!this.cursorHidden) {
      out = HIDE_CURSOR + out;
      this.cursorHidden = true;
    }
    if (this.sync) out = SYNC_BEGIN + out + SYNC_END;
    this.term.write(out);
    return Buffer.byteLength(out);
  }

  /**
   * Lines already on the screen as a live region, the cursor at the start of the row under them
   * (an input box drawn before the UI loaded): the next frame rewrites only the rows that differ.
   */
  adopt(lines: readonly string[]): void {
    this.shown = lines.map(trimEnd);
    this.shownRows = this.shown.length;
  }

  /**
   * The terminal changed size: a narrower terminal may have rewrapped the region's rows, so the
   * next frame erases as many rows as the rewrapped region takes and draws it again.
   */
  resized(): void {
    const cols = Math.max(1, this.term.columns);
    this.shownRows = this.shown.reduce((n, l) => n + rowsOf(l, cols), 0);
    this.redrawAll = true;
  }

  /** Erases the live region (the cursor ends where its first row was); what is above stays. */
  clear(): void {
    const body = this.eraseRegion();
    this.shown = [];
    this.shownRows = 0;
    if (body !== '') this.term.write(this.sync ? SYNC_BEGIN + body + SYNC_END : body);
  }

  /** The cursor visible again (the UI is going away; the region stays as last drawn). */
  done(): void {
    if (this.cursorHidden) this.term.write(SHOW_CURSOR);
    this.cursorHidden = false;
  }

  /** Row arithmetic holds: every line is one screen row and the frame fits under the screen's top. */
  private diffable(committed: readonly string[], live: readonly string[]): boolean {
    const cols = this.term.columns;
    const rows = this.term.rows;
    if (!(cols > 0 && rows > 0) || this.shown.length === 0) return false;
    if (committed.length + live.length + 1 > rows || this.shown.length + 1 > rows) return false;
    const fits = (l: string) => !l.includes('\n') && stringWidth(l) < cols;
    return this.shownRows === this.shown.length && this.shown.every(fits) && committed.every(fits) && live.every(fits);
  }

  /** Up to the region's first row, erase below, then every line again (scrolling as it goes). */
  private redraw(committed: readonly string[], live: readonly string[]): string {
    const lines = [...committed, ...live];
    if (lines.length === 0 && this.shownRows === 0) return '';
    return this.eraseRegion() + lines.map((l) => l + closeStyles(l) + '\n').join('');
  }

  private eraseRegion(): string {
    if (this.shownRows === 0) return '';
    return `\r${up(this.shownRows)}${ESC}J`;
  }

  private diff(committed: readonly string[], live: readonly string[]): string {
    const old = this.shown;
    const next = [...committed, ...live];
    // The unchanged bottom (blank line, input box, status line) stays where it is on the screen.
    let same = 0;
    while (same < old.length && same < next.length && old[old.length - 1 - same] === next[next.length - 1 - same]) same++;
    const oldMid = old.length - same;
    const newMid = next.length - same;
    let out = '';
    // The cursor's row, counted from the region's first row, and whether it is in the first column.
    let at = old.length;
    let col0 = true;
    const grow = newMid - oldMid;
    if (grow > 0) {
      // Room first: line feeds scroll the screen when the region is at its bottom (its top rows go
      // to the scrollback). The rows are opened (IL) when the loop reaches them, after the rows
      // above are rewritten: no extra move up and down.
      out += '\n'.repeat(grow);
      at = old.length + grow;
    } else if (grow < 0) {
      out += `\r${up(old.length - newMid)}${ESC}${-grow === 1 ? '' : -grow}M`;
      at = newMid;
      col0 = false;
    }
    for (let r = 0; r < newMid; r++) {
      if (grow > 0 && r === oldMid) {
        // The unchanged bottom moves down into the room made above.
        const m = move(at, r);
        out += m + `${ESC}${grow === 1 ? '' : grow}L`;
        at = r;
        col0 = false;
      }
      const before = r < oldMid ? old[r] : '';
      const after = next[r];
      if (before === after) continue;
      const m = move(at, r);
      // A line feed one row down (the terminal's ONLCR) leaves the cursor in the first column.
      if (m === '\n') col0 = true;
      out += m + rewrite(before, after, col0);
      at = r;
      col0 = false;
    }
    if (out === '') return '';
    return out + restAt(at, next.length);
  }
}

/** From the row `from` (any column) to the start of the row `to` below it or the same. */
function restAt(from: number, to: number): string {
  const d = to - from;
  if (d <= 0) return '\r';
  // Line feeds (two bytes each through ONLCR) while they are not longer than the cursor move.
  return d <= 2 ? '\n'.repeat(d) : `\r${ESC}${d}B`;
}

/** From the row `from` to the row `to`, column unspecified (rewrite positions the column). */
function move(from: number, to: number): string {
  if (to === from) return '';
  if (to < from) return up(from - to);
  return to - from === 1 ? '\n' : `${ESC}${to - from}B`;
}

function up(n: number): string {
  if (n <= 0) return '';
  return `${ESC}${n === 1 ? '' : n}A`;
}

/**
 * The row showing `before` made to show `after`: only what follows their common start, when the
 * styles are all closed at that point (the terminal then draws the rest as a whole line would);
 * what was on the row past it erased.
 */
function rewrite(before: string, after: string, atLineStart: boolean): string {
  let cut = commonStart(before, after);
  // The column is computed, so the kept start must be one every terminal measures the same:
  // printable ASCII (emoji and East Asian ambiguous widths differ between terminals).
  // eslint-disable-next-line no-control-regex -- SGR sequences are removed before the check
  if (!/^[\x20-\x7e]*$/.test(after.slice(0, cut).replace(/\x1b\[[0-9;]*m/g, ''))) cut = 0;
  const col = cut === 0 ? 0 : stringWidth(after.slice(0, cut));
  const tail = after.slice(cut);
  // What was there is erased unless the row only grew: widths are the terminal's to decide
  // (an emoji may take one column there, two here), so "shorter" is not computed.
  const erase = before !== '' && !after.startsWith(before) ? `${ESC}K` : '';
  const to = col === 0 ? (atLineStart ? '' : '\r') : `${ESC}${col + 1}G`;
  return to + tail + closeStyles(after) + erase;
}

/** SGR sequences; any other escape makes a line's styles unknown here. */
// eslint-disable-next-line no-control-regex -- escape sequences are what is parsed
const TOKEN = /\x1b\[([0-9;]*)m|\x1b[^m]*?[@-~]|[\s\S]/gu;

/**
 * Where `a` and `b` stop being the same, moved back to a point where no style is open and no
 * escape sequence or character is split (0 when that is not known).
 */
function commonStart(a: string, b: string): number {
  let safe = 0;
  const open = new Set<string>();
  TOKEN.lastIndex = 0;
  for (;;) {
    const i = TOKEN.lastIndex;
    const m = TOKEN.exec(a);
    if (!m || !b.startsWith(m[0], i)) return safe;
    if (m[0].startsWith('\x1b')) {
      if (m[1] === undefined) return safe;
      applySgr(open, m[1]);
    }
    if (open.size === 0) safe = TOKEN.lastIndex;
  }
}

/** A reset when the line leaves a style open (a cut styled line), so the next write starts plain. */
function closeStyles(line: string): string {
  if (!line.includes('\x1b')) return '';
  const open = new Set<string>();
  // eslint-disable-next-line no-control-regex -- escape sequences are what is parsed
  for (const m of line.matchAll(/\x1b\[([0-9;]*)m/g)) applySgr(open, m[1]);
  return open.size === 0 ? '' : `${ESC}0m`;
}

/** The attributes an SGR sequence turns on and off, by family (which close code ends them). */
function applySgr(open: Set<string>, params: string): void {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) open.clear();
    else if (c === 1 || c === 2) open.add(`b${c}`);
    else if (c === 22) {
      open.delete('b1');
      open.delete('b2');
    } else if (c >= 3 && c <= 9) open.add(String(c));
    else if (c >= 23 && c <= 29) open.delete(String(c - 20));
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) open.add('fg');
    else if (c === 39) open.delete('fg');
    else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) open.add('bg');
    else if (c === 49) open.delete('bg');
    else if (c === 38 || c === 48) {
      open.add(c === 38 ? 'fg' : 'bg');
      // 38;5;n or 38;2;r;g;b: the colour's own numbers are not codes.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    } else open.add(`?${c}`);
  }
}

/**
 * Without its trailing blanks when no style is open there (they show nothing; a coloured
 * background would): the rows compare equal whatever padding the renderer left, as ink trimmed.
 */
function trimEnd(line: string): string {
  if (!/[ \t]$/.test(line)) return line;
  const trimmed = line.replace(/[ \t]+$/, '');
  return closeStyles(trimmed) === '' ? trimmed : line;
}

/** Screen rows a line takes at `cols` columns on a terminal that rewraps. */
function rowsOf(line: string, cols: number): number {
  return line.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(stringWidth(l) / cols)), 0);
}
