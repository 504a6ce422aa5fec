/**
 * Figures 4 and 5: the scripted 20-tool-call session (bench/fixtures). Wall time and peak RSS
 * per run; client overhead per turn from the emulator's view of the timeline; tokens and money
 * from the usage the emulator recorded for each model request.
 */
import type { Agent } from './agents.js';
import type { AgentContext } from './context.js';
import { inputCost, totalCost, type Usage } from './prices.js';
import { na, ratioOf, type Row } from './results.js';
import { loadScenario } from './context.js';
import { agentTools, mainRequests, modelRequests, PROJECT_DIR, runSession, SESSION_TOOL_CALLS, type SessionRun } from './session-run.js';
import { replayTools, type Replay } from './tool-replay.js';
import { rssMethod } from './spawn-timed.js';
import { median } from './stats.js';

/** The reference product's first-request system + tools, as quoted in the issue (its Node build). */
const QUOTED_REFERENCE_PREFIX_CHARS = 58_000;

interface Timing {
  wall: number;
  rss?: number;
  /** (first request start → last response end − emulator − tools) / (requests − 1) */
  loopOverheadPerTurn: number;
  /** (wall − emulator − tools) / requests, the issue's literal definition (includes start-up and exit). */
  wallOverheadPerTurn: number;
  toolsKnown: boolean;
  emulatorMs: number;
  toolMs: number;
  requests: number;
}

function timing(s: SessionRun, replayToolMs: number | undefined): Timing {
  const served = s.served;
  const emulatorMs = served.reduce((t, x) => t + (x.finishedAt - x.startedAt), 0);
  const toolMs = s.toolMs ?? replayToolMs ?? 0;
  const firstStart = Math.min(...served.map((x) => x.startedAt));
  const lastEnd = Math.max(...served.map((x) => x.finishedAt));
  const n = mainRequests(s.requests).length;
  return {
    wall: s.run.wallMs,
    rss: s.run.peakRssMb,
    loopOverheadPerTurn: (lastEnd - firstStart - emulatorMs - toolMs) / Math.max(1, n - 1),
    wallOverheadPerTurn: (s.run.wallMs - emulatorMs - toolMs) / Math.max(1, n),
    toolsKnown: s.toolMs !== undefined || replayToolMs !== undefined,
    emulatorMs,
    toolMs,
    requests: n,
  };
}

interface Tokens {
  firstPrefixChars: number;
  firstInputTokens: number;
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  cacheReadShareAfterFirst: number;
  inputCost: number;
  totalCost: number;
  requests: number;
  sideRequests: number;
  reportedCost?: number;
  /** B23: the sum of max_tokens sent (Bedrock reserves it from the tokens-per-minute quota). */
  reservedTokens: number;
  reservedPerRequest: number;
  /** How many requests carried each max_tokens value, as the emulator recorded them ("17 × 32000 + 2 × 1"). */
  reservedShape: string;
}

function textChars(system: unknown): number {
  if (typeof system === 'string') return system.length;
  if (Array.isArray(system)) return system.reduce((n: number, b: { text?: unknown }) => n + (typeof b?.text === 'string' ? b.text.length : 0), 0);
  return 0;
}

function tokens(s: SessionRun): Tokens | undefined {
  const all = modelRequests(s.requests).filter((r) => r.usage);
  const main = mainRequests(s.requests).filter((r) => r.usage);
  if (main.length === 0) return undefined;
  const first = main[0];
  const body = (first.body ?? {}) as { system?: unknown; tools?: unknown };
  const u0 = first.usage as Usage;
  const sum = (k: keyof Usage, rs = all) => rs.reduce((n, r) => n + (r.usage as Usage)[k], 0);
  const later = main.slice(1);
  const laterIn = sum('input_tokens', later) + sum('cache_creation_input_tokens', later) + sum('cache_read_input_tokens', later);
  return {
    firstPrefixChars: textChars(body.system) + (body.tools === undefined ? 0 : JSON.stringify(body.tools).length),
    firstInputTokens: u0.input_tokens + u0.cache_creation_input_tokens + u0.cache_read_input_tokens,
    input: sum('input_tokens'),
    cacheWrite: sum('cache_creation_input_tokens'),
    cacheRead: sum('cache_read_input_tokens'),
    output: sum('output_tokens'),
    cacheReadShareAfterFirst: laterIn ? sum('cache_read_input_tokens', later) / laterIn : NaN,
    inputCost: all.reduce((n, r) => n + inputCost(r.usage as Usage, r.modelId), 0),
    totalCost: all.reduce((n, r) => n + totalCost(r.usage as Usage, r.modelId), 0),
    requests: main.length,
    sideRequests: all.length - main.length,
    reportedCost: reportedCost(s.run.stdout),
    reservedTokens: reserved(all),
    reservedPerRequest: reserved(all) / Math.max(1, all.length),
    reservedShape: reservedShape(all),
  };
}

