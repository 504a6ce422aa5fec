/** Where a compaction may cut: never between a tool_use and its result, never before an assistant message that lost its thinking. */
import { expect, it } from 'vitest';
import type { MessageParam } from '../../src/bedrock/anthropic.js';
import { planCut, summaryInstruction } from '../../src/agent/compaction.js';
import { compactionThreshold, contextWindowOf } from '../../src/agent/context-window.js';

const prompt = (text: string): MessageParam => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string, thinking: boolean): MessageParam => ({
  role: 'assistant',
  content: [...(thinking ? [{ type: 'thinking' as const, thinking: 'hmm', signature: 'sig' }] : []), { type: 'tool_use', id, name: 'Read', input: { file_path: `${id}.txt` } }],
});
const result = (id: string): MessageParam => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'x'.repeat(400) }] });

it('cuts before an assistant message, never at a bare tool_result', () => {
  const messages = [prompt('go'), call('t1', false), result('t1'), call('t2', false), result('t2')];
  expect(planCut(messages, 0, 2)).toEqual({ cut: 3 });
  // A generous budget keeps more, still at an assistant message.
  expect(planCut(messages, 10_000, 1)).toEqual({ cut: 1 });
});

it('with thinking, the kept part starts at an assistant message that opens with its thinking', () => {
  const messages = [prompt('go'), call('t1', true), result('t1'), call('t2', false), result('t2')];
  expect(planCut(messages, 0, 1)).toEqual({ cut: 1 });
  expect(planCut(messages, 0, 2)).toBeUndefined();
});

it('a finished answer may be summarised whole; a pending call may not', () => {
  const done: MessageParam[] = [prompt('hi'), { role: 'assistant', content: [{ type: 'text', text: 'hello' }] }];
  expect(planCut(done, 0, 1)).toEqual({ cut: 2 });
  expect(planCut([prompt('hi'), call('t1', false)], 0, 1)).toEqual({ cut: 1 });
});

it('the focus goes into the summary instruction', () => {
  expect(summaryInstruction('the parser')).toMatch(/particular attention to: the parser$/);
  expect(summaryInstruction('  ')).not.toMatch(/particular attention/);
});

it('windows and thresholds follow the base model', () => {
  expect(contextWindowOf('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(200_000);
  expect(contextWindowOf('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc')).toBe(200_000);
  expect(compactionThreshold('us.anthropic.claude-opus-4-5-20251101-v1:0', 4096, { enabled: true })).toBe(134_000);
  // Two thirds of the window, unless the answer's room and the margin leave less (a large max output).
  expect(compactionThreshold('us.anthropic.claude-opus-4-5-20251101-v1:0', 64_000, { enabled: true })).toBe(200_000 - 64_000 - 10_000);
  expect(compactionThreshold('us.anthropic.claude-opus-4-5-20251101-v1:0', 4096, { enabled: true, pct: 50 })).toBe(100_000);
  expect(compactionThreshold('us.anthropic.claude-opus-4-5-20251101-v1:0', 4096, { enabled: true, window: 16_000 })).toBe(10_720);
});
