/**
 * The option tables of program-options.ts, pinned entry by entry against what each program's
 * own documentation says (the `--help` of the version installed here, git's `<sub> -h`, jq's
 * manual for the options its 1.6 `--help` leaves out). The expectations below were written from
 * those texts, not copied from the tables: each entry is a security property. An option that
 * takes a value and is missing makes the parser read the words after it wrongly (`grep -f .env x`
 * would take `.env` for the pattern); a forbidden option missing lets a "read-only" command write
 * files or run programs; a path option missing hides a file the program opens from the deny rules.
 *
 * Everything is checked through the public functions: parseArgs with the program's spec, and
 * readOnlyVerdict / fileAccess for which words end up checked as files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAccess } from '../../src/permissions/file-access.js';
import { GIT_SUBCOMMAND_OPTIONS, PROGRAM_OPTIONS, parseArgs, type ProgramOptions } from '../../src/permissions/program-options.js';
import { readOnlyVerdict } from '../../src/permissions/read-only-commands.js';
import type { ShellWord, SubCommand } from '../../src/permissions/shell.js';
import { makeWorld, policyFor, type World } from './fixture.js';

/** What a program's documentation says about its options. */
interface Documented {
  /** Where the expectation comes from. */
  source: string;
  /** Every short letter that takes a value (attached or as the next word). */
  short?: string;
  /** Long names that take a value. */
  long?: readonly string[];
  /** Long names whose value is optional (`--color[=WHEN]`): the next word stays an operand. */
  optional?: readonly string[];
  /** Short letters that write, run a program, follow links out or read names from a file. */
  forbidShort?: string;
  forbidLong?: readonly string[];
  /** find's single-dash words (tested as written, e.g. `-fprintf`). */
  forbidWords?: readonly string[];
  /** Options whose value is a file the program reads. */
  paths?: readonly string[];
  /** Options that make the first operand a file rather than the pattern / program text. */
  patternFirst?: readonly string[];
  /** `-NUM` is an option. */
  numeric?: boolean;
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];

const GREP_DOC: Documented = {
  source: 'grep (GNU grep) 3.8 --help',
  short: 'efmABCDd',
  long: ['regexp', 'file', 'max-count', 'after-context', 'before-context', 'context', 'devices', 'directories', 'exclude', 'exclude-from', 'exclude-dir', 'include', 'label', 'binary-files', 'group-separator'],
  optional: ['color', 'colour'],
  // -R / --dereference-recursive: "likewise, but follow all symlinks".
  forbidShort: 'R',
  forbidLong: ['dereference-recursive'],
  paths: ['-f', '--file', '--exclude-from'],
  patternFirst: ['-e', '-f', '--regexp', '--file'],
  numeric: true,
};

const GIT_DIFF_FORBID = ['output', 'ext-diff', 'textconv'];

