import { statSync } from 'node:fs';

/**
 * Paths with their modification times, newest first (what the model most likely wants), ties
 * by path so the order is stable.
 *
 * Each path is stat'ed as it is added, synchronously: Glob and Grep add paths while ripgrep is
 * still printing them, so the stats overlap ripgrep's own search, and a synchronous stat of a
 * cached inode costs far less than a promise per file. One ripgrep output chunk (64 KB, about a
 * thousand paths) is stat'ed at a time, so the event loop is never held for long.
 */
export class NewestFirst {
  private readonly paths: string[] = [];
  private readonly mtimes: number[] = [];

  get size(): number {
    return this.paths.length;
  }

  /** The length of the shortest path added (Infinity when none). */
  shortest = Infinity;

  add(p: string): void {
    let mtime = 0;
    try {
      mtime = statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    } catch {
      /* unreadable (EACCES, ELOOP…): sorts as oldest */
    }
    this.paths.push(p);
    this.mtimes.push(mtime);
    if (p.length < this.shortest) this.shortest = p.length;
  }

  /** The newest `limit` paths, in order. Keeps a heap of `limit` entries, not a sort of all. */
  newest(limit = Infinity): string[] {
    const { paths, mtimes } = this;
    const k = Math.min(limit, paths.length);
    if (k <= 0) return [];
    // a comes before b in the result.
    const before = (a: number, b: number) => mtimes[a] > mtimes[b] || (mtimes[a] === mtimes[b] && paths[a] < paths[b]);
    if (k === paths.length) return paths.map((_, i) => i).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).map((i) => paths[i]);
    // A binary heap whose root is the entry that comes last among the k kept so far.
    const heap: number[] = [];
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let last = i;
        if (l < heap.length && before(heap[last], heap[l])) last = l;
        if (r < heap.length && before(heap[last], heap[r])) last = r;
        if (last === i) return;
        [heap[i], heap[last]] = [heap[last], heap[i]];
        i = last;
      }
    };
    for (let i = 0; i < paths.length; i++) {
      if (heap.length < k) {
        heap.push(i);
        for (let j = heap.length - 1; j > 0; ) {
          const parent = (j - 1) >> 1;
          if (!before(heap[parent], heap[j])) break;
          [heap[parent], heap[j]] = [heap[j], heap[parent]];
          j = parent;
        }
      } else if (before(i, heap[0])) {
        heap[0] = i;
        down(0);
      }
    }
    return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).map((i) => paths[i]);
  }
}
