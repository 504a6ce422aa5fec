/**
 * The ink tree: keys only. What the terminal shows is drawn by TerminalView (terminal-view.ts)
 * from the store, a changed row at a time; ink's own renderer redraws the whole live region on
 * every frame, so it is given a stream that goes nowhere (see quiet-stdout.ts).
 */
import { useInput } from 'ink';
import type { TuiController } from './controller.js';
import { handleKey } from './keys.js';
import { useEarlyKeys } from './early-keys.js';

export function App({ ctl, earlyKeys }: { ctl: TuiController; earlyKeys?: readonly string[] }) {
  useInput((input, key) => handleKey(input, key, ctl));
  // After useInput: keys typed into the early box (early-box.ts) go to its listener.
  useEarlyKeys(earlyKeys);
  return null;
}
