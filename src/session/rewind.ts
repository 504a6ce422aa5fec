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
import { currentState, type CheckpointRecord, type CheckpointStore } from './checkpoints.js';

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
    const now = await currentState(file);
    if (!now) continue; // a directory stands there now: nothing a file snapshot can restore
    if (now.sha === target) continue;
    const known = last.get(file)?.sha ?? null;
    plan.push({ path: file, target, current: now.sha, outside: now.sha !== known });
  }
  return plan.sort((a, b) => a.path.localeCompare(b.path));
}

/** Writes the planned contents back (all at once: each write is atomic on its own). */
export async function applyCodeRewind(store: CheckpointStore, plan: FileRestore[]): Promise<void> {
  await Promise.all(
    plan.map(async (f) => {
      if (f.target === null) {
        await rm(f.path, { force: true });
        return;
      }
      const data = await store.blob(f.target).catch(() => {
        throw new RewindError(`the snapshot of ${f.path} is missing from ${store.objects}`, { hint: 'the checkpoint store was changed outside bcode; restore the file from version control' });
      });
      await mkdir(path.dirname(f.path), { recursive: true });
      await replaceFile(f.path, data);
    }),
  );
  await store.recordState(
    'restore',
    undefined,
    plan.map((f) => f.path),
  );
}

/**
 * Puts `data` in place the way atomicWriteFile does (a temp file beside the target, renamed over
 * it: a kill leaves the old content or the new, never a mix; the file's mode kept; a symlink
 * followed) but without waiting for the disk: the person is waiting for the rewind, and one
 * fsync per file costs more than everything else together on a real disk. The files are
 * fsync'd in the background right after.
 */
async function replaceFile(file: string, data: Buffer): Promise<void> {
  const target = await realpath(file).catch(() => file);
  const mode = await stat(target).then(
    (st) => st.mode & 0o7777,
    () => undefined,
  );
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: mode ?? 0o666 });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  void open(target, 'r')
    .then(async (h) => {
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    })
    .catch(() => undefined);
}