const PROGRAMS: Record<string, Documented> = {
  grep: GREP_DOC,
  egrep: GREP_DOC,
  fgrep: GREP_DOC,
  ls: {
    source: 'ls (GNU coreutils) 9.1 --help',
    short: 'ITw',
    long: ['block-size', 'format', 'hide', 'ignore', 'indicator-style', 'quoting-style', 'sort', 'time', 'time-style', 'tabsize', 'width'],
    optional: ['color', 'hyperlink', 'classify'],
    // -L / --dereference: with -R, walks into whatever a link points at.
    forbidShort: 'L',
    forbidLong: ['dereference'],
  },
  cat: { source: 'cat (GNU coreutils) 9.1 --help: no option takes a value' },
  head: { source: 'head (GNU coreutils) 9.1 --help', short: 'cn', long: ['bytes', 'lines'], numeric: true },
  tail: {
    source: 'tail (GNU coreutils) 9.1 --help',
    short: 'cns',
    long: ['bytes', 'lines', 'max-unchanged-stats', 'pid', 'sleep-interval'],
    optional: ['follow'],
    numeric: true,
  },
  // --files0-from=F: "read input from the files specified by NUL-terminated names in file F".
  wc: { source: 'wc (GNU coreutils) 9.1 --help', long: ['files0-from'], forbidLong: ['files0-from'] },
  stat: { source: 'stat (GNU coreutils) 9.1 --help', short: 'c', long: ['cached', 'format', 'printf'] },
  file: {
    source: 'file-5.44 --help',
    short: 'eFfmP',
    long: ['exclude', 'exclude-quiet', 'separator', 'files-from', 'magic-file', 'parameter'],
    // -C compiles (writes) a magic file, -z/-Z run decompressors, -f reads the names to examine from a file.
    forbidShort: 'CzZf',
    forbidLong: ['compile', 'uncompress', 'uncompress-noreport', 'files-from'],
    paths: ['-m', '--magic-file'],
  },
  du: {
    source: 'du (GNU coreutils) 9.1 --help',
    short: 'BdtX',
    long: ['block-size', 'max-depth', 'threshold', 'exclude-from', 'exclude', 'files0-from', 'time-style'],
    optional: ['time'],
    forbidShort: 'L',
    forbidLong: ['dereference', 'files0-from'],
    paths: ['-X', '--exclude-from'],
  },
  tree: {
    source: 'tree v2.1.0 --help',
    short: 'LPIHTo',
    long: ['charset', 'filelimit', 'timefmt', 'sort', 'gitfile', 'infofile', 'hintro', 'houtro'],
    // -o writes the listing, -R reruns tree writing 00Tree.html files, -l follows links.
    // (--output is not in tree's help; the table keeps it, harmlessly: tree rejects it.)
    forbidShort: 'oRl',
    forbidLong: ['output'],
    paths: ['--gitfile', '--infofile', '--hintro', '--houtro'],
  },
  nl: {
    source: 'nl (GNU coreutils) 9.1 --help',
    short: 'bdfhilnsvw',
    long: ['body-numbering', 'section-delimiter', 'footer-numbering', 'header-numbering', 'line-increment', 'join-blank-lines', 'number-format', 'number-separator', 'starting-line-number', 'number-width'],
  },
  realpath: { source: 'realpath (GNU coreutils) 9.1 --help', long: ['relative-to', 'relative-base'], paths: ['--relative-to', '--relative-base'] },
  readlink: { source: 'readlink (GNU coreutils) 9.1 --help: no option takes a value' },
  diff: {
    source: 'diff (GNU diffutils) 3.8 --help',
    short: 'CUWFxXSID',
    long: [
      'from-file', 'to-file', 'label', 'exclude', 'exclude-from', 'starting-file', 'ignore-matching-lines', 'show-function-line', 'tabsize', 'width', 'horizon-lines', 'ifdef',
      'line-format', 'palette',
      // --GTYPE-group-format=GFMT and --LTYPE-line-format=LFMT.
      'old-group-format', 'new-group-format', 'unchanged-group-format', 'changed-group-format', 'old-line-format', 'new-line-format', 'unchanged-line-format',
    ],
    optional: ['color', 'context', 'unified'],
    // -l / --paginate runs pr; -r recurses, following the links it meets.
    forbidShort: 'lr',
    forbidLong: ['paginate', 'recursive'],
    paths: ['-X', '-S', '--from-file', '--to-file', '--exclude-from', '--starting-file'],
  },
  // The table also has -I, which GNU cmp 3.8 does not document (cmp rejects it): kept, harmless.
  cmp: { source: 'cmp (GNU diffutils) 3.8 --help (+ undocumented -I kept)', short: 'inI', long: ['ignore-initial', 'bytes'] },
  rg: {
    source: 'ripgrep 15.0.0 --help (node_modules/@vscode/ripgrep-linux-x64/bin/rg)',
    short: 'ABCEefgjMmrTtd',
    long: [
      'regexp', 'file', 'pre', 'pre-glob', 'dfa-size-limit', 'encoding', 'engine', 'max-count', 'regex-size-limit', 'threads', 'glob', 'iglob', 'ignore-file', 'max-depth',
      'max-filesize', 'type', 'type-not', 'type-add', 'type-clear', 'after-context', 'before-context', 'color', 'colors', 'context', 'context-separator',
      'field-context-separator', 'field-match-separator', 'hostname-bin', 'hyperlink-format', 'max-columns', 'path-separator', 'replace', 'sort', 'sortr', 'generate',
    ],
    // --pre runs a program per file (--pre-glob only scopes it: forbidden with it, conservatively),
    // --hostname-bin runs one, -z/--search-zip run decompressors, -L/--follow follow links.
    forbidShort: 'zL',
    forbidLong: ['pre', 'pre-glob', 'hostname-bin', 'search-zip', 'follow'],
    paths: ['-f', '--file', '--ignore-file'],
    patternFirst: ['-e', '-f', '--regexp', '--file', '--files', '--type-list'],
  },
  cut: { source: 'cut (GNU coreutils) 9.1 --help', short: 'bcdf', long: ['bytes', 'characters', 'delimiter', 'fields', 'output-delimiter'] },
  // jq 1.6's --help omits -f and -L; the jq 1.6 manual documents `-f filename` / `--from-file`,
  // `-L directory` and `--indent n` (checked by running jq 1.6 here).
  jq: {
    source: 'jq-1.6 --help and the jq 1.6 manual',
    short: 'fL',
    long: ['from-file', 'indent', 'library-path'],
    forbidShort: 'L',
    forbidLong: ['library-path'],
    paths: ['-f', '--from-file'],
    patternFirst: ['-f', '--from-file'],
  },
  find: {
    source: 'find (GNU findutils) 4.9.0 --help',
    // Actions that run programs, delete or write files; -L/-follow follow links; -files0-from reads
    // the starting points from a file, names nobody checked.
    forbidWords: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls', '-L', '-follow', '-files0-from'],
  },
  // bash's builtin: `printf -v var` assigns a variable.
  printf: { source: 'bash help printf', forbidShort: 'v' },
  basename: { source: 'basename (GNU coreutils) 9.1 --help', short: 's', long: ['suffix'] },
  // No table entry for these: their options are flags, or (date) checked separately in read-only-commands.ts.
  ...Object.fromEntries(
    ['cd', 'pwd', 'echo', 'true', 'false', 'whoami', 'id', 'uname', 'which', 'dirname', 'tr', 'date', 'git', 'test', '['].map((n) => [n, { source: 'no value-taking options in the table' }]),
  ),
};

