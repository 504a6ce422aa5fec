import { afterEach, describe, expect, it } from 'vitest';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { findEvent, messagesBody, runtimeClient, SONNET, streamEvents, textOf } from './sdk.js';

// Issue 17: the emulator serves any Bedrock client — through the official AWS SDK client.

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(20).trim();
const script = (extra: Partial<Scenario> = {}): Scenario => ({
  turns: [
    { reply: { content: [{ type: 'text', text: LONG }] } },
    { reply: { content: [{ type: 'text', text: 'second turn' }] } },
  ],
  ...extra,
});

async function invoke(e: EmulatorHandle, body: string) {
  const res = await runtimeClient(e).send(new InvokeModelCommand({ modelId: SONNET, body, contentType: 'application/json', accept: 'application/json' }));
  return JSON.parse(Buffer.from(res.body).toString('utf8'));
}

describe('max_tokens is enforced as Bedrock does', () => {
  it('InvokeModel: the reply stops at the limit with stop_reason max_tokens', async () => {
    emu = await startEmulator({ scenario: script({ sideCallMaxTokens: 0 }) });
    const msg = await invoke(emu, messagesBody('hi', { max_tokens: 10 }));
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(10);
    expect(msg.content[0].text).toBe(LONG.slice(0, 40));
  });

  it('stream: text and a tool call cut mid-JSON, message_delta says max_tokens', async () => {
    const input = { file_path: 'big.txt', content: 'x'.repeat(400) };
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'Writing.' }, { type: 'tool_use', name: 'Write', input }] } }] } });
    const events = await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi', { max_tokens: 50 }));
    expect(textOf(events)).toBe('Writing.');
    const json = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'input_json_delta').map((e) => e.delta.partial_json).join('');
    expect(JSON.stringify(input).startsWith(json)).toBe(true);
    expect(json.length).toBe(50 * 4 - 'Writing.'.length);
    expect(findEvent(events, (e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 50 } });
  });

  it('a reply that fits is unchanged', async () => {
    emu = await startEmulator({ scenario: script() });
    const events = await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi', { max_tokens: 4096 }));
    expect(textOf(events)).toBe(LONG);
    expect(findEvent(events, (e) => e.type === 'message_delta').delta.stop_reason).toBe('end_turn');
  });
});

describe('side calls: probes with max_tokens 1 use no scripted turn', () => {
  it('a one-token probe is answered (one token, max_tokens) and the script goes on where it was', async () => {
    emu = await startEmulator({ scenario: script() });
    const probe = await invoke(emu, messagesBody('ping', { max_tokens: 1 }));
    expect(probe).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 1 } });
    expect(probe.content[0].text.length).toBeLessThanOrEqual(4);
    const streamedProbe = await streamEvents(runtimeClient(emu), SONNET, messagesBody('ping', { max_tokens: 1 }));
    expect(findEvent(streamedProbe, (e) => e.type === 'message_delta').delta.stop_reason).toBe('max_tokens');
    const first = await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi'));
    expect(textOf(first)).toBe(LONG);
    const second = await invoke(emu, messagesBody('and?'));
    expect(second.content[0].text).toBe('second turn');
  });

  it('sideCallMaxTokens: 0 makes a probe take a turn', async () => {
    emu = await startEmulator({ scenario: script({ sideCallMaxTokens: 0 }) });
    const probe = await invoke(emu, messagesBody('ping', { max_tokens: 1 }));
    expect(probe.content[0].text).toBe(LONG.slice(0, 4));
    expect((await invoke(emu, messagesBody('and?'))).content[0].text).toBe('second turn');
  });
});

describe('the model catalog includes the current models', () => {
  it.each([
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['us.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['global.anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['eu.anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5-20251101'],
    ['jp.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4-20250514'],
  ])('%s answers through the AWS SDK', async (modelId, anthropicName) => {
    emu = await startEmulator();
    const events = await streamEvents(runtimeClient(emu), modelId, messagesBody('hi'));
    expect(events[0].message.model).toBe(anthropicName);
    expect(textOf(events)).toContain('Hello from the bcode Bedrock emulator');
  });

  it('a foundation id of a current model is refused on demand, as Bedrock does', async () => {
    emu = await startEmulator();
    const err = await streamEvents(runtimeClient(emu), 'anthropic.claude-sonnet-4-6', messagesBody('hi')).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ValidationException' });
    expect((err as Error).message).toMatch(/on-demand throughput isn’t supported/);
  });
});
