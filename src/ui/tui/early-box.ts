/**
 * The input box before the UI exists. `bcode` in a terminal draws it from the launcher
 * (dist/cli.js) within a few milliseconds of Node starting, in plain ANSI, and reads keys into
 * it; the UI's bundle (ink, React, the configuration, the session engine) loads behind it. When
 * the UI draws its first frame, the box is erased inside that same synchronized update and every
 * key typed meanwhile is handed over, chunk by chunk as the terminal sent it, to the UI's own key
 * handling (src/ui/tui/early-keys.ts): nothing typed is lost or read twice.
 *
 * Only what it can show faithfully is echoed (text and Backspace); after any other key (Enter,
 * arrows, Ctrl-keys, a paste the UI would fold) the box stops changing and the keys wait for the
 * UI, which applies them. The text it shows is the UI's input text on its first frame, so that
 * frame draws the box as it was.
 * Ctrl-C twice quits at once, as in the UI. This module stays small and dependency-free: it is
 * part of the launcher, which `--version` and print mode load too.
 */
import { isLargePaste } from './editor.js';
import { colorEnabled, makeStyle } from './style.js';

/** Begin / end synchronized update (DECSET 2026): the terminal shows the frame whole. */
export const SYNC_BEGIN = '\x1b[?2026h';
export const SYNC_END = '\x1b[?2026l';
const ERASE_LINE = '\x1b[K';
const ERASE_BELOW = '\x1b[J';

/** What was typed before the UI: the text the box shows, then the keys it did not apply, as the terminal sent them. */
export interface HandedOver {
  text: string;
  keys: string[];
  /** Call right after the UI's first frame: erases the box itself if that frame wrote nothing. */
  finish(): void;
}

export interface EarlyInput {
  /**
   * Stops reading and drawing and returns what was typed. The next write to the terminal (the
   * UI's first frame) is preceded by the box's erase, in one synchronized update: the box never
   * disappears before its replacement is there. Undefined once handed over or cancelled.
   */
  handOver(): HandedOver | undefined;
  /** Erases the box and gives the terminal back (an error, or the UI not opening). Idempotent. */
  cancel(): void;
}

export interface EarlyBoxOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  version: string;
  cwd: string;
  /** Ctrl-C twice before the UI is up: quit now (the box is already erased). */
  quit(): void;
}

/**
 * ink draws nothing live on CI (is-in-ci: CI or CONTINUOUS_INTEGRATION set to anything but
 * 0/false): no early box there either, so the two never disagree.
 */
