/**
 * Figure 12: a 200-turn session (long-session-script.ts) through one agent process in headless
 * stream-json mode (`--input-format stream-json`, one user message per turn, the next sent once
 * the previous turn's result line is out: how the Agent SDK drives both agents). The context
 * window the agents compact against is lowered to 100,000 tokens with each one's documented
 * setting, so compaction happens within the run.
 *
 * From the usage the emulator recorded for every main-model request: input cost units
 * (uncached × 1 + cache write × 1.25 + cache read × 0.1), the cache-read share of all input
 * tokens, and the summary requests' own share of those units.
 *
 * Figure 13: a code rewind of a 100-file checkpoint (src/session/rewind.ts), in process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordedRequest } from '../../src/emulator/types.js';
import { lastUserText } from '../../src/emulator/scenario.js';
import { CheckpointStore } from '../../src/session/checkpoints.js';
import { applyCodeRewind, planCodeRewind } from '../../src/session/rewind.js';
import { agentEnv, MAIN_MODEL, SMALL_MODEL, type Agent } from './agents.js';
import { firstLine, keepFailure, withLatency, type AgentContext } from './context.js';
import { longScript, missingEdits, SUMMARY_REQUEST_MARK, SUMMARY_TEXT_MARK, writeLongProject } from './long-session-script.js';
import { describeProfile, profileSession, type ContextProfile } from './long-session-profile.js';
import type { BenchOptions } from './options.js';
import type { Usage } from './prices.js';
import { na, ratioOf, type Row } from './results.js';
import { median, nowMs } from './stats.js';

export const LONG_PROJECT_DIR = path.join(tmpdir(), 'bcode-bench-long-session');

/**
 * The window both agents compact against: the reference's documented minimum for it; the smoke
 * run's few turns get a window small enough for one compaction (bcode only: no peer there).
 */
export function compactWindow(o: BenchOptions): number {
  return o.smoke ? 12_000 : 100_000;
}

export function longSessionTurns(o: BenchOptions): number {
  return o.smoke ? 5 : o.small ? 60 : 200;
}

interface LongRun {
  requests: RecordedRequest[];
  wallMs: number;
  results: number;
  failure?: string;
  missingEdits: string[];
}

const MODEL_OPS = new Set(['InvokeModelWithResponseStream', 'InvokeModel', 'Converse']);

/** One process, one user message per turn; resolves once the process has exited. */
async function runLong(ctx: AgentContext, agent: Agent, turns: number): Promise<LongRun> {
  writeLongProject(LONG_PROJECT_DIR, turns);
  const script = longScript(LONG_PROJECT_DIR, turns, SMALL_MODEL);
  const handle = await ctx.startEmulator({ authMode: 'lenient', scenario: withLatency(script.scenario, ctx.options.latency), now: nowMs });
  const env = {
    ...agentEnv(handle.url, ctx.homeOf(agent)),
    // Each agent's own name for "compact against a window of this size".
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: String(compactWindow(ctx.options)),
    BCODE_AUTO_COMPACT_WINDOW: String(compactWindow(ctx.options)),
  };
  const args = [...agent.args, '-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(wc:*)'];
  const started = nowMs();
  const child = spawn(agent.command, args, { env, cwd: LONG_PROJECT_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  let results = 0;
  let wake: (() => void) | undefined;
  let exited = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        if ((JSON.parse(line) as { type?: unknown }).type === 'result') results++;
      } catch {
        // not one of the protocol's lines
      }
    }
    wake?.();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      wake?.();
      resolve(code);
    }),
  );
  child.stdin.on('error', () => undefined); // an agent that died early: reported below
  let failure: string | undefined;
  try {
    for (let k = 0; k < script.prompts.length && !failure; k++) {
      child.stdin.write(`${JSON.stringify({ type: 'user', message: { role: 'user', content: script.prompts[k] }, parent_tool_use_id: null, session_id: '' })}\n`);
      const deadline = Date.now() + 120_000;
      while (results <= k && !exited && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        });
      }
      if (results <= k) failure = exited ? `the agent exited after ${results} of ${script.prompts.length} turns` : `turn ${k + 1} got no result line within 120 s`;
    }
  } finally {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await closed;
    clearTimeout(timer);
    if (!failure && code !== 0) failure = `exit ${code}: ${firstLine(stderr)}`;
    await handle.close();
  }
  const wallMs = nowMs() - started;
  const requests = [...handle.requests];
  // For profiling beyond figure 12f: BCODE_BENCH_DUMP_DIR=<dir> keeps every recorded request of
  // the run (prompts and usage) as JSON, one file per agent.
  const dump = process.env.BCODE_BENCH_DUMP_DIR;
  if (dump) {
    mkdirSync(dump, { recursive: true });
    writeFileSync(path.join(dump, `long-session-${agent.label}-${turns}.json`), JSON.stringify(requests));
  }
  const bad = requests.find((r) => r.operation !== undefined && MODEL_OPS.has(r.operation) && r.status !== 200);
  if (!failure && bad) failure = `the emulator answered ${bad.status} to a model request (scenario mismatch?)`;
  const missing = missingEdits(LONG_PROJECT_DIR, script.edits);
  rmSync(LONG_PROJECT_DIR, { recursive: true, force: true });
  if (failure) failure += ` (output kept in ${keepFailure(agent.label, 'long-session', stdout, stderr)})`;
  return { requests, wallMs, results, failure, missingEdits: missing };
}

