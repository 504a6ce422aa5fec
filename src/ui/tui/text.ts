/** Width-aware text helpers over ANSI-styled strings (wide characters and escapes measured right). */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

export { stringWidth };

/**
 * Wraps to `width` columns (hard: long words are cut), one array entry per screen line. Prose
 * loses the spaces at the wrap points; `keepSpaces` keeps them (code, where spacing matters).
 */
export function wrapLines(text: string, width: number, keepSpaces = false): string[] {
  const w = Math.max(1, width);
  return text.split('\n').flatMap((line) => (line === '' ? [''] : wrapAnsi(line, w, { hard: true, trim: !keepSpaces }).split('\n')));
}

/** Cuts plain text to `width` columns, ending with … when cut. */
export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(0, width));
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Prefixes the first line with `first` and the others with `rest` (a hanging indent), wrapping in between. */
export function hang(text: string, width: number, first: string, rest: string = ' '.repeat(stringWidth(first)), keepSpaces = false): string[] {
  const lines = wrapLines(text, Math.max(1, width - stringWidth(first)), keepSpaces);
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}
