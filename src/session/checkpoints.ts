/**
 * Checkpoints (A14): before a tool changes files, what they held is kept, so `/rewind` can put
 * the code back as it was before any user turn.
 *
 * Layout, next to the session's transcript (`<id>.jsonl`):
 *
 *   <id>.checkpoints/objects/<sha256>   one file's content, named by its hash: stored once however
 *                                       many snapshots hold it; written atomically (temp + fsync +
 *                                       rename), so an object either exists whole or not at all
 *   <id>.checkpoints/index.jsonl        one line per event, appended after its object is durable:
 *                                       `before` (content just before a tool changed the file, or
 *                                       null: it did not exist), `after` (what the tool left) and
 *                                       `restore` (what a rewind put back). A torn last line (a
 *                                       kill mid-append) is skipped by the reader.
 *
 * Each `before` line is filed under the user turn (the transcript uuid of its prompt) it belongs
 * to; a file is snapshotted once per turn (its first change in the turn is what a rewind needs).
 * The store is bounded: past `maxBytes` of objects, the oldest turns' snapshots are dropped
 * (the index is rewritten atomically, unreferenced objects removed) and the user is told once.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../util/atomic-write.js';

export const DEFAULT_CHECKPOINT_MAX_BYTES = 512 * 1024 * 1024;

export interface CheckpointRecord {
  kind: 'before' | 'after' | 'restore' | 'pruned';
  /** The user turn (prompt uuid); on `pruned`: the last turn whose snapshots were dropped. */
  turn?: string;
  /** Absolute path. */
  path?: string;
  /** sha256 of the content, or null: the file did not exist. */
  sha?: string | null;
  size?: number;
  at: string;
}

export interface CheckpointStoreOptions {
  maxBytes?: number;
  /** One line for the user (the store was pruned; a file too big to keep). */
  notice?: (text: string) => void;
  now?: () => Date;
}

/** The checkpoint directory of a transcript file. */
export function checkpointDir(transcriptFile: string): string {
  return transcriptFile.replace(/\.jsonl$/, '') + '.checkpoints';
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What is at `file` now: its content and hash, null when there is no file, undefined for a non-file (a directory). */
export async function currentState(file: string): Promise<{ sha: string | null; data?: Buffer } | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return undefined;
    const data = await fs.readFile(file);
    return { sha: sha256(data), data };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { sha: null };
    return undefined;
  }
}

/**
 * currentState without the thread pool: a rewind checks every file it may restore, and for many
 * small files the round trips through the pool cost more than the reads (and queue behind any
 * fsync running there).
 */
export function currentStateSync(file: string): { sha: string | null } | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    return { sha: sha256(readFileSync(file)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { sha: null };
    return undefined;
  }
}

export class CheckpointStore {
  readonly objects: string;
  readonly index: string;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private taken = new Set<string>();
  private totalBytes: number | undefined;
  private warnedPrune = false;
  private tailChecked = false;

  constructor(
    readonly dir: string,
    private readonly options: CheckpointStoreOptions = {},
  ) {
    this.objects = path.join(dir, 'objects');
    this.index = path.join(dir, 'index.jsonl');
    this.maxBytes = options.maxBytes ?? DEFAULT_CHECKPOINT_MAX_BYTES;
    this.now = options.now ?? (() => new Date());
  }

  /** Every readable line of the index, oldest first. */
  records(): CheckpointRecord[] {
    if (!existsSync(this.index)) return [];
    const out: CheckpointRecord[] = [];
    for (const line of readFileSync(this.index, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const r = JSON.parse(line) as CheckpointRecord;
        if (r && typeof r.kind === 'string') out.push(r);
      } catch {
        // a torn last line (killed mid-append): the snapshot it described never counted
      }
    }
    return out;
  }

  /** The stored content of a snapshot. */
  async blob(sha: string): Promise<Buffer> {
    return fs.readFile(path.join(this.objects, sha));
  }

  /**
   * Keeps what `files` hold now under `turn`, unless this turn already has them. Runs before the
   * tool: its line is durable before the file changes.
   */
  async snapshot(turn: string, files: string[]): Promise<void> {
    const lines: CheckpointRecord[] = [];
    for (const file of files) {
      const key = `${turn}\0${file}`;
      if (this.taken.has(key)) continue;
      const state = await currentState(file);
      if (!state) continue;
      if (state.data && state.data.length > this.maxBytes / 2) {
        this.options.notice?.(`checkpoints: ${file} (${mb(state.data.length)}) is too large to snapshot; /rewind cannot restore it`);
        this.taken.add(key);
        continue;
      }
      if (state.sha && state.data) await this.storeObject(state.sha, state.data, turn);
      lines.push({ kind: 'before', turn, path: file, sha: state.sha, size: state.data?.length ?? 0, at: this.now().toISOString() });
      this.taken.add(key);
    }
    // Written once every object it names is durable.
    this.append(lines);
  }

