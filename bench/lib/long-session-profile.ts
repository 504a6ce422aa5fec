/**
 * Where a long session's input cost goes (figure 12f): what each main-model request's prompt is
 * made of, counted the way the emulator counts (one token per 4 characters of each block's JSON),
 * averaged over the session's requests, and when each compaction happened and to what size.
 *
 * Nearly every token of a long session is a cache read (× 0.1), so the cost follows the average
 * prompt size times the number of requests; this says which parts make that size.
 */
import { estimateTokens } from '../../src/emulator/accounting.js';
import type { RecordedRequest } from '../../src/emulator/types.js';

type Json = Record<string, unknown>;

export interface ContextProfile {
  requests: number;
  /** Mean prompt size per request (tokens). */
  avgContext: number;
  /** Mean tokens per request by part, largest first. */
  parts: Array<{ part: string; tokens: number }>;
  /** Each summary request: the prompt size it summarised, and the next request's size. */
  compactions: Array<{ request: number; before: number; after: number }>;
  /** Shares of the input cost units: cache reads, cache writes, uncached. */
  unitShares: { read: number; write: number; uncached: number };
}

function blockTokens(role: unknown, block: unknown): number {
  const plain = block && typeof block === 'object' ? { role, ...(block as Json) } : { role, value: block };
  delete (plain as Json).cache_control;
  return estimateTokens(JSON.stringify(plain));
}

/**
 * The parts of one prompt. `isSummary` tells a compaction summary from other user text (each
 * agent words its own heading; the script's summary text is the same for both).
 */
export function promptParts(body: Json, isSummary: (text: string) => boolean): Map<string, number> {
  const parts = new Map<string, number>();
  const add = (k: string, n: number) => parts.set(k, (parts.get(k) ?? 0) + n);
  for (const t of Array.isArray(body.tools) ? body.tools : []) add('tool definitions', blockTokens(undefined, t));
  if (typeof body.system === 'string') add('system prompt', blockTokens(undefined, { type: 'text', text: body.system }));
  else if (Array.isArray(body.system)) for (const b of body.system) add('system prompt', blockTokens(undefined, b));
  const toolNames = new Map<string, string>();
  for (const m of Array.isArray(body.messages) ? (body.messages as Json[]) : []) {
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? (m.content as Json[]) : [];
    for (const b of content) {
      const n = blockTokens(m.role, b);
      if (b.type === 'tool_use') {
        toolNames.set(String(b.id), String(b.name));
        add(`${String(b.name)} calls`, n);
      } else if (b.type === 'tool_result') add(`${toolNames.get(String(b.tool_use_id)) ?? 'other'} results`, n);
      else if (b.type === 'text' && m.role === 'user') {
        const text = String(b.text ?? '');
        add(isSummary(text) ? 'summary' : text.startsWith('<system-reminder>') ? 'reminders' : 'user prompts', n);
      } else if (b.type === 'text') add('assistant text', n);
      else add(`${String(m.role)} ${String(b.type)}`, n);
    }
  }
  return parts;
}

export function profileSession(main: RecordedRequest[], isSummaryRequest: (r: RecordedRequest) => boolean, isSummary: (text: string) => boolean): ContextProfile {
  const totals = new Map<string, number>();
  const sizes: number[] = [];
  let read = 0;
  let write = 0;
  let uncached = 0;
  for (const r of main) {
    let size = 0;
    for (const [k, n] of promptParts((r.body ?? {}) as Json, isSummary)) {
      totals.set(k, (totals.get(k) ?? 0) + n);
      size += n;
    }
    sizes.push(size);
    read += 0.1 * (r.usage?.cache_read_input_tokens ?? 0);
    write += 1.25 * (r.usage?.cache_creation_input_tokens ?? 0);
    uncached += r.usage?.input_tokens ?? 0;
  }
  const count = Math.max(1, main.length);
  const units = Math.max(1, read + write + uncached);
  const compactions = main.flatMap((r, i) => (isSummaryRequest(r) && i + 1 < main.length ? [{ request: i + 1, before: sizes[i], after: sizes[i + 1] }] : []));
  return {
    requests: main.length,
    avgContext: sizes.reduce((a, b) => a + b, 0) / count,
    parts: [...totals].map(([part, n]) => ({ part, tokens: n / count })).sort((a, b) => b.tokens - a.tokens),
    compactions,
    unitShares: { read: read / units, write: write / units, uncached: uncached / units },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;

/** One line for the results table's notes. */
export function describeProfile(p: ContextProfile): string {
  const parts = p.parts.filter((x) => x.tokens / p.avgContext >= 0.01).map((x) => `${x.part} ${k(x.tokens)}`);
  const compactions = p.compactions.length ? `compacted at request ${p.compactions.map((c) => `${c.request} (${k(c.before)} → ${k(c.after)})`).join(', ')}` : 'no compaction';
  return `avg prompt ${k(p.avgContext)} tokens over ${p.requests} requests = ${parts.join(' + ')}; ${compactions}; units from cache reads ${pct(p.unitShares.read)}, writes ${pct(p.unitShares.write)}, uncached ${pct(p.unitShares.uncached)}`;
}
