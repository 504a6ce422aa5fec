import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { globTool } from '../../src/tools/glob.js';
import { GREP_MAX_OUTPUT_CHARS, grepArgs, grepTool, groupByFile } from '../../src/tools/grep.js';
import { lsTool } from '../../src/tools/ls.js';
import { NewestFirst } from '../../src/tools/mtime-sort.js';
import { comparePathsLikeRg, runRipgrep } from '../../src/tools/ripgrep.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

let dir: string;

function put(rel: string, content: string, ageSeconds = 0) {
  const f = path.join(dir, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, content);
  const t = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(f, t, t);
  return f;
}

beforeEach(() => {
  dir = tempDir();
  put('.gitignore', 'ignored/\n*.log\n', 500);
  put('src/old.ts', 'export const alpha = 1;\n// TODO: old\n', 300);
  put('src/new.ts', 'export const beta = 2;\nconst Alpha = 3;\n// TODO: new\n', 10);
  put('src/mid.js', 'var alpha = 1;\n', 100);
  put('ignored/skip.ts', 'export const alpha = 99;\n', 5);
  put('debug.log', 'alpha in a log\n', 5);
  put('.github/workflows/ci.yml', 'name: alpha ci\n', 200);
  put('node_modules/pkg/index.js', 'module.exports = 1;\n', 5);
});

