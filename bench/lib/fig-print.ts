/**
 * Figures 2 and 3: `-p "say hi"` against a zero-latency emulator. Time to first request is
 * spawn (taken just before spawn()) → the emulator's receivedAt of the first request, both on
 * the Date.now() clock; wall time is spawn → exit. Peak RSS comes from separate runs under GNU
 * time so that wrapping the child never touches the timed runs.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentEnv, type Agent } from './agents.js';
import { firstLine, keepFailure, loadScenario, type AgentContext } from './context.js';
import { na, ratioOf, type Row } from './results.js';
import { rssMethod, runTimed, type TimedRun } from './spawn-timed.js';
import { median, nowMs } from './stats.js';

/** The reference product's `-p "say hi"` wall on this machine as quoted in the issue (native build). */
const QUOTED_REFERENCE_WALL_MS = 390;

interface AgentSamples {
  ttfr: number[];
  wall: number[];
  rss: number[];
  failure?: string;
}

function checkReply(run: TimedRun): string | undefined {
  if (run.code !== 0) return `exit ${run.code ?? run.signal}: ${firstLine(run.stderr || run.stdout)}`;
  try {
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { result?: unknown; is_error?: unknown };
    if (parsed.is_error === true || typeof parsed.result !== 'string' || !parsed.result.includes('hi')) return `unexpected json result: ${firstLine(run.stdout)}`;
  } catch {
    return `--output-format json printed no JSON: ${firstLine(run.stdout)}`;
  }
  return undefined;
}

export async function figurePrint(ctx: AgentContext): Promise<Row[]> {
  const o = ctx.options;
  const handle = await ctx.startEmulator({ authMode: 'lenient', now: nowMs });
  const cwd = path.join(tmpdir(), `bcode-bench-hi-${process.pid}`);
  try {
    mkdirSync(cwd, { recursive: true });
    const scenario = loadScenario(ctx.root, 'say-hi-scenario.json', {}, o.latency);
    const agents = [ctx.bcode, ...(ctx.peer ? [ctx.peer] : [])];
    const s = new Map<Agent, AgentSamples>(agents.map((a) => [a, { ttfr: [], wall: [], rss: [] }]));
    const nodeSamples: number[] = [];
    const baseEnv = agentEnv(handle.url, path.join(tmpdir(), `bcode-bench-home-${process.pid}`, 'node'));
    const runAgent = async (agent: Agent, rss: boolean) => {
      handle.setScenario(scenario);
      const mark = handle.requests.length;
      const env = agentEnv(handle.url, ctx.homeOf(agent));
      const run = await runTimed(agent.command, [...agent.args, '-p', 'say hi', '--output-format', 'json'], { env, cwd, rss, timeoutMs: 60_000 });
      const first = handle.requests[mark];
      const failure = checkReply(run);
      return { run, failure: failure && `${failure} (output kept in ${keepFailure(agent.label, 'say-hi', run.stdout, run.stderr)})`, ttfr: first ? first.receivedAt - run.startedAt : undefined };
    };
    for (let i = 0; i < o.warmup + o.runs; i++) {
      const measured = i >= o.warmup;
      const n = await runTimed(process.execPath, ['-e', '0'], { env: baseEnv });
      if (measured) nodeSamples.push(n.wallMs);
      for (const agent of agents) {
        const a = s.get(agent)!;
        if (a.failure) continue;
        const r = await runAgent(agent, false);
        if (r.failure) a.failure = r.failure;
        else if (measured && r.ttfr !== undefined) {
          a.ttfr.push(r.ttfr);
          a.wall.push(r.run.wallMs);
        }
      }
    }
    for (const agent of agents) {
      const a = s.get(agent)!;
      for (let i = 0; i < o.runs && !a.failure; i++) {
        const r = await runAgent(agent, true);
        if (r.failure) a.failure = r.failure;
        else if (r.run.peakRssMb !== undefined) a.rss.push(r.run.peakRssMb);
      }
    }
    return rows(s, ctx, median(nodeSamples), nodeSamples);
  } finally {
    await handle.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

function rows(s: Map<Agent, AgentSamples>, ctx: AgentContext, nodeMs: number, nodeSamples: number[]): Row[] {
  const b = s.get(ctx.bcode)!;
  const p = ctx.peer ? s.get(ctx.peer) : undefined;
  const out: Row[] = [];
  const latencyNote = ctx.options.latency === 'realistic' ? 'realistic latency profile' : 'zero-latency emulator';
  if (b.failure) {
    const why = `bcode -p failed, ${b.failure}`;
    out.push(na('2', 'time to first request', 'ms', why, '≤ 1.6× node -e 0'));
    out.push(na('3a', '-p "say hi" wall', 'ms', why, '≤ 0.4× reference'));
    out.push(na('3b', '-p "say hi" peak RSS', 'MB', why, '≤ 100 MB'));
  } else {
    const ttfr = median(b.ttfr);
    const ratio = ratioOf(ttfr, nodeMs);
    out.push({ figure: '2', what: 'time to first request', unit: 'ms', bcode: ttfr, baselineLabel: 'node -e 0', baseline: nodeMs, ratio, target: '≤ 1.6× node -e 0', met: ratio == null ? null : ratio <= 1.6, samples: { bcode: b.ttfr, baseline: nodeSamples }, note: 'spawn → emulator receivedAt of the first request; baseline is node -e 0 spawn → exit' });
    const wall = median(b.wall);
    if (p && !p.failure) {
      const r = ratioOf(wall, median(p.wall));
      out.push({ figure: '3a', what: '-p "say hi" wall', unit: 'ms', bcode: wall, baselineLabel: 'peer', baseline: median(p.wall), ratio: r, target: '≤ 0.4× reference', met: r == null ? null : r <= 0.4, samples: { bcode: b.wall, baseline: p.wall }, note: latencyNote });
    } else {
      const r = ratioOf(wall, QUOTED_REFERENCE_WALL_MS);
      out.push({ figure: '3a', what: '-p "say hi" wall', unit: 'ms', bcode: wall, baselineLabel: 'quoted ref native', baseline: QUOTED_REFERENCE_WALL_MS, ratio: r, target: '≤ 0.4× reference', met: ctx.options.latency === 'zero' && r != null ? r <= 0.4 : null, samples: { bcode: b.wall }, note: `${latencyNote}; compared with the issue's quoted 390 ms for the reference's native build (not measured here${p?.failure ? `: peer failed, ${p.failure}` : ''}; use --peer to measure side by side)` });
    }
    const rss = median(b.rss);
    out.push({ figure: '3b', what: '-p "say hi" peak RSS', unit: 'MB', bcode: b.rss.length ? rss : null, baselineLabel: p && !p.failure ? 'peer' : undefined, baseline: p && !p.failure && p.rss.length ? median(p.rss) : undefined, ratio: p && !p.failure ? ratioOf(rss, median(p.rss)) : undefined, target: '≤ 100 MB', met: b.rss.length ? rss <= 100 : null, samples: { bcode: b.rss, baseline: p?.rss }, note: `peak RSS by ${rssMethod()}` });
  }
  if (p) {
    if (p.failure) out.push(na('2p', 'peer: time to first request', 'ms', `peer -p failed, ${p.failure}`));
    else {
      const pt = median(p.ttfr);
      out.push({ figure: '2p', what: 'time to first request vs peer', unit: 'ms', bcode: b.failure ? null : median(b.ttfr), baselineLabel: 'peer', baseline: pt, ratio: b.failure ? null : ratioOf(median(b.ttfr), pt), samples: { bcode: b.ttfr, baseline: p.ttfr } });
    }
  }
  return out;
}
