/**
 * Reads the options of the programs bcode may run on its own judgement the way the programs
 * themselves do (GNU getopt and git's parse-options): short options bundle (`-nO cmd` is `-n`
 * then `-O cmd`), a short option's value may be attached (`-Ocmd`), and a long option may be
 * abbreviated to any unambiguous prefix (`--out=x` is `--output=x`). A check that only compared
 * whole words would miss all three spellings.
 */

export interface ProgramOptions {
  /** Short options that take a value, attached (`-fFILE`) or as the next word (`-f FILE`). */
  shortValue?: string;
  /** Long options (without `--`) that take a value, `--file=x` or `--file x`. */
  longValue?: readonly string[];
  /** Long options (without `--`) that take a value only when attached with `=`. */
  longOptional?: readonly string[];
  /** Short options that make the program write, run another program or follow links out. */
  forbiddenShort?: string;
  /** Long options (without `--`) that do; an abbreviation of one counts as the option. */
  forbiddenLong?: readonly string[];
  /** Whole single-dash words that do (find's `-exec`, `-fprint` …); `*` at the end matches a prefix. */
  forbiddenWords?: readonly string[];
  /** `-5` is an option (grep, head, tail context counts). */
  numeric?: boolean;
  /** The first operand is a pattern or program text, not a file, unless one of these options is given. */
  patternFirst?: readonly string[];
  /** Single-dash words that are options of their own (find's predicates): their values follow as words. */
  singleDashWords?: boolean;
  /** Options whose value names a file (`-f`, `--exclude-from`); values of other known options are not paths. */
  pathOptions?: readonly string[];
}

export interface ParsedArgs {
  /** Operands in order (texts as the shell would pass them, or raw for expansions). */
  operands: Array<{ text: string; index: number }>;
  /** Every option value (attached or taken from the next word), in order. */
  values: Array<{ option: string; text: string; index: number }>;
  /** Options seen: `-x` for short ones, `--name` (the full name when the abbreviation is unique) for long ones. */
  seen: Set<string>;
  /** The first option that makes the command unsafe, as written. */
  forbidden?: string;
}


/**
 * Splits `args` (the words after the program name) into options, their values and operands.
 * Unknown options are assumed to take no value, which errs towards treating the next word as an
 * operand (a path that is then checked), never towards hiding a word.
 */
export function parseArgs(args: readonly string[], spec: ProgramOptions): ParsedArgs {
  const out: ParsedArgs = { operands: [], values: [], seen: new Set() };
  const forbid = (what: string) => {
    out.forbidden ??= what;
  };
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyOperands || arg === '-' || !arg.startsWith('-')) {
      out.operands.push({ text: arg, index: i });
      continue;
    }
    if (arg === '--') {
      onlyOperands = true;
      continue;
    }
    if (spec.forbiddenWords?.some((w) => (w.endsWith('*') ? arg.startsWith(w.slice(0, -1)) : arg === w))) forbid(arg);
    if (spec.singleDashWords && !arg.startsWith('--')) {
      out.seen.add(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = arg.slice(2, eq === -1 ? undefined : eq);
      // Any forbidden option this could abbreviate counts, ambiguous or not: the program may resolve it.
      if (given !== '' && spec.forbiddenLong?.some((f) => f.startsWith(given))) forbid(arg);
      // An exact name is also its own prefix: when longer names share it, `name` stays `given`, which is that name.
      const known = [...(spec.longValue ?? []), ...(spec.longOptional ?? [])].filter((n) => n.startsWith(given));
      const name = known.length === 1 ? known[0]! : given;
      out.seen.add(`--${name}`);
      if (eq !== -1) {
        out.values.push({ option: `--${name}`, text: arg.slice(eq + 1), index: i });
      } else if (spec.longValue?.includes(name) && i + 1 < args.length) {
        // (`name` is one of longValue only when `given` named it unambiguously.)
        out.values.push({ option: `--${name}`, text: args[i + 1]!, index: i + 1 });
        i++;
      }
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(arg)) {
      out.seen.add('-#');
      continue;
    }
    // A bundle: every letter is an option until one that takes a value swallows the rest.
    // Forbidden letters are looked for in the whole word, so a wrong guess about which letter
    // takes a value can only make the check stricter.
    for (const ch of arg.slice(1)) if (spec.forbiddenShort?.includes(ch)) forbid(arg);
    for (let j = 1; j < arg.length; j++) {
      const ch = arg[j]!;
      out.seen.add(`-${ch}`);
      if (spec.shortValue?.includes(ch)) {
        const attached = arg.slice(j + 1);
        if (attached !== '') out.values.push({ option: `-${ch}`, text: attached, index: i });
        else if (i + 1 < args.length) {
          out.values.push({ option: `-${ch}`, text: args[i + 1]!, index: i + 1 });
          i++;
        }
        break;
      }
    }
  }
  return out;
}