function reservedShape(requests: Array<{ body?: unknown }>): string {
  const counts = new Map<number, number>();
  for (const r of requests) {
    const m = (r.body as { max_tokens?: unknown })?.max_tokens;
    if (typeof m === 'number') counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([m, n]) => `${n} × ${m}`).join(' + ') || 'none';
}

function reserved(requests: Array<{ body?: unknown }>): number {
  return requests.reduce((n, r) => n + (typeof (r.body as { max_tokens?: unknown })?.max_tokens === 'number' ? (r.body as { max_tokens: number }).max_tokens : 0), 0);
}

/**
 * The reference product's max_tokens per request on Bedrock with its defaults, from its public
 * docs (32,000 for Sonnet 4.5 unless CLAUDE_CODE_MAX_OUTPUT_TOKENS is set): the baseline of 5j
 * only without --peer. With --peer, 5j and 5k compare what the emulator recorded from both.
 */
const DOCUMENTED_REFERENCE_MAX_TOKENS = 32_000;

function reportedCost(stdout: string): number | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const o = JSON.parse(line) as { type?: string; total_cost_usd?: unknown };
      if (o.type === 'result' && typeof o.total_cost_usd === 'number') return o.total_cost_usd;
    } catch {
      // Not a JSON line; keep looking.
    }
  }
  return undefined;
}

interface AgentResult {
  /** Tools the agent lacks, whose calls ran as Bash grep/find instead. */
  replaced?: string[];
  timings: Timing[];
  tokens?: Tokens;
  failure?: string;
}

export async function figureSession(ctx: AgentContext): Promise<Row[]> {
  const o = ctx.options;
  const agents = [ctx.bcode, ...(ctx.peer ? [ctx.peer] : [])];
  const res = new Map<Agent, AgentResult>(agents.map((a) => [a, { timings: [] }]));
  const scenario = loadScenario(ctx.root, 'session-scenario.json', { root: PROJECT_DIR }, 'zero');
  const replay: Replay = ctx.tools.ok ? await replayTools(ctx.root, PROJECT_DIR, ctx.tools.value, scenario, o.runs) : { ok: false, reason: ctx.tools.reason };
  const replayMs = replay.ok ? replay.medianMs : undefined;
  const toolsOf = new Map<Agent, string[]>();
  for (const agent of agents) {
    try {
      toolsOf.set(agent, await agentTools(ctx, agent));
    } catch (err) {
      res.get(agent)!.failure = err instanceof Error ? err.message : String(err);
    }
  }
  for (let i = 0; i < o.warmup + o.runs; i++) {
    for (const agent of agents) {
      const r = res.get(agent)!;
      if (r.failure) continue;
      const s = await runSession(ctx, agent, toolsOf.get(agent) ?? []);
      if (s.replaced.length) r.replaced = s.replaced;
      if (s.failure) {
        r.failure = s.failure;
        continue;
      }
      if (i < o.warmup) continue;
      r.timings.push(timing(s, replayMs));
      r.tokens ??= tokens(s);
    }
  }
  return [...timingRows(ctx, res, replay), ...tokenRows(ctx, res)];
}

function med(ts: Timing[], f: (t: Timing) => number | undefined): number | null {
  const xs = ts.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
  return xs.length ? median(xs) : null;
}

