/**
 * Compaction (A9) through the session engine against the emulator: automatic compaction when
 * the conversation grows past a small configured threshold, "prompt is too long" compacting
 * harder and retrying once, `/compact <focus>`, the summary's usage counted, and `--resume`
 * continuing from the compaction marker.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { SUMMARY_HEADING } from '../../src/agent/compaction.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createSession } from '../../src/session/create.js';
import { sessionConfig } from './fixture.js';

let root: string;
let emulator: EmulatorHandle;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-compaction-'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});
afterEach(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

const SUMMARY_ASK = 'Do not call any tools';

const config = (env: Record<string, string> = {}) => sessionConfig(root, emulator.url, env);

type Block = { type: string; id?: string; tool_use_id?: string; text?: string };
type Body = { messages: Array<{ role: string; content: Block[] }> };
const modelCalls = () => emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
const bodyOf = (i: number) => modelCalls()[i]!.body as Body;

/** Every tool_result answers a tool_use of the message right before it; every tool_use is answered in the next message. */
function assertPaired(body: Body): void {
  body.messages.forEach((m, i) => {
    const results = m.content.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id);
    const prevUses = (body.messages[i - 1]?.content ?? []).filter((b) => b.type === 'tool_use').map((b) => b.id);
    expect(results, `message ${i}'s tool results`).toEqual(m.role === 'user' ? prevUses : []);
  });
}

function sumUsage() {
  const t = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  for (const r of modelCalls()) for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += r.usage?.[k] ?? 0;
  return t;
}

it('compacts once when the conversation passes the threshold, keeps tool pairs intact, and finishes', async () => {
  // Two files of ~16k characters: each Read adds ~4.5k tokens to a ~4.2k-token prefix.
  const big = (c: string) => Array.from({ length: 400 }, (_, i) => `${c}${i} ${'lorem ipsum dolor sit amet '.repeat(1)}`).join('\n');
  writeFileSync(path.join(root, 'project', 'a.txt'), big('a'));
  writeFileSync(path.join(root, 'project', 'b.txt'), big('b'));
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'tool_use', id: 'ta', name: 'Read', input: { file_path: 'a.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', id: 'tb', name: 'Read', input: { file_path: 'b.txt' } }], stop_reason: 'tool_use' } },
        { match: { lastUserTextContains: SUMMARY_ASK }, reply: { content: [{ type: 'text', text: 'Goal: read a.txt and b.txt.' }], output_tokens: 321 } },
        { match: { lastToolResultContains: 'b399' }, reply: { content: [{ type: 'text', text: 'both read' }] } },
      ],
    },
  });
  const events: AgentEvent[] = [];
  // A 16k-token window: the threshold is 16000 − 4096 (max output) − 800 (5%) = 11104 tokens.
  const session = await createSession(await config({ BCODE_AUTO_COMPACT_WINDOW: '16000' }), { frontEnd: { emit: (e) => events.push(e) } });
  const result = await session.submit('read a.txt and b.txt');
  expect(result.subtype).toBe('success');
  expect(result.result).toBe('both read');
  expect(modelCalls()).toHaveLength(4);

  // The summary request carries the older part (the first Read and its result) and the instruction.
  const summaryBody = bodyOf(2);
  expect(summaryBody.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(summaryBody.messages[1]!.content[0]).toMatchObject({ type: 'tool_use', id: 'ta' });
  assertPaired(summaryBody);

  // The next request: the summary, then the second Read's call and its result, verbatim.
  const after = bodyOf(3);
  expect(after.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(after.messages[0]!.content[0]!.text).toContain(SUMMARY_HEADING);
  expect(after.messages[0]!.content[0]!.text).toContain('Goal: read a.txt and b.txt.');
  expect(after.messages[1]!.content[0]).toMatchObject({ type: 'tool_use', id: 'tb' });
  assertPaired(after);
  expect(JSON.stringify(after)).not.toContain('"ta"');

  const notices = events.filter((e): e is Extract<AgentEvent, { type: 'notice' }> => e.type === 'notice' && /compacted/.test(e.text));
  expect(notices).toHaveLength(1);
  expect(notices[0]!.text).toMatch(/^compacted 3 messages into a summary/);
  // The summary's tokens are the session's too (what /cost shows).
  expect(session.usage.total).toEqual(sumUsage());
  expect(session.usage.total.output_tokens).toBeGreaterThanOrEqual(321);
  await session.close();
});

