/**
 * The ink tree: <Static> for the finished items (each written to the scrollback once), one
 * <Text> for the live region. Components read the store and render; keys go to keys.ts.
 */
import { Static, Text, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import type { TuiController } from './controller.js';
import { handleKey } from './keys.js';
import { liveLines } from './live.js';
import type { StaticItem } from './store.js';
import { useEarlyKeys } from './early-keys.js';

export function App({ ctl, earlyKeys }: { ctl: TuiController; earlyKeys?: readonly string[] }) {
  const state = useSyncExternalStore(ctl.store.subscribe, ctl.store.getSnapshot);
  useInput((input, key) => handleKey(input, key, ctl));
  // After useInput: keys typed into the early box (early-box.ts) go to its listener.
  useEarlyKeys(earlyKeys);
  useTerminalSize(ctl);
  return (
    <>
      <Static items={state.items}>{(item: StaticItem) => <Text key={item.id}>{item.lines.join('\n')}</Text>}</Static>
      <Text>{liveLines(state, ctl.store.style).join('\n')}</Text>
    </>
  );
}

/** Follows the terminal's size: new output is laid out for it (what is in the scrollback stays as it was written). */
function useTerminalSize(ctl: TuiController): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const onResize = () => ctl.store.setSize(stdout.columns || 80, stdout.rows || 24);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, ctl]);
}
