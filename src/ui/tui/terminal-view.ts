/**
 * The terminal side of the UI: every published state of the store becomes one frame of the
 * FrameWriter — the finished items not written yet, then the live region. ink still reads the
 * keys (and runs the React side), but draws nothing: its renderer erases and redraws the whole
 * live region (input box and status line included) on every frame that adds a finished line,
 * which is most frames while an answer streams.
 */
import { FrameWriter } from './frame-writer.js';
import { liveLines } from './live.js';
import type { TuiStore } from './store.js';

export interface ViewTerminal {
  columns: number;
  rows: number;
  isTTY?: boolean;
  write(data: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export class TerminalView {
  private readonly writer: FrameWriter;
  /** The id of the last finished item written (items are only ever appended). */
  private written = 0;
  private readonly unsubscribe: () => void;
  private closed = false;
  private pending: NodeJS.Immediate | undefined;
  /** Bytes written by frames so far (the bench and tests read it). */
  bytes = 0;

  constructor(
    private readonly store: TuiStore,
    private readonly out: ViewTerminal,
    /** Lines already drawn as the live region (an early input box), taken over instead of drawn again. */
    drawn?: readonly string[],
  ) {
    this.writer = new FrameWriter(
      {
        get columns() {
          return out.columns || 80;
        },
        get rows() {
          return out.rows || 24;
        },
        write: (data) => void out.write(data),
      },
      out.isTTY === true,
    );
    if (drawn) this.writer.adopt(drawn);
    this.unsubscribe = store.subscribe(this.soon);
    out.on('resize', this.onResize);
    // A crash or exit must not leave the terminal without a cursor.
    process.once('exit', this.showCursor);
    this.draw();
  }

  /**
   * Publishes of one turn of the event loop make one frame: a submitted prompt clears the input
   * and adds the prompt line; the end of an answer commits it, updates the cost and ends the turn.
   * A key is still drawn within the same turn of the loop that read it.
   */
  private readonly soon = (): void => {
    this.pending ??= setImmediate(this.draw);
  };

  private readonly draw = (): void => {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    if (this.closed) return;
    const state = this.store.getSnapshot();
    const items = state.items;
    let from = items.length;
    while (from > 0 && items[from - 1].id > this.written) from--;
    const committed = items.slice(from).flatMap((i) => i.lines.flatMap((l) => l.split('\n')));
    if (from < items.length) this.written = items[items.length - 1].id;
    this.bytes += this.writer.frame(committed, liveLines(state, this.store.style));
  };

  private readonly onResize = (): void => {
    this.writer.resized();
    // The store lays out new output for the new size and publishes: that frame redraws the region.
    this.store.setSize(this.out.columns || 80, this.out.rows || 24);
  };

  private readonly showCursor = (): void => this.writer.done();

  /**
   * Erases the live region and stops drawing (a session that could not start: the caller reports
   * the error where the region was). What was committed before stays.
   */
  clear(): void {
    if (this.closed) return;
    this.draw();
    this.writer.clear();
    this.stop();
  }

  /** Stops drawing; the last frame stays on the screen, the cursor under it. */
  close(): void {
    if (this.closed) return;
    // What was published last is on the screen before the UI goes.
    this.draw();
    this.stop();
  }

  private stop(): void {
    this.closed = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    this.unsubscribe();
    this.out.off('resize', this.onResize);
    process.off('exit', this.showCursor);
    this.writer.done();
  }
}
