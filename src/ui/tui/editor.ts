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
}

export const emptyEditor = (historyLength: number): EditorState => ({ text: '', cursor: 0, historyIndex: historyLength, draft: '' });

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
  return { text, cursor: text.length, historyIndex: index, draft };
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
  return { text, cursor: text.length, historyIndex: index, draft: s.draft };
}