function onCi(env: Record<string, string | undefined>): boolean {
  const set = (k: string) => env[k] !== undefined && env[k] !== '0' && env[k] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * Columns `s` may take, never less than it really takes: anything outside ASCII counts as two
 * (a wide character). Over-counting only shows a little less text; under-counting would let a line
 * wrap and leave a row behind when the box is erased.
 */
export function columnsAtMost(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/** `s` cut to at most `width` columns (by `columnsAtMost`), keeping its head or, with `tail`, its end. */
export function fitColumns(s: string, width: number, tail = false): string {
  const chars = [...s];
  if (tail) chars.reverse();
  let out = '';
  let used = 0;
  for (const ch of chars) {
    const w = columnsAtMost(ch);
    if (used + w > width) break;
    used += w;
    out = tail ? ch + out : out + ch;
  }
  return out;
}

/**
 * What a chunk of keys does to the early box's text, or `undefined` when it is something the box
 * does not show (the box then stops changing). Printable text is inserted; DEL / BS erase a
 * character.
 */
export function applyEarlyChunk(text: string, chunk: string): string | undefined {
  if (isLargePaste(chunk)) return undefined;
  let out = text;
  for (const ch of chunk) {
    if (ch === '\x7f' || ch === '\b') out = [...out].slice(0, -1).join('');
    else if (ch.charCodeAt(0) < 0x20) return undefined;
    else out += ch;
  }
  return out;
}

/**
 * Draws the box and starts reading keys, or returns undefined where it must not draw: not a
 * terminal on both ends, on CI, a terminal too small for it, TERM=dumb.
 */
export function openEarlyBox(o: EarlyBoxOptions): EarlyInput | undefined {
  const { stdin, stdout } = o;
  if (!stdin.isTTY || !stdout.isTTY || onCi(o.env) || o.env.TERM === 'dumb') return undefined;
  const columns = stdout.columns || 0;
  const rows = stdout.rows || 0;
  if (columns < 20 || rows < 5) return undefined;
  // One column short of the edge, as the UI lays out (a full-width line makes some terminals wrap).
  const width = columns - 1;
  const style = makeStyle(colorEnabled(o.env, true));
  // The same two lines the UI writes first (src/ui/tui/run.tsx), each cut to one row so that the
  // box always takes exactly three rows and erasing it is exact.
  const head = `bcode ${o.version} · ${o.cwd}`;
  const hint = '/help for commands and keys · Esc interrupts · Ctrl-C twice quits';
  const headCut = fitColumns(head, width);
  const headLine = style.bold(headCut.slice(0, 'bcode'.length)) + (headCut.length > 'bcode'.length ? style.dim(headCut.slice('bcode'.length)) : '');
  const banner = `${headLine}\n${style.dim(fitColumns(hint, width))}`;
  const prompt = style.bold('> ');

  let text = '';
  /** Index in `keys` of the first chunk the box did not apply (from there on the UI applies them). */
  let frozenAt: number | undefined;
  let ctrlC = 0;
  const keys: string[] = [];
  let state: 'open' | 'handed' | 'cancelled' = 'open';

  // The terminal's own cursor stands after the text (the UI hides it and draws an inverse cell):
  // a process killed now leaves no hidden cursor behind.
  const inputLine = () => `\r${ERASE_LINE}${prompt}${fitColumns(text, width - 3, true)}`;
  const write = (s: string) => void stdout.write(s);

  const onChunk = (s: string) => {
    keys.push(s);
    // Two Ctrl-C in a row (in one chunk or two); any other key in between starts the count again, as in the UI.
    ctrlC = s !== '' && s.split('').every((c) => c === '\x03') ? ctrlC + s.length : 0;
    if (ctrlC >= 2) {
      cancel();
      o.quit();
      return;
    }
    if (frozenAt !== undefined) return;
    const next = applyEarlyChunk(text, s);
    if (next === undefined) {
      frozenAt = keys.length - 1;
      return;
    }
    text = next;
    write(`${SYNC_BEGIN}${inputLine()}${SYNC_END}`);
  };
  // Read as ink reads ('readable', then read() until empty): each chunk is what ink would have
  // got at that moment. Not 'data': pausing a flowing stdin stops the terminal being read on the
  // next tick, after ink may already have attached its own reader, which then never hears a key.
  const onReadable = () => {
    let chunk: string | Buffer | null;
    while (state === 'open' && (chunk = stdin.read() as string | Buffer | null) !== null) onChunk(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  };

  /** Back to the first row of the box, which is then erased (the cursor is on its last row). */
  const erase = () => `\r\x1b[2A${ERASE_BELOW}`;

  function cancel(): void {
    if (state !== 'open') return;
    state = 'cancelled';
    stdin.off('readable', onReadable);
    // Nobody reads the terminal any more: it must not keep the process alive (as ink leaves it
    // when it ends). pause() would not do: with a 'readable' reader the stream never flowed.
    stdin.unref();
    write(`${SYNC_BEGIN}${erase()}${SYNC_END}`);
  }

  // Raw mode first: keys typed from now on are keys, not a line the terminal echoes. `\r` + erase
  // line wipes what the terminal echoed before (the cursor is at the start of a fresh line).
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  write(`${SYNC_BEGIN}\r${ERASE_LINE}${banner}\n${inputLine()}${SYNC_END}`);
  stdin.on('readable', onReadable);

  return {
    handOver() {
      if (state !== 'open') return undefined;
      state = 'handed';
      // The terminal stays read: what arrives now waits in stdin's buffer for ink's reader.
      stdin.off('readable', onReadable);
      // The UI's first write (ink starts each frame with its own synchronized-update mark) gets
      // the erase in front of it; the terminal shows both at once.
      const plainWrite = stdout.write;
      let erased = false;
      const once = function (this: NodeJS.WriteStream, ...args: Parameters<NodeJS.WriteStream['write']>): boolean {
        stdout.write = plainWrite;
        erased = true;
        const [chunk, ...rest] = args;
        const head = `${SYNC_BEGIN}${erase()}`;
        const joined = typeof chunk === 'string' ? head + chunk : Buffer.concat([Buffer.from(head), Buffer.from(chunk)]);
        return (plainWrite as (...a: unknown[]) => boolean).call(stdout, joined, ...rest);
      };
      stdout.write = once as NodeJS.WriteStream['write'];
      return {
        text,
        keys: keys.slice(frozenAt ?? keys.length),
        finish() {
          if (erased) return;
          stdout.write = plainWrite;
          write(`${SYNC_BEGIN}${erase()}${SYNC_END}`);
        },
      };
    },
    cancel,
  };
}
