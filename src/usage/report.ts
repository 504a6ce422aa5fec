import { UsageError } from '../errors.js';
import type { LedgerEntry } from './ledger.js';

/** `bcode usage` (B25): the ledger summed per day, model, project or session. */
export type GroupBy = 'day' | 'model' | 'project' | 'session';
export const GROUPS: GroupBy[] = ['day', 'model', 'project', 'session'];

export interface UsageRow {
  key: string;
  requests: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
  /** Dollars spent through regional/geo profiles and through global ones. */
  regionalCost: number;
  globalCost: number;
  /** Share of all input tokens (plain + cache reads + cache writes) that was read from cache. */
  cacheShare: number;
  /** Service tiers Bedrock reported, with their request counts. */
  tiers: Record<string, number>;
  unpricedRequests: number;
}

/** `--since 2026-05-01`, `--since 7d` (days back from now), `--since 12h`. */
export function parseSince(value: string, now: number): number {
  const rel = /^(\d+)\s*([dhw])$/.exec(value.trim());
  if (rel) return now - Number(rel[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2] as 'h' | 'd' | 'w'];
  const t = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (!Number.isFinite(t)) throw new UsageError(`--since must be a date (2026-05-01) or a span back from now (7d, 12h, 2w), got '${value.slice(0, 40)}'`, { hint: 'e.g. bcode usage --since 7d' });
  return t;
}

function keyOf(e: LedgerEntry, by: GroupBy): string {
  switch (by) {
    case 'day':
      return e.ts.slice(0, 10);
    case 'model':
      return e.model;
    case 'project':
      return e.project;
    case 'session':
      return e.session;
  }
}

export function summarize(entries: LedgerEntry[], by: GroupBy, since?: number): { rows: UsageRow[]; total: UsageRow } {
  const rows = new Map<string, UsageRow>();
  const empty = (key: string): UsageRow => ({ key, requests: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 }, regionalCost: 0, globalCost: 0, cacheShare: 0, tiers: {}, unpricedRequests: 0 });
  const total = empty('total');
  for (const e of entries) {
    if (since !== undefined && Date.parse(e.ts) < since) continue;
    const key = keyOf(e, by);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = empty(key)));
    for (const r of [row, total]) {
      r.requests++;
      r.input += e.input;
      r.output += e.output;
      r.cacheRead += e.cacheRead;
      r.cacheWrite += e.cacheWrite;
      r.cost.input += e.cost.input;
      r.cost.output += e.cost.output;
      r.cost.cacheRead += e.cost.cacheRead;
      r.cost.cacheWrite += e.cost.cacheWrite;
      r.cost.total += e.cost.total;
      if (e.scope === 'global') r.globalCost += e.cost.total;
      else r.regionalCost += e.cost.total;
      if (e.tier) r.tiers[e.tier] = (r.tiers[e.tier] ?? 0) + 1;
      if (!e.priced) r.unpricedRequests++;
    }
  }
  const finish = (r: UsageRow) => {
    const allInput = r.input + r.cacheRead + r.cacheWrite;
    r.cacheShare = allInput === 0 ? 0 : r.cacheRead / allInput;
  };
  const list = [...rows.values()].sort((a, b) => (by === 'day' ? a.key.localeCompare(b.key) : b.cost.total - a.cost.total));
  list.forEach(finish);
  finish(total);
  return { rows: list, total };
}

const n = (v: number) => v.toLocaleString('en-US');
const usd = (v: number) => `$${v < 0.01 && v > 0 ? v.toFixed(4) : v.toFixed(2)}`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The table `bcode usage` prints: tokens and dollars for input, output, cache reads and cache writes, each on its own. */
export function renderTable(summary: { rows: UsageRow[]; total: UsageRow }, by: GroupBy): string {
  const head = [by, 'requests', 'input', 'output', 'cache read', 'cache write', 'input $', 'output $', 'cache read $', 'cache write $', 'total $', 'from cache', 'global $', 'regional $', 'tier'];
  const line = (r: UsageRow) => [
    r.key,
    n(r.requests),
    n(r.input),
    n(r.output),
    n(r.cacheRead),
    n(r.cacheWrite),
    usd(r.cost.input),
    usd(r.cost.output),
    usd(r.cost.cacheRead),
    usd(r.cost.cacheWrite),
    usd(r.cost.total),
    pct(r.cacheShare),
    usd(r.globalCost),
    usd(r.regionalCost),
    Object.entries(r.tiers).map(([t, c]) => `${t}×${c}`).join(' ') || '-',
  ];
  const table = [head, ...summary.rows.map(line), line(summary.total)];
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const out = [fmt(head), ...summary.rows.map((r) => fmt(line(r))), widths.map((w) => '-'.repeat(w)).join('  '), fmt(line(summary.total))];
  return `${out.join('\n')}\n`;
}
