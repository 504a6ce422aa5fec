import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Scenario, ScenarioTurn } from '../../src/emulator/index.js';
import { modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** 20 tool calls, one per turn, of the small kinds a real session is full of. */
function twentyCalls(): Scenario {
  const calls: ScenarioTurn[] = [];
  for (let i = 0; i < 20; i++) {
    const input =
      i % 4 === 0 ? { name: 'Glob', input: { pattern: '*.md' } } : i % 4 === 1 ? { name: 'Read', input: { file_path: 'notes.md' } } : i % 4 === 2 ? { name: 'Grep', input: { pattern: 'todo', output_mode: 'count' } } : { name: 'Bash', input: { command: `echo step ${i}`, description: 'Echo' } };
    calls.push({ reply: { content: [{ type: 'text', text: `Step ${i + 1}.` }, { type: 'tool_use', ...input }], stop_reason: 'tool_use' } });
  }
  calls.push({ reply: { content: [{ type: 'text', text: 'Finished all twenty steps.' }] } });
  return { turns: calls };
}

function ratios(sandboxed: Sandbox): number[] {
  return modelRequests(sandboxed.emulator).map((q) => {
    const u = q.usage!;
    return u.cache_read_input_tokens / (u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens);
  });
}

it('every request after the first reads at least 98% of its input from cache (20 tool calls)', async () => {
  sb = await sandbox(twentyCalls());
  writeFileSync(path.join(sb.project, 'notes.md'), '# Notes\n- todo: write docs\n');
  const r = await sb.run(['-p', 'do twenty small steps', '--output-format', 'json']);
  expect(r.code).toBe(0);
  const rs = ratios(sb);
  expect(rs).toHaveLength(21);
  const after = rs.slice(1);
  const min = Math.min(...after);
  const requests = modelRequests(sb.emulator);
  const read = requests.reduce((n, q) => n + q.usage!.cache_read_input_tokens, 0);
  const all = requests.reduce((n, q) => n + q.usage!.input_tokens + q.usage!.cache_read_input_tokens + q.usage!.cache_creation_input_tokens, 0);
  console.log(rs.map((x, i) => `${i + 1}:${(x * 100).toFixed(1)}/${requests[i].usage!.input_tokens + requests[i].usage!.cache_creation_input_tokens}`).join(" "));
  console.log(`cache: first request prefix ${requests[0].usage!.cache_creation_input_tokens} tokens written; requests 2-21 min ${(min * 100).toFixed(2)}% read, session ${((read / all) * 100).toFixed(2)}% of input from cache`);
  for (const x of after) expect(x).toBeGreaterThanOrEqual(0.98);
  // At most 4 markers on every request.
  for (const q of requests) expect(JSON.stringify(q.body).split('"cache_control"').length - 1).toBeLessThanOrEqual(4);
});

it('places no cache markers when DISABLE_PROMPT_CACHING=1', async () => {
  sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'ok' }] } }] }, { env: { DISABLE_PROMPT_CACHING: '1' } });
  const r = await sb.run(['-p', 'hi']);
  expect(r.code).toBe(0);
  const [q] = modelRequests(sb.emulator);
  expect(JSON.stringify(q.body)).not.toContain('cache_control');
  expect(q.usage?.cache_read_input_tokens).toBe(0);
});
