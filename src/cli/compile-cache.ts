import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs a CommonJS bundle through V8's code cache (what `require` does, minus the cache-less
 * compile): the first run compiles as usual and saves V8's compiled code; later runs load it
 * instead of parsing and compiling the bundle again. Node 22 offers this as
 * `module.enableCompileCache()`; Node 20 does not, hence this small loader.
 *
 * The cache lives in `$XDG_CACHE_HOME/bcode` (default `~/.cache/bcode`), in a directory only
 * the user can write, under a name made of the bundle's content hash (computed by the build),
 * the file's size and modification time, Node's version and the CPU architecture: a rebuilt,
 * reinstalled or edited bundle never meets an old cache (V8 checks its own version, flags and
 * the source length on top). A missing, unreadable or rejected cache just means compiling as
 * usual. Nothing is saved where the cache directory (or, while it does not exist, its nearest
 * parent) belongs to another user: `sudo bcode` leaves no root-owned files in a user's home.
 */

/**
 * What became of the code cache: `hit` V8 used it; `rejected` V8 refused it (another V8, other
 * flags, a damaged file); `miss` there was none (or its directory is not trusted); `off` there is
 * no place for one (no HOME).
 */
export type CacheOutcome = 'hit' | 'rejected' | 'miss' | 'off';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** The bundle's file and what became of its code cache. */
  file: string;
  cache: CacheOutcome;
  /** Writes the code cache if there was none (or V8 rejected it). Best effort, never throws. */
  save(): void;
}

/** Caches of one bundle and one Node kept side by side (installs of different builds take turns). */
const KEEP_PER_NODE = 3;
/** Caches of one bundle for other Node versions or architectures go once unwritten this long. */
const OTHER_NODE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_CACHE_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : env.HOME?.trim() ? path.join(env.HOME.trim(), '.cache') : undefined;
  return base ? path.join(base, 'bcode') : undefined;
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Only a directory of our own that nobody else can write to is trusted with compiled code. */
function trusted(dir: string): boolean {
  try {
    const st = statSync(dir);
    const uid = currentUid();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * Whether `dir` (missing, or existing) may be created and written by `uid`: its nearest existing
 * ancestor must belong to `uid` (or, for anyone but root, be a sticky directory such as /tmp,
 * where a directory of one's own harms nobody). Under `sudo` with HOME kept, root would
 * otherwise leave a root-owned `~/.cache` in the user's home, which the user's own runs could
 * then not use.
 */
export function ownsCacheLocation(dir: string, uid: number | undefined): boolean {
  if (uid === undefined) return true;
  for (let at = dir; ; at = path.dirname(at)) {
    let st;
    try {
      st = statSync(at);
    } catch {
      if (path.dirname(at) === at) return false;
      continue;
    }
    return st.uid === uid || (uid !== 0 && (st.mode & 0o1000) !== 0);
  }
}

/**
 * Removes the caches `kept` makes useless: older builds of the same bundle for this same Node
 * (beyond the few newest, so that two installs used in turn do not evict each other), and ones
 * for other Node versions or architectures only once they have not been written for a month.
 */
function pruneCaches(dir: string, bundleName: string, kept: string): void {
  const prefix = `${bundleName}-`;
  const suffix = `-${process.version}-${process.arch}.v8cache`;
  const sameNode: { name: string; mtime: number }[] = [];
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.v8cache') || name === kept) continue;
    let mtime: number;
    try {
      mtime = statSync(path.join(dir, name)).mtimeMs;
    } catch {
      continue;
    }
    if (name.endsWith(suffix)) sameNode.push({ name, mtime });
    else if (now - mtime > OTHER_NODE_MAX_AGE_MS) rmSync(path.join(dir, name), { force: true });
  }
  sameNode.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of sameNode.slice(KEEP_PER_NODE - 1)) rmSync(path.join(dir, name), { force: true });
}

/** `requireFn` resolves like a `require` in the bundle's own directory. */
export function loadBundle(file: string, contentHash: string, env: NodeJS.ProcessEnv, requireFn: NodeJS.Require): LoadedBundle {
  const bytes = readFileSync(file);
  // The bundles are ASCII (esbuild escapes the rest); decoding them as latin1 skips UTF-8 decoding.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const dir = cacheDir(env);
  const st = statSync(file);
  const key = `${contentHash}-${st.size}-${Math.trunc(st.mtimeMs)}`;
  const cacheFile = dir ? path.join(dir, `${path.basename(file)}-${key}-${process.version}-${process.arch}.v8cache`) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile && trusted(dir!)) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  const mod = { exports: {} as Record<string, unknown> };
  wrapper.call(mod.exports, mod.exports, requireFn, mod, file, path.dirname(file));
  const cache: CacheOutcome = cacheFile === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  return {
    exports: mod.exports,
    file,
    cache,
    save() {
      if ((cache !== 'miss' && cache !== 'rejected') || !cacheFile || !dir) return;
      let tmp: string | undefined;
      try {
        if (!ownsCacheLocation(dir, currentUid())) return;
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!trusted(dir)) return;
        tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
        tmp = undefined;
        pruneCaches(dir, path.basename(file), path.basename(cacheFile));
      } catch {
        // No cache this time; the next run compiles again.
        if (tmp) {
          try {
            rmSync(tmp, { force: true });
          } catch {
            // nothing more to do
          }
        }
      }
    },
  };
}

/**
 * Runs `file` through the code cache, and every `./vendor/*.cjs` it requires (zod, the AWS
 * credential chain, the shell parser: big, and compiled on every run otherwise) the same way.
 * `saveAll()` writes the caches that were missing once the run is over.
 */
export function loadBundleTree(
  file: string,
  contentHash: string,
  env: NodeJS.ProcessEnv,
  base: NodeJS.Require,
): { exports: Record<string, unknown>; saveAll(): void; caches(): { file: string; cache: CacheOutcome }[] } {
  const loaded: LoadedBundle[] = [];
  const vendors = new Map<string, Record<string, unknown>>();
  const dir = path.dirname(file);
  const req = Object.assign((id: string): unknown => {
    if (!id.startsWith('./vendor/')) return base(id);
    const target = path.join(dir, id);
    let exports = vendors.get(target);
    if (!exports) {
      // Vendor bundles are self-contained: they only ever require Node's built-ins.
      const vendor = loadBundle(target, contentHash, env, base);
      loaded.push(vendor);
      exports = vendor.exports;
      vendors.set(target, exports);
    }
    return exports;
  }, { resolve: base.resolve, cache: base.cache, extensions: base.extensions, main: base.main }) as NodeJS.Require;
  const root = loadBundle(file, contentHash, env, req);
  loaded.unshift(root);
  return {
    exports: root.exports,
    saveAll() {
      for (const b of loaded) b.save();
    },
    caches: () => loaded.map((b) => ({ file: b.file, cache: b.cache })),
  };
}