function timingRows(ctx: AgentContext, res: Map<Agent, AgentResult>, replay: Replay): Row[] {
  const b = res.get(ctx.bcode)!;
  const p = ctx.peer ? res.get(ctx.peer) : undefined;
  const peerOk = p !== undefined && !p.failure && p.timings.length > 0;
  const bOk = !b.failure && b.timings.length > 0;
  const vs = (f: (t: Timing) => number | undefined): Partial<Row> =>
    peerOk ? { baselineLabel: 'peer', baseline: med(p.timings, f), ratio: bOk ? ratioOf(med(b.timings, f), med(p.timings, f)) : null } : {};
  const peerNote = `${p?.failure ? `; peer failed: ${p.failure}` : ''}${p?.replaced ? `; the peer has no ${p.replaced.join('/')} tool, so those calls ran as Bash grep/find for it` : ''}`;
  if (!bOk) {
    const why = `bcode session failed: ${b.failure ?? 'no run'}${peerNote}`;
    return [
      { ...na('4a', 'session wall (20 tool calls)', 'ms', why), ...vs((t) => t.wall) },
      { ...na('4b', 'client overhead per turn', 'ms', why, '≤ 5 ms'), ...vs((t) => t.loopOverheadPerTurn) },
      { ...na('4d', 'session peak RSS', 'MB', why, '≤ 100 MB'), ...vs((t) => t.rss) },
    ];
  }
  const fromStream = b.timings.length > 0 && b.timings.every((t) => t.toolsKnown) && !replay.ok;
  const toolsKnown = b.timings.every((t) => t.toolsKnown);
  const t0 = b.timings[0];
  const loop = med(b.timings, (t) => t.loopOverheadPerTurn);
  const rss = med(b.timings, (t) => t.rss);
  const toolSource = replay.ok
    ? `tool time ${replay.medianMs.toFixed(0)} ms per session, from replaying the scenario's 20 tool calls through the built tools' run() in-process, subtracted alike for bcode and a peer`
    : fromStream
      ? "tool time from durations in bcode's stream-json"
      : `tool time unknown (${replay.ok ? '' : replay.reason})`;
  return [
    { figure: '4a', what: 'session wall (20 tool calls)', unit: 'ms', bcode: med(b.timings, (t) => t.wall), ...vs((t) => t.wall), note: `${t0.requests} main-model requests, ${SESSION_TOOL_CALLS} tool calls, work checked (tests pass, README edited); ${ctx.options.latency} latency; child run under GNU time for RSS${peerNote}` },
    {
      figure: '4b',
      what: 'client overhead per turn',
      unit: 'ms',
      bcode: loop,
      ...vs((t) => t.loopOverheadPerTurn),
      target: '≤ 5 ms',
      met: toolsKnown && loop != null ? loop <= 5 : null,
      note: `(last response end − first request start at the emulator − emulator time − tool time) / (requests − 1); emulator time from Node's http diagnostics channel (median ${med(b.timings, (t) => t.emulatorMs)?.toFixed(0)} ms per session); ${toolSource}${peerOk ? "; the peer's figure subtracts the same replayed tool time, an approximation since its tools are its own" : ''}`,
    },
    { figure: '4c', what: 'overhead per turn incl. start-up/exit', unit: 'ms', bcode: med(b.timings, (t) => t.wallOverheadPerTurn), ...vs((t) => t.wallOverheadPerTurn), note: '(wall − tool time − emulator time) / main-model requests: the literal definition, start-up and exit included' },
    { figure: '4d', what: 'session peak RSS', unit: 'MB', bcode: rss, ...vs((t) => t.rss), target: '≤ 100 MB', met: rss == null ? null : rss <= 100, note: `peak RSS by ${rssMethod()}` },
  ];
}

