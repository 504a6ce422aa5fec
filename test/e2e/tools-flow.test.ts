import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolResultBlock } from '../../src/bedrock/anthropic.js';
import { assertConsistent, modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function lastResults(body: unknown): ToolResultBlock[] {
  const msgs = (body as { messages: Array<{ content: ToolResultBlock[] }> }).messages;
  return msgs[msgs.length - 1].content;
}

describe('tool calls end to end', () => {
  it('answers two Reads of one message, both results in the next request', async () => {
    sb = await sandbox({
      turns: [
        {
          reply: {
            content: [
              { type: 'tool_use', name: 'Read', input: { file_path: 'a.txt' } },
              { type: 'tool_use', name: 'Read', input: { file_path: 'b.txt' } },
            ],
            stop_reason: 'tool_use',
          },
        },
        { match: { lastToolResultContains: 'beta' }, reply: { content: [{ type: 'text', text: 'a says alpha, b says beta' }] } },
      ],
    });
    writeFileSync(path.join(sb.project, 'a.txt'), 'alpha\n');
    writeFileSync(path.join(sb.project, 'b.txt'), 'beta\n');
    const r = await sb.run(['-p', 'read both']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a says alpha, b says beta\n');
    const results = lastResults(modelRequests(sb.emulator)[1].body);
    expect(results).toHaveLength(2);
    expect(JSON.stringify(results[0].content)).toContain('alpha');
    expect(JSON.stringify(results[1].content)).toContain('beta');
    expect(results.some((x) => x.is_error)).toBe(false);
  });

  it('reports a failing tool to the model, which recovers', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'confg.json' } }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: 'does not exist' }, reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'config.json' } }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: '"port": 8080' }, reply: { content: [{ type: 'text', text: 'The port is 8080.' }] } },
      ],
    });
    writeFileSync(path.join(sb.project, 'config.json'), '{ "port": 8080 }\n');
    const r = await sb.run(['-p', 'what port?', '--output-format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: 'The port is 8080.', num_turns: 3 });
    const first = lastResults(modelRequests(sb.emulator)[1].body)[0];
    expect(first.is_error).toBe(true);
    assertConsistent(sb.transcript());
  });

  it('turns invalid tool JSON from the model into an error result the model can act on', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Write', input: {}, rawInput: '{"file_path": "out.txt", "content": "unterminated' }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: 'not valid JSON' }, reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'out.txt', content: 'fixed\n' } }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: 'out.txt' }, reply: { content: [{ type: 'text', text: 'Wrote out.txt.' }] } },
      ],
    });
    const r = await sb.run(['-p', 'write the file', '--permission-mode', 'acceptEdits']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(sb.project, 'out.txt'), 'utf8')).toBe('fixed\n');
    const bad = lastResults(modelRequests(sb.emulator)[1].body)[0];
    expect(bad.is_error).toBe(true);
    expect(String(bad.content)).toMatch(/not valid JSON.*Send the call again/);
    // The assistant message sent back carries an object input, as the API requires.
    const assistant = (modelRequests(sb.emulator)[1].body as { messages: Array<{ role: string; content: Array<{ type: string; input?: unknown }> }> }).messages[1];
    expect(assistant.content.find((b) => b.type === 'tool_use')?.input).toEqual({});
  });

  it('refuses a tool call outside the working directory and lists the denial', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: '/etc/hostname' } }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: 'ermission' }, reply: { content: [{ type: 'text', text: 'I may not read that file.' }] } },
      ],
    });
    mkdirSync(path.join(sb.project, 'src'));
    const r = await sb.run(['-p', 'read /etc/hostname', '--output-format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permission_denials).toHaveLength(1);
    expect(out.permission_denials[0]).toMatchObject({ tool_name: 'Read', tool_input: { file_path: '/etc/hostname' } });
  });

  it('stops at --max-turns with subtype error_max_turns and exit 1', async () => {
    sb = await sandbox({
      turns: [{ reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } }],
      whenExhausted: 'repeat-last',
    });
    const r = await sb.run(['-p', 'loop forever', '--max-turns', '2', '--output-format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    // As the reference counts it: the turn the limit refused is one of the run's turns.
    expect(out).toMatchObject({ type: 'result', subtype: 'error_max_turns', is_error: true, num_turns: 3 });
    expect(out.errors[0]).toMatch(/maximum number of turns \(2\)/);
    expect(modelRequests(sb.emulator)).toHaveLength(2);
    assertConsistent(sb.transcript());
  });

  it('sends thinking blocks and their signatures back byte for byte (MAX_THINKING_TOKENS)', async () => {
    const thinking = { type: 'thinking' as const, thinking: 'The user wants the listing. I will call LS.', signature: 'EqoBCkgIBxABGAIiQH+0bWFnaWMtc2lnbmF0dXJlLWZvci10ZXN0cw==' };
    const redacted = { type: 'redacted_thinking' as const, data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDLOPAQUE' };
    sb = await sandbox(
      {
        turns: [
          { reply: { content: [thinking, redacted, { type: 'tool_use', name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' } },
          { reply: { content: [{ type: 'text', text: 'Listed.' }] } },
        ],
      },
      { env: { MAX_THINKING_TOKENS: '2048' } },
    );
    const r = await sb.run(['-p', 'list']);
    expect(r.code).toBe(0);
    const [first, second] = modelRequests(sb.emulator).map((q) => q.body as { thinking?: unknown; max_tokens: number; messages: Array<{ content: unknown[] }> });
    expect(first.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(first.max_tokens).toBeGreaterThan(2048);
    expect(second.messages[1].content.slice(0, 2)).toEqual([thinking, redacted]);
  });
});