/** Whether an option was given, by short letter or long name (or an abbreviation of it). */
export function hasOption(parsed: ParsedArgs, short: string | undefined, long: readonly string[] = []): boolean {
  if (short !== undefined && [...short].some((c) => parsed.seen.has(`-${c}`))) return true;
  return [...parsed.seen].some((s) => s.startsWith('--') && s.length > 2 && long.some((l) => l.startsWith(s.slice(2))));
}

/** The value of the last use of an option (`-d recurse`, `--directories=recurse`). */
export function optionValues(parsed: ParsedArgs, short: string | undefined, long: readonly string[] = []): string[] {
  return parsed.values
    .filter((v) => (short !== undefined && short.includes(v.option.slice(1))) || (v.option.startsWith('--') && long.some((l) => l.startsWith(v.option.slice(2)))))
    .map((v) => v.text);
}

// ---- the programs ----------------------------------------------------------------------

const GREP: ProgramOptions = {
  shortValue: 'efmABCDd',
  longValue: ['regexp', 'file', 'max-count', 'after-context', 'before-context', 'context', 'devices', 'directories', 'exclude', 'exclude-from', 'exclude-dir', 'include', 'label', 'binary-files', 'group-separator'],
  longOptional: ['color', 'colour'],
  numeric: true,
  patternFirst: ['-e', '-f', '--regexp', '--file'],
  pathOptions: ['-f', '--file', '--exclude-from'],
};

/** Options by program, for the programs in the read-only list (see read-only-commands.ts). */
export const PROGRAM_OPTIONS: Record<string, ProgramOptions> = {
  ls: {
    shortValue: 'ITw',
    longValue: ['block-size', 'format', 'hide', 'ignore', 'indicator-style', 'quoting-style', 'sort', 'time', 'time-style', 'tabsize', 'width'],
    longOptional: ['color', 'hyperlink', 'classify'],
    // -L with -R walks into whatever a link points at.
    forbiddenShort: 'L',
    forbiddenLong: ['dereference'],
  },
  cat: {},
  head: { shortValue: 'nc', longValue: ['lines', 'bytes'], numeric: true },
  tail: { shortValue: 'ncs', longValue: ['lines', 'bytes', 'sleep-interval', 'pid', 'max-unchanged-stats'], longOptional: ['follow'], numeric: true },
  // --files0-from reads the names of the files to count from a file: names nobody checked.
  wc: { longValue: ['files0-from'], forbiddenLong: ['files0-from'] },
  stat: { shortValue: 'c', longValue: ['format', 'printf', 'cached'] },
  // -C writes a compiled magic file; -z/-Z run decompressors; -f reads the names to look at from a file.
  file: { shortValue: 'eFfmP', longValue: ['exclude', 'exclude-quiet', 'separator', 'files-from', 'magic-file', 'parameter'], forbiddenShort: 'CzZf', forbiddenLong: ['compile', 'uncompress', 'uncompress-noreport', 'files-from'], pathOptions: ['-m', '--magic-file'] },
  du: { shortValue: 'BdtX', longValue: ['block-size', 'max-depth', 'threshold', 'exclude-from', 'exclude', 'files0-from', 'time-style'], longOptional: ['time'], forbiddenShort: 'L', forbiddenLong: ['dereference', 'files0-from'], pathOptions: ['-X', '--exclude-from'] },
  // -o writes the listing to a file; -R runs tree again in every directory with `-o 00Tree.html`; -l follows links.
  // tree matches long names exactly: `info` is listed only so that `--info dir` is not read as `--infofile dir`.
  tree: {
    shortValue: 'LPIHTo',
    longValue: ['charset', 'filelimit', 'timefmt', 'sort', 'gitfile', 'infofile', 'hintro', 'houtro'],
    longOptional: ['info'],
    forbiddenShort: 'oRl',
    forbiddenLong: ['output'],
    pathOptions: ['--gitfile', '--infofile', '--hintro', '--houtro'],
  },
  nl: { shortValue: 'bdfhilnsvw', longValue: ['body-numbering', 'section-delimiter', 'footer-numbering', 'header-numbering', 'line-increment', 'join-blank-lines', 'number-format', 'number-separator', 'starting-line-number', 'number-width'] },
  realpath: { longValue: ['relative-to', 'relative-base'], pathOptions: ['--relative-to', '--relative-base'] },
  readlink: {},
  // -l/--paginate pipes the output through `pr`; -r follows symbolic links it meets while recursing.
  diff: {
    shortValue: 'CUWFxXSID',
    longValue: [
      'from-file', 'to-file', 'label', 'exclude', 'exclude-from', 'starting-file', 'ignore-matching-lines', 'show-function-line', 'tabsize', 'width', 'horizon-lines', 'ifdef', 'line-format', 'palette',
      'old-group-format', 'new-group-format', 'unchanged-group-format', 'changed-group-format', 'old-line-format', 'new-line-format', 'unchanged-line-format',
    ],
    longOptional: ['color', 'context', 'unified'],
    forbiddenShort: 'lr',
    forbiddenLong: ['paginate', 'recursive'],
    pathOptions: ['-X', '-S', '--from-file', '--to-file', '--exclude-from', '--starting-file'],
  },
  cmp: { shortValue: 'iIn', longValue: ['ignore-initial', 'bytes'] },
  grep: { ...GREP, forbiddenShort: 'R', forbiddenLong: ['dereference-recursive'] },
  egrep: { ...GREP, forbiddenShort: 'R', forbiddenLong: ['dereference-recursive'] },
  fgrep: { ...GREP, forbiddenShort: 'R', forbiddenLong: ['dereference-recursive'] },
  // --pre runs a program on every file, --hostname-bin runs one for hyperlinks, -z runs
  // decompressors, -L follows links out of the tree.
  rg: {
    shortValue: 'ABCEefgjMmrTtd',
    longValue: [
      'after-context', 'before-context', 'context', 'encoding', 'regexp', 'file', 'glob', 'iglob', 'threads', 'max-columns', 'max-count', 'replace', 'type-not', 'type',
      'max-depth', 'ignore-file', 'type-add', 'type-clear', 'sort', 'sortr', 'colors', 'color', 'context-separator', 'field-context-separator', 'field-match-separator',
      'path-separator', 'max-filesize', 'dfa-size-limit', 'regex-size-limit', 'engine', 'hyperlink-format', 'generate', 'pre', 'pre-glob', 'hostname-bin',
    ],
    forbiddenShort: 'zL',
    forbiddenLong: ['pre', 'pre-glob', 'hostname-bin', 'search-zip', 'follow'],
    patternFirst: ['-e', '-f', '--regexp', '--file', '--files', '--type-list'],
    pathOptions: ['-f', '--file', '--ignore-file'],
  },
  cut: { shortValue: 'bcdf', longValue: ['bytes', 'characters', 'delimiter', 'fields', 'output-delimiter'] },
  // -L adds a module directory; modules and `import`/`include` read files the paths do not name.
  jq: { shortValue: 'fL', longValue: ['from-file', 'indent', 'library-path'], forbiddenShort: 'L', forbiddenLong: ['library-path'], patternFirst: ['-f', '--from-file'], pathOptions: ['-f', '--from-file'] },
  find: {
    singleDashWords: true,
    // -files0-from reads the starting points from a file: places nobody checked.
    forbiddenWords: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint*', '-fls', '-L', '-follow', '-files0-from'],
  },
  cd: {},
  pwd: {},
  echo: {},
  // `printf -v NAME` assigns a variable, and bash evaluates a subscript in NAME.
  printf: { forbiddenShort: 'v' },
  true: {},
  false: {},
  whoami: {},
  id: {},
  uname: {},
  which: {},
  basename: { shortValue: 's', longValue: ['suffix'] },
  dirname: {},
  tr: {},
  date: {},
  // Only with a read-only subcommand first (see GIT_SUBCOMMAND_OPTIONS).
  git: {},
  // File tests look at metadata only; `-v NAME` is checked as a variable name (shell.ts).
  test: {},
  '[': {},
};

