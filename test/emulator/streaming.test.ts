import { afterEach, describe, expect, it } from 'vitest';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { startEmulator, TEST_API_KEY, type EmulatorHandle } from '../../src/emulator/index.js';
import { findEvent, messagesBody, runtimeClient, SONNET, streamEvents, textOf } from './sdk.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('emulator streaming through the official SDK', () => {
  it('streams a scripted text reply in several deltas, signed with SigV4', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'The quick brown fox jumps over the lazy dog twice.' }] } }] } });
    const events = await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi'));
    expect(events[0].type).toBe('message_start');
    expect(events[0].message.id).toMatch(/^msg_bdrk_01/);
    expect(events[0].message.model).toBe('claude-sonnet-4-5-20250929');
    const deltas = events.filter((e) => e.type === 'content_block_delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(textOf(events)).toBe('The quick brown fox jumps over the lazy dog twice.');
    const last = events[events.length - 1];
    expect(last.type).toBe('message_stop');
    expect(last['amazon-bedrock-invocationMetrics'].inputTokenCount).toBeGreaterThan(0);
    expect(events[events.length - 2]).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'end_turn' } });
    expect(emu.requests).toHaveLength(1);
    expect(emu.requests[0]).toMatchObject({ operation: 'InvokeModelWithResponseStream', modelId: SONNET, status: 200, auth: { ok: true, kind: 'sigv4', region: 'us-east-1' } });
    expect(emu.requests[0].rawPath).toContain('%3A0');
    expect(emu.requests[0].headers.authorization).toContain('Signature=[REDACTED]');
    expect(JSON.stringify(emu.requests[0])).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  it('streams tool_use input as input_json_delta fragments that reassemble to the input', async () => {
    const input = { command: 'ls -la src', description: 'List the source directory' };
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'Bash', input }] } }] } });
    const events = await streamEvents(runtimeClient(emu), SONNET, messagesBody('list files'));
    const start = findEvent(events, (e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use');
    expect(start.content_block).toMatchObject({ name: 'Bash', input: {} });
    expect(start.content_block.id).toMatch(/^toolu_bdrk_01/);
    const frags = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'input_json_delta').map((e) => e.delta.partial_json);
    expect(frags.filter((f) => f.length > 0).length).toBeGreaterThan(2);
    expect(JSON.parse(frags.join(''))).toEqual(input);
    expect(findEvent(events, (e) => e.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });

  it('streams thinking with a signature_delta', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'thinking', thinking: 'I should greet the user politely.', signature: 'c2lnbmF0dXJl' }, { type: 'text', text: 'Hello!' }] } }] } });
    const events = await streamEvents(runtimeClient(emu), SONNET, messagesBody('hi', { thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048 }));
    const thinking = events.filter((e) => e.delta?.type === 'thinking_delta').map((e) => e.delta.thinking).join('');
    expect(thinking).toBe('I should greet the user politely.');
    expect(findEvent(events, (e) => e.delta?.type === 'signature_delta').delta.signature).toBe('c2lnbmF0dXJl');
  });

  it('answers InvokeModel with one JSON message', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'Whole answer.' }], output_tokens: 7 } }] } });
    const res = await runtimeClient(emu).send(new InvokeModelCommand({ modelId: SONNET, body: messagesBody('hi'), contentType: 'application/json', accept: 'application/json' }));
    const msg = JSON.parse(Buffer.from(res.body).toString('utf8'));
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Whole answer.' }], stop_reason: 'end_turn', usage: { output_tokens: 7 } });
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
  });

  it('accepts a bearer API key and refuses a wrong one', async () => {
    emu = await startEmulator();
    const good = runtimeClient(emu, { credentials: undefined, token: { token: TEST_API_KEY }, authSchemePreference: ['httpBearerAuth'] });
    const events = await streamEvents(good, SONNET, messagesBody('hello there'));
    expect(textOf(events)).toContain('hello there');
    expect(emu.requests[0].auth).toMatchObject({ ok: true, kind: 'bearer' });
    expect(emu.requests[0].headers.authorization).toBe('Bearer [REDACTED]');

    const bad = runtimeClient(emu, { credentials: undefined, token: { token: 'ABSKwrong-key-value' }, authSchemePreference: ['httpBearerAuth'] });
    const err = await streamEvents(bad, SONNET, messagesBody('x')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AccessDeniedException');
    expect((err as Error).message).toBe('Authentication failed: Please make sure your API Key is valid.');
    expect(JSON.stringify(emu.requests)).not.toContain('ABSKwrong-key-value');
  });

  it('speaks HTTP/1.1 too (curl, fetch): frames carry Bedrock headers and a padded {bytes, p} payload', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'Over plain HTTP one point one.' }] } }] } });
    const res = await fetch(`${emu.url}/model/${encodeURIComponent(SONNET)}/invoke-with-response-stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: messagesBody('hi'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(res.headers.get('x-amzn-bedrock-content-type')).toBe('application/json');
    const buf = Buffer.from(await res.arrayBuffer());
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const events = [];
    for (let off = 0; off < buf.length; ) {
      const len = buf.readUInt32BE(off);
      const msg = codec.decode(buf.subarray(off, off + len));
      expect(msg.headers[':message-type'].value).toBe('event');
      expect(msg.headers[':event-type'].value).toBe('chunk');
      const payload = JSON.parse(toUtf8(msg.body));
      expect(typeof payload.p).toBe('string');
      events.push(JSON.parse(Buffer.from(payload.bytes, 'base64').toString('utf8')));
      off += len;
    }
    expect(textOf(events)).toBe('Over plain HTTP one point one.');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['message_start', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop']));
  });
});
