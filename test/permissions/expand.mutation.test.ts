/**
 * Glob expansion for the permission checks (src/permissions/expand.ts), against a real directory:
 * a word must resolve to every file bash would hand the command, or be reported unknown. A glob
 * that resolves to fewer files than bash expands to lets a denied file through (`cat .[[:alpha:]]nv`
 * reading a denied `.env` did, until the bracket reading below); one that resolves to more only
 * checks more paths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandGlob, resolveWord } from '../../src/permissions/expand.js';
import { makeTempDir } from '../helpers/temp.js';
import type { ShellWord } from '../../src/permissions/shell.js';

let dir = '';
const FILES = ['a.ts', 'b.ts', 'axts', 'x-y.ts', 'A.TS', '.env', '.hidden.ts', ']', 'a]b', '[x', 'q', 'ab', 'a\\b', 'a$b', 'a^b', 'a-b', 'e1', 'é', ' s', '\tt', 'Z.c', 'y.c', '_.c', ':.c', 'lf\nx', 'ez', '\vv', ' .c'];
beforeAll(() => {
  dir = fs.realpathSync(makeTempDir('bcode-expand-'));
  for (const f of FILES) fs.writeFileSync(path.join(dir, f), '');
  fs.mkdirSync(path.join(dir, 'd1', 'sub'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'd2'));
  fs.writeFileSync(path.join(dir, 'd1', 'f.ts'), '');
  fs.writeFileSync(path.join(dir, 'd1', 'sub', 'g.ts'), '');
  fs.writeFileSync(path.join(dir, 'd2', 'f.ts'), '');
});

/** The names a pattern expands to in `dir`, sorted; the unknown reason instead when there is one. */
const names = (pattern: string, options: { dotfiles?: boolean; nocase?: boolean } = {}) => {
  const r = expandGlob(pattern, dir, options);
  return r.unknown ?? r.paths.map((p) => path.relative(dir, p)).sort();
};

