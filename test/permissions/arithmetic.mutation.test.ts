/**
 * The grading of text bash evaluates as arithmetic or takes as a variable name
 * (src/permissions/arithmetic.ts), case by case. The grade decides whether `(( a[$x] ))`,
 * `printf -v NAME` and the like may hide a command: a grade that comes out too low lets a
 * subscript such as `a[$(id)]` run unseen, so every spelling of "code" is pinned here, next to
 * the harmless spellings that must not be over-graded.
 */
import { describe, expect, it } from 'vitest';
import { classifyArith, classifyName } from '../../src/permissions/arithmetic.js';

describe('classifyArith', () => {
  it('numbers and every operator bash accepts are literal', () => {
    expect(classifyArith('')).toBe('literal');
    expect(classifyArith('1 + 2 - 3 * 4 / 5 % 6 < 7 > 8 = 9 ! 1 & 2 | 3 ^ 4 ~ 5 ? 6 : 7 , (8)')).toBe('literal');
    expect(classifyArith('1\t+\n2')).toBe('literal');
    expect(classifyArith('1<<2>>3&&4||5')).toBe('literal');
  });
  it('reads hexadecimal and base-N numbers as one number, not as names', () => {
    expect(classifyArith('0xff')).toBe('literal');
    expect(classifyArith('0XAb')).toBe('literal');
    expect(classifyArith('16#zZ')).toBe('literal');
    expect(classifyArith('64#@_')).toBe('literal');
    expect(classifyArith('2#1010+10')).toBe('literal');
    expect(classifyArith('12+0x1f*3')).toBe('literal');
  });
  it('a digit run ends the number: a name after it counts', () => {
    expect(classifyArith('1+x')).toBe('names');
    expect(classifyArith('0x1 REPLY')).toBe('data');
    expect(classifyArith('7 REPLY')).toBe('data');
  });
  it('variable names are names, and data variables are data', () => {
    expect(classifyArith('x')).toBe('names');
    expect(classifyArith('_x1 + y')).toBe('names');
    for (const name of [
      '_', 'REPLY', 'MAPFILE', 'OPTARG', 'BASH_REMATCH', 'BASH_ARGV', 'BASH_ARGV0', 'BASH_ARGC', 'BASH_COMMAND', 'BASH_EXECUTION_STRING', 'BASH_SOURCE',
      'FUNCNAME', 'COPROC', 'DIRSTACK', 'PWD', 'OLDPWD', 'READLINE_LINE', 'COMP_WORDS', 'COMP_LINE', 'COMPREPLY', 'HOSTNAME', 'PS1', 'PS2', 'PS4',
    ]) {
      expect(classifyArith(name), name).toBe('data');
      expect(classifyArith(`$${name}`), `$${name}`).toBe('data');
    }
    expect(classifyArith('REPLYX')).toBe('names');
  });
  it('the worst grade wins whatever the order', () => {
    expect(classifyArith('REPLY + x')).toBe('data');
    expect(classifyArith('x + REPLY')).toBe('data');
    expect(classifyArith('x + 1')).toBe('names');
    expect(classifyArith('1 + x')).toBe('names');
    expect(classifyArith('REPLY + "x"')).toBe('code');
    expect(classifyArith('x + $((REPLY)) + y')).toBe('data');
  });
  it('a name is followed by what comes right after it, not skipped over', () => {
    expect(classifyArith('x$(id)')).toBe('code');
    expect(classifyArith('x"a"')).toBe('code');
    expect(classifyArith('ab+c')).toBe('names');
    expect(classifyArith('x`id`')).toBe('code');
  });
  it('a subscript is graded as arithmetic, spaces before it allowed', () => {
    expect(classifyArith('a[1]')).toBe('names');
    expect(classifyArith('a [1]')).toBe('names');
    expect(classifyArith('a  [1]')).toBe('names');
    expect(classifyArith('a [REPLY]')).toBe('data');
    expect(classifyArith('a[$(id)]')).toBe('code');
    expect(classifyArith('a [$(id)]')).toBe('code');
    expect(classifyArith('a[b[1]]+c')).toBe('names');
    expect(classifyArith('a[b[1]+REPLY]')).toBe('data');
    expect(classifyArith('a[b[1]]+REPLY')).toBe('data');
    expect(classifyArith('a[1]+"x"')).toBe('code');
    expect(classifyArith('a[1')).toBe('code');
    expect(classifyArith('a[b[1]')).toBe('code');
  });
  it('nesting past eight levels is code, up to it is graded', () => {
    expect(classifyArith('1', 8)).toBe('literal');
    expect(classifyArith('1', 9)).toBe('code');
    const nest = (n: number) => `${'a['.repeat(n)}1${']'.repeat(n)}`;
    expect(classifyArith(nest(8))).toBe('names');
    expect(classifyArith(nest(9))).toBe('code');
    expect(classifyArith(`${'$(('.repeat(8)}1${'))'.repeat(8)}`)).toBe('literal');
    expect(classifyArith(`${'$(('.repeat(9)}1${'))'.repeat(9)}`)).toBe('code');
  });
  it('$(( )) inside is graded by its contents', () => {
    expect(classifyArith('$((1+2))')).toBe('literal');
    expect(classifyArith('$((x))')).toBe('names');
    expect(classifyArith('$((REPLY))')).toBe('data');
    expect(classifyArith('$(( a[$(id)] ))')).toBe('code');
    expect(classifyArith('$((1)) + x')).toBe('names');
    expect(classifyArith('$((1)) "')).toBe('code');
    expect(classifyArith('$((1+2)')).toBe('code');
    expect(classifyArith('$((1')).toBe('code');
    expect(classifyArith('$(id)')).toBe('code');
    // Only `$((` opens one: `$x(` is a variable and a parenthesis.
    expect(classifyArith('$x(1)')).toBe('names');
    // The brackets are counted from the `$((`, not from what comes before it.
    expect(classifyArith('($((1))')).toBe('literal');
  });
  it('${ } is graded by what it names; any operator in it is code', () => {
    expect(classifyArith('${#x}')).toBe('literal');
    expect(classifyArith('${#REPLY}')).toBe('literal');
    expect(classifyArith('${#x[@]}')).toBe('literal');
    expect(classifyArith('${#}')).toBe('literal');
    expect(classifyArith('${?}')).toBe('literal');
    expect(classifyArith('${$}')).toBe('literal');
    expect(classifyArith('${!}')).toBe('literal');
    expect(classifyArith('${1}')).toBe('data');
    expect(classifyArith('${12}')).toBe('data');
    expect(classifyArith('${@}')).toBe('data');
    expect(classifyArith('${*}')).toBe('data');
    expect(classifyArith('${x}')).toBe('names');
    expect(classifyArith('${x[@]}')).toBe('names');
    expect(classifyArith('${x[*]}')).toBe('names');
    expect(classifyArith('${REPLY}')).toBe('data');
    expect(classifyArith('${x:-y}')).toBe('code');
    expect(classifyArith('${x[1]}')).toBe('code');
    expect(classifyArith('${!x}')).toBe('code');
    expect(classifyArith('${x')).toBe('code');
    expect(classifyArith('${xy')).toBe('code');
    expect(classifyArith('${x1}')).toBe('names');
    expect(classifyArith('${_9}')).toBe('names');
    expect(classifyArith('${x}y')).toBe('names');
    expect(classifyArith('${x}"')).toBe('code');
    expect(classifyArith('x${1}')).toBe('data');
    expect(classifyArith('${a${b}}')).toBe('code');
  });
  it('$name and the special parameters', () => {
    expect(classifyArith('$x')).toBe('names');
    expect(classifyArith('$x+1')).toBe('names');
    expect(classifyArith('$x"')).toBe('code');
    expect(classifyArith('$REPLY')).toBe('data');
    for (const p of ['$#', '$?', '$$', '$!']) expect(classifyArith(p), p).toBe('literal');
    for (const p of ['$#"', '$?"', '$$"', '$!"']) expect(classifyArith(p), p).toBe('code');
    for (const p of ['$1', '$@', '$*']) expect(classifyArith(p), p).toBe('data');
    expect(classifyArith('$1"')).toBe('code');
    expect(classifyArith('$12')).toBe('data');
    expect(classifyArith('$')).toBe('code');
    expect(classifyArith('$-')).toBe('code');
    expect(classifyArith('1+$')).toBe('code');
  });
  it('quotes, backquotes, braces and other characters are code', () => {
    for (const t of ['"1"', "'1'", '`id`', '\\1', '{1}', '[1]', ';', '.', '@', '#']) expect(classifyArith(t), t).toBe('code');
  });
});

describe('classifyName', () => {
  it('a plain name is literal', () => {
    expect(classifyName('abc')).toBe('literal');
    expect(classifyName('_A9')).toBe('literal');
  });
  it('a subscript is graded as arithmetic', () => {
    expect(classifyName('a[1]')).toBe('literal');
    expect(classifyName('a[$x]')).toBe('names');
    expect(classifyName('a[REPLY]')).toBe('data');
    expect(classifyName('a[$(id)]')).toBe('code');
    expect(classifyName('a[1\n]')).toBe('literal');
  });
  it('anything else is graded as a whole', () => {
    expect(classifyName('$(id)x')).toBe('code');
    expect(classifyName('x$(id)')).toBe('code');
    expect(classifyName('x y')).toBe('names');
    expect(classifyName('1x')).toBe('names');
    expect(classifyName('a[1]b')).toBe('names');
    expect(classifyName('a[1]"')).toBe('code');
    expect(classifyName('[1]a')).toBe('code');
    expect(classifyName('"a[1]')).toBe('code');
    expect(classifyName('ab[1]')).toBe('literal');
    expect(classifyName('a1_[$(id)]')).toBe('code');
  });
});
