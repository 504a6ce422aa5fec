/**
 * Shell commands that only read, which the default mode (and plan mode) run without asking
 * when every path they name is inside the working directories. The list is deliberately
 * short: anything that can write a file, run another program or reach the network is absent
 * (no sed, awk, xargs, env, sort, less …), and so is every option of a listed program that
 * would do so (find -exec, tree -o, rg --pre, git grep -O …). Options are read the way the
 * programs read them (see program-options.ts), so `-Ocmd`, `-nO cmd` and `--out=x` count.
 */
import type { ShellWord, SubCommand } from './shell.js';
import { GIT_SUBCOMMAND_OPTIONS, PROGRAM_OPTIONS, hasOption, parseArgs, type ParsedArgs, type ProgramOptions } from './program-options.js';

/** Programs in the list that take no file paths: their arguments may be anything. */
export const NO_PATHS = new Set(['test', '[', 'pwd', 'echo', 'printf', 'true', 'false', 'whoami', 'id', 'uname', 'which', 'basename', 'dirname', 'tr', 'date']);

export interface ReadOnlyVerdict {
  readOnly: boolean;
  /** Why not, when a listed program is used in a way that is not read-only. */
  why?: string;
  /** Literal path arguments (and file-valued option values) to check against the boundary and Read rules. */
  paths: string[];
  /** Directories whose entries a glob argument expands to (`src/*.ts` → `src`). */
  globDirs: string[];
  /** Directories the command reads everything below (grep -r, rg, find, du, tree, ls -R, git grep). */
  recursive: string[];
  /** A git command: it must run in a repository whose configuration the model cannot have written. */
  git?: boolean;
  /** `recursive` is `.` standing for the whole repository (git diff / show / log -p without pathspecs). */
  repoWide?: boolean;
}

const NOT_READ_ONLY: ReadOnlyVerdict = { readOnly: false, paths: [], globDirs: [], recursive: [] };

function no(why: string): ReadOnlyVerdict {
  return { ...NOT_READ_ONLY, why };
}

