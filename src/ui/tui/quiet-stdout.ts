/**
 * The stdout ink is given: ink measures it (the real terminal's size) and writes its frames to it,
 * and they go nowhere, since TerminalView draws the screen. ink still owns stdin (raw mode, keys).
 */
import { Writable } from 'node:stream';

export function quietStdout(real: NodeJS.WriteStream): NodeJS.WriteStream {
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  Object.defineProperties(sink, {
    columns: { get: () => real.columns },
    rows: { get: () => real.rows },
    // Not a terminal to ink: it then never erases or synchronizes anything on it.
    isTTY: { value: false },
  });
  // ink only writes to it and reads its size; the rest of a tty stream's interface is not used.
  return sink as unknown as NodeJS.WriteStream;
}
