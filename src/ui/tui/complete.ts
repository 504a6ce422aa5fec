/**
 * Tab completion for the input box: `/` commands by prefix, `@` paths by fuzzy match over the
 * repository's files (ripgrep's list: .gitignore honoured, directories included as prefixes).
 * The file list is read once, in the background, the first time an `@` is completed.
 */
import { COMMON_RG_FLAGS, runRipgrep } from '../../tools/ripgrep.js';

/** Completions shown under the input at most. */
export const MAX_SHOWN = 8;
/** A huge repository is listed up to this many files (completion stays instant). */
const MAX_FILES = 50_000;

export class FileIndex {
  private loading: Promise<string[]> | undefined;

  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string>,
  ) {}

  files(): Promise<string[]> {
    return (this.loading ??= this.load());
  }

  private async load(): Promise<string[]> {
    const files: string[] = [];
    try {
      await runRipgrep([...COMMON_RG_FLAGS, '--files'], {
        cwd: this.cwd,
        signal: AbortSignal.timeout(10_000),
        env: this.env,
        onLine: (line) => {
          if (files.length < MAX_FILES && line !== '') files.push(line.replace(/^\.\//, ''));
        },
      });
    } catch {
      // no ripgrep or a timeout: complete from what was listed
    }
    const dirs = new Set<string>();
    for (const f of files) {
      for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) dirs.add(`${f.slice(0, i)}/`);
    }
    return [...dirs, ...files].sort();
  }
}

/**
 * Paths matching `query` as a subsequence, best first: a match in the file name beats one
 * spread over the path, a contiguous run beats scattered letters, shorter paths win ties.
 */
export function fuzzyMatch(query: string, paths: readonly string[], limit = 50): string[] {
  if (query === '') return paths.filter((p) => !p.slice(0, -1).includes('/')).slice(0, limit);
  const q = query.toLowerCase();
  const scored: Array<{ p: string; score: number }> = [];
  for (const p of paths) {
    const score = scorePath(q, p);
    if (score !== undefined) scored.push({ p, score });
  }
  scored.sort((a, b) => b.score - a.score || a.p.length - b.p.length || (a.p < b.p ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.p);
}

function scorePath(q: string, path: string): number | undefined {
  const lower = path.toLowerCase();
  if (lower.startsWith(q)) return 1000 - path.length;
  const base = lower.slice(lower.replace(/\/$/, '').lastIndexOf('/') + 1);
  if (base.startsWith(q)) return 800 - path.length;
  if (lower.includes(q)) return 600 - path.length;
  // Subsequence: each query letter found in order; runs of adjacent letters score more.
  let score = 0;
  let at = -1;
  let run = 0;
  for (const ch of q) {
    const next = lower.indexOf(ch, at + 1);
    if (next < 0) return undefined;
    run = next === at + 1 ? run + 1 : 0;
    score += 1 + run * 2;
    at = next;
  }
  return score - path.length / 100;
}

/** The longest common prefix of the candidates (what Tab can fill in without choosing). */
export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return '';
  let prefix = items[0];
  for (const item of items) while (!item.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
