import { afterEach, describe, expect, it } from 'vitest';
import { InvokeModelCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, TEST_API_KEY, type EmulatorHandle } from '../../src/emulator/index.js';
import { regionFromHost } from '../../src/emulator/auth.js';
import { parseScenario } from '../../src/emulator/scenario-file.js';
import { messagesBody, runtimeClient, SONNET } from './sdk.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function invokeError(e: EmulatorHandle, modelId: string, body: string): Promise<Error> {
  const err = await runtimeClient(e)
    .send(new InvokeModelCommand({ modelId, body }))
    .then(() => undefined, (x: unknown) => x);
  if (!(err instanceof Error)) throw new Error('expected the call to fail');
  return err;
}

const base = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

describe('request validation like Bedrock', () => {
  it('rejects `model` and `stream` in the body with the extraneous-key message', async () => {
    emu = await startEmulator();
    const err = await invokeError(emu, SONNET, JSON.stringify({ ...base, model: 'x', stream: true }));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Malformed input request: #: extraneous key [stream] is not permitted#: extraneous key [model] is not permitted, please reformat your input and try again.');
  });

  it('requires anthropic_version, max_tokens and messages', async () => {
    emu = await startEmulator();
    const err = await invokeError(emu, SONNET, JSON.stringify({}));
    expect(err.message).toContain('required key [anthropic_version] not found');
    expect(err.message).toContain('required key [max_tokens] not found');
    expect(err.message).toContain('subject must not be valid against schema {"required":["messages"]}');
    const wrongVersion = await invokeError(emu, SONNET, JSON.stringify({ ...base, anthropic_version: '2023-06-01' }));
    expect(wrongVersion.name).toBe('ValidationException');
    expect(wrongVersion.message).toContain('bedrock-2023-05-31');
  });

  it('rejects unknown model ids and on-demand foundation ids with Bedrock’s exact text', async () => {
    emu = await startEmulator();
    expect((await invokeError(emu, 'anthropic.claude-nonexistent-v9:0', JSON.stringify(base))).message).toBe('The provided model identifier is invalid.');
    const err = await invokeError(emu, 'anthropic.claude-sonnet-4-5-20250929-v1:0', JSON.stringify(base));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      'Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
    );
    // A model that does allow on-demand answers on its foundation id.
    const ok = await runtimeClient(emu).send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: JSON.stringify(base) }));
    expect(JSON.parse(Buffer.from(ok.body).toString()).model).toBe('claude-3-haiku-20240307');
  });

  it('rejects more than 4 cache_control markers', async () => {
    emu = await startEmulator();
    const cc = { type: 'ephemeral' };
    const body = { ...base, system: [1, 2, 3].map((i) => ({ type: 'text', text: `part ${i}`, cache_control: cc })), messages: [{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: cc }, { type: 'text', text: 'b', cache_control: cc }] }] };
    const err = await invokeError(emu, SONNET, JSON.stringify(body));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('applies the thinking budget rules', async () => {
    emu = await startEmulator();
    const low = await invokeError(emu, SONNET, JSON.stringify({ ...base, max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 500 } }));
    expect(low.message).toContain('greater than or equal to 1024');
    const over = await invokeError(emu, SONNET, JSON.stringify({ ...base, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } }));
    expect(over.message).toContain('`max_tokens` must be greater than `thinking.budget_tokens`');
    const maxOut = await invokeError(emu, SONNET, JSON.stringify({ ...base, max_tokens: 100000 }));
    expect(maxOut.message).toContain('maximum allowed number of output tokens');
  });

  it('names the mismatch when a turn’s match fails, without consuming the turn', async () => {
    emu = await startEmulator({ scenario: { name: 'edit', turns: [{ match: { lastToolResultContains: 'file saved' }, reply: { content: [{ type: 'text', text: 'done' }] } }] } });
    const err = await invokeError(emu, SONNET, JSON.stringify(base));
    expect(err.message).toBe(`emulator scenario 'edit' turn 1: expected a tool_result containing "file saved", but the request has no tool_result`);
    const body = { ...base, messages: [...base.messages, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Write', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok: file saved' }] }] };
    const res = await runtimeClient(emu).send(new InvokeModelCommand({ modelId: SONNET, body: JSON.stringify(body) }));
    expect(JSON.parse(Buffer.from(res.body).toString()).content[0].text).toBe('done');
    const exhausted = await invokeError(emu, SONNET, JSON.stringify(body));
    expect(exhausted.message).toContain('no turn left');
  });

  it('answers side models from `side` without consuming main turns', async () => {
    emu = await startEmulator({
      scenario: {
        turns: [{ reply: { content: [{ type: 'text', text: 'main answer' }] } }],
        sideModels: ['us.anthropic.claude-haiku-4-5-20251001-v1:0'],
        side: [{ reply: { content: [{ type: 'text', text: 'side answer' }] } }],
        whenExhausted: 'repeat-last',
      },
    });
    const call = async (modelId: string) => JSON.parse(Buffer.from((await runtimeClient(emu!).send(new InvokeModelCommand({ modelId, body: JSON.stringify(base) }))).body).toString()).content[0].text;
    expect(await call('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('side answer');
    expect(await call(SONNET)).toBe('main answer');
    expect(await call(SONNET)).toBe('main answer');
  });

  it('answers `anytime` turns whenever they match, out of order, without using up an ordered turn', async () => {
    emu = await startEmulator({
      scenario: {
        turns: [{ reply: { content: [{ type: 'text', text: 'first' }] } }, { reply: { content: [{ type: 'text', text: 'second' }] } }],
        anytime: [{ match: { lastUserTextContains: 'summarise' }, reply: { content: [{ type: 'text', text: 'a summary' }] } }],
      },
    });
    const call = async (text: string) => JSON.parse(Buffer.from((await runtimeClient(emu!).send(new InvokeModelCommand({ modelId: SONNET, body: messagesBody(text) }))).body).toString()).content[0].text;
    expect(await call('hello')).toBe('first');
    expect(await call('please summarise')).toBe('a summary');
    expect(await call('please summarise')).toBe('a summary');
    expect(await call('go on')).toBe('second');
    expect(await call('please summarise')).toBe('a summary');
    // A scenario file must give each `anytime` turn a match (one without would answer everything).
    expect(() => parseScenario({ turns: [], anytime: [{ reply: { content: [] } }] }, 'x.json')).toThrow(/anytime\.0\.match/);
  });

  it('counts tokens without consuming a turn', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'x' }] } }] } });
    const res = await runtimeClient(emu).send(new CountTokensCommand({ modelId: SONNET, input: { invokeModel: { body: new TextEncoder().encode(messagesBody('count me please')) } } }));
    expect(res.inputTokens).toBeGreaterThan(0);
    expect(emu.requests[0].operation).toBe('CountTokens');
    const again = await runtimeClient(emu).send(new InvokeModelCommand({ modelId: SONNET, body: messagesBody('count me please') }));
    const msg = JSON.parse(Buffer.from(again.body).toString());
    expect(msg.content[0].text).toBe('x');
    expect(msg.usage.input_tokens).toBe(res.inputTokens);
  });
});

