/**
 * Finished screen lines inside a paragraph that is still streaming. splitFinished moves whole
 * blocks to the scrollback; a long paragraph would still be redrawn whole on every frame until
 * its blank line arrives. Word wrapping is greedy, so once the next complete word has gone to a
 * new screen line, the lines above it can no longer change — as long as no inline markup (a `*`
 * or a backtick that a later one could pair with) sits in the text they hold.
 *
 * What is returned is checked, not assumed: the lines handed back plus the rendering of `rest`
 * must be exactly the rendering of the whole tail, or nothing is split.
 */
import { renderMarkdown } from './markdown.js';
import type { Style } from './style.js';

/** Characters that start or end inline spans (or escape them): text after one may restyle it. */
const MARKUP = /[*_[\]\\<>~|]/;
/** A line that is paragraph text whatever follows: not a heading, list, fence, quote, table or rule. */
const PROSE_LINE = /^\s*\p{L}/u;

export interface StableSplit {
  /** Screen lines that are final (as the whole answer's rendering would show them). */
  lines: string[];
  /** The Markdown source still to be shown live (starts at the first word of the next line). */
  rest: string;
}

/**
 * For the unfinished tail of an answer (after splitFinished: no blank line in it), the screen
 * lines of its paragraph that are final, and the source left after them. Undefined when the tail
 * is not one plain paragraph or no line is final yet.
 */
export function splitStableLines(tail: string, width: number, style: Style): StableSplit | undefined {
  const lines = tail.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // The line still growing may be empty (a newline just arrived): it is not part of the paragraph yet.
    if (i === lines.length - 1 && lines[i].trim() === '') continue;
    if (!PROSE_LINE.test(lines[i])) return undefined;
  }
  const plain = tail.slice(0, settledEnd(tail));
  // Only complete words: the last one may still be growing (or be glued to the markup after it).
  const end = Math.max(plain.lastIndexOf(' '), plain.lastIndexOf('\n'), plain.lastIndexOf('\t'));
  if (end <= 0) return undefined;
  const settled = renderMarkdown(tail.slice(0, end), { width, style });
  if (settled.length < 2) return undefined;
  const done = settled.slice(0, -1);
  const words = done.join(' ').split(/\s+/).filter(Boolean).length;
  const re = /\S+/g;
  let cut = -1;
  for (let n = 0; n < words; n++) {
    const m = re.exec(tail);
    if (!m) return undefined;
    cut = m.index + m[0].length;
  }
  const rest = tail.slice(cut).replace(/^\s+/, '');
  // Shown (and later committed) on its own, the rest must still read as the same paragraph: a
  // rest starting "- x" or "1" (which may grow into "1. x") would become a list item.
  if (!PROSE_LINE.test(rest)) return undefined;
  // Checked on what is there now; the greedy wrap keeps it true for whatever follows.
  const whole = renderMarkdown(tail, { width, style });
  const tailLines = renderMarkdown(rest, { width, style });
  if (whole.length !== done.length + tailLines.length) return undefined;
  for (let i = 0; i < whole.length; i++) if (whole[i] !== (i < done.length ? done[i] : tailLines[i - done.length])) return undefined;
  return { lines: done, rest };
}

/**
 * Where the text stops being surely settled: at the first emphasis, link or escape character, or
 * at the backtick of a code span not closed yet. Closed `code` spans are settled (a backtick
 * pairs with the next one, so later text cannot reach back into them); runs of several
 * backticks are not followed.
 */
function settledEnd(tail: string): number {
  const markup = tail.search(MARKUP);
  const end = markup < 0 ? tail.length : markup;
  let open = -1;
  for (let i = 0; i < end; i++) {
    if (tail[i] !== '`') continue;
    if (tail[i + 1] === '`' || (i > 0 && tail[i - 1] === '`')) return open >= 0 ? open : i;
    open = open >= 0 ? -1 : i;
  }
  return open >= 0 ? open : end;
}
