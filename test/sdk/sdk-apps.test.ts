/**
 * Real apps on the Claude Agent SDK, run unchanged against bcode (pathToClaudeCodeExecutable →
 * a wrapper around dist/cli.js) and the Bedrock emulator. Each test is what a bot or CI job on
 * the SDK does; the assertions are on what the SDK hands the app, on the files bcode changed and
 * on the requests the emulator received.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SDKMessage, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import type { Scenario } from '../../src/emulator/index.js';
import { collect, inputChannel, modelRequests, query, sdkSandbox, type SdkSandbox } from './harness.js';

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
let sb: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const text = (t: string) => ({ reply: { content: [{ type: 'text' as const, text: t }] } });
const writeTurn = (file: string, content: string) => ({ reply: { content: [{ type: 'tool_use' as const, name: 'Write', input: { file_path: file, content } }], stop_reason: 'tool_use' as const } });
const results = (msgs: SDKMessage[]) => msgs.filter((m): m is SDKResultMessage => m.type === 'result');
const systemText = (body: unknown) => JSON.stringify((body as { system?: unknown }).system ?? '');

describe('Agent SDK apps on bcode', () => {
  test('a one-shot query: init, the answer, a success result', async () => {
    sb = await sdkSandbox({ turns: [text('Hello from Bedrock')] });
    const msgs = await collect(query({ prompt: 'say hello', options: sb.options() }));
    expect(msgs[0]).toMatchObject({ type: 'system', subtype: 'init', cwd: sb.project, permissionMode: 'default' });
    expect(msgs.find((m) => m.type === 'assistant')).toMatchObject({ message: { content: [{ type: 'text', text: 'Hello from Bedrock' }] } });
    const [result] = results(msgs);
    expect(result).toMatchObject({ subtype: 'success', is_error: false, result: 'Hello from Bedrock', num_turns: 1 });
    expect(modelRequests(sb.emulator)).toHaveLength(1);
    expect(modelRequests(sb.emulator)[0].auth.ok).toBe(true);
  });

  test('streaming input: many turns on one process and one session', async () => {
    sb = await sdkSandbox({ turns: [text('first answer'), { match: { lastUserTextContains: 'second question' }, ...text('second answer') }] });
    const input = inputChannel();
    input.push('first question');
    const msgs: SDKMessage[] = [];
    for await (const m of query({ prompt: input, options: sb.options() })) {
      msgs.push(m);
      if (m.type === 'result') {
        if (results(msgs).length === 1) input.push('second question');
        else input.end();
      }
    }
    const rs = results(msgs);
    expect(rs.map((r) => r.subtype === 'success' && r.result)).toEqual(['first answer', 'second answer']);
    expect(rs[0].session_id).toBe(rs[1].session_id);
    expect(sb.spawns()).toBe(1);
    // The second request carries the first exchange: one conversation.
    const second = modelRequests(sb.emulator)[1].body as { messages: Array<{ role: string }> };
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  test('canUseTool allows a Write (with updatedInput) and the file is written', async () => {
    sb = await sdkSandbox((project) => ({ turns: [writeTurn(path.join(project, 'a.txt'), 'from the model'), text('done')] }));
    const asked: string[] = [];
    const msgs = await collect(
      query({
        prompt: 'write a.txt',
        options: sb.options({
          canUseTool: async (tool, input, { toolUseID }) => {
            asked.push(`${tool} ${toolUseID}`);
            return { behavior: 'allow', updatedInput: { ...input, content: 'changed by the host' } };
          },
        }),
      }),
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^Write toolu_/);
    expect(readFileSync(path.join(sb.project, 'a.txt'), 'utf8')).toBe('changed by the host');
    expect(results(msgs)[0]).toMatchObject({ subtype: 'success', permission_denials: [] });
  });

  test('canUseTool denies a Write: no file, the model reads the message', async () => {
    sb = await sdkSandbox((project) => ({ turns: [writeTurn(path.join(project, 'a.txt'), 'x'), { match: { lastToolResultContains: 'not in CI' }, ...text('ok') }] }));
    const msgs = await collect(query({ prompt: 'write a.txt', options: sb.options({ canUseTool: async () => ({ behavior: 'deny', message: 'not in CI' }) }) }));
    expect(existsSync(path.join(sb.project, 'a.txt'))).toBe(false);
    const [result] = results(msgs);
    expect(result).toMatchObject({ subtype: 'success', permission_denials: [{ tool_name: 'Write' }] });
  });

  test('interrupt() during a slow stream ends the turn within a second', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    sb = await sdkSandbox({ turns: [{ reply: { content: [{ type: 'text', text: long }], chunkChars: 6 }, faults: [{ kind: 'delay', betweenChunksMs: 200 }] }] });
    const input = inputChannel();
    input.push('tell me a long story');
    const q = query({ prompt: input, options: sb.options({ includePartialMessages: true }) });
    let interruptedAt = 0;
    const msgs: SDKMessage[] = [];
    for await (const m of q) {
      msgs.push(m);
      if (m.type === 'stream_event' && interruptedAt === 0) {
        interruptedAt = Date.now();
        await q.interrupt();
      }
      if (m.type === 'result') {
        expect(Date.now() - interruptedAt).toBeLessThan(1000);
        input.end();
      }
    }
    const [result] = results(msgs);
    expect(result).toMatchObject({ subtype: 'error_during_execution', is_error: true });
  });

  test('setPermissionMode and setModel apply to the next request', async () => {
    sb = await sdkSandbox((project) => ({
      turns: [writeTurn(path.join(project, 'one.txt'), '1'), text('denied'), writeTurn(path.join(project, 'two.txt'), '2'), text('written')],
    }));
    const input = inputChannel();
    input.push('write one.txt');
    const q = query({ prompt: input, options: sb.options() });
    let n = 0;
    for await (const m of q) {
      if (m.type !== 'result') continue;
      if (++n === 1) {
        await q.setPermissionMode('acceptEdits');
        await q.setModel('haiku');
        input.push('write two.txt');
      } else input.end();
    }
    expect(existsSync(path.join(sb.project, 'one.txt'))).toBe(false);
    expect(readFileSync(path.join(sb.project, 'two.txt'), 'utf8')).toBe('2');
    const ids = modelRequests(sb.emulator).map((r) => r.modelId);
    expect(ids.slice(0, 2)).toEqual([expect.stringContaining('sonnet'), expect.stringContaining('sonnet')]);
    expect(ids.slice(2)).toEqual([HAIKU, HAIKU]);
  });

  test('maxTurns stops the run with error_max_turns', async () => {
    sb = await sdkSandbox({ turns: [{ reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } }], whenExhausted: 'repeat-last' });
    const msgs = await collect(query({ prompt: 'loop', options: sb.options({ maxTurns: 2 }) }));
    // As the reference counts it: the turn the limit refused is one of the run's turns.
    expect(results(msgs)[0]).toMatchObject({ subtype: 'error_max_turns', is_error: true, num_turns: 3 });
    expect(modelRequests(sb.emulator)).toHaveLength(2);
  });

  test('systemPrompt as a string replaces the prompt; preset + append extends it', async () => {
    sb = await sdkSandbox({ turns: [text('a')] });
    await collect(query({ prompt: 'hi', options: sb.options({ systemPrompt: 'You are a release-notes bot.' }) }));
    const replaced = systemText(modelRequests(sb.emulator)[0].body);
    expect(replaced).toContain('You are a release-notes bot.');
    expect(replaced).not.toContain('# Environment');

    sb.emulator.setScenario({ turns: [text('b')] });
    await collect(query({ prompt: 'hi', options: sb.options({ systemPrompt: { type: 'preset', preset: 'claude_code', append: 'Always answer in French.' } }) }));
    const appended = systemText(modelRequests(sb.emulator)[1].body);
    expect(appended).toContain('# Environment');
    expect(appended).toContain('Always answer in French.');
  });

  test('allowedTools lets a Write run without asking', async () => {
    sb = await sdkSandbox((project) => ({ turns: [writeTurn(path.join(project, 'ok.txt'), 'yes'), text('done')] }));
    const msgs = await collect(query({ prompt: 'write', options: sb.options({ allowedTools: ['Write', 'Bash(git log:*)'] }) }));
    expect(readFileSync(path.join(sb.project, 'ok.txt'), 'utf8')).toBe('yes');
    expect(results(msgs)[0]).toMatchObject({ subtype: 'success', permission_denials: [] });
  });

  test('a hook callback for an event bcode does not run is named on stderr, not dropped silently', async () => {
    sb = await sdkSandbox({ turns: [text('fine')] });
    const msgs = await collect(query({ prompt: 'hi', options: sb.options({ hooks: { PermissionDenied: [{ hooks: [async () => ({})] }] } }) }));
    expect(results(msgs)[0]).toMatchObject({ subtype: 'success', result: 'fine' });
    expect(sb.stderr.join('')).toMatch(/the app's PermissionDenied hook callbacks are not run: bcode runs hooks for PreToolUse, /);
  });
});

export type { Scenario };