const GIT: Record<string, Documented> = {
  status: { source: 'git 2.39.5 status -h', optional: ['untracked-files', 'ignored', 'column', 'porcelain', 'ignore-submodules', 'find-renames'] },
  // -O <file>: "control the order in which files appear in the output", read from <file>.
  // --relative[=<prefix>]: the prefix is optional.
  diff: { source: 'git 2.39.5 diff -h', short: 'SGlOI', long: ['output'], optional: ['relative'], forbidLong: GIT_DIFF_FORBID, paths: ['-O'] },
  log: {
    source: 'git 2.39.5 log -h and git-log(1) (diff options)',
    short: 'nSGLOI',
    long: ['output', 'max-count', 'skip', 'since', 'until', 'author', 'committer', 'grep'],
    forbidLong: GIT_DIFF_FORBID,
    paths: ['-O'],
  },
  show: { source: 'git 2.39.5 show -h and git-show(1) (diff options)', short: 'nSGLOI', long: ['output'], forbidLong: GIT_DIFF_FORBID, paths: ['-O'] },
  blame: { source: 'git 2.39.5 blame -h', short: 'LS', long: ['contents', 'ignore-revs-file', 'ignore-rev', 'date'], paths: ['-S', '--contents', '--ignore-revs-file'] },
  'ls-files': { source: 'git 2.39.5 ls-files -h', short: 'xX', long: ['exclude', 'exclude-from', 'exclude-per-directory', 'with-tree', 'format'], paths: ['-X', '--exclude-from'] },
  'rev-parse': { source: 'git 2.39.5 rev-parse: no value-taking options in the table' },
  describe: { source: 'git 2.39.5 describe -h', long: ['match', 'exclude', 'candidates'] },
  shortlog: { source: 'git 2.39.5 shortlog -h (--format: a log option)', long: ['group', 'format'] },
  grep: {
    source: 'git 2.39.5 grep -h',
    short: 'efABCm',
    long: ['max-depth', 'threads', 'max-count', 'after-context', 'before-context', 'context'],
    // -O / --open-files-in-pager runs the pager on the files; --ext-grep and --textconv run programs.
    forbidShort: 'O',
    forbidLong: ['open-files-in-pager', 'ext-grep', 'textconv'],
    numeric: true,
    patternFirst: ['-e', '-f'],
    paths: ['-f'],
  },
};