it('a "prompt is too long" answer compacts harder and retries once', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'first answer' }] } },
        { faults: [{ kind: 'http', status: 400, errorType: 'ValidationException', message: 'Input is too long for requested model.' }] },
        { match: { lastUserTextContains: SUMMARY_ASK }, reply: { content: [{ type: 'text', text: 'Goal: say hello.' }] } },
        { match: { lastUserTextContains: 'again' }, reply: { content: [{ type: 'text', text: 'second answer' }] } },
      ],
    },
  });
  const events: AgentEvent[] = [];
  const session = await createSession(await config(), { frontEnd: { emit: (e) => events.push(e) } });
  await session.submit('hello');
  const second = await session.submit('again');
  expect(second.subtype).toBe('success');
  expect(second.result).toBe('second answer');
  const calls = modelCalls();
  expect(calls.map((c) => c.status)).toEqual([200, 400, 200, 200]);
  // The retry: the summary and the new prompt, merged into one user message.
  const retry = bodyOf(3);
  expect(retry.messages).toHaveLength(1);
  expect(retry.messages[0]!.content.map((b) => b.text)).toEqual([expect.stringContaining('Goal: say hello.'), 'again']);
  expect(events.some((e) => e.type === 'notice' && /compacted 2 messages into a summary \(Bedrock said the prompt was too long\)/.test(e.text))).toBe(true);
  await session.close();
});

it('a second "prompt is too long" after compacting fails the turn instead of looping', async () => {
  const tooLong = { faults: [{ kind: 'http' as const, status: 400, errorType: 'ValidationException', message: 'Input is too long for requested model.' }] };
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'first answer' }] } },
        tooLong,
        { match: { lastUserTextContains: SUMMARY_ASK }, reply: { content: [{ type: 'text', text: 'Goal: say hello.' }] } },
        tooLong,
      ],
    },
  });
  const session = await createSession(await config(), { frontEnd: { emit: () => undefined } });
  await session.submit('hello');
  const second = await session.submit('again');
  expect(second.subtype).toBe('error_during_execution');
  expect(second.errors?.[0]).toMatch(/too long/);
  expect(modelCalls()).toHaveLength(4);
  await session.close();
});

it('compact(focus) sends the focus in the summary request, counts its usage, and --resume continues from the summary', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'the parser is in src/parse.ts' }] } },
        { match: { lastUserTextContains: 'the parser' }, reply: { content: [{ type: 'text', text: 'Goal: understand the parser.' }], output_tokens: 777 } },
        { match: { lastUserTextContains: 'next' }, reply: { content: [{ type: 'text', text: 'continuing' }] } },
      ],
    },
  });
  const events: AgentEvent[] = [];
  const session = await createSession(await config(), { frontEnd: { emit: (e) => events.push(e) } });
  await session.submit('where is the parser?');
  const before = session.usage.total.output_tokens;
  expect(await session.compact('the parser')).toBe(true);
  expect(session.usage.total.output_tokens - before).toBe(777);
  expect(session.usage.total).toEqual(sumUsage());
  const ask = bodyOf(1).messages.at(-1)!.content.at(-1)!.text!;
  expect(ask).toContain(SUMMARY_ASK);
  expect(ask).toContain('pay particular attention to: the parser');
  expect(events.filter((e) => e.type === 'notice').map((e) => (e as { text: string }).text)).toEqual(['compacted 2 messages into a summary; none kept verbatim']);
  const id = session.id;
  await session.close();

  // The transcript stays append-only: the two messages, then the marker.
  const dir = path.join(root, '.claude', 'projects');
  const file = path.join(dir, readdirSync(dir)[0]!, `${id}.jsonl`);
  const entries = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; keptMessages?: number });
  expect(entries.map((e) => e.type)).toEqual(['version', 'user', 'assistant', 'usage', 'compaction']);
  expect(entries[4]!.keptMessages).toBe(0);

  const resumed = await createSession(await config(), { frontEnd: { emit: () => undefined }, resume: { id } });
  const r = await resumed.submit('next');
  expect(r.result).toBe('continuing');
  const body = bodyOf(2);
  expect(body.messages).toHaveLength(1);
  expect(body.messages[0]!.content.map((b) => b.text)).toEqual([expect.stringContaining('Goal: understand the parser.'), 'next']);
  await resumed.close();
});

