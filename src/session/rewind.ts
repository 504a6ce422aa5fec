/**
 * Rewind (A14): puts the code back as it was just before a user turn, from the checkpoints
 * (checkpoints.ts). The conversation half lives in the session engine (create.ts): it replaces the
 * conversation with the one kept for that turn and writes a rewind marker to the transcript.
 *
 * Which content a file gets: the first snapshot of it taken in that turn or any later one (the
 * index and the transcript are both in time order, so that is what the file held when the turn
 * began). A file bcode created in those turns is removed.
 *
 * A file whose content is not what bcode last left in it (an edit in the editor, a `git checkout`)
 * is not overwritten unless the front end says yes.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BcodeError } from '../errors.js';
import { currentStateSync, type CheckpointRecord, type CheckpointStore } from './checkpoints.js';

export type RewindWhat = 'code' | 'conversation' | 'both';

export class RewindError extends BcodeError {}

export interface FileRestore {
  path: string;
  /** The content to put back (sha256), or null: remove the file (it did not exist). */
  target: string | null;
  /** What the file holds now (null: missing). */
  current: string | null;
  /** Changed since bcode last wrote or snapshotted it. */
  outside: boolean;
}

/**
 * The files to restore for a rewind to `turn`. `turnOrder` is every prompt uuid of the transcript
 * in file order (abandoned branches included: their edits are on disk too).
 */
export async function planCodeRewind(store: CheckpointStore, turnOrder: string[], turn: string): Promise<FileRestore[]> {
  const position = new Map(turnOrder.map((t, i) => [t, i]));
  const from = position.get(turn);
  if (from === undefined) throw new RewindError('that turn is not in this session', { hint: '/rewind lists the turns you can go back to' });
  const records = store.records();
  const pruned = records.find((r) => r.kind === 'pruned' && r.turn !== undefined && (position.get(r.turn) ?? -1) >= from);
  if (pruned) {
    throw new RewindError('the file snapshots of that turn were dropped to keep checkpoints within their size limit', { hint: 'rewind the conversation only, or to a later turn' });
  }
  const targets = new Map<string, string | null>();
  const last = new Map<string, CheckpointRecord>();
  for (const r of records) {
    if (!r.path || r.kind === 'pruned') continue;
    last.set(r.path, r);
    if (r.kind !== 'before' || !r.turn || targets.has(r.path)) continue;
    const p = position.get(r.turn);
    if (p !== undefined && p >= from) targets.set(r.path, r.sha ?? null);
  }
  const plan: FileRestore[] = [];
  for (const [file, target] of targets) {
    const now = currentStateSync(file);
    if (!now) continue; // a directory stands there now: nothing a file snapshot can restore
    if (now.sha === target) continue;
    const known = last.get(file)?.sha ?? null;
    plan.push({ path: file, target, current: now.sha, outside: now.sha !== known });
  }
  return plan.sort((a, b) => a.path.localeCompare(b.path));
}

/** Files written at once: enough to keep the thread pool busy, few enough not to queue hundreds of open files. */
const POOL = 16;

/**
 * Writes the planned contents back. Each file is replaced atomically on its own (a kill leaves it
 * old or new, never torn); the files go through a small pool of parallel writes. The one wait for
 * the disk on the way is the `restore` line of the index (fsync'd like every index line); on a
 * journaling filesystem such as ext4 that commit usually carries the renames made before it too.
 * The per-file fsyncs follow in the background, after the rewind has returned.
 */
export async function applyCodeRewind(store: CheckpointStore, plan: FileRestore[]): Promise<void> {
  const dirs = new Map<string, Promise<unknown>>();
  const ensureDir = (dir: string) => {
    let made = dirs.get(dir);
    if (!made) dirs.set(dir, (made = mkdir(dir, { recursive: true })));
    return made;
  };
  const written: string[] = [];
  const done: FileRestore[] = [];
  try {
    await inPool(plan, POOL, async (f) => {
      if (f.target === null) {
        await rm(f.path, { force: true });
      } else {
        const data = await store.blob(f.target).catch(() => {
          throw new RewindError(`the snapshot of ${f.path} is missing from ${store.objects}`, { hint: 'the checkpoint store was changed outside bcode; restore the file from version control' });
        });
        await ensureDir(path.dirname(f.path));
        written.push(await replaceFile(f.path, data));
      }
      done.push(f);
    });
  } finally {
    // What was just written is known: no need to read the files back to hash them. Also after a
    // failure, so the files that were restored do not look changed outside bcode next time.
    store.recordKnown(
      'restore',
      done.map((f) => ({ path: f.path, sha: f.target })),
    );
    syncInBackground(written);
  }
}

/** Runs `work` on every item, at most `limit` at a time; the first failure is thrown once all have settled. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.err;
}

/**
 * Puts `data` in place the way atomicWriteFile does (a temp file beside the target, renamed over
 * it: a kill leaves the old content or the new, never a mix; the file's mode kept; a symlink
 * followed) but without waiting for the disk: the person is waiting for the rewind, and one
 * fsync per file costs more than everything else together on a real disk. Returns the path
 * written (the symlink's target).
 */
async function replaceFile(file: string, data: Buffer): Promise<string> {
  const target = await realpath(file).catch(() => file);
  const mode = await stat(target).then(
    (st) => st.mode & 0o7777,
    () => undefined,
  );
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: mode ?? 0o666 });
    // open() applies the umask; the file's exact bits are restored here.
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return target;
}

/**
 * fsyncs the written files and then their directories, one at a time: a slow fsync holds a
 * thread of the pool, and the session's own file work (the next tool call) needs the others.
 */
function syncInBackground(files: string[]): void {
  if (files.length === 0) return;
  const syncOne = async (p: string) => {
    const h = await open(p, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  };
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  // Errors are dropped on purpose: a file removed meanwhile, a filesystem that cannot fsync a directory.
  void inPool(files, 1, (f) => syncOne(f).catch(() => undefined))
    .then(() => inPool(dirs, 1, (d) => syncOne(d).catch(() => undefined)))
    .catch(() => undefined);
}