const lit = (t: string): ShellWord => ({ raw: t, value: t });
function call(...words: string[]): SubCommand {
  const ws = words.map(lit);
  return { kind: 'call', assigns: [], words: ws, text: words.join(' ') };
}
/** The words readOnlyVerdict checks as files (or why it refused). */
function checkedPaths(words: string[]): string[] | string {
  const v = readOnlyVerdict(call(...words));
  return v.readOnly ? v.paths : `not read-only: ${v.why ?? ''}`;
}
const sorted = (s: string | undefined) => [...(s ?? '')].sort().join('');

function pin(title: string, spec: ProgramOptions, doc: Documented, prefix: string[]) {
  const isGit = prefix.length > 1;
  const takesPaths = !['cd', 'pwd', 'echo', 'printf', 'true', 'false', 'whoami', 'id', 'uname', 'which', 'basename', 'dirname', 'tr', 'date', 'git', 'test', '['].includes(prefix[0]!) || isGit;

  describe(`${title} (${doc.source})`, () => {
    it('exactly the documented short letters take a value', () => {
      const taking = LETTERS.filter((c) => parseArgs([`-${c}`, 'V'], spec).values.length > 0).join('');
      expect(sorted(taking)).toBe(sorted(doc.short));
      for (const c of doc.short ?? '') {
        const r = parseArgs([`-${c}`, 'V', 'OP'], spec);
        expect(r.values, `-${c}`).toEqual([{ option: `-${c}`, text: 'V', index: 1 }]);
        expect(r.operands, `-${c}`).toEqual([{ text: 'OP', index: 2 }]);
        expect(parseArgs([`-${c}V`], spec).values, `-${c}V`).toEqual([{ option: `-${c}`, text: 'V', index: 0 }]);
      }
    });

    it('exactly the documented short letters are forbidden', () => {
      const forbidden = LETTERS.filter((c) => parseArgs([`-${c}`], spec).forbidden !== undefined).join('');
      // find's -L is one of its forbidden words.
      const words = (doc.forbidWords ?? []).filter((w) => w.length === 2).map((w) => w[1]!).join('');
      expect(sorted(forbidden)).toBe(sorted((doc.forbidShort ?? '') + words));
      // Bundled behind a harmless letter too.
      for (const c of doc.forbidShort ?? '') expect(parseArgs([`-9${c}`], spec).forbidden, c).toBe(`-9${c}`);
    });

    if (doc.long?.length) {
      it.each(doc.long)('--%s takes a value (the next word, or after =)', (name) => {
        const r = parseArgs([`--${name}`, 'V', 'OP'], spec);
        expect(r.values).toEqual([{ option: `--${name}`, text: 'V', index: 1 }]);
        expect(r.operands).toEqual([{ text: 'OP', index: 2 }]);
        expect(parseArgs([`--${name}=W`], spec).values).toEqual([{ option: `--${name}`, text: 'W', index: 0 }]);
      });
    }

    if (doc.optional?.length) {
      it.each(doc.optional)('--%s takes a value only after =, which is not a file', (name) => {
        const r = parseArgs([`--${name}`, 'OP'], spec);
        expect(r.values).toEqual([]);
        expect(r.operands).toEqual([{ text: 'OP', index: 1 }]);
        expect(parseArgs([`--${name}=W`, 'OP'], spec).values).toEqual([{ option: `--${name}`, text: 'W', index: 0 }]);
        // A known option's value is not checked as a file; an unknown option's would be.
        if (takesPaths) {
          const pattern = doc.patternFirst ? ['PAT'] : [];
          expect(checkedPaths([...prefix, `--${name}=W`, ...pattern, 'OP'])).toEqual(['OP']);
        }
      });
    }

    const forbidden = [...(doc.forbidLong ?? []).map((n) => `--${n}`), ...(doc.forbidWords ?? [])];
    if (forbidden.length) {
      it.each(forbidden)('%s is forbidden, and the command is not read-only', (word) => {
        expect(parseArgs([word], spec).forbidden).toBe(word);
        expect(parseArgs(['x', word, 'y'], spec).forbidden).toBe(word);
        const verdict = readOnlyVerdict(call(...prefix, word, 'x'));
        expect(verdict.readOnly).toBe(false);
      });
    }

    if (takesPaths) {
      const valued = [...[...(doc.short ?? '')].map((c) => `-${c}`), ...(doc.long ?? []).map((n) => `--${n}`)];
      const shortForbidden = new Set([...(doc.forbidShort ?? '')].map((c) => `-${c}`));
      const longForbidden = new Set(forbidden);
      const checkable = valued.filter((o) => !shortForbidden.has(o) && !longForbidden.has(o));
      if (checkable.length) {
        it.each(checkable)('the value of %s is checked as a file exactly when it names one', (opt) => {
          const isPath = doc.paths?.includes(opt) === true;
          const pattern = doc.patternFirst && !doc.patternFirst.includes(opt) ? ['PAT'] : [];
          // rg --type: read-only-commands.ts takes `--type` for an abbreviation of `--type-list`, so
          // the pattern is checked as a file too (stricter, not looser; see docs/mutation.md).
          const quirk = prefix[0] === 'rg' && opt === '--type' ? ['PAT'] : [];
          const expected = (isPath ? ['OP', 'V.txt'] : ['OP']).concat(quirk).sort();
          const got = checkedPaths([...prefix, opt, 'V.txt', ...pattern, 'OP']);
          expect(Array.isArray(got) ? [...got].sort() : got).toEqual(expected);
          if (!isGit) {
            const reads = fileAccess(call(...prefix, opt, 'V.txt', ...pattern, 'OP')).reads.map((w) => w.value);
            expect(reads.includes('V.txt'), `${opt} V.txt read`).toBe(isPath);
            expect(reads).toContain('OP');
          }
        });
      }
      // Every documented path option is a value-taking option the test checks above.
      it('every documented path option takes a value', () => {
        for (const o of doc.paths ?? []) expect(valued, o).toContain(o);
      });
    }

    if (doc.patternFirst) {
      it('the first operand is the pattern, unless a pattern option is given', () => {
        expect(checkedPaths([...prefix, 'PAT', 'A'])).toEqual(['A']);
        for (const o of doc.patternFirst!) {
          const takesValue = (o.startsWith('--') ? doc.long?.includes(o.slice(2)) : doc.short?.includes(o.slice(1))) === true;
          const words = takesValue ? [o, 'P.txt', 'A', 'B'] : [o, 'A', 'B'];
          const paths = checkedPaths([...prefix, ...words]);
          expect(paths, o).toEqual(expect.arrayContaining(['A', 'B']));
        }
      });
    } else if (takesPaths) {
      it('the first operand is a file', () => {
        expect(checkedPaths([...prefix, 'A', 'B'])).toEqual(['A', 'B']);
      });
    }

    it(`-5 is ${doc.numeric ? '' : 'not '}a context count`, () => {
      const r = parseArgs(['-5', 'OP'], spec);
      expect(r.seen.has('-#')).toBe(doc.numeric === true);
      expect(r.operands).toEqual([{ text: 'OP', index: 1 }]);
    });
  });
}