export interface LongStats {
  turns: number;
  requests: number;
  compactions: number;
  units: number;
  compactionUnits: number;
  cacheReadShare: number;
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  wallMs: number;
}

/** Input cost units of one request: uncached × 1 + cache write × 1.25 + cache read × 0.1. */
export function costUnits(u: Usage): number {
  return u.input_tokens + 1.25 * u.cache_creation_input_tokens + 0.1 * u.cache_read_input_tokens;
}

export function isSummaryRequest(r: RecordedRequest): boolean {
  return lastUserText((r.body ?? {}) as Record<string, unknown>).includes(SUMMARY_REQUEST_MARK);
}

function mainRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.operation !== undefined && MODEL_OPS.has(r.operation) && r.modelId === MAIN_MODEL && r.usage);
}

/** What the session's prompts were made of (figure 12f). */
export function longProfile(requests: RecordedRequest[]): ContextProfile {
  return profileSession(mainRequests(requests), isSummaryRequest, (text) => text.includes(SUMMARY_TEXT_MARK));
}

export function longStats(requests: RecordedRequest[], turns: number, wallMs: number): LongStats {
  const main = mainRequests(requests);
  const summaries = main.filter(isSummaryRequest);
  const sum = (rs: RecordedRequest[], f: (u: Usage) => number) => rs.reduce((n, r) => n + f(r.usage as Usage), 0);
  const input = sum(main, (u) => u.input_tokens);
  const cacheWrite = sum(main, (u) => u.cache_creation_input_tokens);
  const cacheRead = sum(main, (u) => u.cache_read_input_tokens);
  const units = sum(main, costUnits);
  return {
    turns,
    requests: main.length,
    compactions: summaries.length,
    units,
    compactionUnits: sum(summaries, costUnits),
    cacheReadShare: cacheRead / Math.max(1, input + cacheWrite + cacheRead),
    input,
    cacheWrite,
    cacheRead,
    output: sum(main, (u) => u.output_tokens),
    wallMs,
  };
}

/** Who writes what to the cache: the biggest writers, for the note when the share target is missed. */
function topWrites(requests: RecordedRequest[]): string {
  const main = requests.filter((r) => r.modelId === MAIN_MODEL && r.usage);
  const writes = main.map((r, i) => ({ i: i + 1, w: r.usage!.cache_creation_input_tokens, u: r.usage!.input_tokens, s: isSummaryRequest(r) }));
  return writes
    .sort((a, b) => b.w + b.u - (a.w + a.u))
    .slice(0, 3)
    .map((x) => `#${x.i}${x.s ? ' (summary)' : ''} ${x.w} written + ${x.u} uncached`)
    .join(', ');
}

