import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBundle, loadBundleTree, ownsCacheLocation } from '../../src/cli/compile-cache.js';
import { IS_ROOT, whySkipped } from '../helpers/privileges.js';

let dir: string;
let bundle: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bcode-cc-'));
  bundle = path.join(dir, 'b.cjs');
  writeFileSync(bundle, 'exports.answer = () => 41 + 1; exports.dir = __dirname; exports.req = typeof require("node:path").join;');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ HOME: path.join(dir, 'home') });

/**
 * Whether V8 accepted a cache can only be seen in a fresh process: within one, V8's in-memory
 * compilation cache answers for a source it has compiled before and never looks at the cache
 * given. So "later runs" are child processes running the loader (bundled here from the source).
 */
let loaderDir: string;
beforeAll(() => {
  loaderDir = mkdtempSync(path.join(tmpdir(), 'bcode-cc-loader-'));
  buildSync({ entryPoints: [path.resolve(__dirname, '../../src/cli/compile-cache.ts')], outfile: path.join(loaderDir, 'cc.cjs'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
});
afterAll(() => rmSync(loaderDir, { recursive: true, force: true }));
/** Loads `bundle` (and the vendor files it requires) in a new process, saves, and says what became of each cache. */
function run(hash: string): string[] {
  const code = `const cc = require(${JSON.stringify(path.join(loaderDir, 'cc.cjs'))});
const t = cc.loadBundleTree(${JSON.stringify(bundle)}, ${JSON.stringify(hash)}, process.env, require('node:module').createRequire(${JSON.stringify(bundle)}));
t.saveAll();
process.stdout.write(JSON.stringify(t.caches().map((c) => c.cache)));`;
  const r = spawnSync(process.execPath, ['-e', code], { env: { ...env(), PATH: process.env.PATH }, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}
const cacheDir = () => path.join(dir, 'home', '.cache', 'bcode');
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
    expect(b.cache).toBe('miss');
    expect((b.exports.answer as () => number)()).toBe(42);
    expect(b.exports.dir).toBe(dir);
    expect(b.exports.req).toBe('function');
    expect(cacheFiles()).toEqual([]);
    b.save();
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^b\.cjs-h1-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8cache$/);
  });

  it('a second run uses the cache (V8 accepts it) and writes nothing; a new build replaces the old cache', () => {
    expect(run('h1')).toEqual(['miss']);
    const first = cacheFiles();
    expect(first).toHaveLength(1);
    const written = readFileSync(path.join(cacheDir(), first[0]));
    expect(run('h1')).toEqual(['hit']);
    expect(cacheFiles()).toEqual(first);
    expect(readFileSync(path.join(cacheDir(), first[0]))).toEqual(written);
    // In-process, too, the bundle runs from a cache and saving writes nothing.
    const again = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect(again.cache).toBe('hit');
    expect((again.exports.answer as () => number)()).toBe(42);
    again.save();
    expect(readFileSync(path.join(cacheDir(), first[0]))).toEqual(written);
    expect(run('h2')).toEqual(['miss']);
    expect(cacheFiles().filter((f) => f.includes('-h2-'))).toHaveLength(1);
    expect(run('h2')).toEqual(['hit']);
  });

  it('a damaged cache is rejected by V8, the bundle still runs, and the rewritten cache is used next time', () => {
    expect(run('h1')).toEqual(['miss']);
    const file = path.join(cacheDir(), cacheFiles()[0]);
    // A valid cache of another source, then plain junk.
    const other = path.join(dir, 'other.cjs');
    writeFileSync(other, 'exports.answer = () => 6 * 7;');
    const otherCache = loadBundle(other, 'h1', env(), createRequire(other));
    otherCache.save();
    writeFileSync(file, readFileSync(path.join(cacheDir(), cacheFiles().find((f) => f.startsWith('other.cjs-'))!)));
    expect(run('h1')).toEqual(['rejected']);
    expect(run('h1')).toEqual(['hit']);
    writeFileSync(file, Buffer.from('not a code cache at all'));
    expect(run('h1')).toEqual(['rejected']);
    expect(readFileSync(file).toString('latin1')).not.toBe('not a code cache at all');
    expect(run('h1')).toEqual(['hit']);
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect((b.exports.answer as () => number)()).toBe(42);
  });

  it('keeps the caches of other Node versions and of other bundles, and only the newest few of older builds', () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    const suffix = `${process.version}-${process.arch}.v8cache`;
    const old = (name: string, daysAgo: number) => {
      writeFileSync(path.join(cacheDir(), name), 'x');
      const t = new Date(Date.now() - daysAgo * 24 * 3600 * 1000);
      utimesSync(path.join(cacheDir(), name), t, t);
    };
    old('b.cjs-h0-1-1-v0.0.1-x64.v8cache', 2); // another Node, used lately
    old('b.cjs-h0-1-1-v0.0.2-x64.v8cache', 60); // another Node, not written for two months
    old(`b.cjs-hA-1-1-${process.version}-other.v8cache`, 2); // another architecture
    old(`c.cjs-h0-1-1-${suffix}`, 400); // another bundle
    old(`b.cjs-hOld-1-1-${suffix}`, 3);
    old(`b.cjs-hOlder-1-1-${suffix}`, 4);
    old(`b.cjs-hOldest-1-1-${suffix}`, 5);
    loadBundle(bundle, 'h1', env(), createRequire(bundle)).save();
    const files = cacheFiles();
    expect(files).toContain('b.cjs-h0-1-1-v0.0.1-x64.v8cache');
    expect(files).not.toContain('b.cjs-h0-1-1-v0.0.2-x64.v8cache');
    expect(files).toContain(`b.cjs-hA-1-1-${process.version}-other.v8cache`);
    expect(files).toContain(`c.cjs-h0-1-1-${suffix}`);
    expect(files.filter((f) => f.endsWith(suffix) && f.startsWith('b.cjs-')).sort()).toEqual(
      [`b.cjs-hOld-1-1-${suffix}`, `b.cjs-hOlder-1-1-${suffix}`, files.find((f) => f.startsWith('b.cjs-h1-'))].sort(),
    );
  });

  it('a failed write leaves no temporary file behind', () => {
    loadBundle(bundle, 'h1', env(), createRequire(bundle)).save();
    const name = cacheFiles()[0];
    rmSync(path.join(cacheDir(), name));
    // A non-empty directory where the cache goes: the rename over it fails.
    mkdirSync(path.join(cacheDir(), name, 'in-the-way'), { recursive: true });
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect(b.cache).toBe('miss');
    b.save();
    expect(cacheFiles()).toEqual([name]);
  });

  it('the cache location is ours when its nearest existing part belongs to us', () => {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    expect(ownsCacheLocation(path.join(home, '.cache', 'bcode'), process.getuid?.())).toBe(true);
    expect(ownsCacheLocation(path.join(home, '.cache', 'bcode'), (process.getuid?.() ?? 0) + 1)).toBe(false);
    expect(ownsCacheLocation(path.join(home, '.cache', 'bcode'), undefined)).toBe(true);
    // A sticky directory (like /tmp) of someone else's is fine for anyone but root.
    const sticky = path.join(dir, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const other = (process.getuid?.() ?? 0) + 1;
    expect(ownsCacheLocation(path.join(sticky, 'xdg', 'bcode'), other)).toBe(true);
    expect(ownsCacheLocation(path.join(sticky, 'xdg', 'bcode'), 0)).toBe(process.getuid?.() === 0);
  });

  if (!IS_ROOT) whySkipped("cli/compile-cache: as root, leaves the user's home alone", 'the tests do not run as root');
  it.runIf(IS_ROOT)('as root (sudo with HOME kept), leaves the user\'s home alone', () => {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    chownSync(home, 4321, 4321);
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    expect(b.cache).toBe('miss');
    b.save();
    expect(existsSync(path.join(home, '.cache'))).toBe(false);
    // …and the same for an existing ~/.cache of the user's.
    mkdirSync(path.join(home, '.cache'));
    chownSync(path.join(home, '.cache'), 4321, 4321);
    b.save();
    expect(existsSync(cacheDir())).toBe(false);
  });

  it('ignores a cache directory others can write to, and works without HOME', () => {
    const cacheDir = path.join(dir, 'home', '.cache', 'bcode');
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    const b = loadBundle(bundle, 'h1', env(), createRequire(bundle));
    b.save();
    expect(cacheFiles()).toEqual([]);
    const nohome = loadBundle(bundle, 'h1', {}, createRequire(bundle));
    expect(nohome.cache).toBe('off');
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
    expect(tree.caches()).toEqual([
      { file: bundle, cache: 'miss' },
      { file: path.join(dir, 'vendor', 'v.cjs'), cache: 'miss' },
    ]);
    tree.saveAll();
    expect(cacheFiles().sort().map((f) => f.split('-')[0])).toEqual(['b.cjs', 'v.cjs']);
    expect(run('h1')).toEqual(['hit', 'hit']);
  });
});
