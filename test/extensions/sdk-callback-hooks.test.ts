/**
 * The Agent SDK's hook callbacks as hooks of bcode's engine (src/extensions/hooks/
 * sdk-callback-hooks.ts): the initialize shape they come in, and what a failed or an async
 * answer means. The end-to-end path with a real SDK app is in test/sdk/sdk-control.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sdkCallbackHooks, type HookCallbackSender } from '../../src/extensions/hooks/sdk-callback-hooks.js';
import { createSessionHooks } from '../../src/extensions/hooks/session-hooks.js';

const base = () => ({ session_id: 's1', transcript_path: '/t.jsonl', cwd: '/p', permission_mode: 'default' });
function session(raw: unknown, send: HookCallbackSender) {
  const notices: string[] = [];
  const { hooks, notes } = sdkCallbackHooks(raw, send);
  return { hooks, notes, notices, engine: createSessionHooks({ hooks, runner: { cwd: '/p', projectDir: '/p', env: {} }, base, notice: (t) => notices.push(t), verbose: false }) };
}
const call = { toolName: 'Bash', toolUseId: 'toolu_1', input: { command: 'ls' } };

describe('sdkCallbackHooks', () => {
  it('asks the host with the callback id, the event JSON and the tool_use_id; matchers apply', async () => {
    const sent: unknown[][] = [];
    const s = session({ PreToolUse: [{ matcher: 'Bash', hookCallbackIds: ['hook_0'] }, { matcher: 'Read', hookCallbackIds: ['hook_1'] }] }, async (...args) => {
      sent.push(args.slice(0, 3));
      return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no' } };
    });
    const verdict = await s.engine.preToolUse(call);
    expect(sent).toEqual([['hook_0', { ...base(), hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1' }, 'toolu_1']]);
    expect(verdict).toMatchObject({ permission: 'deny', permissionReason: 'no' });
  });

  it("a failed callback: shown to the user and the call goes on, unless onFailure is 'block'", async () => {
    const fail: HookCallbackSender = async () => {
      throw new Error('callback threw');
    };
    const goOn = session({ PreToolUse: [{ hookCallbackIds: ['h'] }] }, fail);
    const v1 = await goOn.engine.preToolUse(call);
    expect(v1.permission).toBeUndefined();
    expect(goOn.notices.join('\n')).toMatch(/PreToolUse hook 'callback' failed \(callback threw\)/);

    const block = session({ PreToolUse: [{ hookCallbackIds: ['h'], onFailure: 'block' }] }, fail);
    const v2 = await block.engine.preToolUse(call);
    expect(v2).toMatchObject({ permission: 'deny', permissionReason: expect.stringContaining('callback threw') });
  });

  it('an async answer decides nothing; a time-out is the matcher’s own', async () => {
    const s = session({ PreToolUse: [{ hookCallbackIds: ['a'] }], PostToolUse: [{ hookCallbackIds: ['slow'], timeout: 0.05 }] }, async (id, _input, _t, signal) => {
      if (id === 'a') return { async: true, asyncTimeout: 1000 };
      await new Promise((r) => signal.addEventListener('abort', r));
      return {};
    });
    expect((await s.engine.preToolUse(call)).permission).toBeUndefined();
    await s.engine.postToolUse({ ...call, response: { output: 'x' } });
    expect(s.notices.join('\n')).toMatch(/timed out after 0.05 s/);
  });

  it('events bcode does not run are named; shapes that are not the SDK’s are refused', () => {
    const none = async () => ({});
    expect(sdkCallbackHooks({ PermissionRequest: [{ hookCallbackIds: ['x'] }], PostToolUse: [] }, none).notes).toEqual([expect.stringMatching(/^the app's PermissionRequest hook callbacks are not run/)]);
    expect(() => sdkCallbackHooks([], none)).toThrow(/must be an object keyed by hook event/);
    expect(() => sdkCallbackHooks({ PreToolUse: {} }, none)).toThrow(/PreToolUse must be a list/);
    expect(() => sdkCallbackHooks({ PreToolUse: [{ hookCallbackIds: [1] }] }, none)).toThrow(/PreToolUse\[0\] must carry hookCallbackIds/);
    expect(() => sdkCallbackHooks({ PreToolUse: [{ matcher: '(', hookCallbackIds: ['x'] }] }, none)).toThrow(/not a valid regular expression/);
  });
});
