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
  SDKResultError: ['result'],
};

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
});
