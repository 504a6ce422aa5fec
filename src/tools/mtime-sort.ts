import { promises as fs } from 'node:fs';

/** Newest first (what the model most likely wants), ties by path so the order is stable. */
export async function sortByMtime(paths: string[]): Promise<string[]> {
  const times = new Map<string, number>();
  const batch = 256;
  for (let i = 0; i < paths.length; i += batch) {
    await Promise.all(
      paths.slice(i, i + batch).map(async (p) => {
        times.set(p, await fs.stat(p).then((s) => s.mtimeMs, () => 0));
      }),
    );
  }
  return [...paths].sort((a, b) => (times.get(b) ?? 0) - (times.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
}
