/**
 * Where skills, sub-agents and custom commands come from: the user's config dir
 * (`$CLAUDE_CONFIG_DIR`, else `~/.claude`) and the project's `.claude`, plus `--agents` on the
 * command line. A later source overrides an earlier one by name: user < project < command line.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type ExtensionSource = 'user' | 'project' | 'cli';

export interface SourceDir {
  /** The `.claude` directory (user or project). */
  dir: string;
  source: Exclude<ExtensionSource, 'cli'>;
}

/** A warning about one file: the session goes on without it. */
export type WarnFn = (text: string) => void;

export function extensionDirs(env: Record<string, string | undefined>, cwd: string, projectRoot: string): SourceDir[] {
  const configured = env.CLAUDE_CONFIG_DIR?.trim();
  const user = configured ? path.resolve(cwd, configured) : path.join(env.HOME || os.homedir(), '.claude');
  const project = path.join(projectRoot || cwd, '.claude');
  // A project that is the home directory has one `.claude`: it counts once, as the user's.
  return path.resolve(user) === path.resolve(project) ? [{ dir: user, source: 'user' }] : [{ dir: user, source: 'user' }, { dir: project, source: 'project' }];
}

export interface MarkdownFile {
  file: string;
  /** Path below the searched folder, with `/` separators and without `.md`. */
  relName: string;
  text: string;
}

/** Most files a folder search reads: a runaway tree (a symlink to /) cannot stall start-up. */
const MAX_FILES = 500;
const MAX_DEPTH = 6;

/** `*.md` in `dir` (and below it when `recursive`), in a stable order; a missing dir is empty. */
export async function markdownFiles(dir: string, recursive: boolean): Promise<MarkdownFile[]> {
  const out: MarkdownFile[] = [];
  const walk = async (sub: string, depth: number): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES || e.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      const full = path.join(dir, rel);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full).then((s) => s.isDirectory()).catch(() => false)));
      if (isDir) {
        if (recursive && depth < MAX_DEPTH) await walk(rel, depth + 1);
      } else if (e.name.endsWith('.md')) {
        const text = await readFile(full, 'utf8').catch(() => undefined);
        if (text !== undefined) out.push({ file: full, relName: rel.slice(0, -3), text });
      }
    }
  };
  await walk('', 0);
  return out;
}

/** Sorted by name; a later definition of a name replaces an earlier one. */
export function byNameLastWins<T extends { name: string }>(items: readonly T[]): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(item.name, item);
  return [...map.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
