/**
 * Checkpoints and rewind (A14) on the session engine against the emulator: three turns edit
 * three files; rewinding to turn 2 restores the code, the conversation, or both, and the next
 * recorded request shows it (messages, a byte-identical cached prefix, cache reads). A file
 * changed outside bcode is overwritten only when the front end says yes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, afterEach, expect, it } from 'vitest';
import type { PermissionReply, PermissionRequest } from '../../src/agent/events.js';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { checkpointDir } from '../../src/session/checkpoints.js';
import { createSession } from '../../src/session/create.js';
import { readTranscriptLines } from '../../src/session/transcript.js';
import { makeTempDir } from '../helpers/temp.js';
import { sessionConfig } from './fixture.js';

let root: string;
let emulator: EmulatorHandle;
beforeEach(() => {
  root = makeTempDir('bcode-rewind-');
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});
afterEach(async () => {
  await emulator?.close();
});

const project = () => path.join(root, 'project');
const file = (name: string) => path.join(project(), name);
const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : undefined);

const THREE_TURNS: Scenario = {
  turns: [
    { match: { lastUserTextContains: 'one' }, reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'a.txt', content: 'a1\n' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'text', text: 'done one' }] } },
    {
      match: { lastUserTextContains: 'two' },
      reply: {
        content: [
          { type: 'tool_use', name: 'Edit', input: { file_path: 'a.txt', old_string: 'a1', new_string: 'a2' } },
          { type: 'tool_use', name: 'Write', input: { file_path: 'b.txt', content: 'b2\n' } },
        ],
        stop_reason: 'tool_use',
      },
    },
    { reply: { content: [{ type: 'text', text: 'done two' }] } },
    {
      match: { lastUserTextContains: 'three' },
      reply: {
        content: [
          { type: 'tool_use', name: 'Edit', input: { file_path: 'b.txt', old_string: 'b2', new_string: 'b3' } },
          { type: 'tool_use', name: 'Write', input: { file_path: 'c.txt', content: 'c3\n' } },
        ],
        stop_reason: 'tool_use',
      },
    },
    { reply: { content: [{ type: 'text', text: 'done three' }] } },
    { match: { lastUserTextContains: 'after' }, reply: { content: [{ type: 'text', text: 'after the rewind' }] } },
  ],
};

type Body = { system: unknown; tools: unknown; messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };
const calls = () => emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
const body = (i: number) => calls()[i]!.body as Body;
/** The wire bytes of messages with cache markers taken off (they move with the end of the conversation). */
const bare = (messages: unknown[]) => JSON.stringify(messages, (k, v: unknown) => (k === 'cache_control' ? undefined : v));

async function threeTurns(ask?: (r: PermissionRequest) => Promise<PermissionReply>) {
  emulator = await startEmulator({ scenario: THREE_TURNS });
  const session = await createSession(await sessionConfig(root, emulator.url), { frontEnd: { emit: () => undefined, ...(ask ? { askPermission: ask } : {}) }, permissionMode: 'acceptEdits' });
  for (const p of ['one', 'two', 'three']) expect((await session.submit(p)).subtype).toBe('success');
  expect([read('a.txt'), read('b.txt'), read('c.txt')]).toEqual(['a2\n', 'b3\n', 'c3\n']);
  expect(session.turns().map((t) => t.text)).toEqual(['one', 'two', 'three']);
  return session;
}

it('rewinds the code only: files as before turn 2, the conversation unchanged', async () => {
  const session = await threeTurns();
  const r = await session.rewind(2, 'code');
  expect(r).toMatchObject({ conversation: false, kept: [] });
  expect(r.restored.sort()).toEqual([file('a.txt'), file('b.txt'), file('c.txt')]);
  expect([read('a.txt'), read('b.txt'), read('c.txt')]).toEqual(['a1\n', undefined, undefined]);
  expect(session.turns()).toHaveLength(3);
  await session.submit('after');
  const last = body(calls().length - 1);
  // All three turns still there: 3 × (prompt, tool call, results, answer) + the new prompt.
  expect(last.messages).toHaveLength(13);
  expect(last.messages.at(-1)!.content[0]!.text).toBe('after');
  await session.close();
});

