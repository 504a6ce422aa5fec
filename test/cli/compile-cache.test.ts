import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBundle, loadBundleTree } from '../../src/cli/compile-cache.js';

let dir: string;
let bundle: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bcode-cc-'));
  bundle = path.join(dir, 'b.cjs');
  writeFileSync(bundle, 'exports.answer = () => 41 + 1; exports.dir = __dirname; exports.req = typeof require("node:path").join;');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ HOME: path.join(dir, 'home') });
const cacheFiles = () => {
  try {
    return readdirSync(path.join(dir, 'home', '.cache', 'bcode'));
  } catch {
    return [];
  }
};

describe('the compile cache for the print-mode bundle', () => {
  it('runs the bundle like require does, then saves V8 code under ~/.cache/bcode', () => {
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect((b.exports.answer as () => number)()).toBe(42);
    expect(b.exports.dir).toBe(dir);
    expect(b.exports.req).toBe('function');
    expect(cacheFiles()).toEqual([]);
    b.save();
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^b\.cjs-h1-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8cache$/);
  });

  it('a second run uses the cache and writes nothing; a new build replaces the old cache', () => {
    loadBundle(bundle, 'h1', env(), createRequire(bundle)).save();
    const first = cacheFiles();
    const again = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect((again.exports.answer as () => number)()).toBe(42);
    again.save();
    expect(cacheFiles()).toEqual(first);
    loadBundle(bundle, 'h2', env(), createRequire(bundle)).save();
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toContain('-h2-');
  });

  it('a damaged cache is rejected by V8 and the bundle still runs (and the cache is rewritten)', () => {
    loadBundle(bundle, 'h1', env(), createRequire(bundle)).save();
    const file = path.join(dir, 'home', '.cache', 'bcode', cacheFiles()[0]);
    writeFileSync(file, Buffer.from('not a code cache at all'));
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect((b.exports.answer as () => number)()).toBe(42);
    b.save();
    expect(cacheFiles()).toHaveLength(1);
  });

  it('ignores a cache directory others can write to, and works without HOME', () => {
    const cacheDir = path.join(dir, 'home', '.cache', 'bcode');
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    b.save();
    expect(cacheFiles()).toEqual([]);
    const nohome = loadBundle(bundle, 'h1', {}, createRequire(bundle));
    expect((nohome.exports.answer as () => number)()).toBe(42);
    nohome.save();
  });

  it('XDG_CACHE_HOME, when absolute, is where the cache goes', () => {
    const xdg = path.join(dir, 'xdg');
    loadBundle(bundle, 'h1', { HOME: path.join(dir, 'home'), XDG_CACHE_HOME: xdg }, createRequire(bundle)).save();
    expect(readdirSync(path.join(xdg, 'bcode'))).toHaveLength(1);
    expect(cacheFiles()).toEqual([]);
  });

  it('vendor files the bundle requires go through the cache too, each loaded once', () => {
    mkdirSync(path.join(dir, 'vendor'));
    writeFileSync(path.join(dir, 'vendor', 'v.cjs'), 'module.exports = { made: Date.now(), twice: (n) => n * 2 };');
    writeFileSync(bundle, 'const a = require("./vendor/v.cjs"); const b = require("./vendor/v.cjs"); exports.same = a === b; exports.four = a.twice(2); exports.fs = typeof require("node:fs").readFileSync;');
    const tree = loadBundleTree(bundle, 'h1', env(), createRequire(bundle));
    expect(tree.exports).toMatchObject({ same: true, four: 4, fs: 'function' });
    tree.saveAll();
    expect(cacheFiles().sort().map((f) => f.split('-')[0])).toEqual(['b.cjs', 'v.cjs']);
  });
});
