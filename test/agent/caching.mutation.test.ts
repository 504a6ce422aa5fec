/**
 * Cache breakpoints, the edge cases: which block carries each marker when the system prompt is a
 * string, empty or absent, when the last blocks cannot carry one, and when there is no earlier
 * user turn. Each expectation is the exact request sent, so a marker in the wrong place (or one
 * too many) fails.
 */
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../src/bedrock/anthropic.js';
import { applyCacheBreakpoints, countBreakpoints } from '../../src/agent/caching.js';

const CC = { cache_control: { type: 'ephemeral' } };
const tool = (name: string) => ({ name, description: '', input_schema: {} });

describe('cache breakpoints: where the system/tools marker goes', () => {
  it('a string system prompt becomes one marked block; the tools stay unmarked', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, system: 'be brief', tools: [tool('A')], messages: [] }, true);
    expect(req.system).toEqual([{ type: 'text', text: 'be brief', ...CC }]);
    expect(req.tools).toEqual([tool('A')]);
    expect(req.messages).toEqual([]);
    expect(countBreakpoints(req)).toBe(1);
  });

  it('only the last system block is marked', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, system: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, { type: 'text', text: 'c' }], tools: [tool('A')], messages: [] }, true);
    expect(req.system).toEqual([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, { type: 'text', text: 'c', ...CC }]);
    expect(req.tools).toEqual([tool('A')]);
  });

  it('an empty system prompt (string or list) hands the marker to the last tool', () => {
    for (const system of ['', []] as const) {
      const req = applyCacheBreakpoints({ max_tokens: 1, system: system as MessagesRequest['system'], tools: [tool('A'), tool('B')], messages: [] }, true);
      expect(req.system).toEqual(system);
      expect(req.tools).toEqual([tool('A'), { ...tool('B'), ...CC }]);
      expect(countBreakpoints(req)).toBe(1);
    }
  });

  it('no system prompt and no tools: nothing to mark there, and no empty tools list appears', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, tools: [], messages: [{ role: 'user', content: 'hi' }] }, true);
    expect(req.tools).toEqual([]);
    expect(req.system).toBeUndefined();
    const bare = applyCacheBreakpoints({ max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }, true);
    expect(bare).toEqual({ max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', ...CC }] }] });
  });

  it('disabled: the very request object comes back', () => {
    const req: MessagesRequest = { max_tokens: 1, system: 's', messages: [{ role: 'user', content: 'hi' }] };
    expect(applyCacheBreakpoints(req, false)).toBe(req);
  });
});

describe('cache breakpoints: which message blocks are marked', () => {
  it('a single message: only its last block', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }, true);
    expect(req.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b', ...CC }] }]);
  });

  it('the nearest earlier user message is marked, not the assistant in between nor older user turns', () => {
    const req = applyCacheBreakpoints(
      {
        max_tokens: 1,
        messages: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'two' },
          { role: 'user', content: 'three' },
          { role: 'assistant', content: 'four' },
          { role: 'user', content: 'five' },
        ],
      },
      true,
    );
    expect(req.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: [{ type: 'text', text: 'three', ...CC }] },
      { role: 'assistant', content: 'four' },
      { role: 'user', content: [{ type: 'text', text: 'five', ...CC }] },
    ]);
    expect(countBreakpoints(req)).toBe(2);
  });

  it('an assistant message last (a prefill): it and the user message before it', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'The answer is' }] }, true);
    expect(req.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q', ...CC }] },
      { role: 'assistant', content: [{ type: 'text', text: 'The answer is', ...CC }] },
    ]);
  });

  it('thinking, redacted thinking and empty text cannot carry a marker: the last block that can does', () => {
    const content = [
      { type: 'text' as const, text: 'keep' },
      { type: 'tool_use' as const, id: 't1', name: 'Read', input: {} },
      { type: 'text' as const, text: '' },
      { type: 'redacted_thinking' as const, data: 'xx' },
      { type: 'thinking' as const, thinking: 'hm', signature: 's' },
    ];
    const req = applyCacheBreakpoints({ max_tokens: 1, messages: [{ role: 'assistant', content }] }, true);
    expect(req.messages[0].content).toEqual([content[0], { ...content[1], ...CC }, content[2], content[3], content[4]]);
  });

  it('a message with nothing markable is sent as it was', () => {
    const thinkingOnly = { role: 'assistant' as const, content: [{ type: 'thinking' as const, thinking: 'hm', signature: 's' }] };
    const req = applyCacheBreakpoints({ max_tokens: 1, messages: [{ role: 'user', content: '' }, thinkingOnly] }, true);
    expect(req.messages).toEqual([{ role: 'user', content: '' }, thinkingOnly]);
    expect(req.messages[1]).toBe(thinkingOnly);
    expect(countBreakpoints(req)).toBe(0);
  });
});

describe('countBreakpoints', () => {
  it('counts markers on tools, system blocks and message blocks; an undefined cache_control is no marker', () => {
    const req = {
      max_tokens: 1,
      tools: [{ ...tool('A'), ...CC }, { ...tool('B'), cache_control: undefined }],
      system: [{ type: 'text', text: 's', ...CC }, { type: 'text', text: 't' }],
      messages: [
        { role: 'user', content: 'string content carries none' },
        { role: 'assistant', content: [{ type: 'text', text: 'a', ...CC }, { type: 'text', text: 'b', cache_control: undefined }] },
      ],
    } as MessagesRequest;
    expect(countBreakpoints(req)).toBe(3);
    expect(countBreakpoints({ max_tokens: 1, system: 'a string', messages: [] })).toBe(0);
  });
});
