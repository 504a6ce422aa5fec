/**
 * Issue 14's output shapes through the built CLI against the emulator, message for message as
 * the reference product sends them (docs/agent.md, "reference vs bcode"): per-block assistant
 * messages, tool results with the tool's data (`tool_use_result`, the same object PostToolUse
 * hooks get as `tool_response`), a failed call's text on stdout, and stream-json's need of --verbose.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { modelRequests, REPO, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

type Line = Record<string, unknown> & { type: string; subtype?: string };
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
const fastSleep = { NODE_OPTIONS: `--import=${path.join(REPO, 'test', 'helpers', 'fast-retry-sleep.mjs')}` };

/** Read, Bash, Edit and Write, each in its own turn, then an answer. */
function toolsScenario(project: string): Scenario {
  const file = path.join(project, 'hello.txt');
  return {
    turns: [
      { reply: { content: [{ type: 'text', text: 'Reading it.' }, { type: 'tool_use', name: 'Read', input: { file_path: file } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo hi; echo err >&2', description: 'say hi' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: file, old_string: 'line two', new_string: 'line 2' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: path.join(project, 'new.txt'), content: 'x\n' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'All done.' }] } },
    ],
  };
}

describe('tool results carry the tool\'s data', () => {
  it('stream-json: tool_use_result per tool (Read, Bash, Edit, Write) and a timestamp; PostToolUse hooks get the same objects; the model gets the text', async () => {
    sb = await sandbox({ turns: [] });
    sb.emulator.setScenario(toolsScenario(sb.project));
    writeFileSync(path.join(sb.project, 'hello.txt'), 'line one\nline two\n');
    // A PostToolUse hook that keeps every tool_response it is given.
    // In the project: hooks run in the sandbox, which lets them write in the workspace only.
    const seen = path.join(sb.project, 'responses.jsonl');
    const hook = path.join(sb.home, 'record.js');
    writeFileSync(hook, `const i = JSON.parse(require('fs').readFileSync(0, 'utf8'));\nrequire('fs').appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ id: i.tool_use_id, response: i.tool_response }) + '\\n');\n`);
    mkdirSync(path.join(sb.home, '.claude'), { recursive: true });
    writeFileSync(path.join(sb.home, '.claude', 'settings.json'), JSON.stringify({ hooks: { PostToolUse: [{ hooks: [{ type: 'command', command: `node ${hook}` }] }] } }));

    const r = await sb.run(['-p', 'do it', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Read,Bash,Edit,Write']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const users = lines.filter((l) => l.type === 'user');
    expect(users).toHaveLength(4);
    for (const u of users) expect(new Date(u.timestamp as string).toISOString()).toBe(u.timestamp);
    const [read, bash, edit, write] = users.map((u) => u.tool_use_result);
    const file = path.join(sb.project, 'hello.txt');
    expect(read).toEqual({ type: 'text', file: { filePath: file, content: 'line one\nline two', numLines: 2, startLine: 1, totalLines: 2 } });
    // The shell writes both streams to one file (their order kept): all of it is stdout.
    expect(bash).toEqual({ stdout: 'hi\nerr', stderr: '', interrupted: false, isImage: false, noOutputExpected: false });
    expect(edit).toEqual({
      filePath: file,
      oldString: 'line two',
      newString: 'line 2',
      originalFile: 'line one\nline two\n',
      structuredPatch: [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' line one', '-line two', '+line 2'] }],
      userModified: false,
      replaceAll: false,
    });
    expect(write).toEqual({ type: 'create', filePath: path.join(sb.project, 'new.txt'), content: 'x\n', structuredPatch: [], originalFile: null, userModified: false });

    // The hooks saw exactly these objects, call by call.
    const responses = readFileSync(seen, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; response: unknown });
    const ids = users.map((u) => ((u.message as { content: Array<{ tool_use_id: string }> }).content[0].tool_use_id));
    expect(responses.map((x) => x.id)).toEqual(ids);
    expect(responses.map((x) => x.response)).toEqual([read, bash, edit, write]);

    // The model still reads the tool's text (numbered lines), never the data.
    const second = modelRequests(sb.emulator)[1].body as { messages: Array<{ content: Array<{ type: string; content?: unknown }> | string }> };
    const readResult = JSON.stringify(second.messages.at(-1)!.content);
    expect(readResult).toContain('1\\tline one');
    expect(readResult).not.toContain('filePath');
    // Line numbers as they are, unpadded (as the reference writes them): every line of a page is
    // re-read from cache on each later request, so a padded prefix is paid for again and again.
    const result = (second.messages.at(-1)!.content as Array<{ type: string; content?: unknown }>).find((b) => b.type === 'tool_result');
    const text = typeof result?.content === 'string' ? result.content : (result?.content as Array<{ text: string }>).map((b) => b.text).join('');
    expect(text).toBe('1\tline one\n2\tline two');
  });

  it('Glob and Grep: the files found (relative to the working directory) and the lines, as data', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Glob', input: { pattern: '*.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', name: 'Grep', input: { pattern: 'line' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', name: 'Grep', input: { pattern: 'line', output_mode: 'content', '-n': false } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'ok' }] } },
      ],
    });
    writeFileSync(path.join(sb.project, 'hello.txt'), 'line one\nline two\n');
    const r = await sb.run(['-p', 'find', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const [glob, files, content] = jsonLines(r.stdout).filter((l) => l.type === 'user').map((u) => u.tool_use_result as Record<string, unknown>);
    expect(glob).toMatchObject({ filenames: ['hello.txt'], numFiles: 1, truncated: false });
    expect(typeof glob.durationMs).toBe('number');
    expect(files).toEqual({ mode: 'files_with_matches', filenames: ['hello.txt'], numFiles: 1 });
    expect(content).toMatchObject({ mode: 'content', numLines: 2 });
    expect(content.content).toMatch(/hello\.txt:line one\n.*hello\.txt:line two$/);
  });
});

