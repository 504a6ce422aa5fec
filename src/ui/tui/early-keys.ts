/**
 * Keys typed into the early box (early-box.ts) reach the UI exactly as if ink had read them from
 * the terminal: each chunk the terminal sent is cut where ink cuts what it reads (a run of text is
 * one event, each escape sequence another) and given to ink's input listeners (useInput, hence
 * keys.ts) in order, once, before anything typed later.
 */
import { useStdin } from 'ink';
import { useEffect } from 'react';

const ESC = '\x1b';

/** Length of the escape sequence at `i` (`s[i]` is ESC): CSI `ESC [ … final`, SS3 `ESC O x`, or ESC and one character. */
function sequenceLength(s: string, i: number): number {
  const kind = s[i + 1];
  if (kind === undefined) return 1;
  if (kind === '[') {
    let j = i + 2;
    // Legacy function keys: ESC [ [ A.
    if (s[j] === '[') j++;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) return j + 1 - i;
      if (c < 0x20 || c > 0x3f) return j - i;
    }
    return s.length - i;
  }
  if (kind === 'O') return Math.min(3, s.length - i);
  // ESC ESC [ A (meta + arrow) is one key.
  if (kind === ESC && (s[i + 2] === '[' || s[i + 2] === 'O')) return 1 + sequenceLength(s, i + 1);
  return 1 + [...s.slice(i + 1, i + 3)][0].length;
}

/** One chunk from the terminal as the key events ink makes of it. */
export function splitKeys(chunk: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    const esc = chunk.indexOf(ESC, i);
    if (esc === -1) {
      out.push(chunk.slice(i));
      break;
    }
    if (esc > i) out.push(chunk.slice(i, esc));
    const n = sequenceLength(chunk, esc);
    out.push(chunk.slice(esc, esc + n));
    i = esc + n;
  }
  return out;
}

/**
 * Replays `keys` once the UI's key handling listens. Call it after useInput in the same
 * component: effects run in order, so useInput's listener is attached first.
 */
export function useEarlyKeys(keys: readonly string[] | undefined): void {
  // ink's own channel from its stdin reader to every useInput hook (public in its StdinContext type).
  const { internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    if (!keys) return;
    for (const chunk of keys) for (const key of splitKeys(chunk)) events.emit('input', key);
    // Once, on the first frame: the keys were typed before it.
  }, []);
}
