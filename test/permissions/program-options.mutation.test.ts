/**
 * Option parsing the way getopt and git's parse-options read a command line
 * (src/permissions/program-options.ts). The read-only judgement rests on it: an option that
 * writes or runs a program must be found however it is spelled (bundled, abbreviated, with an
 * attached value), and a word that is an option's value must not be taken for a path operand
 * or the other way round.
 */
import { describe, expect, it } from 'vitest';
import { hasOption, optionValues, parseArgs, type ProgramOptions } from '../../src/permissions/program-options.js';

const SPEC: ProgramOptions = {
  shortValue: 'fO',
  longValue: ['file', 'output', 'outline'],
  longOptional: ['color'],
  forbiddenShort: 'XO',
  forbiddenLong: ['exec', 'output-program'],
  forbiddenWords: ['-delete', '-fprint*'],
  numeric: true,
};
const p = (line: string, spec: ProgramOptions = SPEC) => parseArgs(line === '' ? [] : line.split(' '), spec);

describe('parseArgs', () => {
  it('operands, -, and everything after --', () => {
    const r = p('a - b -- -X --exec c');
    expect(r.operands).toEqual([
      { text: 'a', index: 0 },
      { text: '-', index: 1 },
      { text: 'b', index: 2 },
      { text: '-X', index: 4 },
      { text: '--exec', index: 5 },
      { text: 'c', index: 6 },
    ]);
    expect(r.forbidden).toBeUndefined();
    expect(r.seen.size).toBe(0);
  });
  it('a forbidden short option is found anywhere in a bundle', () => {
    expect(p('-aX').forbidden).toBe('-aX');
    expect(p('-Xa').forbidden).toBe('-Xa');
    // Even after a letter that takes a value: a wrong guess only makes the check stricter.
    expect(p('-fX').forbidden).toBe('-fX');
    expect(p('-a -b').forbidden).toBeUndefined();
    expect(p('-a -X -O x').forbidden).toBe('-X');
  });
  it('a forbidden long option is found by any prefix, ambiguous or not', () => {
    expect(p('--exec').forbidden).toBe('--exec');
    expect(p('--ex=1').forbidden).toBe('--ex=1');
    expect(p('--e').forbidden).toBe('--e');
    expect(p('--output-p').forbidden).toBe('--output-p');
    expect(p('--execx').forbidden).toBeUndefined();
    expect(p('--').forbidden).toBeUndefined();
    expect(p('--=x').forbidden).toBeUndefined();
  });
  it('forbidden whole words, exact or by prefix', () => {
    expect(p('-delete').forbidden).toBe('-delete');
    expect(p('-fprint0').forbidden).toBe('-fprint0');
    expect(p('-fprint').forbidden).toBe('-fprint');
    expect(p('-deletex', { forbiddenWords: ['-delete'] }).forbidden).toBeUndefined();
    expect(p('x-fprint', { forbiddenWords: ['-fprint*'] }).forbidden).toBeUndefined();
  });
  it('the first forbidden option is the one named', () => {
    expect(p('--exec -X').forbidden).toBe('--exec');
  });
  it('a short option takes an attached value or the next word', () => {
    const r = p('-fa b -f c d -af e');
    expect(r.values).toEqual([
      { option: '-f', text: 'a', index: 0 },
      { option: '-f', text: 'c', index: 3 },
      { option: '-f', text: 'e', index: 6 },
    ]);
    expect(r.operands).toEqual([
      { text: 'b', index: 1 },
      { text: 'd', index: 4 },
    ]);
    expect([...r.seen].sort()).toEqual(['-a', '-f']);
  });
  it('a short option at the end with no value takes nothing', () => {
    const r = p('x -f');
    expect(r.values).toEqual([]);
    expect(r.operands).toEqual([{ text: 'x', index: 0 }]);
  });
  it('letters after the one that takes a value are its value, not options', () => {
    const r = p('-fab');
    expect([...r.seen]).toEqual(['-f']);
    expect(r.values).toEqual([{ option: '-f', text: 'ab', index: 0 }]);
  });
  it('long options: exact, abbreviated, with = or the next word', () => {
    const r = p('--file a --fi=b --outp c --outl d x');
    expect(r.values).toEqual([
      { option: '--file', text: 'a', index: 1 },
      { option: '--file', text: 'b', index: 2 },
      { option: '--output', text: 'c', index: 4 },
      { option: '--outline', text: 'd', index: 6 },
    ]);
    expect(r.operands).toEqual([{ text: 'x', index: 7 }]);
  });
  it('an ambiguous abbreviation takes no value from the next word', () => {
    const r = p('--out a');
    expect(r.values).toEqual([]);
    expect(r.operands).toEqual([{ text: 'a', index: 1 }]);
    expect(r.seen.has('--out')).toBe(true);
  });
  it('an optional long value is only taken with =', () => {
    const r = p('--color always --color=never');
    expect(r.operands).toEqual([{ text: 'always', index: 1 }]);
    expect(r.values).toEqual([{ option: '--color', text: 'never', index: 2 }]);
  });
  it('an exact long name wins over longer names it prefixes', () => {
    const r = parseArgs(['--file', 'x'], { longValue: ['file', 'file-list'] });
    expect(r.values).toEqual([{ option: '--file', text: 'x', index: 1 }]);
  });
  it('a long option at the end takes nothing', () => {
    expect(p('--file').values).toEqual([]);
  });
  it('numeric options only where the program has them', () => {
    const r = p('-5 x');
    expect(r.seen.has('-#')).toBe(true);
    expect(r.operands).toEqual([{ text: 'x', index: 1 }]);
    const plain = parseArgs(['-5'], {});
    expect(plain.seen.has('-5')).toBe(true);
    expect(plain.seen.has('-#')).toBe(false);
    expect(p('-5a').seen.has('-#')).toBe(false);
  });
  it('single-dash words are options of their own', () => {
    const r = parseArgs(['-name', 'x', '-exec', 'rm', '--foo'], { singleDashWords: true, forbiddenWords: ['-exec'] });
    expect([...r.seen]).toEqual(['-name', '-exec', '--foo']);
    expect(r.forbidden).toBe('-exec');
    expect(r.operands.map((o) => o.text)).toEqual(['x', 'rm']);
  });
});