describe('parallel tool calls', () => {
  it('one user message per result, each with its data; the batch time only on the first', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'a.txt' } }, { type: 'tool_use', name: 'Read', input: { file_path: 'b.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'ok' }] } },
      ],
    });
    writeFileSync(path.join(sb.project, 'a.txt'), 'A\n');
    writeFileSync(path.join(sb.project, 'b.txt'), 'B\n');
    const r = await sb.run(['-p', 'read both', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const users = jsonLines(r.stdout).filter((l) => l.type === 'user');
    expect(users.map((u) => (u.tool_use_result as { file: { content: string } }).file.content)).toEqual(['A', 'B']);
    expect(users.map((u) => (u.message as { content: unknown[] }).content.length)).toEqual([1, 1]);
    expect(typeof users[0].duration_ms).toBe('number');
    expect(users[1]).not.toHaveProperty('duration_ms');
  });
});

describe('one assistant message per content block', () => {
  it('the blocks of a message as separate messages (same id, stop_reason null, the start usage); the transcript keeps one message', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'Nothing here.' }] } },
      ],
    });
    const r = await sb.run(['-p', 'look', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const assistants = lines.filter((l) => l.type === 'assistant').map((l) => l.message as { id: string; content: Array<{ type: string }>; stop_reason: unknown; usage: Record<string, number> });
    expect(assistants.map((m) => m.content.map((b) => b.type))).toEqual([['text'], ['tool_use'], ['text']]);
    expect(assistants[0].id).toBe(assistants[1].id);
    expect(assistants[2].id).not.toBe(assistants[0].id);
    for (const m of assistants) expect(m.stop_reason).toBeNull();
    // The usage Bedrock reported at message_start, as the reference product sends it.
    const start = lines.find((l) => l.type === 'stream_event' && (l.event as { type: string }).type === 'message_start')!;
    expect(assistants[0].usage).toEqual((start.event as { message: { usage: unknown } }).message.usage);
    // A status line before each request.
    expect(lines.filter((l) => l.type === 'system' && l.subtype === 'status')).toHaveLength(2);
    // The stop reason is the result's.
    expect(lines.at(-1)).toMatchObject({ type: 'result', stop_reason: 'end_turn' });
    const transcript = sb.transcript().filter((e) => e.type === 'assistant');
    expect(transcript).toHaveLength(2);
    expect((transcript[0].message as { content: unknown[] }).content).toHaveLength(2);
  });

  it('a response that breaks off and is asked again leaves no half message: each block of the final answer once', async () => {
    const blocks = [
      { type: 'text' as const, text: 'A first paragraph that is long enough to arrive in several chunks before the break.' },
      { type: 'text' as const, text: 'A second paragraph.' },
    ];
    sb = await sandbox({
      turns: [
        { reply: { content: blocks }, faults: [{ kind: 'exception', afterChunks: 6, exceptionType: 'throttlingException', message: 'Too many tokens, please wait before trying again.' }] },
        { reply: { content: blocks } },
      ],
    });
    const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'], { env: fastSleep });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.some((l) => l.type === 'system' && l.subtype === 'api_retry')).toBe(true);
    const assistants = lines.filter((l) => l.type === 'assistant').map((l) => (l.message as { content: Array<{ text: string }> }).content[0].text);
    expect(assistants).toEqual(blocks.map((b) => b.text));
    expect(modelRequests(sb.emulator)).toHaveLength(2);
  });
});

describe('failed calls and refused flags', () => {
  const refused: Scenario = { turns: [{ faults: [{ kind: 'http', status: 400, errorType: 'ValidationException', message: 'bad thing' }], times: 5 }] };

  it('text mode: the API error on stdout as well as the one-line error and hint on stderr', async () => {
    sb = await sandbox(refused);
    const r = await sb.run(['-p', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('API Error: 400 Bedrock rejected the request: bad thing\n');
    expect(r.stderr).toMatch(/^bcode: Bedrock rejected the request: bad thing\n {2}hint: .+\n$/);
  });

  it('stream-json: the synthetic answer (with its error kind) and a result in the reference shape', async () => {
    sb = await sandbox(refused);
    const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(1);
    const [synthetic, result] = jsonLines(r.stdout).slice(-2);
    expect(synthetic).toMatchObject({ type: 'assistant', error: 'unknown', message: { model: '<synthetic>', stop_reason: 'stop_sequence', content: [{ type: 'text', text: 'API Error: 400 Bedrock rejected the request: bad thing' }] } });
    expect(Object.keys((synthetic.message as { usage: object }).usage).sort()).toEqual(['cache_creation', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'inference_geo', 'input_tokens', 'iterations', 'output_tokens', 'server_tool_use', 'service_tier', 'speed']);
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: true, api_error_status: 400, result: 'API Error: 400 Bedrock rejected the request: bad thing', stop_reason: 'stop_sequence', terminal_reason: 'completed' });
  });

  it('--output-format stream-json without --verbose is refused (exit 2, one line and a hint), before any request', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'never' }] } }] });
    const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bcode: --output-format stream-json needs --verbose in print mode\n {2}hint: add --verbose[^\n]*\n$/);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
    const ok = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose']);
    expect(ok.code).toBe(0);
    expect(jsonLines(ok.stdout).at(-1)).toMatchObject({ type: 'result', result: 'never' });
  });
});
