/** Compaction through the built CLI in print mode: a run that passes the threshold compacts once, finishes, and counts the summary's cost. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { assertConsistent, modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

it('print mode compacts a growing run once and finishes; the summary is in the usage and the transcript', async () => {
  sb = await sandbox(
    {
      turns: [
        { reply: { content: [{ type: 'tool_use', id: 'ta', name: 'Read', input: { file_path: 'a.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', id: 'tb', name: 'Read', input: { file_path: 'b.txt' } }], stop_reason: 'tool_use' } },
        { match: { lastUserTextContains: 'Do not call any tools' }, reply: { content: [{ type: 'text', text: 'Goal: read both files.' }], output_tokens: 500 } },
        { match: { lastToolResultContains: 'b399' }, reply: { content: [{ type: 'text', text: 'both read' }] } },
      ],
    },
    { env: { BCODE_AUTO_COMPACT_WINDOW: '16000' } },
  );
  for (const c of ['a', 'b']) writeFileSync(path.join(sb.project, `${c}.txt`), Array.from({ length: 400 }, (_, i) => `${c}${i} lorem ipsum dolor sit amet`).join('\n'));
  const r = await sb.run(['-p', 'read a.txt and b.txt', '--output-format', 'json', '--verbose']);
  expect(r.code).toBe(0);
  // json --verbose: every message; the result is the last.
  const out = (JSON.parse(r.stdout) as Array<Record<string, unknown> & { usage: { output_tokens: number } }>).at(-1)!;
  expect(out).toMatchObject({ type: 'result', subtype: 'success', result: 'both read' });
  expect(r.stderr).toMatch(/compacted 3 messages into a summary \(the context window was filling up\)/);
  const requests = modelRequests(sb.emulator);
  expect(requests).toHaveLength(4);
  expect(out.usage.output_tokens).toBe(requests.reduce((n, q) => n + (q.usage?.output_tokens ?? 0), 0));
  expect(out.usage.output_tokens).toBeGreaterThanOrEqual(500);
  const entries = sb.transcript();
  expect(entries.map((e) => e.type)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'compaction', 'assistant']);
  assertConsistent(entries);
});

it('a bad CLAUDE_AUTOCOMPACT_PCT_OVERRIDE is a configuration error', async () => {
  sb = await sandbox({ turns: [] }, { env: { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '150' } });
  const r = await sb.run(['-p', 'hi']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^bcode: CLAUDE_AUTOCOMPACT_PCT_OVERRIDE must be a whole number .*\n {2}hint: /);
  expect(modelRequests(sb.emulator)).toHaveLength(0);
});