  /** What a tool (or a rewind) left in `files`: the baseline that tells bcode's own changes from outside ones. */
  async recordState(kind: 'after' | 'restore', turn: string | undefined, files: string[]): Promise<void> {
    const states = await Promise.all(files.map(async (file) => ({ file, state: await currentState(file) })));
    const at = this.now().toISOString();
    this.append(states.filter((x) => x.state).map(({ file, state }) => ({ kind, ...(turn ? { turn } : {}), path: file, sha: state!.sha, at })));
  }

  /** Like recordState, for contents already known (a rewind just wrote them): nothing is read back. */
  recordKnown(kind: 'after' | 'restore', files: Array<{ path: string; sha: string | null }>, turn?: string): void {
    const at = this.now().toISOString();
    this.append(files.map((f) => ({ kind, ...(turn ? { turn } : {}), path: f.path, sha: f.sha, at })));
  }

  private async storeObject(sha: string, data: Buffer, currentTurn: string): Promise<void> {
    const file = path.join(this.objects, sha);
    if (existsSync(file)) return;
    mkdirSync(this.objects, { recursive: true, mode: 0o700 });
    this.totalBytes ??= this.measure();
    if (this.totalBytes + data.length > this.maxBytes) await this.prune(data.length, currentTurn);
    await atomicWriteFile(file, data, { mode: 0o600 });
    this.totalBytes += data.length;
  }

  private measure(): number {
    if (!existsSync(this.objects)) return 0;
    let total = 0;
    for (const name of readdirSync(this.objects)) {
      if (name.startsWith('.')) continue;
      try {
        total += statSync(path.join(this.objects, name)).size;
      } catch {
        /* removed meanwhile */
      }
    }
    return total;
  }

  /** Drops the oldest turns' snapshots until `incoming` more bytes fit (never the current turn's). */
  private async prune(incoming: number, currentTurn: string): Promise<void> {
    const records = this.records().filter((r) => r.kind !== 'pruned');
    const turnsInOrder: string[] = [];
    for (const r of records) if (r.kind === 'before' && r.turn && !turnsInOrder.includes(r.turn)) turnsInOrder.push(r.turn);
    let kept = records;
    let lastDropped: string | undefined;
    const sizes = new Map<string, number>();
    for (const name of existsSync(this.objects) ? readdirSync(this.objects) : []) {
      if (!name.startsWith('.')) sizes.set(name, statSync(path.join(this.objects, name)).size);
    }
    const used = (rs: CheckpointRecord[]) => {
      const shas = new Set(rs.filter((r) => r.kind === 'before' && r.sha).map((r) => r.sha as string));
      let n = 0;
      for (const s of shas) n += sizes.get(s) ?? 0;
      return { shas, bytes: n };
    };
    for (const turn of turnsInOrder) {
      if (used(kept).bytes + incoming <= this.maxBytes) break;
      if (turn === currentTurn) break;
      kept = kept.filter((r) => !(r.kind === 'before' && r.turn === turn));
      lastDropped = turn;
    }
    if (!lastDropped) return;
    const header: CheckpointRecord = { kind: 'pruned', turn: lastDropped, at: this.now().toISOString() };
    await atomicWriteFile(this.index, [header, ...kept].map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
    const { shas } = used(kept);
    for (const [name] of sizes) if (!shas.has(name)) rmSync(path.join(this.objects, name), { force: true });
    this.totalBytes = this.measure();
    if (!this.warnedPrune) {
      this.warnedPrune = true;
      this.options.notice?.(`checkpoints passed ${mb(this.maxBytes)}: the oldest turns' file snapshots were dropped, so /rewind can no longer restore code to before them`);
    }
  }

  private append(records: CheckpointRecord[]): void {
    if (records.length === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(this.index, 'a', 0o600);
    try {
      let prefix = '';
      if (!this.tailChecked) {
        this.tailChecked = true;
        // A run killed mid-append left a torn last line: end it, or this line would join it.
        const size = statSync(this.index).size;
        if (size > 0 && !readFileSync(this.index).subarray(size - 1).equals(Buffer.from('\n'))) prefix = '\n';
      }
      // One write: a kill leaves whole lines and at most one torn at the end (skipped when read).
      writeSync(fd, prefix + records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
