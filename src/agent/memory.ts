/**
 * Project memory (A9): the instruction files people keep for coding agents, read once per session
 * into the system prompt. Order, from the most general to the most specific (later text wins
 * when two disagree, and the model is told so):
 *
 * 1. the user's own file: `CLAUDE.md` in the user configuration directory
 *    (`$CLAUDE_CONFIG_DIR`, else `~/.claude`);
 * 2. for the project root, then each directory below it down to the working directory:
 *    `CLAUDE.md`, `.claude/CLAUDE.md`, `AGENTS.md`, `CLAUDE.local.md` (the personal, untracked one last).
 *
 * A file may import others with `@path` (relative to the importing file, or `~/…`): each import
 * follows its importer as its own section, at most 5 levels deep, each file once. A cycle or a
 * missing file is named in a warning and skipped. Tokens inside code spans and fenced blocks are
 * not imports, and an import must look like a path (contain `/` or `.`, or start with `~`), so
 * `@alice` or `user@example.com` are left alone.
 *
 * Only a fixed list of paths is read (synchronously, a few small files): no globbing of the tree.
 * The same files give the same bytes, so the system prompt's cached prefix stays valid.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

export const MAX_IMPORT_DEPTH = 5;
/** Per file; a larger file is cut with a note (memory is paid for on every request). */
export const MEMORY_FILE_LIMIT = 40_000;

export interface MemoryOptions {
  cwd: string;
  projectRoot: string;
  /** The user configuration directory (`$CLAUDE_CONFIG_DIR` or `~/.claude`); undefined = no user memory. */
  userDir?: string;
  /** For `~/` imports. */
  home?: string;
}

export interface MemoryFile {
  path: string;
  /** `user`, `project`, `local`, or `import` (with the importing file). */
  kind: 'user' | 'project' | 'local' | 'import';
  importedBy?: string;
  text: string;
}

export interface Memory {
  files: MemoryFile[];
  warnings: string[];
}

const PER_DIRECTORY: ReadonlyArray<{ name: string; kind: 'project' | 'local' }> = [
  { name: 'CLAUDE.md', kind: 'project' },
  { name: path.join('.claude', 'CLAUDE.md'), kind: 'project' },
  { name: 'AGENTS.md', kind: 'project' },
  { name: 'CLAUDE.local.md', kind: 'local' },
];

/** The project root, then each directory below it down to `cwd` (just `cwd` when it is outside the root). */
export function memoryDirectories(projectRoot: string, cwd: string): string[] {
  const root = path.resolve(projectRoot);
  const here = path.resolve(cwd);
  const rel = path.relative(root, here);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [here];
  const dirs = [root];
  let dir = root;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    dir = path.join(dir, part);
    dirs.push(dir);
  }
  return dirs;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function identity(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** The `@path` imports of a memory file, in order, outside code spans and fenced blocks. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, ' ');
    for (const m of prose.matchAll(/(?:^|\s)@([^\s]+)/g)) {
      const target = m[1].replace(/[),;:!?.]+$/, '');
      if (target.startsWith('~') || target.includes('/') || target.includes('.')) out.push(target);
    }
  }
  return out;
}

/** Reads every memory file in the documented order; never throws for a missing or unreadable file. */
export function loadMemory(o: MemoryOptions): Memory {
  const files: MemoryFile[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();

  const add = (file: string, kind: MemoryFile['kind'], text: string, chain: string[], importedBy?: string) => {
    seen.add(identity(file));
    if (text.length > MEMORY_FILE_LIMIT) text = `${text.slice(0, MEMORY_FILE_LIMIT)}\n[… ${path.basename(file)} truncated at ${MEMORY_FILE_LIMIT} characters]`;
    const entry: MemoryFile = { path: file, kind, text };
    if (importedBy) entry.importedBy = importedBy;
    if (text.trim() !== '') files.push(entry);
    for (const target of importsOf(text)) {
      const resolved = target.startsWith('~/') || target === '~' ? (o.home ? path.join(o.home, target.slice(1)) : undefined) : path.resolve(path.dirname(file), target);
      if (!resolved) {
        warnings.push(`memory: ${file} imports ${target}, but no home directory is known`);
        continue;
      }
      const id = identity(resolved);
      const cycle = chain.indexOf(id);
      if (cycle >= 0) {
        warnings.push(`memory: import cycle ${[...chain.slice(cycle), id].join(' → ')} (the repeated import is skipped)`);
        continue;
      }
      if (seen.has(id)) continue;
      // `chain` holds the importer and its own importers: this import is hop number chain.length.
      if (chain.length > MAX_IMPORT_DEPTH) {
        warnings.push(`memory: ${file} imports ${target}, deeper than ${MAX_IMPORT_DEPTH} levels of imports (skipped)`);
        continue;
      }
      const body = readText(resolved);
      if (body === undefined) {
        warnings.push(`memory: ${file} imports ${target}, which does not exist or cannot be read (${resolved})`);
        continue;
      }
      add(resolved, 'import', body, [...chain, id], file);
    }
  };

  const top = (file: string, kind: MemoryFile['kind']) => {
    if (seen.has(identity(file))) return;
    const text = readText(file);
    if (text !== undefined) add(file, kind, text, [identity(file)]);
  };

  if (o.userDir) top(path.join(o.userDir, 'CLAUDE.md'), 'user');
  for (const dir of memoryDirectories(o.projectRoot, o.cwd)) for (const f of PER_DIRECTORY) top(path.join(dir, f.name), f.kind);
  return { files, warnings };
}

const LABEL: Record<MemoryFile['kind'], string> = {
  user: "the user's own instructions, for every project",
  project: "the project's instructions",
  local: "the user's personal instructions for this project",
  import: 'imported',
};

/** The memory as system-prompt text (empty when there is none). */
/** The first line of the memory part of the system prompt (`/context` finds the memory by it). */
export const MEMORY_HEADING = '# Memory: instructions for this project';

export function memoryText(memory: Memory): string {
  if (memory.files.length === 0) return '';
  const parts = [
    MEMORY_HEADING,
    'The files below were written by the user and the project\'s maintainers for agents working here; follow them. They go from the most general to the most specific: where two disagree, the later one wins.',
  ];
  for (const f of memory.files) {
    const label = f.kind === 'import' ? `imported by ${f.importedBy}` : LABEL[f.kind];
    parts.push(`## ${f.path} (${label})\n\n${f.text.trim()}`);
  }
  return parts.join('\n\n');
}