describe('limits and paths', () => {
  it('rejects a prompt beyond the context window unless the 1M beta is asked for', async () => {
    emu = await startEmulator();
    const huge = 'x'.repeat(4 * 210_000);
    const err = await invokeError(emu, SONNET, messagesBody(huge));
    expect(err.message).toBe('Input is too long for requested model.');
    const ok = await runtimeClient(emu).send(new InvokeModelCommand({ modelId: SONNET, body: messagesBody(huge, { anthropic_beta: ['context-1m-2025-08-07'] }) }));
    expect(JSON.parse(Buffer.from(ok.body).toString()).usage.input_tokens).toBeGreaterThan(200_000);
  });

  it('an ARN whose "/" is not encoded splits the label: invalid model identifier', async () => {
    emu = await startEmulator();
    const res = await fetch(`${emu.url}/model/arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/emu7app0prof1/invoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
      body: messagesBody('hi'),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'The provided model identifier is invalid.' });
  });

  it('takes the signing region from a Bedrock-style Host when it names one', () => {
    expect(regionFromHost('bedrock-runtime.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionFromHost('bedrock.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionFromHost('bedrock-runtime-fips.us-east-2.localhost:9000')).toBe('us-east-2');
    expect(regionFromHost('127.0.0.1:4000')).toBeUndefined();
  });
});
