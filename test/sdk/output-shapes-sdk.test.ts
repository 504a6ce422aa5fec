/**
 * What an Agent SDK app receives from bcode for issue 14's output shapes: per-block assistant
 * messages, tool results with `tool_use_result`, a failed call told as the assistant's answer,
 * and the result's timings — through the real SDK (`query()`), bcode as its executable.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { SDKAssistantMessage, SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import { collect, query, sdkSandbox, type SdkSandbox } from './harness.js';

let sb: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const of = <T extends SDKMessage['type']>(msgs: SDKMessage[], type: T) => msgs.filter((m) => m.type === type);

describe('an SDK app sees the reference shapes', () => {
  test('a message with text and a tool call arrives as two assistant messages; the Read result carries the file as data; the result has ttft_ms', async () => {
    sb = await sdkSandbox((project) => ({
      turns: [
        { reply: { content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', name: 'Read', input: { file_path: path.join(project, 'a.txt') } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'It says hello.' }] } },
      ],
    }));
    writeFileSync(path.join(sb.project, 'a.txt'), 'hello\n');
    const msgs = await collect(query({ prompt: 'read a.txt', options: sb.options({ allowedTools: ['Read'] }) }));
    const assistants = of(msgs, 'assistant') as SDKAssistantMessage[];
    expect(assistants.map((a) => a.message.content.map((b) => b.type))).toEqual([['text'], ['tool_use'], ['text']]);
    expect(assistants[0].message.id).toBe(assistants[1].message.id);
    const user = of(msgs, 'user') as SDKUserMessage[];
    expect(user).toHaveLength(1);
    expect(user[0].tool_use_result).toEqual({ type: 'text', file: { filePath: path.join(sb.project, 'a.txt'), content: 'hello', numLines: 1, startLine: 1, totalLines: 1 } });
    expect(typeof user[0].timestamp).toBe('string');
    const result = msgs.at(-1)!;
    expect(result).toMatchObject({ type: 'result', subtype: 'success', result: 'It says hello.' });
    expect(typeof (result as { ttft_ms?: unknown }).ttft_ms).toBe('number');
  });

  test('a refused model call: the synthetic assistant answer with its error kind, then the error result', async () => {
    sb = await sdkSandbox({ turns: [{ faults: [{ kind: 'http', status: 400, errorType: 'ValidationException', message: 'bad thing' }], times: 5 }] });
    const msgs = await collect(query({ prompt: 'hi', options: sb.options() }));
    const [synthetic] = of(msgs, 'assistant') as SDKAssistantMessage[];
    expect(synthetic).toMatchObject({ error: 'unknown', message: { model: '<synthetic>', content: [{ type: 'text', text: 'API Error: 400 Bedrock rejected the request: bad thing' }] } });
    expect(msgs.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: true, api_error_status: 400, result: 'API Error: 400 Bedrock rejected the request: bad thing' });
  });
});
