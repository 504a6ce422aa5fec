/**
 * One run of the 20-tool-call session for one agent: a fresh emulator (so the cache starts
 * cold, as for a new session), a fresh copy of the fixture project at a fixed path (so every
 * run and every agent sends the same prompt), then checks that the work really got done.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordedRequest } from '../../src/emulator/types.js';
import { adaptScenario, SEARCH_RULES } from './adapt-scenario.js';
import { agentEnv, MAIN_MODEL, type Agent } from './agents.js';
import { firstLine, keepFailure, loadScenario, type AgentContext } from './context.js';
import { servedCount, servedSince, type ServedRequest } from './emulator-timing.js';
import { runTimed, type TimedRun } from './spawn-timed.js';
import { nowMs } from './stats.js';

export const PROJECT_DIR = path.join(tmpdir(), 'bcode-bench-project');
export const SESSION_TOOL_CALLS = 20;

export interface SessionRun {
  run: TimedRun;
  requests: RecordedRequest[];
  served: ServedRequest[];
  failure?: string;
  /** Tool run time reported by the agent itself, when its output carries durations. */
  toolMs?: number;
}

const MODEL_OPS = new Set(['InvokeModelWithResponseStream', 'InvokeModel', 'Converse']);

export function modelRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.operation !== undefined && MODEL_OPS.has(r.operation));
}

/** The session's own turns: streamed calls to the main model (not availability probes or small-model calls). */
export function mainRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' && r.modelId === MAIN_MODEL);
}

/**
 * Sums tool durations from `--output-format stream-json` lines. Looks for `durationMs` /
 * `duration_ms` on tool events only (never on the final `result` line, which times the session).
 */
export function toolDurations(stdout: string): { totalMs: number; count: number } | undefined {
  let totalMs = 0;
  let count = 0;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const type = String(obj.type ?? '');
    if (type === 'result' || type === 'system' || type === 'assistant' || type === 'stream_event') continue;
    const walk = (v: unknown, depth: number): void => {
      if (!v || typeof v !== 'object' || depth > 4) return;
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'durationMs' || k === 'duration_ms') && typeof x === 'number') {
          totalMs += x;
          count++;
        } else walk(x, depth + 1);
      }
    };
    walk(obj, 0);
  }
  return count > 0 ? { totalMs, count } : undefined;
}

export function sessionArgs(root: string): string[] {
  const task = readFileSync(path.join(root, 'bench', 'fixtures', 'session-task.txt'), 'utf8').trim();
  return ['-p', task, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(node test.mjs)', ...SEARCH_RULES];
}

/** The tools an agent offers the model, read from the first request it sends. */
export async function agentTools(ctx: AgentContext, agent: Agent): Promise<string[]> {
  const scenario = loadScenario(ctx.root, 'say-hi-scenario.json', {}, 'zero');
  const handle = await ctx.startEmulator({ authMode: 'lenient', scenario, now: nowMs });
  try {
    const run = await runTimed(agent.command, [...agent.args, '-p', 'say hi', '--output-format', 'json'], { env: agentEnv(handle.url, ctx.homeOf(agent)), cwd: tmpdir(), timeoutMs: 60_000 });
    const first = mainRequests(handle.requests)[0];
    const tools = (first?.body as { tools?: Array<{ name?: unknown }> } | undefined)?.tools;
    if (!Array.isArray(tools)) throw new Error(`could not read ${agent.label}'s tools from its first request (exit ${run.code}: ${firstLine(run.stderr)})`);
    return tools.map((t) => String(t.name));
  } finally {
    await handle.close();
  }
}

export async function runSession(ctx: AgentContext, agent: Agent, tools: readonly string[]): Promise<SessionRun & { replaced: string[] }> {
  rmSync(PROJECT_DIR, { recursive: true, force: true });
  cpSync(path.join(ctx.root, 'bench', 'fixtures', 'project'), PROJECT_DIR, { recursive: true });
  const { scenario, replaced } = adaptScenario(loadScenario(ctx.root, 'session-scenario.json', { root: PROJECT_DIR }, ctx.options.latency), tools);
  const expectedTurns = scenario.turns.length;
  const handle = await ctx.startEmulator({ authMode: 'lenient', scenario, now: nowMs });
  try {
    const mark = servedCount();
    const env = agentEnv(handle.url, ctx.homeOf(agent));
    const run = await runTimed(agent.command, [...agent.args, ...sessionArgs(ctx.root)], { env, cwd: PROJECT_DIR, rss: true, timeoutMs: 180_000 });
    const requests = [...handle.requests];
    const served = servedSince(mark);
    const result = { run, requests, served, toolMs: toolDurations(run.stdout)?.totalMs, replaced } as SessionRun & { replaced: string[] };
    const main = mainRequests(requests);
    const bad = main.find((r) => r.status !== 200);
    const test = spawnSync(process.execPath, ['test.mjs'], { cwd: PROJECT_DIR, encoding: 'utf8' });
    const readme = readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
    if (run.code !== 0) result.failure = `exit ${run.code ?? run.signal}: ${firstLine(run.stderr) || lastResult(run.stdout)}`;
    else if (bad) result.failure = `the emulator answered ${bad.status} to main-model request ${main.indexOf(bad) + 1} (scenario mismatch?)`;
    else if (main.length !== expectedTurns) result.failure = `${main.length} model requests, the scenario has ${expectedTurns}`;
    else if (test.status !== 0) result.failure = `the fixture's tests still fail after the session: ${firstLine(test.stdout)}`;
    else if (readme.includes('TODO')) result.failure = 'the README edit did not happen';
    if (result.failure) result.failure += ` (output kept in ${keepFailure(agent.label, 'session', run.stdout, run.stderr)})`;
    return result;
  } finally {
    await handle.close();
  }
}

function lastResult(stdout: string): string {
  const last = stdout.trim().split('\n').pop() ?? '';
  return last.slice(0, 200);
}
