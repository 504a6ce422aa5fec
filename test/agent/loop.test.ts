import { describe, expect, it } from 'vitest';
import type { ContentBlock, MessageParam, ToolResultBlock } from '../../src/bedrock/anthropic.js';
import { runAgent } from '../../src/agent/loop.js';
import { INTERRUPTED_RESULT } from '../../src/agent/dispatch.js';
import type { PermissionPolicy } from '../../src/permissions/types.js';
import { eventsFor, FakeProvider, fakeTool, policy, RecordingFrontEnd, runtime } from './fakes.js';

function lastUserResults(p: FakeProvider, req = p.requests.length - 1): ToolResultBlock[] {
  const msgs = p.requests[req].messages;
  return msgs[msgs.length - 1].content as ToolResultBlock[];
}

function strip(blocks: unknown): unknown {
  return JSON.parse(JSON.stringify(blocks, (k, v) => (k === 'cache_control' ? undefined : v)));
}

describe('runAgent', () => {
  it('runs tools and loops until the model answers without tools', async () => {
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Echo', input: { value: 'one' } }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: 'All done.' }]) },
    ]);
    const fe = new RecordingFrontEnd();
    const saved: MessageParam[] = [];
    const result = await runAgent(runtime(provider, [fakeTool('Echo')]), { prompt: 'go', sessionId: 's1', signal: new AbortController().signal, frontEnd: fe, onMessage: (m) => void saved.push(m) });
    expect(result).toMatchObject({ subtype: 'success', isError: false, result: 'All done.', numTurns: 2, stopReason: 'end_turn', sessionId: 's1' });
    expect(lastUserResults(provider)).toEqual([{ type: 'tool_result', tool_use_id: 'a', content: 'Echo ok one', cache_control: { type: 'ephemeral' } }]);
    expect(saved.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(fe.of('session_start')).toHaveLength(1);
    expect(fe.of('done')).toHaveLength(1);
    expect(fe.of('tool_started')[0].description).toBe('Echo');
    // Usage summed over both responses; priced as global Sonnet 4.5.
    expect(result.usage).toEqual({ input_tokens: 200, output_tokens: 40, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } });
    const expected = (200 * 3 + 40 * 15 + 100 * 0.3 + 20 * 3.75) / 1e6;
    expect(result.totalCostUsd).toBeCloseTo(expected, 12);
    expect(result.modelUsage['global.anthropic.claude-sonnet-4-5-20250929-v1:0'].costUSD).toBeCloseTo(expected, 12);
  });

  it('runs read-only calls in parallel and the others in order, results in call order', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowRead = fakeTool('SlowRead', { readOnly: true, log, run: async (i) => (await gate, `read ${i.value}`) });
    const fastRead = fakeTool('FastRead', { readOnly: true, log, run: async (i) => (release(), `read ${i.value}`) });
    const write = fakeTool('Write', { log });
    const provider = new FakeProvider([
      {
        events: eventsFor(
          [
            { type: 'tool_use', id: '1', name: 'SlowRead', input: { value: 'a' } },
            { type: 'tool_use', id: '2', name: 'FastRead', input: { value: 'b' } },
            { type: 'tool_use', id: '3', name: 'Write', input: { value: 'c' } },
          ],
          'tool_use',
        ),
      },
      { events: eventsFor([{ type: 'text', text: 'ok' }]) },
    ]);
    await runAgent(runtime(provider, [slowRead, fastRead, write]), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    // FastRead started while SlowRead was still waiting: they ran together; Write only after both.
    expect(log).toEqual(['start SlowRead a', 'start FastRead b', 'end FastRead b', 'end SlowRead a', 'start Write c', 'end Write c']);
    expect(lastUserResults(provider).map((r) => r.tool_use_id)).toEqual(['1', '2', '3']);
  });

  it('answers invalid JSON, unknown tools, bad input, throwing tools and denials with error results', async () => {
    const denyWrite: PermissionPolicy = policy(async (name) =>
      name === 'Write' ? { behavior: 'deny', reason: 'writes are off' } : name === 'Ask' ? { behavior: 'ask', reason: 'needs approval' } : { behavior: 'allow', reason: 'ok' },
    );
    const boom = fakeTool('Boom', { run: async () => Promise.reject(new Error('disk on fire')) });
    const provider = new FakeProvider([
      {
        events: eventsFor(
          [
            { type: 'tool_use', id: 'j', name: 'Echo', rawInput: '{"value": ' },
            { type: 'tool_use', id: 'u', name: 'Nope', input: {} },
            { type: 'tool_use', id: 'v', name: 'Echo', input: { value: 3 } },
            { type: 'tool_use', id: 'b', name: 'Boom', input: {} },
            { type: 'tool_use', id: 'w', name: 'Write', input: { value: 'x' } },
            { type: 'tool_use', id: 'q', name: 'Ask', input: {} },
          ],
          'tool_use',
        ),
      },
      { events: eventsFor([{ type: 'text', text: 'recovered' }]) },
    ]);
    const fe = new RecordingFrontEnd();
    const result = await runAgent(runtime(provider, [fakeTool('Echo'), boom, fakeTool('Write'), fakeTool('Ask')], { policy: denyWrite }), {
      prompt: 'p',
      sessionId: 's',
      signal: new AbortController().signal,
      frontEnd: fe,
    });
    // Refused calls show as failed calls; denials as denials.
    expect(fe.of('tool_finished').map((e) => [e.id, e.isError])).toEqual([
      ['j', true],
      ['u', true],
      ['v', true],
      ['b', true],
    ]);
    expect(fe.of('permission_denied').map((e) => e.id)).toEqual(['w', 'q']);
    const r = lastUserResults(provider);
    expect(r.map((x) => x.tool_use_id)).toEqual(['j', 'u', 'v', 'b', 'w', 'q']);
    expect(r.every((x) => x.is_error)).toBe(true);
    expect(r[0].content).toMatch(/not valid JSON/);
    expect(r[1].content).toMatch(/no tool named "Nope"/);
    expect(r[2].content).toMatch(/Invalid input for Echo: value must be a string/);
    expect(r[3].content).toMatch(/disk on fire/);
    expect(r[4].content).toMatch(/Permission denied: writes are off/);
    expect(r[5].content).toMatch(/Permission denied: needs approval/);
    expect(result.permissionDenials).toEqual([
      { tool_name: 'Write', tool_use_id: 'w', tool_input: { value: 'x' } },
      { tool_name: 'Ask', tool_use_id: 'q', tool_input: {} },
    ]);
    expect(result.subtype).toBe('success');
  });

  it('asks the front end when a decision is "ask"', async () => {
    const askPolicy = policy(async () => ({ behavior: 'ask', reason: 'r', suggestedRule: 'Echo' }));
    const provider = new FakeProvider([{ events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Echo', input: { value: 'v' } }], 'tool_use') }, { events: eventsFor([{ type: 'text', text: 'k' }]) }]);
    const fe = new RecordingFrontEnd();
    const asked: string[] = [];
    const frontEnd = { emit: (e: Parameters<typeof fe.emit>[0]) => fe.emit(e), askPermission: async (r: { toolName: string }) => (asked.push(r.toolName), { decision: 'allow' as const }) };
    await runAgent(runtime(provider, [fakeTool('Echo')], { policy: askPolicy }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd });
    expect(asked).toEqual(['Echo']);
    expect(lastUserResults(provider)[0].content).toBe('Echo ok v');
  });

  it('stops at --max-turns with every tool_use answered', async () => {
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Echo', input: {} }], 'tool_use') },
      { events: eventsFor([{ type: 'tool_use', id: 'b', name: 'Echo', input: {} }], 'tool_use') },
    ]);
    const saved: MessageParam[] = [];
    const result = await runAgent(runtime(provider, [fakeTool('Echo')]), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd(), maxTurns: 2, onMessage: (m) => void saved.push(m) });
    expect(result).toMatchObject({ subtype: 'error_max_turns', isError: true, numTurns: 2 });
    expect(result.errors?.[0]).toMatch(/maximum number of turns \(2\)/);
    expect(provider.requests).toHaveLength(2);
    expect(saved[saved.length - 1].role).toBe('user');
  });

  it('sends thinking blocks back unchanged on the next request', async () => {
    const thinking: ContentBlock[] = [
      { type: 'thinking', thinking: 'I should read it.', signature: 'EqQBCkgIARABGAIiQL+sig==' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
    ];
    const provider = new FakeProvider([
      { events: eventsFor([...thinking, { type: 'tool_use', id: 'a', name: 'Echo', input: {} }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: 'ok' }]) },
    ]);
    await runAgent(runtime(provider, [fakeTool('Echo')], { thinkingBudget: 2048 }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    const second = provider.requests[1];
    expect(second.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(second.max_tokens).toBeGreaterThan(2048);
    expect(strip(second.messages[1].content)).toEqual([...thinking, { type: 'tool_use', id: 'a', name: 'Echo', input: {} }]);
  });

  it('retries a stream that broke off after partial output once, without re-running tools', async () => {
    const log: string[] = [];
    const broken = new Error('connection reset mid-stream');
    broken.name = 'StreamInterruptedError';
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Echo', input: { value: '1' } }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: 'half an ans' }]).slice(0, 4), throwAfter: broken },
      { events: eventsFor([{ type: 'text', text: 'full answer' }]) },
    ]);
    const fe = new RecordingFrontEnd();
    const result = await runAgent(runtime(provider, [fakeTool('Echo', { log })]), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: fe });
    expect(result).toMatchObject({ subtype: 'success', result: 'full answer', numTurns: 2 });
    expect(log).toEqual(['start Echo 1', 'end Echo 1']);
    expect(fe.of('retrying')[0].notice.reason).toBe('stream_interrupted');
    expect(JSON.stringify(provider.requests[2])).toBe(JSON.stringify(provider.requests[1]));
  });

  it('fails the run (not the process) when the stream breaks twice', async () => {
    const broken = () => Object.assign(new Error('reset'), { name: 'StreamInterruptedError' });
    const provider = new FakeProvider([{ throwAfter: broken() }, { throwAfter: broken() }]);
    const fe = new RecordingFrontEnd();
    const result = await runAgent(runtime(provider, []), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: fe });
    expect(result).toMatchObject({ subtype: 'error_during_execution', isError: true, errors: ['reset'] });
    expect(fe.of('error')).toHaveLength(1);
  });

  it('an interrupt during a tool answers every pending call as interrupted', async () => {
    const controller = new AbortController();
    const slow = fakeTool('Slow', {
      run: (_i, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve('killed'), { once: true });
          setImmediate(() => controller.abort());
        }),
    });
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Slow', input: {} }, { type: 'tool_use', id: 'b', name: 'Echo', input: {} }], 'tool_use') },
    ]);
    const saved: MessageParam[] = [];
    const result = await runAgent(runtime(provider, [slow, fakeTool('Echo')]), { prompt: 'p', sessionId: 's', signal: controller.signal, frontEnd: new RecordingFrontEnd(), onMessage: (m) => void saved.push(m) });
    expect(result.subtype).toBe('interrupted');
    const last = saved[saved.length - 1].content as ToolResultBlock[];
    expect(last.map((r) => [r.tool_use_id, r.content, r.is_error])).toEqual([
      ['a', INTERRUPTED_RESULT, true],
      ['b', INTERRUPTED_RESULT, true],
    ]);
  });

  it('an interrupt during the stream commits nothing partial', async () => {
    const controller = new AbortController();
    const provider = new FakeProvider([{ events: eventsFor([{ type: 'text', text: 'thinking aloud' }]).slice(0, 3), hang: true }]);
    const saved: MessageParam[] = [];
    const p = runAgent(runtime(provider, []), { prompt: 'p', sessionId: 's', signal: controller.signal, frontEnd: new RecordingFrontEnd(), onMessage: (m) => void saved.push(m) });
    setImmediate(() => controller.abort());
    const result = await p;
    expect(result.subtype).toBe('interrupted');
    expect(saved.map((m) => m.role)).toEqual(['user']);
  });

  it('gives tools a small-model helper and a sub-agent without Task', async () => {
    let subTools: string[] = [];
    const task = fakeTool('Task', { run: async () => 'unused' });
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'a', name: 'Probe', input: {} }], 'tool_use') },
      // the sub-agent's only turn
      { events: eventsFor([{ type: 'text', text: 'sub answer' }]) },
      { events: eventsFor([{ type: 'text', text: 'top answer' }]) },
    ]);
    const probe = {
      ...fakeTool('Probe'),
      async run(_i: unknown, ctx: import('../../src/tools/types.js').ToolContext) {
        const summary = await ctx.askSmallModel!('summarise', ctx.signal);
        const sub = await ctx.runSubAgent!({ description: 'd', prompt: 'look around' }, ctx.signal);
        return { forModel: `${summary} / ${sub}`, forDisplay: '' };
      },
    };
    const rt = runtime(provider, [probe, task]);
    const result = await runAgent(rt, { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    subTools = (provider.requests[1].tools ?? []).map((t) => t.name);
    expect(subTools).toEqual(['Probe']);
    expect(provider.requests[1].messages[0].content).toEqual([{ type: 'text', text: 'look around', cache_control: { type: 'ephemeral' } }]);
    expect(lastUserResults(provider)[0].content).toBe('summary / sub answer');
    expect(result.result).toBe('top answer');
    expect(Object.keys(result.modelUsage).sort()).toEqual(['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0']);
  });
});