describe('every program of PROGRAM_OPTIONS is documented here', () => {
  it('the same programs', () => {
    expect(Object.keys(PROGRAM_OPTIONS).sort()).toEqual(Object.keys(PROGRAMS).sort());
    expect(Object.keys(GIT_SUBCOMMAND_OPTIONS).sort()).toEqual(Object.keys(GIT).sort());
  });
});

for (const [name, doc] of Object.entries(PROGRAMS)) pin(name, PROGRAM_OPTIONS[name] ?? {}, doc, [name]);
for (const [sub, doc] of Object.entries(GIT)) pin(`git ${sub}`, GIT_SUBCOMMAND_OPTIONS[sub] ?? {}, doc, ['git', sub]);

describe('program-specific readings the documentation implies', () => {
  it('find: predicates are single-dash words, their values follow as words', () => {
    const r = parseArgs(['.', '-name', '*.ts', '-newer', 'ref', '-print'], PROGRAM_OPTIONS.find!);
    expect([...r.seen]).toEqual(['-name', '-newer', '-print']);
    expect(r.forbidden).toBeUndefined();
    expect(parseArgs(['.', '-fprintf', 'out', '%p'], PROGRAM_OPTIONS.find!).forbidden).toBe('-fprintf');
    // -files0-from reads starting points from a file: find would walk wherever it says.
    expect(readOnlyVerdict(call('find', '-files0-from', 'list')).readOnly).toBe(false);
  });
  it('tree matches long names exactly: --info is a flag, not an abbreviation of --infofile', () => {
    const r = parseArgs(['--info', 'dir'], PROGRAM_OPTIONS.tree!);
    expect(r.values).toEqual([]);
    expect(r.operands).toEqual([{ text: 'dir', index: 1 }]);
    const v = readOnlyVerdict(call('tree', '--info', 'dir'));
    expect(v.readOnly && v.recursive).toEqual(['dir']);
  });
  it('grep -f names a file it reads, not the pattern', () => {
    expect(checkedPaths(['grep', '-f', '.env', 'x'])).toEqual(['x', '.env']);
    expect(fileAccess(call('grep', '-f', '.env', 'x')).reads.map((w) => w.value)).toEqual(['x', '.env']);
  });
  it('git diff -O<file> reads the order file, attached or not', () => {
    expect(checkedPaths(['git', 'diff', '-O.env'])).toEqual(['.env']);
    expect(checkedPaths(['git', 'log', '-p', '-O', '.env'])).toEqual(['.env']);
  });
  it('git diff --relative without = leaves the next word an operand', () => {
    expect(checkedPaths(['git', 'diff', '--relative', '.env'])).toEqual(['.env']);
  });
  it('jq --rawfile: the file after the name is still checked (the option is unknown, so nothing is hidden)', () => {
    expect(checkedPaths(['jq', '-n', '--rawfile', 'a', 'secret.txt', '$a'])).toEqual(expect.arrayContaining(['secret.txt']));
  });
});