it('rewinds the conversation only: files untouched, the next request is the turn-2 prefix, read from cache', async () => {
  const session = await threeTurns();
  const turn2First = body(2); // the first request of turn 2: [turn 1 …, "two"]
  const r = await session.rewind(2, 'conversation');
  expect(r).toMatchObject({ conversation: true, restored: [], prompt: 'two' });
  expect([read('a.txt'), read('b.txt'), read('c.txt')]).toEqual(['a2\n', 'b3\n', 'c3\n']);
  expect(session.turns().map((t) => t.text)).toEqual(['one']);
  await session.submit('after');
  const n = calls().length - 1;
  const next = body(n);
  expect(next.messages).toHaveLength(turn2First.messages.length);
  expect(next.messages.at(-1)!.content[0]!.text).toBe('after');
  // The prefix up to the rewind point is byte-identical to what was sent before it …
  expect(bare(next.messages.slice(0, -1))).toBe(bare(turn2First.messages.slice(0, -1)));
  expect(JSON.stringify(next.system)).toBe(JSON.stringify(turn2First.system));
  expect(JSON.stringify(next.tools)).toBe(JSON.stringify(turn2First.tools));
  // … so the emulator serves it from the cache.
  expect(calls()[n]!.usage!.cache_read_input_tokens).toBeGreaterThan(0);
  const id = session.id;
  await session.close();

  // The transcript stays append-only and records a rewind marker; resuming honours it.
  const dir = path.dirname(readdirSync(path.join(root, '.claude', 'projects')).map((d) => path.join(root, '.claude', 'projects', d, `${id}.jsonl`))[0]!);
  const lines = readTranscriptLines(path.join(dir, `${id}.jsonl`));
  expect(lines[0]).toMatchObject({ type: 'version', version: 2 });
  expect(lines.filter((l) => l.type === 'rewind')).toHaveLength(1);
  emulator.setScenario({ turns: [{ match: { lastUserTextContains: 'resumed' }, reply: { content: [{ type: 'text', text: 'ok' }] } }] });
  const resumed = await createSession(await sessionConfig(root, emulator.url), { frontEnd: { emit: () => undefined }, resume: { id } });
  expect(resumed.turns().map((t) => t.text)).toEqual(['one', 'after']);
  await resumed.submit('resumed');
  const again = body(calls().length - 1);
  expect(again.messages.map((m) => m.content.map((b) => b.text ?? b.type).join('|'))).toEqual([...next.messages.map((m) => m.content.map((b) => b.text ?? b.type).join('|')), 'after the rewind', 'resumed']);
  await resumed.close();
});

it('rewinds both: files and conversation as before turn 2', async () => {
  const session = await threeTurns();
  const turn2First = body(2);
  await session.rewind(2, 'both');
  expect([read('a.txt'), read('b.txt'), read('c.txt')]).toEqual(['a1\n', undefined, undefined]);
  await session.submit('after');
  const next = body(calls().length - 1);
  expect(bare(next.messages.slice(0, -1))).toBe(bare(turn2First.messages.slice(0, -1)));
  await session.close();
});

it('asks before overwriting a file changed outside bcode, and keeps it when told no', async () => {
  const asked: PermissionRequest[] = [];
  let answer: PermissionReply = { decision: 'deny' };
  const session = await threeTurns(async (r) => {
    asked.push(r);
    return answer;
  });
  writeFileSync(file('a.txt'), 'edited by hand\n');
  const no = await session.rewind(2, 'code');
  expect(asked).toHaveLength(1);
  expect(asked[0]).toMatchObject({ toolName: 'Rewind', input: { files: [file('a.txt')] } });
  expect(asked[0]!.description).toMatch(/changed outside bcode/);
  expect(no.kept).toEqual([file('a.txt')]);
  expect([read('a.txt'), read('b.txt'), read('c.txt')]).toEqual(['edited by hand\n', undefined, undefined]);

  answer = { decision: 'allow' };
  const yes = await session.rewind(2, 'code');
  expect(asked).toHaveLength(2);
  expect(yes.restored).toEqual([file('a.txt')]);
  expect(read('a.txt')).toBe('a1\n');
  // What the rewind put back is bcode's own now: rewinding again asks nothing.
  await session.rewind(1, 'code');
  expect(asked).toHaveLength(2);
  expect(read('a.txt')).toBeUndefined();
  await session.close();
});

it('keeps each content once (content-addressed) and only whole objects', async () => {
  const session = await threeTurns();
  const id = session.id;
  await session.close();
  const projects = path.join(root, '.claude', 'projects');
  const dir = checkpointDir(path.join(projects, readdirSync(projects)[0]!, `${id}.jsonl`));
  const objects = readdirSync(path.join(dir, 'objects'));
  // a1 (before turn 2's edit), b2 (before turn 3's edit); "did not exist" needs no object.
  expect(objects.sort()).toHaveLength(2);
  const { createHash } = await import('node:crypto');
  for (const o of objects) expect(createHash('sha256').update(readFileSync(path.join(dir, 'objects', o))).digest('hex')).toBe(o);
});
