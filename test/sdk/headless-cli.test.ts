/**
 * The headless command line without the SDK: raw protocol lines on stdin, and the flags the SDK
 * passes (accepted and honoured, or refused with one `bcode:` line, a hint and exit 2).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { parseMcpConfig, splitRules } from '../../src/cli/sdk-flags.js';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';

const HEADLESS = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'];
const user = (text: string) => JSON.stringify({ type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null, session_id: '' });
const control = (id: string, request: Record<string, unknown>) => JSON.stringify({ type: 'control_request', request_id: id, request });
const lines = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('splitRules', () => {
  test('splits on top-level commas only', () => {
    expect(splitRules(['Bash(git log:*),Read'])).toEqual(['Bash(git log:*)', 'Read']);
    expect(splitRules(['Bash(echo a,b), Edit(src/**)', 'Write'])).toEqual(['Bash(echo a,b)', 'Edit(src/**)', 'Write']);
    expect(splitRules(undefined)).toBeUndefined();
  });
});

describe('parseMcpConfig', () => {
  test('reads the servers of each value; refuses values that are not JSON or whose mcpServers is not an object', () => {
    expect(parseMcpConfig(['{"mcpServers":{}}', '{}'], '/')).toEqual([{ origin: '--mcp-config', servers: {} }, { origin: '--mcp-config', servers: {} }]);
    expect(parseMcpConfig(['{"mcpServers":{"github":{"command":"gh"}}}'], '/')[0]!.servers).toEqual({ github: { command: 'gh' } });
    expect(() => parseMcpConfig(['{"mcpServers":[]}'], '/')).toThrow(/must be an object keyed by server name/);
    expect(() => parseMcpConfig(['{not json'], '/')).toThrow(/is not valid JSON/);
    expect(() => parseMcpConfig(['no-such-file.json'], '/')).toThrow(/no such file/);
  });
});

describe('bcode --input-format stream-json', () => {
  test('control requests are answered by request_id; unknown subtypes get an error response', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const input = [control('r1', { subtype: 'initialize' }), control('r2', { subtype: 'no_such_thing' }), control('r3', { subtype: 'set_permission_mode', mode: 'dontAsk' }), user('hello')].join('\n') + '\n';
    const r = await sb.run(HEADLESS, { input });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    // Correlated by request_id, not by order: initialize reads the custom commands and agents before it answers.
    const responses = out.filter((o) => o.type === 'control_response').map((o) => o.response as Record<string, unknown>);
    const answer = (id: string) => responses.find((o) => o.request_id === id);
    expect(responses).toHaveLength(3);
    expect(answer('r1')).toMatchObject({ subtype: 'success', response: { output_style: 'default', account: { apiProvider: 'bedrock' }, commands: [], agents: [{ name: 'general-purpose' }] } });
    expect(answer('r2')).toMatchObject({ subtype: 'error', error: expect.stringContaining('unsupported control request subtype: no_such_thing') });
    expect(answer('r3')).toMatchObject({ subtype: 'error', error: expect.stringContaining('dontAsk') });
    expect(out.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'hi' });
  });

  test('--replay-user-messages echoes each user message; a second turn runs on the same session', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'one' }] } }, { reply: { content: [{ type: 'text', text: 'two' }] } }] });
    const r = await sb.run([...HEADLESS, '--replay-user-messages'], { input: `${user('a')}\n${user('b')}\n` });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.filter((o) => o.type === 'user' && o.isReplay === true)).toHaveLength(2);
    const results = out.filter((o) => o.type === 'result');
    expect(results.map((o) => o.result)).toEqual(['one', 'two']);
    expect(results[0].session_id).toBe(results[1].session_id);
  });

  test('a line that is not JSON: one clear line, exit 2', async () => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run(HEADLESS, { input: 'hello\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: stdin line 1 is not a JSON object\n {2}hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('the SDK flags are accepted: --session-id names the session, unknown extra args only warn', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'ok' }] } }] });
    const id = '11111111-2222-4333-8444-555555555555';
    const r = await sb.run([...HEADLESS, '--max-thinking-tokens=0', '--allowedTools=Bash(git log:*),Read', '--disallowedTools=WebFetch', '--setting-sources=project', '--permission-prompt-tool=stdio', '--add-dir=/tmp', `--session-id=${id}`, '--include-partial-messages', '--mcp-config', '{"mcpServers":{}}', '--strict-mcp-config', '--await-initialize', '--some-future-flag', '--another=1'], { input: `${user('hi')}\n` });
    expect(r.stderr).toContain('bcode: warning: unknown option --some-future-flag ignored');
    expect(r.stderr).toContain('bcode: warning: unknown option --another ignored');
    expect(r.code).toBe(0);
    const result = lines(r.stdout).find((o) => o.type === 'result');
    expect(result).toMatchObject({ subtype: 'success', session_id: id });
    expect(modelRequests(sb.emulator)).toHaveLength(1);
  });

  test.each([
    [['--mcp-config', '{"mcpServers":["gh"]}'], /bcode: --mcp-config: mcpServers in the inline value must be an object keyed by server name\n {2}hint: /],
    [['--permission-prompt-tool', 'mcp__auth__ask'], /bcode: --permission-prompt-tool mcp__auth__ask: only 'stdio' is supported/],
    [['--setting-sources', 'user,team'], /bcode: --setting-sources: 'team' is not a settings source/],
    [['--session-id', 'not-a-uuid'], /bcode: --session-id must be a UUID/],
    [['--max-thinking-tokens', 'lots'], /bcode: --max-thinking-tokens must be a whole number/],
  ])('refused: %j', async (args, message) => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run([...HEADLESS, ...args], { input: `${user('hi')}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('hint: ');
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });

  test('--input-format stream-json needs --output-format stream-json', async () => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run(['--input-format', 'stream-json'], { input: `${user('hi')}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: --input-format stream-json needs --output-format stream-json\n {2}hint: /);
  });

  test('print mode honours the comma-joined --allowedTools too', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'x.txt', content: 'y' } }], stop_reason: 'tool_use' } }, { reply: { content: [{ type: 'text', text: 'done' }] } }] });
    const r = await sb.run(['-p', 'write', '--output-format', 'json', '--allowedTools=Read,Write']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ permission_denials: [] });
  });
});