/** A glob word such as `src/*.ts`: its expansion stays where its literal text points. */
function isPlainGlob(word: ShellWord): boolean {
  return !/[$`'"\\]/.test(word.raw) && !word.raw.startsWith('~') && !word.raw.includes('{');
}

/** Which words of a parsed command name files: operands (minus a leading pattern) and file-valued options. */
function fileTexts(parsed: ParsedArgs, spec: ProgramOptions, skipFirstOperand: boolean): Array<{ text: string; index: number }> {
  const known = new Set([...(spec.shortValue ?? '')].map((c) => `-${c}`).concat([...(spec.longValue ?? []), ...(spec.longOptional ?? [])].map((l) => `--${l}`)));
  const values = parsed.values.filter((v) => spec.pathOptions?.includes(v.option) || !known.has(v.option));
  const operands = skipFirstOperand ? parsed.operands.slice(1) : parsed.operands;
  return [...operands, ...values.map((v) => ({ text: v.text, index: v.index }))];
}

/** Whether the first operand is a pattern or program text rather than a file. */
export function firstOperandIsPattern(parsed: ParsedArgs, spec: ProgramOptions): boolean {
  if (!spec.patternFirst) return false;
  return !spec.patternFirst.some((o) => parsed.seen.has(o) || (o.startsWith('--') && [...parsed.seen].some((s) => s.startsWith('--') && s.length > 2 && o.startsWith(s))));
}

/** Whether a grep-family command recurses into directories. */
function grepRecurses(parsed: ParsedArgs): boolean {
  if (hasOption(parsed, 'rR', ['recursive', 'dereference-recursive'])) return true;
  return parsed.values.some((v) => (v.option === '-d' || v.option === '--directories') && v.text === 'recurse');
}

/** find's starting points: the operands before the first expression word. */
function findStarts(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || a === '(' || a === '!' || a === ')') {
      if (['-H', '-L', '-P'].includes(a) || a.startsWith('-D') || /^-O\d$/.test(a)) continue;
      break;
    }
    out.push(a);
  }
  return out.length > 0 ? out : ['.'];
}

/** git content readers: with these, output includes file contents. */
export function gitShowsContent(sub: string, parsed: ParsedArgs): boolean {
  if (sub === 'grep' || sub === 'blame') return true;
  const summary = ['--stat', '--shortstat', '--numstat', '--name-only', '--name-status', '--summary', '--dirstat', '--no-patch', '--raw', '--compact-summary'];
  const onlySummary = [...parsed.seen].some((s) => summary.some((x) => x.startsWith(s) && s.length > 4)) || parsed.seen.has('-s');
  if (sub === 'diff' || sub === 'show') return !onlySummary;
  if (sub === 'log') return !onlySummary && (hasOption(parsed, 'puLc', ['patch', 'cc', 'word-diff', 'full-diff', 'patch-with-stat', 'patch-with-raw']) || parsed.seen.has('-L'));
  return false;
}

export function readOnlyVerdict(cmd: SubCommand): ReadOnlyVerdict {
  if (cmd.opaque) return no(cmd.opaque);
  if (cmd.unsafe) return no(cmd.unsafe);
  if (cmd.kind === 'test' || cmd.kind === 'arith') return { readOnly: true, paths: [], globDirs: [], recursive: [] };
  if (cmd.kind === 'assign') {
    // Plain lowercase shell variables with literal values change nothing outside the shell.
    const ok = (cmd.assignments ?? []).every((a) => /^[a-z_][a-z0-9_]*$/.test(a.name) && !/proxy$/.test(a.name) && a.clean);
    return ok ? { readOnly: true, paths: [], globDirs: [], recursive: [] } : NOT_READ_ONLY;
  }
  if (cmd.kind !== 'call' || cmd.assigns.length > 0) return NOT_READ_ONLY;
  const [name, ...rest] = cmd.words;
  const command = name?.value;
  if (command === undefined || !Object.prototype.hasOwnProperty.call(PROGRAM_OPTIONS, command)) return NOT_READ_ONLY;
  const takesPaths = !NO_PATHS.has(command);
  // Expansions could name any file; only plain globs are predictable enough. Commands that
  // take no paths (echo $HOME) are fine: their substitutions are checked as commands anyway.
  if (takesPaths && rest.some((w) => w.value === undefined && !isPlainGlob(w))) return NOT_READ_ONLY;
  const texts = rest.map((w) => w.value ?? w.raw);

  let spec = PROGRAM_OPTIONS[command]!;
  let args = texts;
  let git: string | undefined;
  if (command === 'git') {
    // The subcommand must come first: global options such as -c, -C or -p change what runs.
    git = texts[0];
    if (git === undefined || !Object.prototype.hasOwnProperty.call(GIT_SUBCOMMAND_OPTIONS, git)) return no(`git ${git ?? ''} is not a read-only git command`);
    spec = GIT_SUBCOMMAND_OPTIONS[git]!;
    args = texts.slice(1);
  }
  const parsed = parseArgs(args, spec);
  if (parsed.forbidden !== undefined) return no(`${command}${git ? ` ${git}` : ''} ${parsed.forbidden} can write files or run other programs`);

  if (command === 'date' && !args.every((a) => a.startsWith('+') || a === '-u' || a === '--utc' || a === '-R')) return NOT_READ_ONLY;
  // Only `cd <dir>`: a bare `cd` or `cd -` goes somewhere the command does not name.
  if (command === 'cd' && !(args.length === 1 && args[0] !== '-' && !args[0]!.startsWith('-'))) return NOT_READ_ONLY;
  if (command === 'jq' && args.some((a) => /\b(import|include|input_filename|\$__loc__|env|\$ENV)\b/.test(a))) return no('the jq program reads modules, files or the environment');

  if (!takesPaths) return { readOnly: true, paths: [], globDirs: [], recursive: [] };

  const patternSkip = firstOperandIsPattern(parsed, spec);
  const files = fileTexts(parsed, spec, patternSkip);
  const paths: string[] = [];
  const globDirs: string[] = [];
  for (const { text, index } of files) {
    if (text === '' || text === '-') continue;
    const word = rest[git ? index + 1 : index];
    const fromWord = word !== undefined && (word.value ?? word.raw) === text;
    if (word?.value === undefined || !fromWord) {
      // A glob (or a glob's attached option value): its wildcards may only be in the last
      // segment, whose directory is then scanned.
      const firstWild = text.search(/[*?[]/);
      if (firstWild !== -1 && word?.value === undefined) {
        if (text.indexOf('/', firstWild) !== -1) return NOT_READ_ONLY;
        const slash = text.lastIndexOf('/', firstWild);
        globDirs.push(slash === -1 ? '.' : text.slice(0, slash) || '/');
        continue;
      }
    }
    paths.push(text);
  }
  if (git) {
    // `rev:path` names a file of the repository.
    for (const { text } of parsed.operands) {
      const colon = text.indexOf(':');
      if (colon !== -1 && colon + 1 < text.length) paths.push(text.slice(colon + 1));
    }
  }

  const operandFiles = (patternSkip ? parsed.operands.slice(1) : parsed.operands).map((o) => o.text);
  let recursive: string[] = [];
  if (command === 'grep' || command === 'egrep' || command === 'fgrep') recursive = grepRecurses(parsed) ? (operandFiles.length ? operandFiles : ['.']) : [];
  else if (command === 'rg' || command === 'du' || command === 'tree') recursive = operandFiles.length ? operandFiles : ['.'];
  else if (command === 'ls') recursive = hasOption(parsed, 'R', ['recursive']) ? (operandFiles.length ? operandFiles : ['.']) : [];
  else if (command === 'find') recursive = findStarts(args);
  else if (git && gitShowsContent(git, parsed) && git !== 'blame') {
    const dashdash = args.indexOf('--');
    const specs = dashdash === -1 ? [] : args.slice(dashdash + 1);
    recursive = specs.length > 0 ? specs : ['.'];
    if (specs.length === 0 && git !== 'grep') return { readOnly: true, paths, globDirs, recursive, git: true, repoWide: true };
  }
  return { readOnly: true, paths, globDirs, recursive, ...(git ? { git: true } : {}) };
}