describe('B23: a turn cut off by max_tokens inside a tool call', () => {
  it('is asked again once with a larger limit, and the cut message is never run', async () => {
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'text', text: 'Writing it.' }, { type: 'tool_use', id: 'cut', name: 'Echo', rawInput: '{"value": "half of a lo' }], 'max_tokens') },
      { events: eventsFor([{ type: 'tool_use', id: 'whole', name: 'Echo', input: { value: 'all of it' } }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: 'Done.' }]) },
    ]);
    const fe = new RecordingFrontEnd();
    const saved: MessageParam[] = [];
    const result = await runAgent(runtime(provider, [fakeTool('Echo')]), { prompt: 'go', sessionId: 's', signal: new AbortController().signal, frontEnd: fe, onMessage: (m) => void saved.push(m) });
    expect(result).toMatchObject({ subtype: 'success', result: 'Done.', numTurns: 2 });
    expect(provider.requests.map((r) => r.max_tokens)).toEqual([1000, 64000, 1000]);
    expect(JSON.stringify(saved)).not.toContain('"cut"');
    expect(fe.of('notice').map((e) => e.text)).toEqual(['bcode: the answer reached max_tokens (1000) inside a tool call; asking again with max_tokens 64000 for this turn']);
    // The cut attempt was paid for: its usage counts.
    expect(result.usage.output_tokens).toBe(60);
  });

  it('a text answer cut by max_tokens is kept as it is', async () => {
    const provider = new FakeProvider([{ events: eventsFor([{ type: 'text', text: 'A long answ' }], 'max_tokens') }]);
    const result = await runAgent(runtime(provider, []), { prompt: 'go', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    expect(result).toMatchObject({ subtype: 'success', result: 'A long answ', stopReason: 'max_tokens' });
    expect(provider.requests).toHaveLength(1);
  });
});