export async function figureLongSession(ctx: AgentContext): Promise<Row[]> {
  const turns = longSessionTurns(ctx.options);
  const run = async (agent: Agent) => {
    const r = await runLong(ctx, agent, turns);
    return { run: r, stats: r.failure ? undefined : longStats(r.requests, turns, r.wallMs) };
  };
  const b = await run(ctx.bcode);
  const p = ctx.peer ? await run(ctx.peer) : undefined;
  const bs = b.stats;
  const ps = p?.stats;
  const failed = b.run.failure ? `bcode: ${b.run.failure}` : undefined;
  const peerNote = !ctx.peer ? 'no --peer given' : p?.run.failure ? `peer: ${p.run.failure}` : undefined;
  const what = `${turns}-turn session`;
  if (!bs) {
    return [na('12a', `${what}: input cost units`, 'u', failed ?? 'no requests recorded', '≤ 0.5× peer')];
  }
  const unitRatio = ratioOf(bs.units, ps?.units);
  const share = (s: LongStats) => s.compactionUnits / Math.max(1, s.units);
  const side = (x: number | undefined) => (x === undefined ? null : x);
  const peerLabel = ps ? 'peer' : undefined;
  const shape = (s: LongStats) => `${s.requests} main-model requests, ${s.compactions} summar${s.compactions === 1 ? 'y' : 'ies'}, ${Math.round(s.wallMs / 1000)} s`;
  return [
    {
      figure: '12a', what: `${what}: input cost units`, unit: 'u', bcode: bs.units, baselineLabel: peerLabel, baseline: side(ps?.units), ratio: unitRatio,
      target: '≤ 0.5× peer', met: unitRatio == null ? null : unitRatio <= 0.5,
      note: `uncached × 1 + cache write × 1.25 + cache read × 0.1, main-model requests incl. summaries; bcode: ${shape(bs)}${ps ? `; peer: ${shape(ps)}` : `; ${peerNote}`}; window ${compactWindow(ctx.options).toLocaleString('en-US')} tokens (BCODE_AUTO_COMPACT_WINDOW / CLAUDE_CODE_AUTO_COMPACT_WINDOW)`,
    },
    {
      figure: '12b', what: `${what}: cache-read share of input tokens`, unit: '%', bcode: bs.cacheReadShare * 100, baselineLabel: peerLabel, baseline: ps ? ps.cacheReadShare * 100 : null,
      target: '≥ 99%', met: bs.cacheReadShare >= 0.99,
      note: `bcode: ${bs.cacheRead.toLocaleString('en-US')} read, ${bs.cacheWrite.toLocaleString('en-US')} written, ${bs.input.toLocaleString('en-US')} uncached; largest new input: ${topWrites(b.run.requests)}`,
    },
    {
      figure: '12c', what: `${what}: compaction's own share of the cost units`, unit: '%', bcode: share(bs) * 100, baselineLabel: peerLabel, baseline: ps ? share(ps) * 100 : null,
      target: '≤ 10%', met: bs.compactions === 0 ? null : share(bs) <= 0.1,
      note: bs.compactions === 0 ? 'no compaction in this run' : 'the summary requests themselves (their input cost units); the rewrite of the shorter prompt after them is in 12a',
    },
    { figure: '12d', what: `${what}: compactions`, unit: '', bcode: bs.compactions, baselineLabel: peerLabel, baseline: side(ps?.compactions), note: b.run.missingEdits.length ? `bcode: ${b.run.missingEdits.length} scripted edits did not happen` : undefined },
    { figure: '12e', what: `${what}: wall time`, unit: 'ms', bcode: bs.wallMs, baselineLabel: peerLabel, baseline: side(ps?.wallMs), ratio: ratioOf(bs.wallMs, ps?.wallMs) },
    profileRow(what, b.run.requests, p && !p.run.failure ? p.run.requests : undefined, peerLabel),
  ];
}