describe('git: a file option attached to its letter is a read the deny rules see', () => {
  const reads = (...w: string[]) => fileAccess(call('git', ...w)).reads.map((x) => x.value);
  it.each([
    [['grep', '-f.env', 'x'], ['x', '.env']],
    [['grep', '-nf.env', 'x'], ['x', '.env']],
    [['diff', '-O.env'], ['.env']],
    [['log', '-p', '-O.env'], ['.env']],
    [['show', '-O.env', 'HEAD'], ['HEAD', '.env']],
    [['blame', '-S.env', 'f'], ['f', '.env']],
    [['ls-files', '-X.env'], ['.env']],
    // Not a file option: -e's value is a pattern.
    [['grep', '-e.env', 'x'], ['x']],
    // Spelled as separate words, the scan of operands finds it (once).
    [['grep', '-f', '.env', 'x'], ['.env', 'x']],
  ])('git %j reads %j', (words, expected) => {
    expect(reads(...words)).toEqual(expected);
  });
});

describe('through the Bash policy: a Read deny sees the files these options name', () => {
  // Made in beforeAll, not while the file is collected: a run that filters these tests out (as
  // Stryker's per-test runs do) collects the file but runs no hook, and would leave the world behind.
  let w: World;
  beforeAll(() => {
    w = makeWorld();
    fs.mkdirSync(path.join(w.project, '.git', 'hooks'), { recursive: true });
  });
  afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));
  const decide = (command: string) => policyFor(w, { deny: ['Read(./.env)'] }).decide('Bash', { command });
  it.each(['git grep -f.env x', 'git diff -O.env', 'git blame -S.env f', 'git ls-files -X.env', 'grep -f.env x', 'grep -rf .env', 'tree --infofile .env', 'du -X.env', 'rg --ignore-file=.env x'])(
    '%s is denied',
    async (command) => {
      const d = await decide(command);
      expect(d.behavior).toBe('deny');
      expect(d.rule).toBe('Read(./.env)');
    },
  );
  it.each(['find -files0-from list', 'find . -fprintf out %p', 'rg --hostname-bin ./x y', 'tree -o out', 'git grep -Ovi x', 'ls -L', 'du --files0-from=l'])(
    '%s is not read-only: it asks',
    async (command) => {
      expect((await decide(command)).behavior).toBe('ask');
    },
  );
  it.each(['grep -m 1 x f', 'head -n 5 f', 'cut -d , -f 1 f', 'tree --info f', 'diff --old-line-format x a b'])('%s runs without asking', async (command) => {
    expect((await decide(command)).behavior).toBe('allow');
  });
});
