/** One line of the results table. A value is either measured or `n/a` with the reason. */
export interface Row {
  figure: string;
  what: string;
  unit: string;
  bcode: number | null;
  /** What bcode is compared with (a baseline command or the peer), and its value. */
  baselineLabel?: string;
  baseline?: number | null;
  /** bcode / baseline, when both exist. */
  ratio?: number | null;
  target?: string;
  /** Whether the target is met; null when it cannot be judged (n/a, or no target). */
  met?: boolean | null;
  /** Why a value is missing, or how it was obtained. */
  note?: string;
  /** Every measured sample (medians are reported). */
  samples?: { bcode?: number[]; baseline?: number[] };
}

export function na(figure: string, what: string, unit: string, reason: string, target?: string): Row {
  return { figure, what, unit, bcode: null, target, met: null, note: `n/a (${reason})` };
}

export function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

function fmt(x: number | null | undefined, unit = ''): string {
  if (x == null || !Number.isFinite(x)) return 'n/a';
  const abs = Math.abs(x);
  const s = unit === '$' ? `$${x.toFixed(4)}` : Number.isInteger(x) || abs >= 1000 ? Math.round(x).toLocaleString('en-US') : abs >= 100 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit && unit !== '$' ? `${s} ${unit}` : s;
}

export function renderTable(rows: Row[]): string {
  const header = ['fig', 'what', 'bcode', 'baseline / peer', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.figure,
    r.what,
    r.bcode == null ? 'n/a' : fmt(r.bcode, r.unit),
    r.baselineLabel ? `${r.baseline == null ? 'n/a' : fmt(r.baseline, r.unit)} (${r.baselineLabel})` : '',
    r.ratio == null ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met == null ? (r.target ? 'n/a' : '') : r.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ').trimEnd();
  const out = [row(header), widths.map((w) => '─'.repeat(w)).join('─┼─')];
  for (const l of lines) out.push(row(l));
  // Figures that share a reason (one failure behind many rows) share one note.
  const byNote = new Map<string, string[]>();
  for (const r of rows) if (r.note) byNote.set(r.note, [...(byNote.get(r.note) ?? []), r.figure]);
  const notes = [...byNote].map(([note, figs]) => `  [${figs.join(', ')}] ${note}`);
  if (notes.length) out.push('', 'notes:', ...notes);
  return out.join('\n');
}