describe('hasOption and optionValues', () => {
  it('find an option by short letter or by any spelling of its long name', () => {
    expect(hasOption(p('-a'), 'ab')).toBe(true);
    expect(hasOption(p('-c'), 'ab')).toBe(false);
    expect(hasOption(p('-a'), undefined, ['all'])).toBe(false);
    expect(hasOption(p('--al'), undefined, ['all'])).toBe(true);
    expect(hasOption(p('--all'), undefined, ['all'])).toBe(true);
    expect(hasOption(p('--alx'), undefined, ['all'])).toBe(false);
    expect(hasOption(p('--'), undefined, ['all'])).toBe(false);
    expect(hasOption(p('x'), 'x', ['x'])).toBe(false);
  });
  it('collect the values of an option in order', () => {
    const r = p('-f a --file=b --fi c -O d');
    expect(optionValues(r, 'f', ['file'])).toEqual(['a', 'b', 'c']);
    expect(optionValues(r, 'O')).toEqual(['d']);
    expect(optionValues(r, undefined, ['output'])).toEqual([]);
    expect(optionValues(r, 'x', ['nothing'])).toEqual([]);
    expect(optionValues(p('--output=z'), 'q', ['output'])).toEqual(['z']);
  });
});

// Survivors of the Stryker run over parseArgs/hasOption/optionValues (s25-b): each case is a
// spelling the read-only judgement must read the way the program does.
describe('option parsing edge cases', () => {
  it('a long option with an attached value is read even where single-dash words are options', () => {
    const r = parseArgs(['-name', 'x', '--file=y'], { singleDashWords: true, longValue: ['file'] });
    expect(r.values).toEqual([{ option: '--file', text: 'y', index: 2 }]);
    expect([...r.seen]).toEqual(['-name', '--file']);
  });
  it('an unknown long option is recorded as written, whichever option lists are given', () => {
    expect([...parseArgs(['--Str'], {}).seen]).toEqual(['--Str']);
    expect([...parseArgs(['--Str'], { longValue: ['file'] }).seen]).toEqual(['--Str']);
    expect([...parseArgs(['--Str'], { longOptional: ['color'] }).seen]).toEqual(['--Str']);
  });
  it('an optional-value long option never takes the next word', () => {
    const r = parseArgs(['--color', 'x'], { longOptional: ['color'] });
    expect(r.operands).toEqual([{ text: 'x', index: 1 }]);
    expect(r.values).toEqual([]);
    expect(parseArgs(['--frob', 'x'], {}).operands).toEqual([{ text: 'x', index: 1 }]);
  });
  it('a numeric option is the whole word: -10 is one, -a-5 is a bundle', () => {
    expect([...p('-10').seen]).toEqual(['-#']);
    expect([...p('-a-5').seen]).toEqual(['-a', '--', '-5']);
  });
  it('a bundle records exactly its letters', () => {
    expect([...p('-x').seen]).toEqual(['-x']);
    expect([...p('-ab').seen]).toEqual(['-a', '-b']);
  });
  it('hasOption: a single-dash word or a bare -- is no long option', () => {
    expect(hasOption(parseArgs(['-name'], { singleDashWords: true }), undefined, ['ame'])).toBe(false);
    expect(hasOption(parseArgs(['--=x'], {}), undefined, ['all'])).toBe(false);
    expect(hasOption(p('--Str'), 'q')).toBe(false);
    expect(hasOption(p('--fi'), undefined, ['output', 'file'])).toBe(true);
  });
  it('optionValues: by long name only, by short letter only, or neither', () => {
    expect(optionValues(p('--Str=1'), 'x')).toEqual([]);
    expect(optionValues(p('-f x'), undefined, ['file'])).toEqual([]);
    expect(optionValues(p('--fi=x'), undefined, ['file'])).toEqual(['x']);
    expect(optionValues(p('--file=x'), undefined, ['output', 'file'])).toEqual(['x']);
  });
});

describe('option names that are prefixes of others', () => {
  it('an exact long name takes its value even when a longer name starts with it', () => {
    const spec: ProgramOptions = { longValue: ['type', 'type-not'], longOptional: ['col', 'color'] };
    expect(parseArgs(['--type', 'x', 'y'], spec).values).toEqual([{ option: '--type', text: 'x', index: 1 }]);
    expect(parseArgs(['--typ', 'x'], spec).values).toEqual([]);
    expect([...parseArgs(['--col', 'x'], spec).seen]).toEqual(['--col']);
    expect(parseArgs(['--col', 'x'], spec).operands).toEqual([{ text: 'x', index: 1 }]);
  });
  it('optionValues matches a value recorded under an abbreviation by prefix', () => {
    expect(optionValues(parseArgs(['--fi=x'], {}), undefined, ['file'])).toEqual(['x']);
    expect(optionValues(parseArgs(['--le=x'], {}), undefined, ['file'])).toEqual([]);
  });
});
