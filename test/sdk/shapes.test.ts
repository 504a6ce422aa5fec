/**
 * bcode's stream-json messages against the shapes the Agent SDK declares (sdk.d.ts of the
 * installed @anthropic-ai/claude-agent-sdk, read with the TypeScript compiler): every required
 * field is present, and every field bcode adds beyond the declared ones is listed here, on
 * purpose.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sandbox, type Sandbox } from '../e2e/harness.js';

const require = createRequire(import.meta.url);
const dts = path.join(path.dirname(require.resolve('@anthropic-ai/claude-agent-sdk')), 'sdk.d.ts');

/** The declared fields of a type alias that is one object literal: name → required. */
function declaredFields(typeName: string): Map<string, boolean> {
  const source = ts.createSourceFile('sdk.d.ts', readFileSync(dts, 'utf8'), ts.ScriptTarget.Latest, false);
  const fields = new Map<string, boolean>();
  source.forEachChild((node) => {
    if (!ts.isTypeAliasDeclaration(node) || node.name.text !== typeName || !ts.isTypeLiteralNode(node.type)) return;
    for (const m of node.type.members) {
      if (ts.isPropertySignature(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) fields.set(m.name.text, m.questionToken === undefined);
    }
  });
  if (fields.size === 0) throw new Error(`${typeName} is not an object type in ${dts}`);
  return fields;
}

/** Fields bcode sends that the SDK does not declare: additions, documented in docs/agent.md. */
const EXTRAS: Record<string, string[]> = {
  SDKSystemMessage: ['bcode_version'],
  SDKAssistantMessage: [],
  SDKUserMessage: ['duration_ms'],
  SDKPartialAssistantMessage: [],
  SDKResultSuccess: [],
  SDKResultError: [],
  SDKStatusMessage: [],
  ModelUsage: [],
};

/*
 * Key sets the reference product sends (seen by running it against the emulator, docs/agent.md
 * "reference vs bcode"), for the objects sdk.d.ts types loosely (BetaMessage, BetaUsage).
 */
const RESULT_USAGE_KEYS = ['cache_creation', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'inference_geo', 'input_tokens', 'iterations', 'output_tokens', 'server_tool_use', 'service_tier', 'speed'];
const ASSISTANT_MESSAGE_KEYS = ['content', 'context_management', 'id', 'model', 'role', 'stop_reason', 'stop_sequence', 'type', 'usage'];

let sb: Sandbox;
let messages: Array<Record<string, unknown>>;
beforeAll(async () => {
  sb = await sandbox({
    turns: [
      { reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'done' }] } },
    ],
  });
  const input = `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'list' } })}\n${JSON.stringify({ type: 'user', message: { role: 'user', content: 'again' } })}\n`;
  // The first turn stops at --max-turns after its tool call (an error result); the second succeeds.
  const r = await sb.run(['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--include-partial-messages', '--max-turns', '1'], { input });
  messages = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
});
afterAll(() => sb.close());

function check(typeName: string, message: Record<string, unknown> | undefined) {
  expect(message, `no message for ${typeName}`).toBeDefined();
  const declared = declaredFields(typeName);
  const keys = Object.keys(message!);
  const missing = [...declared].filter(([k, required]) => required && !keys.includes(k)).map(([k]) => k);
  const undeclared = keys.filter((k) => !declared.has(k) && !EXTRAS[typeName].includes(k));
  // The list of additions stays honest: nothing in it is a declared field.
  const listedButDeclared = EXTRAS[typeName].filter((k) => declared.has(k));
  expect({ typeName, missing, undeclared, listedButDeclared }).toEqual({ typeName, missing: [], undeclared: [], listedButDeclared: [] });
}

describe('stream-json messages have the shapes the Agent SDK declares', () => {
  test('system/init', () => check('SDKSystemMessage', messages.find((m) => m.type === 'system' && m.subtype === 'init')));
  test('assistant', () => check('SDKAssistantMessage', messages.find((m) => m.type === 'assistant')));
  test('user (tool results)', () => check('SDKUserMessage', messages.find((m) => m.type === 'user')));
  test('stream_event', () => check('SDKPartialAssistantMessage', messages.find((m) => m.type === 'stream_event')));
  test('result (success)', () => check('SDKResultSuccess', messages.find((m) => m.type === 'result' && m.subtype === 'success')));
  test('result (error)', () => check('SDKResultError', messages.find((m) => m.type === 'result' && m.subtype !== 'success')));
  test('system/status (with partial messages, before each request)', () => {
    const status = messages.find((m) => m.type === 'system' && m.subtype === 'status');
    check('SDKStatusMessage', status);
    expect(status).toMatchObject({ status: 'requesting' });
    // It comes before the answer's stream events.
    const at = messages.indexOf(status!);
    expect(messages[at + 1]).toMatchObject({ type: 'stream_event', event: { type: 'message_start' } });
  });
  test('modelUsage[id] has every field ModelUsage declares, the limits from the capability table', () => {
    const result = messages.find((m) => m.type === 'result' && m.subtype === 'success') as { modelUsage: Record<string, Record<string, unknown>> };
    for (const entry of Object.values(result.modelUsage)) check('ModelUsage', entry);
    expect(Object.values(result.modelUsage)[0]).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000, webSearchRequests: 0 });
  });
});

describe('nested objects have the reference product\'s key sets', () => {
  const keys = (o: unknown) => Object.keys(o as object).sort();
  test('result usage (cache writes split by lifetime, service tier)', () => {
    for (const r of messages.filter((m) => m.type === 'result')) {
      expect(keys(r.usage)).toEqual(RESULT_USAGE_KEYS);
      const usage = r.usage as Record<string, unknown>;
      expect(keys(usage.cache_creation)).toEqual(['ephemeral_1h_input_tokens', 'ephemeral_5m_input_tokens']);
      expect(keys(usage.server_tool_use)).toEqual(['web_fetch_requests', 'web_search_requests']);
      expect(usage.service_tier).toBe('standard');
    }
  });
  test('result timings: duration_api_ms, ttft_ms and time_to_request_ms', () => {
    const r = messages.find((m) => m.type === 'result' && m.subtype === 'success')!;
    for (const k of ['duration_ms', 'duration_api_ms', 'ttft_ms', 'time_to_request_ms']) expect(typeof r[k], k).toBe('number');
    expect(r.ttft_ms as number).toBeLessThanOrEqual(r.duration_ms as number);
  });
  test('assistant messages: one per content block, no stop reason yet', () => {
    const assistants = messages.filter((m) => m.type === 'assistant');
    expect(assistants.length).toBeGreaterThan(0);
    for (const a of assistants) {
      const message = a.message as { content: unknown[]; stop_reason: unknown };
      expect(keys(message)).toEqual(ASSISTANT_MESSAGE_KEYS);
      expect(message.content).toHaveLength(1);
      expect(message.stop_reason).toBeNull();
    }
  });
  test('user tool results: tool_use_result and timestamp', () => {
    const user = messages.find((m) => m.type === 'user')!;
    expect(user.tool_use_result).toBeDefined();
    expect(new Date(user.timestamp as string).toISOString()).toBe(user.timestamp);
  });
  test('the max-turns result: no answer, the refused turn counted, the reference wording', () => {
    const r = messages.find((m) => m.type === 'result' && m.subtype === 'error_max_turns')!;
    expect(r).not.toHaveProperty('result');
    expect(r).toMatchObject({ is_error: true, num_turns: 2, terminal_reason: 'max_turns', errors: ['Reached maximum number of turns (1)'] });
  });
});
