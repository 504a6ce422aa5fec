import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RESUME_INTERRUPTED } from '../../src/session/resume.js';
import { sanitizeCwd } from '../../src/session/transcript.js';
import { assertConsistent, modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

type Body = { messages: Array<{ role: string; content: Array<{ type: string; text?: string; content?: unknown; tool_use_id?: string }> }> };

it('--continue and --resume <id> bring the conversation back and append to the same transcript', async () => {
  sb = await sandbox({
    turns: [
      { match: { lastUserTextContains: 'BLUE' }, reply: { content: [{ type: 'text', text: 'Noted.' }] } },
      { match: { lastUserTextContains: 'which word' }, reply: { content: [{ type: 'text', text: 'BLUE' }] } },
      { match: { lastUserTextContains: 'again' }, reply: { content: [{ type: 'text', text: 'Still BLUE' }] } },
    ],
  });
  const first = JSON.parse((await sb.run(['-p', 'remember the word BLUE', '--output-format', 'json'])).stdout);
  const second = await sb.run(['-p', '-c', 'which word did I say?', '--output-format', 'json']);
  expect(second.code).toBe(0);
  const out2 = JSON.parse(second.stdout);
  expect(out2).toMatchObject({ result: 'BLUE', session_id: first.session_id, num_turns: 1 });
  const body2 = modelRequests(sb.emulator)[1].body as Body;
  expect(body2.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(body2.messages[1].content[0].text).toBe('Noted.');

  const third = await sb.run(['-p', '--resume', first.session_id, 'and again?']);
  expect(third.stdout).toBe('Still BLUE\n');
  const entries = sb.transcript();
  expect(entries.map((e) => e.type)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  entries.slice(1).forEach((e, i) => expect(e.parentUuid).toBe(entries[i].uuid));
});

it('resuming a transcript cut off mid-tool answers the open calls, then adds the new prompt', async () => {
  sb = await sandbox({ turns: [{ match: { lastUserTextContains: 'carry on' }, reply: { content: [{ type: 'text', text: 'Carrying on.' }] } }] });
  const dir = path.join(sb.home, '.claude', 'projects', sanitizeCwd(sb.project));
  mkdirSync(dir, { recursive: true });
  const id = '0b7c9f1e-1111-4222-8333-944445555666';
  const line = (type: string, uuid: string, parentUuid: string | null, message: unknown) => JSON.stringify({ type, uuid, parentUuid, sessionId: id, timestamp: new Date(0).toISOString(), cwd: sb!.project, message });
  writeFileSync(
    path.join(dir, `${id}.jsonl`),
    [line('user', 'u1', null, { role: 'user', content: [{ type: 'text', text: 'start' }] }), line('assistant', 'a1', 'u1', { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'make' } }] })].join('\n') + '\n',
  );
  const r = await sb.run(['-p', '-r', id, 'carry on']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const body = modelRequests(sb.emulator)[0].body as Body;
  expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(body.messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1', content: RESUME_INTERRUPTED, is_error: true });
  expect(body.messages[2].content[1]).toMatchObject({ type: 'text', text: 'carry on' });
  assertConsistent(sb.transcript());
});

it('an unknown session id or a bare --resume is a usage error', async () => {
  sb = await sandbox({ turns: [] });
  const unknown = await sb.run(['-p', '-r', 'no-such-session', 'hi']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^bcode: no session 'no-such-session' found\n {2}hint: /);
  const bare = await sb.run(['-p', 'hi', '--resume']);
  expect(bare.code).toBe(2);
  expect(bare.stderr).toMatch(/--resume needs a session id in print mode/);
  const none = await sb.run(['-p', '-c', 'hi']);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/no earlier session/);
  expect(modelRequests(sb.emulator)).toHaveLength(0);
});
