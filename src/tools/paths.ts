import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ToolContext } from './types.js';

/** Models are told to pass absolute paths; a relative one is taken from the session directory. */
export function resolvePath(ctx: ToolContext, p: string): string {
  return path.resolve(ctx.cwd, p);
}

/** "File does not exist" plus a guess at what was meant, so the model needs no extra LS. */
export async function missingPathMessage(abs: string, what = 'File'): Promise<string> {
  const dir = path.dirname(abs);
  const base = path.basename(abs).toLowerCase();
  const stem = base.replace(/\.[^.]*$/, '');
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return `${what} does not exist: ${abs} (its directory ${dir} does not exist either).`;
  }
  const similar = entries
    .filter((e) => {
      const l = e.toLowerCase();
      return l === base || l.replace(/\.[^.]*$/, '') === stem || (stem.length >= 3 && l.startsWith(stem));
    })
    .slice(0, 5);
  const hint = similar.length ? ` Did you mean: ${similar.map((e) => path.join(dir, e)).join(', ')}?` : '';
  return `${what} does not exist: ${abs}.${hint}`;
}

export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
