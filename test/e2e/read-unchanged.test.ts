/**
 * Issue 13: a second Read of an unchanged file whose first result is still in the conversation
 * is answered with a one-line note, through the built CLI against the emulator. An Edit in
 * between, or a compaction (the first result summarised away), brings the full text back.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const read = (id: string, file: string) => ({ reply: { content: [{ type: 'tool_use' as const, id, name: 'Read', input: { file_path: file } }], stop_reason: 'tool_use' as const } });

/** The text of every tool_result the model was sent, by tool_use id (the last request holds them all unless compacted). */
function toolResults(requests: ReturnType<typeof modelRequests>): Map<string, string> {
  const out = new Map<string, string>();
  for (const q of requests) {
    const body = q.body as { messages: Array<{ content: unknown }> };
    for (const m of body.messages) {
      if (!Array.isArray(m.content)) continue;
      for (const b of m.content as Array<{ type: string; tool_use_id?: string; content?: unknown }>) {
        if (b.type !== 'tool_result' || !b.tool_use_id) continue;
        const text = typeof b.content === 'string' ? b.content : JSON.stringify(b.content);
        out.set(b.tool_use_id, text);
      }
    }
  }
  return out;
}

it('a repeated Read of an unchanged file is a short note; after an Edit the full text comes again', async () => {
  sb = await sandbox({
    turns: [
      read('r1', 'a.txt'),
      read('r2', 'a.txt'),
      { reply: { content: [{ type: 'tool_use', id: 'e1', name: 'Edit', input: { file_path: 'a.txt', old_string: 'a7 lorem', new_string: 'a7 LOREM' } }], stop_reason: 'tool_use' } },
      read('r3', 'a.txt'),
      // Another page of the same file is not the page already seen.
      { reply: { content: [{ type: 'tool_use', id: 'r4', name: 'Read', input: { file_path: 'a.txt', offset: 5, limit: 3 } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'done' }] } },
    ],
  });
  writeFileSync(path.join(sb.project, 'a.txt'), Array.from({ length: 50 }, (_, i) => `a${i} lorem ipsum dolor sit amet`).join('\n'));
  const r = await sb.run(['-p', 'look at a.txt', '--permission-mode', 'acceptEdits']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const results = toolResults(modelRequests(sb.emulator));
  expect(results.get('r1')).toContain('a49 lorem ipsum');
  expect(results.get('r2')).toMatch(/a\.txt is unchanged since you last read it/);
  expect(results.get('r2')).not.toContain('lorem');
  expect(results.get('r3')).toContain('a7 LOREM');
  expect(results.get('r3')).toContain('a49 lorem ipsum');
  expect(results.get('r4')).toContain('a6 lorem');
});

it('a change on disk by someone else brings the full text back', async () => {
  sb = await sandbox({
    turns: [
      read('r1', 'a.txt'),
      { reply: { content: [{ type: 'tool_use', id: 'b1', name: 'Bash', input: { command: 'echo changed >> a.txt' } }], stop_reason: 'tool_use' } },
      read('r2', 'a.txt'),
      { reply: { content: [{ type: 'text', text: 'done' }] } },
    ],
  });
  writeFileSync(path.join(sb.project, 'a.txt'), 'first line\n');
  const r = await sb.run(['-p', 'look at a.txt', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(echo:*)']);
  expect(r.code).toBe(0);
  const results = toolResults(modelRequests(sb.emulator));
  expect(results.get('r2')).toContain('changed');
  expect(results.get('r2')).toContain('first line');
});

it('after a compaction the earlier result is gone, so the next Read sends the full text', async () => {
  sb = await sandbox(
    {
      turns: [
        read('r1', 'a.txt'),
        read('r2', 'a.txt'),
        read('rb', 'b.txt'),
        read('r3', 'a.txt'),
        { reply: { content: [{ type: 'text', text: 'done' }] } },
      ],
      anytime: [{ match: { lastUserTextContains: 'Do not call any tools' }, reply: { content: [{ type: 'text', text: 'Goal: read the files.' }], output_tokens: 200 } }],
    },
    { env: { BCODE_AUTO_COMPACT_WINDOW: '16000' } },
  );
  writeFileSync(path.join(sb.project, 'a.txt'), Array.from({ length: 200 }, (_, i) => `a${i} lorem ipsum dolor sit amet`).join('\n'));
  writeFileSync(path.join(sb.project, 'b.txt'), Array.from({ length: 700 }, (_, i) => `b${i} lorem ipsum dolor sit amet`).join('\n'));
  const r = await sb.run(['-p', 'read the files', '--verbose']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/compacted \d+ messages into a summary/);
  const results = toolResults(modelRequests(sb.emulator));
  expect(results.get('r2')).toMatch(/unchanged since you last read it/);
  expect(results.get('r3')).toContain('a199 lorem ipsum');
});