describe('expandGlob: bash glob rules', () => {
  it('* and ? match within a name, dots and dashes are literal', () => {
    expect(names('*.ts')).toEqual(['a.ts', 'b.ts', 'x-y.ts']);
    expect(names('?.ts')).toEqual(['a.ts', 'b.ts']);
    expect(names('x-*')).toEqual(['x-y.ts']);
    expect(names('a?b')).toEqual(['a$b', 'a-b', 'a\\b', 'a]b', 'a^b']);
    expect(names('a$*')).toEqual(['a$b']);
    expect(names('a^*')).toEqual(['a^b']);
    expect(names('?')).toEqual([']', 'q', 'é']);
  });
  it('a leading dot is matched only literally, or with dotglob', () => {
    expect(names('.e*')).toEqual(['.env']);
    expect(names('\\.e*')).toEqual(['.env']);
    expect(names('*env')).toEqual(['*env']);
    expect(names('*env', { dotfiles: true })).toEqual(['.env']);
    expect(names('?env', { dotfiles: true })).toEqual(['.env']);
  });
  it('nocaseglob ignores case', () => {
    expect(names('*.TS')).toEqual(['A.TS']);
    expect(names('*.TS', { nocase: true })).toEqual(['A.TS', 'a.ts', 'b.ts', 'x-y.ts']);
  });
  it('* reaches across a newline in a name', () => {
    expect(names('lf*')).toEqual(['lf\nx']);
    expect(names('lf?x')).toEqual(['lf\nx']);
  });
  it('a backslash makes the next character literal', () => {
    expect(names('\\*')).toEqual(['*']);
    expect(names('a\\?b')).toEqual(['a?b']);
    expect(names('\\[x')).toEqual(['[x']);
    expect(names('a\\\\*')).toEqual(['a\\b']);
    expect(names('a*\\')).toEqual(['a*\\']);
    expect(names('a[\\]]b')).toEqual(['a]b']);
    expect(names('a[b\\')).toEqual(['a[b\\']);
  });
  it('brackets: sets, ranges, negation', () => {
    expect(names('[ab].ts')).toEqual(['a.ts', 'b.ts']);
    expect(names('[a-b].ts')).toEqual(['a.ts', 'b.ts']);
    expect(names('[!a].ts')).toEqual(['b.ts']);
    expect(names('[^a].ts')).toEqual(['b.ts']);
    expect(names('a[-]b')).toEqual(['a-b']);
    expect(names('a[$]b')).toEqual(['a$b']);
    expect(names('a[\\^]b')).toEqual(['a^b']);
    expect(names('a[x^]b')).toEqual(['a^b']);
    expect(names('a[\\-]b')).toEqual(['a-b']);
    expect(names('a[\\\\]b')).toEqual(['a\\b']);
    expect(names('a[+-.]b')).toEqual(['a-b']);
    expect(names('a[#-%]b')).toEqual(['a$b']);
    expect(names('a[#\\-%]b')).toEqual(['a-b']);
  });
  it('a ] right after the opening bracket is a member', () => {
    expect(names('a[]]b')).toEqual(['a]b']);
    expect(names('a[]x]b')).toEqual(['a]b']);
    expect(names('[]q]')).toEqual([']', 'q']);
    expect(names('[!]q]')).toEqual(['é']);
    expect(names('[^]q]')).toEqual(['é']);
    expect(names('.[]e]nv')).toEqual(['.env']);
    expect(names('.[!]x]nv')).toEqual(['.env']);
  });
  it('a bracket nothing closes is a literal [', () => {
    expect(names('[x')).toEqual(['[x']);
    expect(names('[x*')).toEqual(['[x']);
    expect(names('[!]')).toEqual(['[!]']);
    expect(names('[]')).toEqual(['[]']);
  });
  it('POSIX classes, with every non-ASCII character in a plain bracket and none in a negated one', () => {
    expect(names('.[[:alpha:]]nv')).toEqual(['.env']);
    expect(names('.e[[:lower:]]v')).toEqual(['.env']);
    expect(names('[[:upper:]].*')).toEqual(['A.TS', 'Z.c']);
    expect(names('e[[:digit:]]')).toEqual(['e1']);
    expect(names('e[[:xdigit:]]')).toEqual(['e1']);
    expect(names('e[[:alnum:]]')).toEqual(['e1', 'ez']);
    expect(names('[[:alnum:]].c')).toEqual(['Z.c', 'y.c']);
    expect(names('[[:word:]].c')).toEqual(['Z.c', '_.c', 'y.c']);
    expect(names('[[:punct:]].c')).toEqual([':.c', '_.c']);
    expect(names('[[:space:]]*')).toEqual(['\tt', '\vv', ' .c', ' s', 'é']);
    expect(names('[[:blank:]]*')).toEqual(['\tt', ' .c', ' s', 'é']);
    expect(names('[[:cntrl:]]*')).toEqual(['\tt', '\vv', 'é']);
    expect(names('[![:space:]]')).toEqual([']', 'q', 'é']);
    expect(names('[![:cntrl:]]')).toEqual([']', 'q', 'é']);
    expect(names('[[:graph:]].c')).toEqual([':.c', 'Z.c', '_.c', 'y.c']);
    expect(names('[[:print:]].c')).toEqual([' .c', ':.c', 'Z.c', '_.c', 'y.c']);
    expect(names('[[:print:]]s')).toEqual([' s']);
    expect(names('[[:alpha:]]')).toEqual(['q', 'é']);
    expect(names('[![:alpha:]]')).toEqual([']', 'é']);
    expect(names('[[:alpha:]]]')).toEqual(['[[:alpha:]]]']);
    expect(names('[[:digit:]x]*')).toEqual(['x-y.ts', 'é']);
  });
  it('what it cannot read is unknown, not guessed', () => {
    expect(names('[[=e=]]nv')).toBe("'[[=e=]]nv' uses a bracket expression this check cannot read");
    expect(names('[[.e.]]nv')).toBe("'[[.e.]]nv' uses a bracket expression this check cannot read");
    expect(names('[[:nosuch:]]')).toBe("'[[:nosuch:]]' uses a bracket expression this check cannot read");
    expect(names('a[[:b')).toEqual(['a[[:b']);
    expect(names('[[:]]')).toEqual(['[[:]]']);
    expect(names('[[=alpha=]]')).toBe("'[[=alpha=]]' uses a bracket expression this check cannot read");
    expect(names('[[.alpha.]]')).toBe("'[[.alpha.]]' uses a bracket expression this check cannot read");
    expect(expandGlob('[[=e=]]nv', dir)).toEqual({ paths: [], unknown: "'[[=e=]]nv' uses a bracket expression this check cannot read" });
    // Only a `[` inside the bracket opens a class: a member followed by `:` or a repeated member is plain.
    expect(names('[q:x:]')).toEqual(['q']);
    expect(names('[[yy].c')).toEqual(['y.c']);
    expect(names('[abxb].ts')).toEqual(['a.ts', 'b.ts']);
    expect(names('[[:constructor:]]')).toBe("'[[:constructor:]]' uses a bracket expression this check cannot read");
    expect(names('[[:toString:]]')).toBe("'[[:toString:]]' uses a bracket expression this check cannot read");
  });
});

