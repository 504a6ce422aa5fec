/**
 * B23 through the built CLI against the emulator: the Task calls of one assistant message run
 * side by side, at most `subagentConcurrency` at a time, and a throttled request drops the bound
 * to one, so the session's next sub-agent waits instead of adding load to a full quota. The
 * emulator records when each request opened and closed; the overlap of the sub-agents' streams
 * is measured from those times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest, Scenario, ScenarioTurn } from '../../src/emulator/index.js';
import { lastUserText } from '../../src/emulator/scenario.js';
import { modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const REPORT = 'sub-agent report';
const tasks: ScenarioTurn = {
  reply: {
    content: ['alpha', 'beta', 'gamma'].map((name) => ({ type: 'tool_use' as const, name: 'Task', input: { description: `look at ${name}`, prompt: `sub-task ${name}: report back` } })),
    stop_reason: 'tool_use',
  },
};
// Each sub-agent's answer streams for a while, so that overlapping streams are visible.
const subAnswer = (times: number): ScenarioTurn => ({ reply: { content: [{ type: 'text', text: REPORT }] }, faults: [{ kind: 'delay', firstByteMs: 700 }], times });
const done: ScenarioTurn = { match: { lastToolResultContains: REPORT }, reply: { content: [{ type: 'text', text: 'all three done' }] } };

function subRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => lastUserText(r.body as Record<string, unknown>).startsWith('sub-task '));
}

/** The most requests open at one moment. */
function maxOverlap(requests: RecordedRequest[]): number {
  const edges = requests.flatMap((r) => [
    { t: r.receivedAt, d: 1 },
    { t: r.finishedAt ?? Number.POSITIVE_INFINITY, d: -1 },
  ]);
  // At the same instant an end comes before a start: back-to-back is not overlap.
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (open += e.d));
  return most;
}

async function runTasks(scenario: Scenario, env: Record<string, string> = {}, args: string[] = []) {
  sb = await sandbox(scenario);
  const r = await sb.run(['-p', 'split the work in three', ...args], { env, timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('all three done\n');
  const subs = subRequests(modelRequests(sb.emulator));
  return { r, subs };
}

describe('B23: sub-agents at most N at a time', () => {
  it('default 2: three Task calls of one message run two at a time', async () => {
    const { subs } = await runTasks({ turns: [tasks, subAnswer(3), done] });
    expect(subs).toHaveLength(3);
    expect(subs.every((s) => s.status === 200)).toBe(true);
    expect(maxOverlap(subs)).toBe(2);
  });

  it('subagentConcurrency 3 runs all three together; BCODE_SUBAGENT_CONCURRENCY=1 one after another', async () => {
    const three = await runTasks({ turns: [tasks, subAnswer(3), done] }, {}, ['--settings', JSON.stringify({ subagentConcurrency: 3 })]);
    expect(maxOverlap(three.subs)).toBe(3);
    await sb?.close();
    const one = await runTasks({ turns: [tasks, subAnswer(3), done] }, { BCODE_SUBAGENT_CONCURRENCY: '1' });
    expect(maxOverlap(one.subs)).toBe(1);
  });

  it('after a throttle the bound is 1: the third sub-agent starts only when both others have finished', async () => {
    const throttled: ScenarioTurn = { faults: [{ kind: 'http', status: 429, errorType: 'ThrottlingException', message: 'Too many tokens, please wait before trying again.' }] };
    // Real backoff (0.5–1 s): the throttled sub-agent's retry is still streaming when the other one ends.
    const { r, subs } = await runTasks({ turns: [tasks, throttled, subAnswer(3), done] });
    expect(r.stderr).toMatch(/^bcode: Bedrock is throttling \(429\); retrying in /m);
    expect(subs.map((s) => s.status).sort()).toEqual([200, 200, 200, 429]);
    const ok = subs.filter((s) => s.status === 200).sort((a, b) => a.receivedAt - b.receivedAt);
    const [first, second, third] = ok;
    // Two were under way when the throttle came; the third waited for both.
    expect(third.receivedAt).toBeGreaterThanOrEqual(Math.max(first.finishedAt!, second.finishedAt!));
    expect(maxOverlap(ok.slice(1))).toBe(1);
  });

  it('a bad value is a configuration error before any request (exit 2)', async () => {
    sb = await sandbox({ turns: [] });
    const env = await sb.run(['-p', 'hi'], { env: { BCODE_SUBAGENT_CONCURRENCY: '0' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^bcode: BCODE_SUBAGENT_CONCURRENCY must be a whole number from 1 to 16, got '0'.*\n\s*hint: /);
    const setting = await sb.run(['-p', 'hi', '--settings', JSON.stringify({ subagentConcurrency: 'many' })]);
    expect(setting.code).toBe(2);
    expect(setting.stderr).toMatch(/^bcode: --settings: subagentConcurrency must be a whole number from 1 to 16.*\n\s*hint: /);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});
