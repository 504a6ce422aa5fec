import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The local usage ledger (B25): one JSON line per model request — tokens, price, model, tier,
 * project, session, who — and never any prompt or answer text. Append-only; each line goes out in
 * one write() on a file opened with O_APPEND, so sessions running side by side never interleave
 * or overwrite each other's lines.
 */
export interface LedgerEntry {
  /** Format version. */
  v: 1;
  /** ISO time the answer ended. */
  ts: string;
  session: string;
  project: string;
  /** Model id as sent to Bedrock. */
  model: string;
  /** Price scope of that id: `global` profile or regional/geo (10% premium on newer models). */
  scope: 'global' | 'regional';
  /** The tier Bedrock reported (absent when it named none). */
  tier?: string;
  /** `interactive` turn or `background` work (titles, compaction, sub-agents). */
  kind?: 'interactive' | 'background';
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Dollars, split as `bcode usage` shows them; `priced: false` when the model has no known price. */
  cost: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
  priced: boolean;
  /** STS principal name, when known. */
  user?: string;
  account?: string;
}

/** `<config dir>/bcode/usage.jsonl`, beside the transcripts (`~/.claude`, or CLAUDE_CONFIG_DIR). */
export function ledgerPath(env: Record<string, string | undefined>): string {
  const base = env.CLAUDE_CONFIG_DIR && env.CLAUDE_CONFIG_DIR.length > 0 ? env.CLAUDE_CONFIG_DIR : path.join(env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir(), '.claude');
  return path.join(base, 'bcode', 'usage.jsonl');
}

export class LedgerWriter {
  private fd: number | undefined;
  private failed = false;

  constructor(readonly file: string) {}

  /** Appends one entry; a ledger that cannot be written is given up on quietly (it must never break a session). */
  append(entry: LedgerEntry): boolean {
    if (this.failed) return false;
    try {
      if (this.fd === undefined) {
        mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.file, 'a', 0o600);
      }
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
      return true;
    } catch {
      this.failed = true;
      return false;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Every well-formed entry of the ledger (a torn or foreign line is skipped and counted). */
export function readLedger(file: string): { entries: LedgerEntry[]; skipped: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw err;
  }
  const entries: LedgerEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if (e && e.v === 1 && typeof e.ts === 'string' && typeof e.model === 'string' && e.cost && typeof e.cost.total === 'number') entries.push(e);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}
