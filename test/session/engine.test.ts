/**
 * The session engine in-process against the emulator over the signed wire: many user turns on
 * one conversation, an interrupt mid-stream, a model switch that the next request carries, a
 * permission-mode switch the next decision follows, and a clean close.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createSession } from '../../src/session/create.js';
import { MODEL, sessionConfig } from './fixture.js';

let root: string;
let emulator: EmulatorHandle;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-session-engine-'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});
afterEach(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

const OTHER = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const config = () => sessionConfig(root, emulator.url);

const modelCalls = () => emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');

it('runs many turns on one conversation, follows model and mode switches, and closes cleanly', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'first answer' }] } },
        { reply: { content: [{ type: 'tool_use', id: 't1', name: 'Write', input: { file_path: 'made.txt', content: 'x' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'second answer' }] } },
      ],
    },
  });
  const events: AgentEvent[] = [];
  const session = await createSession(await config(), { frontEnd: { emit: (e) => events.push(e) } });
  const first = await session.submit('hello');
  expect(first.result).toBe('first answer');

  session.setModel(OTHER);
  session.setPermissionMode('acceptEdits');
  const second = await session.submit('now write a file');
  expect(second.subtype).toBe('success');
  expect(second.result).toBe('second answer');
  // The Write ran: acceptEdits took effect for the next decision.
  expect(existsSync(path.join(root, 'project', 'made.txt'))).toBe(true);

  const calls = modelCalls();
  expect(calls.map((c) => c.modelId)).toEqual([MODEL, OTHER, OTHER]);
  // One conversation: the second turn's first request carries the first exchange.
  const messages = (calls[1]!.body as { messages: Array<{ role: string }> }).messages;
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(() => session.setPermissionMode('nonsense' as never)).toThrow(/unknown permission mode/);

  await session.close();
  await expect(session.submit('again')).rejects.toThrow(/closed/);
  // The scratch directory is gone with the session.
  expect(readdirSync(os.tmpdir()).filter((d) => d.startsWith(`bcode-${session.id.slice(0, 8)}-`))).toEqual([]);
});

it('interrupt() ends a streaming turn at once and the session takes the next one', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'a long answer that streams slowly '.repeat(20) }] }, faults: [{ kind: 'delay', betweenChunksMs: 200 }] },
        { reply: { content: [{ type: 'text', text: 'after the interrupt' }] } },
      ],
    },
  });
  const events: AgentEvent[] = [];
  const session = await createSession(await config(), { frontEnd: { emit: (e) => events.push(e) } });
  const running = session.submit('talk');
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (events.some((e) => e.type === 'text_delta')) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  const t0 = Date.now();
  session.interrupt();
  const stopped = await running;
  expect(stopped.subtype).toBe('interrupted');
  expect(Date.now() - t0).toBeLessThan(1000);
  const next = await session.submit('go on');
  expect(next.result).toBe('after the interrupt');
  await session.close();
});

it('clear() starts a fresh conversation under a new id and transcript; the model stays', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [{ reply: { content: [{ type: 'text', text: 'one' }] } }, { reply: { content: [{ type: 'text', text: 'two' }] } }],
    },
  });
  const session = await createSession(await config(), { frontEnd: { emit: () => undefined } });
  await session.submit('first');
  const firstId = session.id;
  session.setModel(OTHER);
  await session.clear();
  expect(session.id).not.toBe(firstId);
  await session.submit('second');
  const calls = modelCalls();
  // The request after /clear carries only the new prompt, to the model chosen before it.
  expect((calls[1]!.body as { messages: unknown[] }).messages).toHaveLength(1);
  expect(calls[1]!.modelId).toBe(OTHER);
  await session.close();
  const dir = path.join(root, '.claude', 'projects');
  const files = readdirSync(path.join(dir, readdirSync(dir)[0]!)).sort();
  expect(files).toEqual([`${firstId}.jsonl`, `${session.id}.jsonl`].sort());
});

it('close() during a running Bash stops the turn and returns once it has ended; no scratch dir is left', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [{ reply: { content: [{ type: 'tool_use', id: 'b1', name: 'Bash', input: { command: 'sleep 20', description: 'Wait' } }], stop_reason: 'tool_use' } }],
    },
  });
  const events: AgentEvent[] = [];
  mkdirSync(path.join(root, 'project', '.claude'), { recursive: true });
  writeFileSync(path.join(root, 'project', '.claude', 'settings.json'), JSON.stringify({ permissions: { allow: ['Bash(sleep:*)'] } }));
  const session = await createSession(await config(), { frontEnd: { emit: (e) => events.push(e) } });
  const order: string[] = [];
  const turn = session.submit('wait').finally(() => order.push('turn ended'));
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (events.some((e) => e.type === 'tool_started')) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  await session.close();
  order.push('closed');
  // The turn's tools write into the scratch dir: it is removed only after they have stopped.
  expect(order).toEqual(['turn ended', 'closed']);
  expect((await turn).subtype).toBe('interrupted');
  expect(readdirSync(os.tmpdir()).filter((d) => d.startsWith(`bcode-${session.id.slice(0, 8)}-`))).toEqual([]);
});