/**
 * The least 12a can be while 12b holds: with reads ≥ 99% of the input tokens, reads ≥ 99 × the
 * tokens written, so units ≥ (99 × 0.1 + 1.25) × written. What is written is mostly the session's
 * new content (each new block once), which the script fixes more than the agent does.
 */
function floorNote(bcodeRequests: RecordedRequest[], peerRequests: RecordedRequest[] | undefined): string {
  const own = longStats(bcodeRequests, 0, 0);
  const written = own.cacheWrite + own.input;
  const floor = (99 * 0.1 + 1.25) * written;
  const peerUnits = peerRequests ? longStats(peerRequests, 0, 0).units : undefined;
  return `with 12b's share ≥ 99%, bcode's ${written.toLocaleString('en-US')} tokens written allow no fewer than ${Math.round(floor).toLocaleString('en-US')} units${peerUnits ? ` (${(floor / peerUnits).toFixed(2)}× peer)` : ''}`;
}

/** Figure 12f: the average prompt per request and what it is made of (the cost follows it). */
function profileRow(what: string, bcodeRequests: RecordedRequest[], peerRequests: RecordedRequest[] | undefined, peerLabel: string | undefined): Row {
  const bp = longProfile(bcodeRequests);
  const pp = peerRequests ? longProfile(peerRequests) : undefined;
  return {
    figure: '12f', what: `${what}: average prompt per request`, unit: 'tokens', bcode: bp.avgContext, baselineLabel: peerLabel, baseline: pp ? pp.avgContext : null, ratio: ratioOf(bp.avgContext, pp?.avgContext),
    note: `bcode: ${describeProfile(bp)}${pp ? `; peer: ${describeProfile(pp)}` : ''}; ${floorNote(bcodeRequests, pp ? peerRequests : undefined)}`,
  };
}

/** A 100-file checkpoint rewound `runs` times (after the warm-ups); the median is reported. */
export async function figureRewind(o: BenchOptions): Promise<Row[]> {
  const files = 100;
  const samples: number[] = [];
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const dir = path.join(tmpdir(), `bcode-bench-rewind-${process.pid}-${i}`);
    try {
      const store = new CheckpointStore(path.join(dir, 'checkpoints'));
      const paths = Array.from({ length: files }, (_, n) => path.join(dir, 'work', `d${n % 10}`, `f${n}.ts`));
      for (const [n, f] of paths.entries()) {
        mkdirSync(path.dirname(f), { recursive: true });
        writeFileSync(f, `export const before${n} = ${n};\n`.repeat(40 + (n % 60)));
      }
      await store.snapshot('t1', paths);
      for (const f of paths) writeFileSync(f, 'export const after = 1;\n');
      await store.recordState('after', 't1', paths);
      // Let the set-up's writes settle so the rewind is not timed against them.
      await new Promise((r) => setTimeout(r, 200));
      const t0 = nowMs();
      const plan = await planCodeRewind(store, ['t1'], 't1');
      await applyCodeRewind(store, plan);
      const ms = nowMs() - t0;
      if (plan.length !== files || !readFileSync(paths[17], 'utf8').startsWith('export const before17')) return [na('13', 'rewind of a 100-file checkpoint', 'ms', `the rewind restored ${plan.length} of ${files} files`, '≤ 200 ms')];
      if (i >= o.warmup) samples.push(ms);
      // The background fsyncs of this rewind finish before the next one starts.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const m = median(samples);
  return [{ figure: '13', what: 'rewind of a 100-file checkpoint', unit: 'ms', bcode: m, target: '≤ 200 ms', met: m <= 200, samples: { bcode: samples }, note: `finding what to restore and writing it back (files of 1–4 KB in 10 folders), median of ${samples.length}: ${samples.map((x) => x.toFixed(0)).join(', ')} ms` }];
}
