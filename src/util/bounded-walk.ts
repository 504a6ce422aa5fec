import fs from 'node:fs';
import path from 'node:path';

/**
 * Visits the entries below `dir`, breadth first, at most `budget` of them: decisions that look
 * into a tree (is a denied file down there? which files does a glob rule name?) must cost little
 * even in a huge repository. `visit` returns 'stop' to end the walk, 'prune' to not enter a
 * directory. Returns false when the budget ran out before the walk was complete.
 */
export function walkBounded(dir: string, budget: number, visit: (full: string, entry: fs.Dirent) => 'stop' | 'prune' | void): boolean {
  const queue = [dir];
  let seen = 0;
  while (queue.length > 0) {
    const d = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > budget) return false;
      const full = path.join(d, e.name);
      const what = visit(full, e);
      if (what === 'stop') return true;
      if (what !== 'prune' && e.isDirectory()) queue.push(full);
    }
  }
  return true;
}