describe('expandGlob: paths', () => {
  it('walks directories segment by segment', () => {
    expect(names('d*/f.ts')).toEqual(['d1/f.ts', 'd2/f.ts']);
    expect(names('d1/*')).toEqual(['d1/f.ts', 'd1/sub']);
    expect(names('d1//*/g.ts')).toEqual(['d1/f.ts/g.ts', 'd1/sub/g.ts']);
    expect(names('./d1/s*/g.ts')).toEqual(['d1/sub/g.ts']);
    expect(names('d*/nothing')).toEqual(['d1/nothing', 'd2/nothing']);
  });
  it('an absolute pattern starts at /', () => {
    const r = expandGlob(`${dir}/?.ts`, '/nowhere');
    expect(r).toEqual({ paths: [path.join(dir, 'a.ts'), path.join(dir, 'b.ts')] });
    expect(expandGlob('/', '/nowhere')).toEqual({ paths: ['/'] });
  });
  it('no match: the pattern as written, unescaped, from the directory', () => {
    expect(expandGlob('*.none', dir)).toEqual({ paths: [path.join(dir, '*.none')] });
    expect(expandGlob('x\\*.none', dir)).toEqual({ paths: [path.join(dir, 'x*.none')] });
    expect(expandGlob(`${dir}/\\*.none`, '/elsewhere')).toEqual({ paths: [`${dir}/*.none`] });
    expect(expandGlob('q/*', dir)).toEqual({ paths: [path.join(dir, 'q/*')] });
  });
  it('** may match at any depth: unknown', () => {
    expect(expandGlob('d1/**/g.ts', dir)).toEqual({ paths: [], unknown: "'d1/**/g.ts' may match at any depth" });
    expect(expandGlob('**', dir)).toEqual({ paths: [], unknown: "'**' may match at any depth" });
  });
  it('up to 2000 matches are listed, one more is unknown', () => {
    const big = makeTempDir('bcode-expand-big-');
    for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(big, `f${i}`), '');
    fs.writeFileSync(path.join(big, 'g'), '');
    expect(expandGlob('f*', big).paths).toHaveLength(2000);
    expect(expandGlob('[fg]*', big)).toEqual({ paths: [], unknown: "'[fg]*' matches too many files to check" });
    expect(expandGlob('f1*', big).paths).toHaveLength(1 + 10 + 100 + 1000);
  });
  it('up to 10000 directory entries are read, one more is unknown', () => {
    const big = makeTempDir('bcode-expand-wide-');
    // 2000 + 5 directories at the top, 1600 × 4 + 1595 below: 10000 entries read by `d*/y*`.
    for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(big, `f${i}`), '');
    for (let d = 0; d < 5; d++) {
      fs.mkdirSync(path.join(big, `d${d}`));
      for (let i = 0; i < (d < 4 ? 1600 : 1595); i++) fs.writeFileSync(path.join(big, `d${d}`, `x${i}`), '');
    }
    expect(expandGlob('d*/y*', big)).toEqual({ paths: [path.join(big, 'd*/y*')] });
    expect(expandGlob('d*/x1', big).paths).toHaveLength(5);
    fs.writeFileSync(path.join(big, 'd4', 'one-more'), '');
    expect(expandGlob('d*/y*', big)).toEqual({ paths: [], unknown: "'d*/y*' matches too many files to check" });
  });
});

const word = (w: Partial<ShellWord> & { raw: string }): ShellWord => w as ShellWord;

describe('resolveWord', () => {
  it('a literal word is its value', () => {
    expect(resolveWord(word({ raw: "'*'", value: '*' }), dir)).toEqual({ paths: ['*'] });
  });
  it('a word with unknown parts is unknown', () => {
    expect(resolveWord(word({ raw: '$F' }), dir)).toEqual({ paths: [], unknown: "'$F' is only known when the command runs" });
  });
  it('patterns without a glob are unescaped literals; globs are expanded', () => {
    expect(resolveWord(word({ raw: 'x', patterns: ['a\\b', '?.ts'] }), dir)).toEqual({ paths: ['ab', path.join(dir, 'a.ts'), path.join(dir, 'b.ts')] });
  });
  it('a relative glob after a cd is unknown; an absolute one is expanded', () => {
    expect(resolveWord(word({ raw: '*.ts', patterns: ['*.ts'] }), dir, { cwdKnown: false })).toEqual({ paths: [], unknown: "'*.ts' expands after a cd" });
    expect(resolveWord(word({ raw: 'lit', patterns: ['lit', '*.ts'] }), dir, { cwdKnown: true }).paths).toHaveLength(4);
    expect(resolveWord(word({ raw: 'abs', patterns: [`${dir}/?.ts`] }), '/x', { cwdKnown: false })).toEqual({ paths: [path.join(dir, 'a.ts'), path.join(dir, 'b.ts')] });
    expect(resolveWord(word({ raw: 'lit', patterns: ['plain'] }), dir, { cwdKnown: false })).toEqual({ paths: ['plain'] });
  });
  it('options reach the expansion', () => {
    expect(resolveWord(word({ raw: '*env', patterns: ['*env'] }), dir, { dotfiles: true })).toEqual({ paths: [path.join(dir, '.env')] });
    expect(resolveWord(word({ raw: 'A.*', patterns: ['a.T*'] }), dir, { nocase: true }).paths.sort()).toEqual([path.join(dir, 'A.TS'), path.join(dir, 'a.ts')]);
  });
  it('an unknown expansion makes the whole word unknown', () => {
    expect(resolveWord(word({ raw: 'w', patterns: ['a.ts', 'd1/**'] }), dir)).toEqual({ paths: [], unknown: "'d1/**' may match at any depth" });
  });
});
