import { afterEach, describe, expect, it } from 'vitest';
import { applicationProfileArn, type Scenario } from '../../src/emulator/index.js';
import { MODEL, modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const twoTurns: Scenario = {
  turns: [
    { reply: { content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'text', text: 'The directory holds notes.md.' }] } },
  ],
};

describe('output formats', () => {
  it('text: only the final answer on stdout without --verbose', async () => {
    sb = await sandbox(twoTurns);
    const r = await sb.run(['-p', 'what is here?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('The directory holds notes.md.\n');
    expect(r.stderr).toBe('');
  });

  it('json: one result object with usage, cost and per-model usage', async () => {
    sb = await sandbox(twoTurns);
    const r = await sb.run(['-p', 'what is here?', '--output-format', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out).toMatchObject({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: 'The directory holds notes.md.', stop_reason: 'end_turn', permission_denials: [] });
    expect(out.session_id).toMatch(/^[0-9a-f-]{36}$/);
    for (const k of ['duration_ms', 'duration_api_ms', 'total_cost_usd']) expect(typeof out[k]).toBe('number');
    expect(Object.keys(out.modelUsage)).toEqual([MODEL]);
    // The usage reported is exactly what the emulator accounted for.
    const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') => modelRequests(sb!.emulator).reduce((n, q) => n + (q.usage?.[k] ?? 0), 0);
    expect(out.usage).toMatchObject({ input_tokens: sum('input_tokens'), output_tokens: sum('output_tokens'), cache_read_input_tokens: sum('cache_read_input_tokens'), cache_creation_input_tokens: sum('cache_creation_input_tokens') });
    expect(out.modelUsage[MODEL]).toMatchObject({ inputTokens: sum('input_tokens'), outputTokens: sum('output_tokens'), cacheReadInputTokens: sum('cache_read_input_tokens'), cacheCreationInputTokens: sum('cache_creation_input_tokens') });
    // Cost from the emulator's usage at the us. (regional, +10%) Sonnet 4.5 rates, computed independently.
    const usd = (sum('input_tokens') * 3.3 + sum('output_tokens') * 16.5 + sum('cache_read_input_tokens') * 0.33 + sum('cache_creation_input_tokens') * 4.125) / 1e6;
    expect(usd).toBeGreaterThan(0);
    expect(out.total_cost_usd).toBeCloseTo(usd, 10);
    expect(out.modelUsage[MODEL].costUSD).toBeCloseTo(usd, 10);
  });

  it('json --verbose: every message as one JSON array (init, assistant, user, …, result)', async () => {
    sb = await sandbox(twoTurns);
    const r = await sb.run(['-p', 'what is here?', '--output-format', 'json', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const all = JSON.parse(r.stdout) as Array<{ type: string; subtype?: string; session_id?: string; result?: string }>;
    // One assistant message per content block (text, then the tool call), as the reference prints them.
    expect(all.map((l) => (l.type === 'system' ? `system/${l.subtype}` : l.type))).toEqual(['system/init', 'assistant', 'assistant', 'user', 'assistant', 'result']);
    expect(all[5]).toMatchObject({ subtype: 'success', result: 'The directory holds notes.md.' });
    for (const l of all) expect(l.session_id).toBe(all[0].session_id);
  });

  it('stream-json: init, assistant, user, result — and stream_event lines with --include-partial-messages', async () => {
    sb = await sandbox(twoTurns);
    const r = await sb.run(['-p', 'what is here?', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => (l.subtype && l.type === 'system' ? `system/${l.subtype}` : l.type))).toEqual(['system/init', 'assistant', 'assistant', 'user', 'assistant', 'result']);
    const [init, a0, a1, u1, a2, result] = lines;
    expect(init).toMatchObject({ cwd: sb.project, model: MODEL, permissionMode: 'default', mcp_servers: [] });
    expect(init.tools).toEqual(expect.arrayContaining(['Read', 'Edit', 'Bash', 'Glob', 'Grep', 'LS', 'Write', 'Task']));
    for (const l of lines) expect(l.session_id).toBe(init.session_id);
    // The message's blocks, one message each: same id, no stop reason until the result.
    expect(a0.message).toMatchObject({ role: 'assistant', type: 'message', stop_reason: null, content: [{ type: 'text', text: 'Let me look.' }] });
    expect(a1.message).toMatchObject({ id: a0.message.id, stop_reason: null });
    expect(a1.message.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'LS' })]);
    expect(u1.message.role).toBe('user');
    expect(typeof u1.duration_ms).toBe('number');
    expect(u1.message.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: a1.message.content[0].id });
    expect(a2.parent_tool_use_id).toBeNull();
    expect(result).toMatchObject({ type: 'result', subtype: 'success', result: 'The directory holds notes.md.', num_turns: 2 });

    const partial = await sb.run(['-p', 'again', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'], {});
    // The scenario is used up: the emulator refuses (400), and the run fails cleanly — told as the
    // assistant's answer and as an error result with the HTTP status, as SDK apps read it.
    expect(partial.code).toBe(1);
    const plines = partial.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const [synthetic, failed] = plines.slice(-2);
    expect(failed).toMatchObject({ type: 'result', subtype: 'success', is_error: true, api_error_status: 400, terminal_reason: 'completed', stop_reason: 'stop_sequence' });
    expect(failed.result).toMatch(/^API Error: 400 .*scenario/i);
    expect(synthetic).toMatchObject({ type: 'assistant', message: { model: '<synthetic>', content: [{ type: 'text', text: failed.result }] } });
    expect(partial.stderr).toMatch(/^bcode: /m);
  });

  it('stream_event lines carry the raw stream with --include-partial-messages', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'Hello there, streaming world.' }] } }] });
    const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === 'stream_event').map((l) => l.event);
    expect(events[0].type).toBe('message_start');
    expect(events[events.length - 1].type).toBe('message_stop');
    const text = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
    expect(text).toBe('Hello there, streaming world.');
    expect(lines[lines.length - 1].type).toBe('result');
  });

  it('reads the prompt from stdin; an empty prompt is a usage error (exit 2)', async () => {
    sb = await sandbox({ turns: [{ match: { lastUserTextContains: 'piped task' }, reply: { content: [{ type: 'text', text: 'got it' }] } }] });
    const piped = await sb.run(['-p'], { input: 'the piped task\n' });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('got it\n');
    const empty = await sb.run(['-p'], { input: '  \n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^bcode: no prompt given\n {2}hint: /);
    expect(empty.stderr.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('--cwd sets the working directory; an application profile ARN is priced as the model GetInferenceProfile names', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } }, { match: { lastToolResultContains: 'marker.txt' }, reply: { content: [{ type: 'text', text: 'found it' }] } }] });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.project}/marker.txt`, 'x');
    const arn = applicationProfileArn(sb.emulator.region);
    const r = await sb.run(['-p', 'look', '--cwd', sb.project, '--model', arn, '--output-format', 'json'], { cwd: sb.home });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe('found it');
    expect(r.stderr).not.toContain('no price known');
    // The emulator's profile routes to Sonnet 4.5 foundation models (in-region ids: the +10% rates).
    const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') => modelRequests(sb!.emulator).reduce((n, q) => n + (q.usage?.[k] ?? 0), 0);
    const usd = (sum('input_tokens') * 3.3 + sum('output_tokens') * 16.5 + sum('cache_read_input_tokens') * 0.33 + sum('cache_creation_input_tokens') * 4.125) / 1e6;
    expect(usd).toBeGreaterThan(0);
    expect(out.total_cost_usd).toBeCloseTo(usd, 10);
    expect(out.modelUsage[arn]).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000 });
    expect(out.modelUsage[arn].costUSD).toBeCloseTo(usd, 10);
    // Asked once for the session (cached), not per request.
    expect(sb.emulator.requests.filter((q) => q.operation === 'GetInferenceProfile')).toHaveLength(1);
  });
});
