/**
 * The input box as data: text, cursor, and the history walk. Pure functions from one state to
 * the next, so key handling (keys.ts) stays a table and this is testable without a terminal.
 */
export interface EditorState {
  text: string;
  /** Offset in `text` (UTF-16 units, always on a code-point boundary). */
  cursor: number;
  /** Position in the history while walking it with ↑/↓ (history.length = not walking). */
  historyIndex: number;
  /** What was typed before walking the history, restored when walking past the newest entry. */
  draft: string;
  /** Large pastes, shown folded as `[pasted #n: m lines]` and put back in full on submit. */
  pastes?: string[];
}

export const emptyEditor = (historyLength: number): EditorState => ({ text: '', cursor: 0, historyIndex: historyLength, draft: '' });

/** A paste with more lines than this (or more characters than PASTE_FOLD_CHARS) is folded. */
export const PASTE_FOLD_LINES = 10;
export const PASTE_FOLD_CHARS = 2000;
const PASTE_MARK = /\[pasted #(\d+): \d+ lines?\]/g;

/** Whether a chunk of input is a paste big enough to fold (keys arrive one at a time; a paste in one piece). */
export function isLargePaste(chunk: string): boolean {
  const lines = chunk.split(/\r\n?|\n/).length;
  return lines > PASTE_FOLD_LINES || chunk.length > PASTE_FOLD_CHARS;
}

/** Inserts a large paste as one short placeholder; the text itself is kept beside the input. */
export function insertPaste(s: EditorState, chunk: string): EditorState {
  const text = chunk.replace(/\r\n?/g, '\n');
  const pastes = [...(s.pastes ?? []), text];
  const lines = text.replace(/\n$/, '').split('\n').length;
  const mark = `[pasted #${pastes.length}: ${lines} line${lines === 1 ? '' : 's'}]`;
  return { ...s, pastes, text: s.text.slice(0, s.cursor) + mark + s.text.slice(s.cursor), cursor: s.cursor + mark.length };
}

/** The text to send: each paste placeholder replaced by what was pasted. */
export function expandPastes(s: EditorState): string {
  const pastes = s.pastes ?? [];
  if (pastes.length === 0) return s.text;
  return s.text.replace(PASTE_MARK, (mark, n: string) => pastes[Number(n) - 1] ?? mark);
}

export function insert(s: EditorState, chunk: string): EditorState {
  // Pasted text arrives in one piece, with \r for its line ends.
  // Other control characters (keys that arrived glued together) are not text.
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = chunk.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
  return { ...s, text: s.text.slice(0, s.cursor) + clean + s.text.slice(s.cursor), cursor: s.cursor + clean.length };
}

function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  const c = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}
function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 2 <= text.length ? i + 2 : i + 1;
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  // A paste placeholder goes as one piece (half of one would send the marker's text instead).
  const mark = s.pastes?.length ? /\[pasted #(\d+): \d+ lines?\]$/.exec(s.text.slice(0, s.cursor)) : null;
  if (mark && s.pastes?.[Number(mark[1]) - 1] !== undefined) {
    const at = s.cursor - mark[0].length;
    return { ...s, text: s.text.slice(0, at) + s.text.slice(s.cursor), cursor: at };
  }
  const p = prevBoundary(s.text, s.cursor);
  return { ...s, text: s.text.slice(0, p) + s.text.slice(s.cursor), cursor: p };
}

export function deleteForward(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(nextBoundary(s.text, s.cursor)) };
}

export const left = (s: EditorState): EditorState => ({ ...s, cursor: prevBoundary(s.text, s.cursor) });
export const right = (s: EditorState): EditorState => ({ ...s, cursor: nextBoundary(s.text, s.cursor) });
export const lineStart = (s: EditorState): EditorState => ({ ...s, cursor: s.text.lastIndexOf('\n', s.cursor - 1) + 1 });
export function lineEnd(s: EditorState): EditorState {
  const nl = s.text.indexOf('\n', s.cursor);
  return { ...s, cursor: nl < 0 ? s.text.length : nl };
}
/** Ctrl-U: delete from the line start to the cursor. */
export function killToStart(s: EditorState): EditorState {
  const start = s.text.lastIndexOf('\n', s.cursor - 1) + 1;
  return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

/** Enter right after a backslash: the backslash becomes a newline (multi-line input). */
export function continuesLine(s: EditorState): boolean {
  return s.cursor > 0 && s.text[s.cursor - 1] === '\\';
}
export function backslashNewline(s: EditorState): EditorState {
  return { ...s, text: `${s.text.slice(0, s.cursor - 1)}\n${s.text.slice(s.cursor)}` };
}

/** ↑: the line above inside multi-line text, else the previous history entry. */
export function up(s: EditorState, history: readonly string[]): EditorState {
  const lineStartAt = s.text.lastIndexOf('\n', s.cursor - 1) + 1;
  if (lineStartAt > 0) {
    const col = s.cursor - lineStartAt;
    const prevStart = s.text.lastIndexOf('\n', lineStartAt - 2) + 1;
    return { ...s, cursor: Math.min(prevStart + col, lineStartAt - 1) };
  }
  if (s.historyIndex === 0 || history.length === 0) return s;
  const index = Math.min(s.historyIndex, history.length) - 1;
  const draft = s.historyIndex >= history.length ? s.text : s.draft;
  const text = history[index];
  return { text, cursor: text.length, historyIndex: index, draft, pastes: s.pastes };
}

/** ↓: the line below inside multi-line text, else the next history entry (then the draft). */
export function down(s: EditorState, history: readonly string[]): EditorState {
  const nl = s.text.indexOf('\n', s.cursor);
  if (nl >= 0) {
    const col = s.cursor - (s.text.lastIndexOf('\n', s.cursor - 1) + 1);
    const nextEnd = s.text.indexOf('\n', nl + 1);
    return { ...s, cursor: Math.min(nl + 1 + col, nextEnd < 0 ? s.text.length : nextEnd) };
  }
  if (s.historyIndex >= history.length) return s;
  const index = s.historyIndex + 1;
  const text = index >= history.length ? s.draft : history[index];
  return { text, cursor: text.length, historyIndex: index, draft: s.draft, pastes: s.pastes };
}

/** The word the cursor is in or just after (for Tab completion), with where it starts. */
export function wordAtCursor(s: EditorState): { word: string; start: number } {
  let start = s.cursor;
  while (start > 0 && !/\s/.test(s.text[start - 1])) start--;
  return { word: s.text.slice(start, s.cursor), start };
}

/** Replaces the word before the cursor (from `start`) with `replacement`. */
export function replaceWord(s: EditorState, start: number, replacement: string): EditorState {
  return { ...s, text: s.text.slice(0, start) + replacement + s.text.slice(s.cursor), cursor: start + replacement.length };
}