/** git subcommands that only read, with their options. */
export const GIT_SUBCOMMAND_OPTIONS: Record<string, ProgramOptions> = {
  status: { longOptional: ['untracked-files', 'ignored', 'column', 'porcelain', 'ignore-submodules', 'find-renames'] },
  // -O <orderfile> reads a file; --relative takes its prefix only after `=`.
  diff: { shortValue: 'SGlOI', longValue: ['output'], longOptional: ['relative'], forbiddenLong: ['output', 'ext-diff', 'textconv'], pathOptions: ['-O'] },
  log: { shortValue: 'nSGLOI', longValue: ['output', 'max-count', 'skip', 'since', 'until', 'author', 'committer', 'grep'], forbiddenLong: ['output', 'ext-diff', 'textconv'], pathOptions: ['-O'] },
  show: { shortValue: 'nSGLOI', longValue: ['output'], forbiddenLong: ['output', 'ext-diff', 'textconv'], pathOptions: ['-O'] },
  blame: { shortValue: 'LS', longValue: ['contents', 'ignore-revs-file', 'ignore-rev', 'date'], pathOptions: ['-S', '--contents', '--ignore-revs-file'] },
  'ls-files': { shortValue: 'xX', longValue: ['exclude', 'exclude-from', 'exclude-per-directory', 'with-tree', 'format'], pathOptions: ['-X', '--exclude-from'] },
  'rev-parse': {},
  describe: { longValue: ['match', 'exclude', 'candidates'] },
  shortlog: { longValue: ['group', 'format'] },
  // -O / --open-files-in-pager runs the pager (any program) on the matching files.
  grep: {
    shortValue: 'efABCm',
    longValue: ['max-depth', 'threads', 'max-count', 'after-context', 'before-context', 'context'],
    forbiddenShort: 'O',
    forbiddenLong: ['open-files-in-pager', 'ext-grep', 'textconv'],
    numeric: true,
    patternFirst: ['-e', '-f'],
    pathOptions: ['-f'],
  },
};
