import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { globTool } from '../../src/tools/glob.js';
import { grepArgs, grepTool } from '../../src/tools/grep.js';
import { lsTool } from '../../src/tools/ls.js';
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