describe('Glob', () => {
  it('returns absolute paths, newest first, skipping .gitignored files', async () => {
    const r = text(await call(globTool, { pattern: '**/*.ts' }, makeCtx(dir)));
    expect(r.split('\n')).toEqual([path.join(dir, 'src/new.ts'), path.join(dir, 'src/old.ts')]);
  });

  it('searches under path and finds hidden directories', async () => {
    const ctx = makeCtx(dir);
    expect(text(await call(globTool, { pattern: '*.js', path: path.join(dir, 'src') }, ctx))).toBe(path.join(dir, 'src/mid.js'));
    expect(text(await call(globTool, { pattern: '.github/**/*.yml' }, ctx))).toBe(path.join(dir, '.github/workflows/ci.yml'));
  });

  it('says so when nothing matches or the path is missing', async () => {
    const ctx = makeCtx(dir);
    expect(text(await call(globTool, { pattern: '**/*.rs' }, ctx))).toContain('No files match');
    const r = await call(globTool, { pattern: '*', path: path.join(dir, 'nope') }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('does not exist');
  });

  it('caps the list with a note', async () => {
    for (let i = 0; i < 120; i++) put(`many/f${i}.txt`, 'x');
    const r = text(await call(globTool, { pattern: 'many/*.txt' }, makeCtx(dir)));
    expect(r.split('\n').filter((l) => l.startsWith('/'))).toHaveLength(100);
    expect(r).toContain('120 files match; showing the newest 100');
  });

  it('the 100 shown are the newest, in order, ties by path', async () => {
    const base = Date.now() / 1000;
    const made: Array<{ f: string; age: number }> = [];
    for (let i = 0; i < 150; i++) {
      const f = put(`aged/d${i % 3}/f${String(i).padStart(3, '0')}.md`, 'x');
      const age = (i * 37) % 90; // some ages shared
      utimesSync(f, base - age, base - age);
      made.push({ f, age });
    }
    const expected = made
      .sort((a, b) => a.age - b.age || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
      .slice(0, 100)
      .map((m) => m.f);
    const r = text(await call(globTool, { pattern: 'aged/**/*.md' }, makeCtx(dir)));
    expect(r.split('\n').filter((l) => l.startsWith('/'))).toEqual(expected);
    expect(r).toContain('150 files match; showing the newest 100');
  });
});

describe('Grep', () => {
  it('lists matching files newest first by default', async () => {
    const r = text(await call(grepTool, { pattern: 'alpha' }, makeCtx(dir)));
    expect(r.split('\n')).toEqual([path.join(dir, 'src/mid.js'), path.join(dir, '.github/workflows/ci.yml'), path.join(dir, 'src/old.ts')]);
  });

  it('-i, glob and type narrow the search', async () => {
    const ctx = makeCtx(dir);
    expect(text(await call(grepTool, { pattern: 'alpha', '-i': true, glob: '*.ts' }, ctx)).split('\n')).toEqual([
      path.join(dir, 'src/new.ts'),
      path.join(dir, 'src/old.ts'),
    ]);
    expect(text(await call(grepTool, { pattern: 'alpha', type: 'js' }, ctx))).toBe(path.join(dir, 'src/mid.js'));
  });

  it('content mode shows file, line numbers and context', async () => {
    const ctx = makeCtx(dir);
    const r = text(await call(grepTool, { pattern: 'TODO', output_mode: 'content', path: path.join(dir, 'src') }, ctx));
    expect(r).toBe(`${path.join(dir, 'src/new.ts')}:3:// TODO: new\n${path.join(dir, 'src/old.ts')}:2:// TODO: old`);
    const ctxLines = text(await call(grepTool, { pattern: 'TODO: old', output_mode: 'content', '-B': 1, '-n': false, path: path.join(dir, 'src') }, ctx));
    expect(ctxLines).toBe(`${path.join(dir, 'src/old.ts')}-export const alpha = 1;\n${path.join(dir, 'src/old.ts')}:// TODO: old`);
  });

  it('count mode counts per file and in total', async () => {
    const r = text(await call(grepTool, { pattern: 'a', output_mode: 'count', path: path.join(dir, 'src') }, makeCtx(dir)));
    // Counts matching lines, as rg --count does.
    expect(r).toBe(`${path.join(dir, 'src/mid.js')}:1\n${path.join(dir, 'src/new.ts')}:2\n${path.join(dir, 'src/old.ts')}:1\n(total 4)`);
  });

  it('head_limit keeps the first entries and says how many there were', async () => {
    const r = text(await call(grepTool, { pattern: 'alpha', head_limit: 1 }, makeCtx(dir)));
    expect(r).toBe(`${path.join(dir, 'src/mid.js')}\n(showing 1 of 3 lines; narrow the search or use head_limit)`);
  });

  it('multiline patterns span lines', async () => {
    const ctx = makeCtx(dir);
    expect(text(await call(grepTool, { pattern: 'beta.*Alpha' }, ctx))).toContain('No matches');
    expect(text(await call(grepTool, { pattern: 'beta.*Alpha', multiline: true }, ctx))).toBe(path.join(dir, 'src/new.ts'));
  });

  it('treats a leading dash as part of the pattern and reports bad regexes', async () => {
    put('dash.txt', 'use -rf carefully\n');
    const ctx = makeCtx(dir);
    expect(text(await call(grepTool, { pattern: '-rf' }, ctx))).toBe(path.join(dir, 'dash.txt'));
    const bad = await call(grepTool, { pattern: 'a(' }, ctx);
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/^Grep failed: .*regex/);
    const badType = await call(grepTool, { pattern: 'a', type: 'nosuchtype' }, ctx);
    expect(badType.isError).toBe(true);
    expect(text(badType)).toContain('rg --type-list');
  });

  it('maps fields to ripgrep flags', () => {
    const args = grepArgs({ pattern: 'x', output_mode: 'content', '-C': 2, '-i': true, glob: '*.ts' }, '/p');
    expect(args).toEqual(expect.arrayContaining(['--context', '2', '--ignore-case', '--glob', '*.ts', '--line-number']));
    expect(args.slice(-4)).toEqual(['-e', 'x', '--', '/p']);
  });
});

describe('Grep output order and paths (ripgrep searches in parallel; Grep sorts)', () => {
  function tree() {
    put('t/a/one.txt', 'x\nhit\ny\nz\nq\nw\nhit\nend\n');
    put('t/a.txt', 'p\nhit\n');
    put('t/b/two.txt', 'hit\nfoo\n');
    put('t/c:1:d/x-2-y.txt', 'l\nhit:3:z\n');
    return path.join(dir, 't');
  }

  it('content lists files in `rg --sort path` order (directory by directory), lines in file order', async () => {
    const t = tree();
    const r = text(await call(grepTool, { pattern: 'hit', output_mode: 'content', path: t }, makeCtx(dir)));
    expect(r).toBe(
      [`${t}/a/one.txt:2:hit`, `${t}/a/one.txt:7:hit`, `${t}/a.txt:2:hit`, `${t}/b/two.txt:1:hit`, `${t}/c:1:d/x-2-y.txt:2:hit:3:z`].join('\n'),
    );
  });

  it('context keeps group separators within and between files; -n false drops the numbers, not the kind', async () => {
    const t = tree();
    const ctx = makeCtx(dir);
    const r = text(await call(grepTool, { pattern: 'hit', output_mode: 'content', path: t, '-C': 1 }, ctx));
    expect(r.split('\n')).toEqual([
      `${t}/a/one.txt-1-x`, `${t}/a/one.txt:2:hit`, `${t}/a/one.txt-3-y`, '--',
      `${t}/a/one.txt-6-w`, `${t}/a/one.txt:7:hit`, `${t}/a/one.txt-8-end`, '--',
      `${t}/a.txt-1-p`, `${t}/a.txt:2:hit`, '--',
      `${t}/b/two.txt:1:hit`, `${t}/b/two.txt-2-foo`, '--',
      `${t}/c:1:d/x-2-y.txt-1-l`, `${t}/c:1:d/x-2-y.txt:2:hit:3:z`,
    ]);
    const plain = text(await call(grepTool, { pattern: 'hit', output_mode: 'content', path: t, '-B': 1, '-n': false }, ctx));
    expect(plain.split('\n')).toEqual([
      `${t}/a/one.txt-x`, `${t}/a/one.txt:hit`, '--', `${t}/a/one.txt-w`, `${t}/a/one.txt:hit`, '--',
      `${t}/a.txt-p`, `${t}/a.txt:hit`, '--', `${t}/b/two.txt:hit`, '--', `${t}/c:1:d/x-2-y.txt-l`, `${t}/c:1:d/x-2-y.txt:hit:3:z`,
    ]);
    const head = text(await call(grepTool, { pattern: 'hit', output_mode: 'content', path: t, '-C': 1, head_limit: 5 }, ctx));
    expect(head).toBe(
      `${r.split('\n').slice(0, 5).join('\n')}\n(showing 5 of 16 lines; narrow the search or use head_limit)`,
    );
  });

  it('count mode sorts by path and totals every file, also past head_limit', async () => {
    const t = tree();
    const r = await call(grepTool, { pattern: 'hit', output_mode: 'count', path: t, head_limit: 2 }, makeCtx(dir));
    expect(text(r)).toBe(`${t}/a/one.txt:2\n${t}/a.txt:1\n(showing 2 of 4 lines; narrow the search or use head_limit)`);
    expect(r.forDisplay).toBe('5 matches in 4 files');
  });

  it('the output limit keeps whole lines, newest files first, and says so', async () => {
    const long = 'n'.repeat(200);
    for (let i = 0; i < 200; i++) put(`wide/${long}-${String(i).padStart(3, '0')}.txt`, 'needle\n', 1000 - i);
    const ctx = makeCtx(dir);
    const r = text(await call(grepTool, { pattern: 'needle', path: path.join(dir, 'wide') }, ctx));
    const shown = r.split('\n').filter((l) => l.startsWith('/'));
    expect(shown.join('\n').length).toBeLessThanOrEqual(GREP_MAX_OUTPUT_CHARS);
    expect(shown.length).toBeGreaterThan(100);
    expect(shown[0]).toBe(path.join(dir, `wide/${long}-199.txt`));
    expect(shown[1]).toBe(path.join(dir, `wide/${long}-198.txt`));
    expect(r).toContain(`(showing ${shown.length} of 200 lines (output limit); narrow the search or use head_limit)`);
    const limited = text(await call(grepTool, { pattern: 'needle', path: path.join(dir, 'wide'), head_limit: 3 }, ctx));
    expect(limited.split('\n').slice(0, 3)).toEqual(shown.slice(0, 3));
    expect(limited).toContain('(showing 3 of 200 lines; narrow the search or use head_limit)');
  });

  it('groupByFile finds per-file blocks and separators between files', () => {
    const out = ['b\x001:x', '--', 'a/c\x002-y', 'a/c\x003:z', '--', 'a/c\x009:w', '--', 'a.d\x001:v', ''].join('\n');
    const { blocks, fileSeparators } = groupByFile(out);
    expect(fileSeparators).toBe(true);
    expect(blocks.map((b) => [b.path, b.lines, out.slice(b.start, b.end)])).toEqual([
      ['a/c', 4, 'a/c\x002-y\na/c\x003:z\n--\na/c\x009:w'],
      ['a.d', 1, 'a.d\x001:v'],
      ['b', 1, 'b\x001:x'],
    ]);
    expect(groupByFile('x\x001:a\ny\x002:b').fileSeparators).toBe(false);
  });
});

describe('search helpers', () => {
  it('comparePathsLikeRg orders directory by directory, names by code point', () => {
    const paths = ['a.txt', 'a/b', 'a-b', 'ab/c', 'a/a/z', '\u{1F600}', '\uFFFD', 'B'];
    expect([...paths].sort(comparePathsLikeRg)).toEqual(['B', 'a/a/z', 'a/b', 'a-b', 'a.txt', 'ab/c', '\uFFFD', '\u{1F600}']);
  });

  it('groupByFile sorts the same way with and without characters past U+FFFF', () => {
    const names = ['a.txt', 'a/b', 'a-b', 'ab/c', '\uFFFD', 'z'];
    const order = (extra: string[]) => groupByFile([...names, ...extra].map((n) => `${n}\x001:x\n`).join('')).blocks.map((b) => b.path);
    expect(order([])).toEqual(['a/b', 'a-b', 'a.txt', 'ab/c', 'z', '\uFFFD']);
    expect(order(['\u{1F600}'])).toEqual(['a/b', 'a-b', 'a.txt', 'ab/c', 'z', '\uFFFD', '\u{1F600}']);
  });

  it('NewestFirst picks the newest k (ties by path) as a full sort would', () => {
    const set = new NewestFirst();
    const files: string[] = [];
    const base = Date.now() / 1000;
    for (let i = 0; i < 60; i++) {
      const f = put(`nf/f${String(i).padStart(2, '0')}.txt`, 'x');
      utimesSync(f, base - ((i * 7) % 13), base - ((i * 7) % 13));
      files.push(f);
    }
    // Scrambled order in, missing files count as oldest.
    for (const f of [...files.slice(30), path.join(dir, 'nf/missing'), ...files.slice(0, 30)]) set.add(f);
    expect(set.size).toBe(61);
    const all = set.newest();
    expect(all).toHaveLength(61);
    expect(all.at(-1)).toBe(path.join(dir, 'nf/missing'));
    for (const k of [1, 5, 13, 60]) expect(set.newest(k)).toEqual(all.slice(0, k));
    // Same age: by path.
    const ages = files.map((_, i) => (i * 7) % 13);
    expect(all.slice(0, ages.filter((a) => a === 0).length)).toEqual(files.filter((_, i) => ages[i] === 0));
    expect(set.shortest).toBe(Math.min(...files.map((f) => f.length)));
  });

  it('runRipgrep streams whole lines to onLine and stops at maxBytes on a line boundary', async () => {
    for (let i = 0; i < 50; i++) put(`rg/f${i}.txt`, 'é'.repeat(3000) + '\n');
    const ctx = makeCtx(dir);
    const lines: string[] = [];
    const res = await runRipgrep(['--no-config', '--no-filename', 'é', '.'], { cwd: path.join(dir, 'rg'), signal: ctx.signal, onLine: (l) => lines.push(l) });
    expect(res.stdout).toBe('');
    expect(res.truncated).toBe(false);
    expect(lines).toHaveLength(50);
    expect(lines.every((l) => l === 'é'.repeat(3000))).toBe(true);
    const cut: string[] = [];
    const small = await runRipgrep(['--no-config', '--no-filename', 'é', '.'], { cwd: path.join(dir, 'rg'), signal: ctx.signal, maxBytes: 20_000, onLine: (l) => cut.push(l) });
    expect(small.truncated).toBe(true);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(4);
    expect(cut.every((l) => l === 'é'.repeat(3000))).toBe(true);
    const whole = await runRipgrep(['--no-config', '--no-filename', 'é', '.'], { cwd: path.join(dir, 'rg'), signal: ctx.signal, maxBytes: 20_000 });
    expect(whole.truncated).toBe(true);
    expect(whole.stdout.endsWith('\n')).toBe(true);
    expect(whole.stdout.split('\n').slice(0, -1).every((l) => l === 'é'.repeat(3000))).toBe(true);
  });
});

describe('LS', () => {
  it('lists a tree, directories first, without entering node_modules', async () => {
    const r = text(await call(lsTool, { path: dir }, makeCtx(dir)));
    expect(r.split('\n')).toEqual([
      `${dir}/`,
      '  .github/',
      '    workflows/',
      '      ci.yml',
      '  ignored/',
      '    skip.ts',
      '  node_modules/ (not listed)',
      '  src/',
      '    mid.js',
      '    new.ts',
      '    old.ts',
      '  .gitignore',
      '  debug.log',
    ]);
  });

  it('skips entries matching ignore globs', async () => {
    const r = text(await call(lsTool, { path: dir, ignore: ['*.log', '.*', 'src/*.ts', 'ignored'] }, makeCtx(dir)));
    expect(r.split('\n')).toEqual([`${dir}/`, '  node_modules/ (not listed)', '  src/', '    mid.js']);
  });

  it('explains a file path and a missing path', async () => {
    const ctx = makeCtx(dir);
    const file = await call(lsTool, { path: path.join(dir, 'debug.log') }, ctx);
    expect(file.isError).toBe(true);
    expect(text(file)).toContain('use Read');
    const missing = await call(lsTool, { path: path.join(dir, 'nope') }, ctx);
    expect(text(missing)).toContain('Directory does not exist');
  });
});
