/**
 * Shell commands that only read, which the default mode (and plan mode) run without asking
 * when every path they name is inside the working directories. The list is deliberately
 * short: anything that can write a file, run another program or reach the network is absent
 * (no sed, awk, xargs, env, find -exec, sort -o, tree -o, rg --pre, git -c …).
 */
import type { ShellWord, SubCommand } from './shell.js';

interface ReadOnlySpec {
  /** Non-option words are file paths to check (false for commands that take no paths). */
  pathArgs: boolean;
  /** Options (by prefix) that make the command write files or run programs. */
  forbidden?: string[];
  /** Extra check on the literal arguments. */
  allowArgs?: (args: string[]) => boolean;
}

const SIMPLE_PATHS: ReadOnlySpec = { pathArgs: true };
const NO_PATHS: ReadOnlySpec = { pathArgs: false };

const GIT_READ_ONLY = new Set(['status', 'diff', 'log', 'show', 'blame', 'ls-files', 'rev-parse', 'describe', 'shortlog', 'grep']);
const GIT_FORBIDDEN = ['--output', '--ext-diff', '--textconv', '--open-files-in-pager', '-O'];

const COMMANDS: Record<string, ReadOnlySpec> = {
  ls: SIMPLE_PATHS,
  cat: SIMPLE_PATHS,
  head: SIMPLE_PATHS,
  tail: SIMPLE_PATHS,
  wc: SIMPLE_PATHS,
  stat: SIMPLE_PATHS,
  file: { pathArgs: true, forbidden: ['-C', '--compile'] },
  du: SIMPLE_PATHS,
  tree: { pathArgs: true, forbidden: ['-o'] },
  nl: SIMPLE_PATHS,
  realpath: SIMPLE_PATHS,
  readlink: SIMPLE_PATHS,
  diff: SIMPLE_PATHS,
  cmp: SIMPLE_PATHS,
  grep: SIMPLE_PATHS,
  egrep: SIMPLE_PATHS,
  fgrep: SIMPLE_PATHS,
  rg: { pathArgs: true, forbidden: ['--pre'] },
  cut: SIMPLE_PATHS,
  jq: SIMPLE_PATHS,
  find: { pathArgs: true, forbidden: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'] },
  // Only `cd <dir>`: a bare `cd` or `cd -` goes somewhere the command does not name.
  cd: { pathArgs: true, allowArgs: (args) => args.length === 1 && args[0] !== '-' && !args[0]!.startsWith('-') },
  pwd: NO_PATHS,
  echo: NO_PATHS,
  printf: NO_PATHS,
  true: NO_PATHS,
  false: NO_PATHS,
  whoami: NO_PATHS,
  id: NO_PATHS,
  uname: NO_PATHS,
  which: NO_PATHS,
  basename: NO_PATHS,
  dirname: NO_PATHS,
  tr: NO_PATHS,
  date: { pathArgs: false, allowArgs: (args) => args.every((a) => a.startsWith('+') || a === '-u' || a === '--utc' || a === '-R') },
  git: {
    pathArgs: true,
    forbidden: GIT_FORBIDDEN,
    // The subcommand must come first: global options such as -c or -C could change what runs.
    allowArgs: (args) => args.length > 0 && GIT_READ_ONLY.has(args[0]!),
  },
};

export interface ReadOnlyVerdict {
  readOnly: boolean;
  /** Literal path arguments (and option values) to check against the boundary and Read rules. */
  paths: string[];
  /** Directories whose entries a glob argument expands to (`src/*.ts` → `src`). */
  globDirs: string[];
}

const NOT_READ_ONLY: ReadOnlyVerdict = { readOnly: false, paths: [], globDirs: [] };

/** A glob word such as `src/*.ts`: its expansion stays where its literal text points. */
function isPlainGlob(word: ShellWord): boolean {
  return !/[$`'"\\]/.test(word.raw) && !word.raw.startsWith('~') && !word.raw.includes('{');
}

/** The file an option names, if any: `--file=x` → x, `-fx` → x. */
function optionValue(option: string): string | undefined {
  const eq = option.indexOf('=');
  if (option.startsWith('--')) return eq === -1 ? undefined : option.slice(eq + 1);
  const rest = option.slice(2);
  return rest === '' ? undefined : rest;
}

/** Flags that make a recursive reader follow symlinks (and so leave the directory). */
const FOLLOWS_LINKS: Record<string, { short?: string; long?: string[] }> = {
  grep: { short: 'R', long: ['--dereference-recursive'] },
  egrep: { short: 'R', long: ['--dereference-recursive'] },
  fgrep: { short: 'R', long: ['--dereference-recursive'] },
  rg: { short: 'L', long: ['--follow'] },
  du: { short: 'L', long: ['--dereference'] },
  tree: { short: 'l' },
  find: { long: ['-L', '-follow'] },
};

function followsLinks(name: string, option: string): boolean {
  const f = FOLLOWS_LINKS[name];
  if (!f) return false;
  if (f.long?.some((l) => option === l || option.startsWith(`${l}=`))) return true;
  return f.short !== undefined && /^-[A-Za-z0-9]+$/.test(option) && option.includes(f.short);
}

export function readOnlyVerdict(cmd: SubCommand): ReadOnlyVerdict {
  if (cmd.kind === 'test' || cmd.kind === 'arith') return { readOnly: true, paths: [], globDirs: [] };
  if (cmd.kind !== 'call' || cmd.assigns.length > 0) return NOT_READ_ONLY;
  const [name, ...rest] = cmd.words;
  const command = name?.value;
  if (command === undefined || !Object.prototype.hasOwnProperty.call(COMMANDS, command)) return NOT_READ_ONLY;
  const spec = COMMANDS[command]!;
  const literal: string[] = [];
  const paths: string[] = [];
  const globDirs: string[] = [];
  for (const word of rest) {
    const text = word.value ?? word.raw;
    if (spec.forbidden?.some((f) => text === f || text.startsWith(`${f}=`) || (f.startsWith('--') && text.startsWith(f)))) return NOT_READ_ONLY;
    if (text.startsWith('-') && followsLinks(command, text)) return NOT_READ_ONLY;
    // Expansions could name any file; only plain globs are predictable enough. Commands that
    // take no paths (echo $HOME) are fine: their substitutions are checked as commands anyway.
    if (word.value === undefined && spec.pathArgs && !isPlainGlob(word)) return NOT_READ_ONLY;
    literal.push(text);
    if (!spec.pathArgs || text === '' || text === '-') continue;
    const target = text.startsWith('-') ? optionValue(text) : text;
    if (target === undefined || target === '') continue;
    if (word.value === undefined || target !== text) {
      // A glob: its wildcards may only be in the last segment, whose directory is then scanned.
      const firstWild = target.search(/[*?[]/);
      if (firstWild !== -1) {
        if (target.indexOf('/', firstWild) !== -1) return NOT_READ_ONLY;
        const slash = target.lastIndexOf('/', firstWild);
        globDirs.push(slash === -1 ? '.' : target.slice(0, slash) || '/');
        continue;
      }
    }
    paths.push(target);
  }
  if (spec.allowArgs && !spec.allowArgs(literal)) return NOT_READ_ONLY;
  if (command === 'git') paths.shift(); // the subcommand is not a path
  return { readOnly: true, paths, globDirs };
}

/** Commands whose path arguments read files, checked against Read deny rules even when not read-only. */
export const READS_FILES = new Set([...Object.keys(COMMANDS).filter((c) => COMMANDS[c]!.pathArgs), 'cp', 'mv', 'less', 'more', 'source', '.', 'base64', 'xxd', 'od', 'strings', 'tar', 'zip', 'scp', 'rsync', 'sed', 'awk', 'sort', 'uniq', 'tee']);
/** Commands whose path arguments change files, checked against Edit deny rules. */
export const WRITES_FILES = new Set(['rm', 'rmdir', 'mv', 'cp', 'touch', 'mkdir', 'chmod', 'chown', 'ln', 'truncate', 'tee', 'sed', 'install', 'rsync', 'unlink', 'shred', 'dd']);
