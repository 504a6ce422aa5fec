/**
 * The engine's hook points with function hooks (the form the Agent SDK's callbacks take):
 * Notification on a permission question, a hook's `ask`, SubagentStop, PreCompact, and
 * `continue: false`.
 */
import { describe, expect, it } from 'vitest';
import { compactNow, runAgent } from '../../src/agent/loop.js';
import { Conversation } from '../../src/agent/conversation.js';
import type { AgentHooks } from '../../src/extensions/hooks/api.js';
import { createSessionHooks } from '../../src/extensions/hooks/session-hooks.js';
import type { ConfiguredHook, HookCallback, HookEvent } from '../../src/extensions/hooks/types.js';
import { eventsFor, fakeTool, FakeProvider, policy, RecordingFrontEnd, runtime } from './fakes.js';

function hooksOf(list: Array<[HookEvent, HookCallback, string?]>, notices: string[] = []): AgentHooks {
  const hooks: ConfiguredHook[] = list.map(([event, callback, matcher]) => ({ event, callback, matcher, timeout: 5, scope: 'sdk', origin: 'sdk' }));
  return createSessionHooks({
    hooks,
    runner: { cwd: '/tmp', projectDir: '/tmp', env: {} },
    base: () => ({ session_id: 's', transcript_path: '/tmp/t.jsonl', cwd: '/tmp', permission_mode: 'default' }),
    notice: (t) => notices.push(t),
    verbose: false,
  });
}

const text = (t: string) => ({ events: eventsFor([{ type: 'text', text: t }]) });
const call = (id: string, name = 'Echo') => ({ events: eventsFor([{ type: 'tool_use', id, name, input: { value: 'v' } }], 'tool_use') });

describe('hook points of the engine', () => {
  it('fires Notification when the user is asked, and a hook ask asks even where the policy allows', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const hooks = hooksOf([
      ['Notification', async (input) => (seen.push(input), undefined), 'permission_prompt'],
      ['PreToolUse', async () => ({ hookSpecificOutput: { permissionDecision: 'ask', permissionDecisionReason: 'double-check' } })],
    ]);
    const provider = new FakeProvider([call('a'), text('done')]);
    const asked: string[] = [];
    const fe = new RecordingFrontEnd();
    const frontEnd = { emit: fe.emit.bind(fe), askPermission: async (r: { toolName: string }) => (asked.push(r.toolName), { decision: 'allow' as const }) };
    await runAgent(runtime(provider, [fakeTool('Echo')], { hooks }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd });
    expect(asked).toEqual(['Echo']);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([expect.objectContaining({ hook_event_name: 'Notification', message: 'Claude needs your permission to use Echo', notification_type: 'permission_prompt' })]);

    // Nobody to ask (print mode): the hook's ask is a denial.
    const again = new FakeProvider([call('b'), text('done')]);
    const result = await runAgent(runtime(again, [fakeTool('Echo')], { hooks }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    expect(result.permissionDenials).toHaveLength(1);
  });

  it('a hook allow answers a question but not an ask rule', async () => {
    const hooks = hooksOf([['PreToolUse', async () => ({ hookSpecificOutput: { permissionDecision: 'allow' } })]]);
    const noRule = policy(async () => ({ behavior: 'ask', reason: 'nobody decided' }));
    const p1 = new FakeProvider([call('a'), text('done')]);
    const r1 = await runAgent(runtime(p1, [fakeTool('Echo')], { hooks, policy: noRule }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    expect(r1.permissionDenials).toEqual([]);
    const askRule = policy(async () => ({ behavior: 'ask', reason: 'rule says ask', rule: 'Echo' }));
    const p2 = new FakeProvider([call('a'), text('done')]);
    const r2 = await runAgent(runtime(p2, [fakeTool('Echo')], { hooks, policy: askRule }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    expect(r2.permissionDenials).toHaveLength(1);
  });

  it('SubagentStop (not Stop) runs for a sub-agent and can send it back once', async () => {
    const events: Array<Record<string, unknown>> = [];
    const hooks = hooksOf([
      ['SubagentStop', async (input) => (events.push(input), input.stop_hook_active ? undefined : { decision: 'block', reason: 'check your work' })],
      ['Stop', async (input) => (events.push(input), undefined)],
    ]);
    const provider = new FakeProvider([text('first'), text('checked')]);
    const result = await runAgent(runtime(provider, [fakeTool('Echo')], { hooks }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd(), nested: true });
    expect(result.result).toBe('checked');
    expect(events.map((e) => [e.hook_event_name, e.stop_hook_active])).toEqual([
      ['SubagentStop', false],
      ['SubagentStop', true],
    ]);
    expect(JSON.stringify(provider.requests[1].messages.at(-1))).toContain('SubagentStop hook feedback:\\ncheck your work');
  });

  it('PreCompact gets the trigger and the /compact focus', async () => {
    const events: Array<Record<string, unknown>> = [];
    const hooks = hooksOf([['PreCompact', async (input) => (events.push(input), undefined), 'manual']]);
    const rt = runtime(new FakeProvider([]), [], { hooks });
    await compactNow(rt, [], new Conversation(), { signal: new AbortController().signal, frontEnd: new RecordingFrontEnd(), manual: true, focus: 'keep the API notes' });
    expect(events).toEqual([expect.objectContaining({ hook_event_name: 'PreCompact', trigger: 'manual', custom_instructions: 'keep the API notes' })]);
  });

  it('continue: false from PostToolUse ends the run after the results, telling the user why', async () => {
    const hooks = hooksOf([['PostToolUse', async () => ({ continue: false, stopReason: 'build is red: stopping' })]]);
    const provider = new FakeProvider([call('a'), text('never')]);
    const fe = new RecordingFrontEnd();
    const result = await runAgent(runtime(provider, [fakeTool('Echo')], { hooks }), { prompt: 'p', sessionId: 's', signal: new AbortController().signal, frontEnd: fe });
    expect(provider.requests).toHaveLength(1);
    expect(result.subtype).toBe('success');
    expect(fe.of('notice').map((n) => n.text)).toContain('bcode: build is red: stopping');
  });
});
