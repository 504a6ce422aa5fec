/**
 * Small text helpers for messages: values echoed in errors are cut to one short line, and
 * mistyped words get a "did you mean" suggestion. No imports: used on the start-up path.
 */

/** Longest value an error message quotes; longer ones are cut with `…`. */
export const MAX_ECHO = 60;

/**
 * A value as an error message may quote it: line breaks and other control characters shown as
 * escapes (`\n`), at most `max` characters, so a pasted blob never floods the terminal.
 */
export function echoValue(value: string, max = MAX_ECHO): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  const oneLine = value.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  if (oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, max - 1)}… (${value.length} characters)`;
}

/** Levenshtein distance, small inputs only. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word` (case-insensitive), when it is close enough to be a typo:
 * at most 1 edit for short words, 2 for words of 6+ characters, 3 for 12+.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  if (w.length > 100) return undefined;
  const limit = w.length >= 12 ? 3 : w.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d > 0 && d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