function tokenRows(ctx: AgentContext, res: Map<Agent, AgentResult>): Row[] {
  const b = res.get(ctx.bcode)!.tokens;
  const pr = ctx.peer ? res.get(ctx.peer) : undefined;
  const p = pr && !pr.failure ? pr.tokens : undefined;
  const bFail = res.get(ctx.bcode)!.failure;
  const why = b ? undefined : `n/a (${bFail ? `bcode session failed: ${bFail}` : 'no model request carried usage'})`;
  if (!b && !p) return [na('5', 'tokens and cost', '', why!.slice(5, -1))];
  const row = (figure: string, what: string, unit: string, f: (t: Tokens) => number, extra: Partial<Row> = {}): Row => ({
    figure,
    what,
    unit,
    bcode: b ? f(b) : null,
    ...(p ? { baselineLabel: 'peer', baseline: f(p), ratio: b ? ratioOf(f(b), f(p)) : null } : {}),
    ...extra,
    ...(why ? { met: null, note: why } : {}),
  });
  const prefixBase = p ? p.firstPrefixChars : QUOTED_REFERENCE_PREFIX_CHARS;
  const prefixRatio = ratioOf(b?.firstPrefixChars, prefixBase);
  const share = b ? b.cacheReadShareAfterFirst * 100 : NaN;
  const inRatio = p ? ratioOf(b?.inputCost, p.inputCost) : null;
  const totRatio = p ? ratioOf(b?.totalCost, p.totalCost) : null;
  const noPeer = 'needs --peer to judge';
  return [
    {
      figure: '5a', what: 'first request: system + tools', unit: 'chars', bcode: b ? b.firstPrefixChars : null,
      baselineLabel: p ? 'peer' : 'quoted ref', baseline: prefixBase, ratio: prefixRatio, target: '≤ 50% of reference', met: prefixRatio == null ? null : prefixRatio <= 0.5,
      note: why ?? `system text + JSON of the tools array of the first recorded request body${p ? '' : "; baseline is the issue's quoted ~58,000 chars of the reference's Node build"}`,
    },
    row('5b', 'first request input tokens', 'tok', (t) => t.firstInputTokens),
    row('5c', 'session uncached input tokens', 'tok', (t) => t.input),
    row('5d', 'session cache-write tokens', 'tok', (t) => t.cacheWrite),
    row('5e', 'session cache-read tokens', 'tok', (t) => t.cacheRead),
    row('5f', 'session output tokens', 'tok', (t) => t.output),
    row('5g', 'cache-read share, request 2 on', '%', (t) => t.cacheReadShareAfterFirst * 100, { ratio: undefined, target: '≥ 98%', met: Number.isFinite(share) ? share >= 98 : null }),
    row('5h', 'session input cost', '$', (t) => t.inputCost, { target: '≤ 50% of peer', met: inRatio == null ? null : inRatio <= 0.5, note: p ? undefined : noPeer }),
    {
      figure: '5j', what: 'quota reservation per request (max_tokens)', unit: 'tok', bcode: b ? b.reservedPerRequest : null,
      baselineLabel: p ? 'peer' : 'documented ref', baseline: p ? p.reservedPerRequest : DOCUMENTED_REFERENCE_MAX_TOKENS,
      ratio: ratioOf(b?.reservedPerRequest, p ? p.reservedPerRequest : DOCUMENTED_REFERENCE_MAX_TOKENS), target: '≤ 0.25× reference',
      met: b ? (ratioOf(b.reservedPerRequest, p ? p.reservedPerRequest : DOCUMENTED_REFERENCE_MAX_TOKENS) ?? Infinity) <= 0.25 : null,
      note:
        why ??
        `max_tokens of every model request the emulator recorded: bcode ${b?.reservedShape}${
          p
            ? `; peer ${p.reservedShape} (measured)`
            : `; baseline: the reference's documented default of ${DOCUMENTED_REFERENCE_MAX_TOKENS} per request for Sonnet 4.5 on Bedrock (not measured${pr?.failure ? `: the peer failed: ${pr.failure}` : '; use --peer'})`
        }`,
    },
    row('5k', 'quota reservation, whole session (Σ max_tokens)', 'tok', (t) => t.reservedTokens, {
      target: '≤ 0.25× peer',
      met: p && b ? (ratioOf(b.reservedTokens, p.reservedTokens) ?? Infinity) <= 0.25 : null,
      note: why ?? `sum of max_tokens over the scripted session: ${b?.requests} main + ${b?.sideRequests} small-model requests${p ? `; peer ${p.requests} + ${p.sideRequests}` : `; ${noPeer}`}`,
    }),
    row('5i', 'session total cost', '$', (t) => t.totalCost, {
      target: '≤ 60% of peer', met: totRatio == null ? null : totRatio <= 0.6,
      note: why ?? `Sonnet 4.5 rates ($3 in, $3.75 cache write, $0.30 cache read, $15 out per MTok; Haiku 4.5 for small-model calls, +10% on regional profiles); ${b?.requests} main + ${b?.sideRequests} small-model requests${p ? `; peer ${p.requests} + ${p.sideRequests}` : `; ${noPeer}`}${b?.reportedCost !== undefined ? `; bcode itself reported $${b.reportedCost.toFixed(4)}` : ''}`,
    }),
  ];
}
