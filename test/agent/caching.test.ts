import { describe, expect, it } from 'vitest';
import type { MessageParam, MessagesRequest } from '../../src/bedrock/anthropic.js';
import { applyCacheBreakpoints, countBreakpoints, MAX_BREAKPOINTS } from '../../src/agent/caching.js';

function toolLoop(steps: number, parallel = 1): MessageParam[] {
  const msgs: MessageParam[] = [{ role: 'user', content: 'fix the bug' }];
  for (let s = 0; s < steps; s++) {
    const ids = Array.from({ length: parallel }, (_, k) => `t${s}_${k}`);
    msgs.push({ role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'text', text: 'step' }, ...ids.map((id) => ({ type: 'tool_use' as const, id, name: 'Read', input: {} }))] });
    msgs.push({ role: 'user', content: ids.map((id) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'ok' })) });
  }
  return msgs;
}

const base = (messages: MessageParam[]): MessagesRequest => ({
  max_tokens: 100,
  system: [{ type: 'text', text: 'stable' }, { type: 'text', text: 'env' }],
  tools: [{ name: 'Read', description: 'd', input_schema: {} }],
  messages,
});

describe('cache breakpoints', () => {
  it('marks the system end, the tail and the previous user turn — never more than 4', () => {
    for (const [steps, parallel] of [[0, 1], [1, 1], [5, 1], [20, 1], [3, 30]]) {
      const req = applyCacheBreakpoints(base(toolLoop(steps, parallel)), true);
      const n = countBreakpoints(req);
      expect(n).toBeLessThanOrEqual(MAX_BREAKPOINTS);
      expect(n).toBe(steps === 0 ? 2 : 3);
      const sys = req.system as Array<{ cache_control?: unknown }>;
      expect(sys[0].cache_control).toBeUndefined();
      expect(sys[1].cache_control).toEqual({ type: 'ephemeral' });
      const last = req.messages[req.messages.length - 1].content as Array<{ cache_control?: unknown }>;
      expect(last[last.length - 1].cache_control).toEqual({ type: 'ephemeral' });
      if (steps > 0) {
        const prev = req.messages[req.messages.length - 3].content;
        expect(Array.isArray(prev) && prev[prev.length - 1]).toMatchObject({ cache_control: { type: 'ephemeral' } });
      }
    }
  });

  it("this request's earlier marker sits exactly where the previous request's tail marker was", () => {
    const msgs = toolLoop(4, 25);
    const prev = applyCacheBreakpoints(base(msgs.slice(0, -2)), true);
    const next = applyCacheBreakpoints(base(msgs), true);
    const tailOfPrev = JSON.stringify(prev.messages[prev.messages.length - 1]);
    expect(JSON.stringify(next.messages[next.messages.length - 3])).toBe(tailOfPrev);
  });

  it('does not touch the conversation it was given', () => {
    const msgs = toolLoop(2);
    const before = JSON.stringify(msgs);
    applyCacheBreakpoints(base(msgs), true);
    expect(JSON.stringify(msgs)).toBe(before);
  });

  it('places no markers when caching is disabled', () => {
    const req = applyCacheBreakpoints(base(toolLoop(5)), false);
    expect(countBreakpoints(req)).toBe(0);
    expect(JSON.stringify(req)).not.toContain('cache_control');
  });

  it('marks the tools when there is no system prompt, and string contents become blocks', () => {
    const req = applyCacheBreakpoints({ max_tokens: 1, tools: [{ name: 'A', description: '', input_schema: {} }], messages: [{ role: 'user', content: 'hi' }] }, true);
    expect(req.tools?.[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(req.messages[0].content).toEqual([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }]);
  });
});