it('compact() with nothing to compact says so and sends nothing', async () => {
  emulator = await startEmulator({ scenario: { turns: [] } });
  const session = await createSession(await config(), { frontEnd: { emit: () => undefined } });
  expect(await session.compact()).toBe(false);
  expect(modelCalls()).toHaveLength(0);
  await session.close();
});

it('interrupt() stops a compaction and leaves the conversation as it was', async () => {
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'text', text: 'first answer' }] } },
        { reply: { content: [{ type: 'text', text: 'a slow summary '.repeat(30) }] }, faults: [{ kind: 'delay', betweenChunksMs: 100 }] },
        { match: { lastUserTextContains: 'again' }, reply: { content: [{ type: 'text', text: 'second answer' }] } },
      ],
    },
  });
  const session = await createSession(await config(), { frontEnd: { emit: () => undefined } });
  await session.submit('hello');
  const compacting = session.compact();
  await new Promise((r) => setTimeout(r, 300));
  session.interrupt();
  await expect(compacting).rejects.toThrow(/compaction interrupted/);
  expect((await session.submit('again')).result).toBe('second answer');
  expect(bodyOf(2).messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  await session.close();
});

it('with extended thinking, the kept assistant message goes back with its thinking block byte for byte', async () => {
  const big = (c: string) => Array.from({ length: 400 }, (_, i) => `${c}${i} lorem ipsum dolor sit amet`).join('\n');
  writeFileSync(path.join(root, 'project', 'a.txt'), big('a'));
  writeFileSync(path.join(root, 'project', 'b.txt'), big('b'));
  const thinkingB = { type: 'thinking' as const, thinking: 'Now b.txt, then answer.', signature: 'c2lnLWI=' };
  emulator = await startEmulator({
    scenario: {
      turns: [
        { reply: { content: [{ type: 'thinking', thinking: 'Read a.txt first.', signature: 'c2lnLWE=' }, { type: 'tool_use', id: 'ta', name: 'Read', input: { file_path: 'a.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [thinkingB, { type: 'tool_use', id: 'tb', name: 'Read', input: { file_path: 'b.txt' } }], stop_reason: 'tool_use' } },
        { match: { lastUserTextContains: SUMMARY_ASK }, reply: { content: [{ type: 'text', text: 'Goal: read both.' }] } },
        { match: { lastToolResultContains: 'b399' }, reply: { content: [{ type: 'text', text: 'both read' }] } },
      ],
    },
  });
  const session = await createSession(await config({ BCODE_AUTO_COMPACT_WINDOW: '16000', MAX_THINKING_TOKENS: '1024' }), { frontEnd: { emit: () => undefined } });
  expect((await session.submit('read a.txt and b.txt')).result).toBe('both read');
  const after = bodyOf(3);
  expect(after.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  const { cache_control: _cc, ...first } = after.messages[1]!.content[0] as Block & { cache_control?: unknown };
  expect(first).toEqual(thinkingB);
  assertPaired(after);
  await session.close();
});
