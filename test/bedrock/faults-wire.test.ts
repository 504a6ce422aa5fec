/**
 * Every fault class the emulator can inject, through the real wire: each maps to its typed
 * error and hint; retries stop at their bound; nothing sleeps for real.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/bedrock/anthropic.js';
import {
  AccessDeniedError,
  BadContentTypeError,
  BedrockValidationError,
  EndpointUnreachableError,
  MalformedStreamError,
  ModelAccessError,
  ModelError,
  ModelNotReadyError,
  ModelTimeoutError,
  NetworkError,
  OnDemandNotSupportedError,
  QuotaExceededError,
  RequestTimeoutError,
  ServiceUnavailableError,
  StreamInterruptedError,
  ThrottledError,
  UnknownModelError,
  type BedrockError,
} from '../../src/bedrock/errors.js';
import { createProvider, type ProviderOptions } from '../../src/bedrock/provider.js';
import type { Config } from '../../src/config/types.js';
import { InterruptedError } from '../../src/errors.js';
import { chunkFrame } from '../../src/emulator/frames.js';
import { startEmulator, type EmulatorHandle, type Scenario, type ScenarioFault } from '../../src/emulator/index.js';
import { TestCredentials, catchError, collect, fakeSleep, makeConfig, retryCollector, simpleRequest, startProxy, startRawServer } from './helpers.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

async function emulator(scenario: Scenario, region?: string): Promise<EmulatorHandle> {
  const e = await startEmulator({ scenario, region });
  open.push(e);
  return e;
}

const ok = (text = 'ok'): Scenario['turns'][number] => ({ reply: { content: [{ type: 'text', text }] } });
const failing = (fault: ScenarioFault, times = 1): Scenario['turns'][number] => ({ faults: [fault], times, reply: { content: [{ type: 'text', text: 'partial answer that is long enough' }] } });

async function provider(config: Config, extra: ProviderOptions = {}) {
  const sleeper = fakeSleep();
  const p = await createProvider(config, { credentials: new TestCredentials(), sleep: sleeper.sleep, random: () => 0, ...extra });
  return { p, waits: sleeper.waits };
}

describe('B18 HTTP fault classes → typed errors with hints', () => {
  const cases: Array<{ fault: ScenarioFault; cls: new (...a: never[]) => BedrockError; hint: RegExp }> = [
    { fault: { kind: 'http', errorType: 'AccessDeniedException', message: 'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/x because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action' }, cls: AccessDeniedError, hint: /bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream/ },
    { fault: { kind: 'http', errorType: 'AccessDeniedException' }, cls: ModelAccessError, hint: /Bedrock console/ },
    { fault: { kind: 'http', errorType: 'AccessDeniedException', message: 'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.' }, cls: ModelAccessError, hint: /aws-marketplace:Subscribe/ },
    { fault: { kind: 'http', status: 404, errorType: 'FTUFormNotFilled', message: 'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model.' }, cls: ModelAccessError, hint: /use-case form/ },
    { fault: { kind: 'http', errorType: 'ValidationException', message: 'Malformed input request: #: extraneous key [foo] is not permitted, please reformat your input and try again.' }, cls: BedrockValidationError, hint: /MAX_THINKING_TOKENS/ },
    { fault: { kind: 'http', errorType: 'ModelTimeoutException' }, cls: ModelTimeoutError, hint: /CLAUDE_CODE_MAX_OUTPUT_TOKENS/ },
    { fault: { kind: 'http', errorType: 'ServiceQuotaExceededException' }, cls: QuotaExceededError, hint: /quota/ },
  ];
  for (const { fault, cls, hint } of cases) {
    it(`${fault.kind === 'http' ? fault.errorType : ''} ${fault.kind === 'http' && fault.message ? fault.message.slice(0, 30) : ''} → ${cls.name}`, async () => {
      const emu = await emulator({ turns: [failing(fault, 5)] });
      const { p, waits } = await provider(makeConfig(emu.url));
      const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
      expect(err).toBeInstanceOf(cls);
      expect((err as BedrockError).hint).toMatch(hint);
      expect((err as BedrockError).message).not.toContain('\n');
      // Not retryable: one request, no wait.
      expect(emu.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream')).toHaveLength(1);
      expect(waits).toEqual([]);
    });
  }

  it('on-demand foundation id → OnDemandNotSupportedError naming the region’s inference profile (looked up with ListInferenceProfiles)', async () => {
    const emu = await emulator({ turns: [] });
    const { p } = await provider(makeConfig(emu.url, { region: 'us-east-1', models: { main: { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0' } } }));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(OnDemandNotSupportedError);
    expect((err as BedrockError).hint).toBe('use the inference profile us.anthropic.claude-sonnet-4-5-20250929-v1:0 (set ANTHROPIC_MODEL or --model)');
    expect(emu.requests.map((r) => r.operation)).toEqual(['InvokeModelWithResponseStream', 'ListInferenceProfiles']);
    expect(emu.requests[1].auth.ok).toBe(true);
  });

  it('on-demand hint falls back to the computed profile id when profiles cannot be listed', async () => {
    const emu = await emulator({ turns: [] }, 'eu-west-1');
    // Profiles listed in the eu region would not be reachable here: the control endpoint is a dead port.
    const { p } = await provider(makeConfig(emu.url, { region: 'eu-west-1', controlEndpoint: 'http://127.0.0.1:9', models: { main: { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'eu-west-1' } } }), { credentials: new TestCredentials() });
    const err = await catchError(p.invoke(simpleRequest(), { role: 'main' }));
    expect(err).toBeInstanceOf(OnDemandNotSupportedError);
    expect((err as BedrockError).hint).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('unknown model id → UnknownModelError naming the closest profile', async () => {
    const emu = await emulator({ turns: [] });
    const { p } = await provider(makeConfig(emu.url, { models: { main: { id: 'us.anthropic.claude-sonet-4-5-20250929-v1:0' } } }));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(UnknownModelError);
    expect((err as BedrockError).hint).toContain('did you mean us.anthropic.claude-sonnet-4-5-20250929-v1:0?');
    expect((err as BedrockError).hint).toContain('bcode doctor');
  });
});

describe('R1 retryable faults: bounded backoff', () => {
  const retryable: Array<{ fault: ScenarioFault; cls: new (...a: never[]) => BedrockError; reason: string }> = [
    { fault: { kind: 'http', errorType: 'ThrottlingException', message: 'Too many tokens, please wait before trying again.' }, cls: ThrottledError, reason: 'rate_limit' },
    { fault: { kind: 'http', errorType: 'ModelNotReadyException' }, cls: ModelNotReadyError, reason: 'server_error' },
    { fault: { kind: 'http', errorType: 'InternalServerException' }, cls: ServiceUnavailableError, reason: 'server_error' },
    { fault: { kind: 'http', errorType: 'ServiceUnavailableException' }, cls: ServiceUnavailableError, reason: 'overloaded' },
    { fault: { kind: 'drop', afterChunks: 0 }, cls: NetworkError, reason: 'network_error' },
    { fault: { kind: 'exception', afterChunks: 0, exceptionType: 'throttlingException' }, cls: ThrottledError, reason: 'rate_limit' },
    { fault: { kind: 'exception', afterChunks: 1, exceptionType: 'internalServerException' }, cls: ServiceUnavailableError, reason: 'server_error' },
    { fault: { kind: 'exception', afterChunks: 1, exceptionType: 'serviceUnavailableException' }, cls: ServiceUnavailableError, reason: 'overloaded' },
    { fault: { kind: 'exception', afterChunks: 1, exceptionType: 'modelStreamErrorException' }, cls: ModelError, reason: 'server_error' },
    { fault: { kind: 'corrupt', afterChunks: 0 }, cls: MalformedStreamError, reason: 'server_error' },
  ];
  for (const { fault, cls, reason } of retryable) {
    const label = fault.kind === 'http' ? fault.errorType : fault.kind === 'exception' ? `${fault.exceptionType} after ${fault.afterChunks} chunks` : `${fault.kind} after ${'afterChunks' in fault ? fault.afterChunks : 0} chunks`;
    it(`${label}: retried up to the bound, then ${cls.name}`, async () => {
      const emu = await emulator({ turns: [failing(fault, 100)] });
      const { onRetry, notices } = retryCollector();
      const { p, waits } = await provider(makeConfig(emu.url), { retry: { maxRetries: 3, baseDelayMs: 100 } });
      const seen: StreamEvent[] = [];
      const err = await catchError((async () => { for await (const e of p.stream(simpleRequest(), { role: 'main', onRetry })) seen.push(e); })());
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toContain('gave up after 3 retries');
      expect(notices.map((n) => n.attempt)).toEqual([1, 2, 3]);
      expect(notices.every((n) => n.reason === reason && n.maxRetries === 3)).toBe(true);
      expect(waits).toEqual([50, 100, 200]);
      expect(emu.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream')).toHaveLength(4);
      // Nothing from the failed attempts leaked to the caller (message_start is held back).
      expect(seen).toEqual([]);
    });
  }

  it('a retryable fault that clears is invisible to the caller except for the notices', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'exception', afterChunks: 1, exceptionType: 'internalServerException' }, 1), ok('second try')] });
    const { onRetry, notices } = retryCollector();
    const { p } = await provider(makeConfig(emu.url));
    const events = await collect(p.stream(simpleRequest(), { role: 'main', onRetry }));
    expect(events.filter((e) => e.type === 'message_start')).toHaveLength(1);
    expect(events.map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '')).join('')).toBe('second try');
    expect(notices).toHaveLength(1);
  });

  it('invoke() retries the same way', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'http', errorType: 'ThrottlingException' }, 2), ok('done')] });
    const { onRetry, notices } = retryCollector();
    const { p } = await provider(makeConfig(emu.url));
    const msg = await p.invoke(simpleRequest(), { role: 'smallFast', onRetry });
    expect(msg.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(notices).toHaveLength(2);
  });

  it('stops at the total-time bound before the count bound', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'http', errorType: 'ThrottlingException' }, 100)] });
    let clock = 0;
    const { onRetry, notices } = retryCollector();
    // A request timeout below the budget leaves the budget as set (a longer one grows it, see retry-resilience.test.ts).
    const p = await createProvider({ ...makeConfig(emu.url), apiTimeoutMs: 5_000 }, {
      credentials: new TestCredentials(),
      now: () => clock,
      random: () => 1,
      sleep: async (ms) => void (clock += ms),
      retry: { maxRetries: 50, baseDelayMs: 1000, maxDelayMs: 4000, maxTotalMs: 10_000 },
    });
    const err = await catchError(p.invoke(simpleRequest(), { role: 'main', onRetry }));
    expect(err).toBeInstanceOf(ThrottledError);
    // 1000 + 2000 + 4000 = 7000; the next 4000 would pass 10 s.
    expect(notices.map((n) => n.delayMs)).toEqual([1000, 2000, 4000]);
  });

  it('non-retryable mid-stream exception (validationException) is not retried', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'exception', afterChunks: 0, exceptionType: 'validationException', message: 'bad request' }, 5)] });
    const { p, waits } = await provider(makeConfig(emu.url));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(BedrockValidationError);
    expect(waits).toEqual([]);
  });

  it('modelTimeoutException mid-stream → ModelTimeoutError', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'exception', afterChunks: 0, exceptionType: 'modelTimeoutException' }, 5)] });
    const { p } = await provider(makeConfig(emu.url));
    expect(await catchError(collect(p.stream(simpleRequest(), { role: 'main' })))).toBeInstanceOf(ModelTimeoutError);
  });
});

describe('failures after content was delivered', () => {
  const after: Array<[string, ScenarioFault, boolean]> = [
    ['exception', { kind: 'exception', afterChunks: 3, exceptionType: 'internalServerException' }, true],
    ['drop', { kind: 'drop', afterChunks: 3 }, true],
    ['corrupt frame', { kind: 'corrupt', afterChunks: 3 }, true],
    ['non-retryable exception', { kind: 'exception', afterChunks: 3, exceptionType: 'validationException' }, false],
  ];
  for (const [label, fault, retryable] of after) {
    it(`${label} → StreamInterruptedError (retryable: ${retryable}), never replayed silently`, async () => {
      const emu = await emulator({ turns: [failing(fault, 5)] });
      const { onRetry, notices } = retryCollector();
      const { p } = await provider(makeConfig(emu.url));
      const seen: StreamEvent[] = [];
      const err = await catchError((async () => { for await (const e of p.stream(simpleRequest(), { role: 'main', onRetry })) seen.push(e); })());
      expect(err).toBeInstanceOf(StreamInterruptedError);
      expect((err as StreamInterruptedError).retryable).toBe(retryable);
      expect((err as StreamInterruptedError).hint).toBeTruthy();
      expect(seen.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
      expect(notices).toEqual([]);
      expect(emu.requests).toHaveLength(1);
    });
  }
});

describe('R5 malformed responses', () => {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const chunk = (payload: string): Uint8Array =>
    codec.encode({
      headers: { ':event-type': { type: 'string', value: 'chunk' }, ':content-type': { type: 'string', value: 'application/json' }, ':message-type': { type: 'string', value: 'event' } },
      body: fromUtf8(JSON.stringify({ bytes: Buffer.from(payload).toString('base64') })),
    });

  it('a chunk whose payload is not JSON → MalformedStreamError, not a crash', async () => {
    const server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.end(Buffer.from(chunk('{"type":"message_start", oops')));
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(MalformedStreamError);
    expect((err as Error).message).toContain('not JSON');
  });

  it('an Anthropic error event in the stream (overloaded_error) is retried like a 503', async () => {
    let calls = 0;
    const server = await startRawServer((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.end(Buffer.from(chunk(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))));
    });
    open.push(server);
    const { onRetry, notices } = retryCollector();
    const { p } = await provider(makeConfig(server.url), { retry: { maxRetries: 2 } });
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main', onRetry })));
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(notices.map((n) => n.reason)).toEqual(['overloaded', 'overloaded']);
    expect(calls).toBe(3);
  });

  it('an event of the wrong shape → MalformedStreamError', async () => {
    const server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.end(Buffer.from(chunk(JSON.stringify({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } }))));
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(MalformedStreamError);
    expect((err as Error).message).toContain('has no index');
  });

  it('a 200 that is not an event stream → BadContentTypeError with the documented message', async () => {
    const emu = await emulator({ turns: [ok()] });
    const gw = await startProxy(emu.url, { contentType: 'text/html; charset=utf-8' });
    open.push(gw);
    const { p, waits } = await provider(makeConfig(gw.url));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(BadContentTypeError);
    expect((err as Error).message).toBe('Bedrock streaming response has content-type "text/html; charset=utf-8"; expected "application/vnd.amazon.eventstream"');
    expect((err as BadContentTypeError).hint).toContain('ANTHROPIC_BEDROCK_BASE_URL');
    expect(waits).toEqual([]);
  });

  it('a gateway error page (non-JSON body) is described, not quoted', async () => {
    const server = await startRawServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>');
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url), { retry: { maxRetries: 0 } });
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain(`HTTP 502 from ${new URL(server.url).host} (text/html body)`);
    expect(message).not.toContain('<html>');
    const err2 = await catchError(p.invoke(simpleRequest(), { role: 'main' }));
    expect((err2 as Error).message).toContain('(text/html body)');
  });

  it('InvokeModel answering with broken JSON → MalformedStreamError', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'corrupt', afterChunks: 0 }, 5)] });
    const { p } = await provider(makeConfig(emu.url));
    expect(await catchError(p.invoke(simpleRequest(), { role: 'main' }))).toBeInstanceOf(MalformedStreamError);
  });

  it('guardrail interventions are reported as notices', async () => {
    const server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'm', type: 'message', role: 'assistant', model: 'x', content: [{ type: 'text', text: 'Sorry, blocked.' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 }, 'amazon-bedrock-guardrailAction': 'INTERVENED' }));
    });
    open.push(server);
    const notices: string[] = [];
    const { p } = await provider(makeConfig(server.url));
    await p.invoke(simpleRequest(), { role: 'main', onNotice: (t) => notices.push(t) });
    expect(notices.join('\n')).toContain('blocked by a guardrail');
  });
});

describe('unreachable endpoint', () => {
  it('a refused connection is not retried and names ANTHROPIC_BEDROCK_BASE_URL', async () => {
    const { p, waits } = await provider(makeConfig('http://127.0.0.1:9'));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(EndpointUnreachableError);
    expect((err as EndpointUnreachableError).message).toContain('ECONNREFUSED');
    expect((err as EndpointUnreachableError).hint).toContain('ANTHROPIC_BEDROCK_BASE_URL');
    expect(waits).toEqual([]);
  });
});

describe('timeouts and interrupts', () => {
  it('API_TIMEOUT_MS bounds the wait for the response → RequestTimeoutError (retried, then reported)', async () => {
    const emu = await emulator({ turns: [{ faults: [{ kind: 'delay', firstByteMs: 1500 }], times: 5, reply: { content: [{ type: 'text', text: 'late' }] } }] });
    const { onRetry, notices } = retryCollector();
    const { p } = await provider(makeConfig(emu.url, { apiTimeoutMs: 150 }), { retry: { maxRetries: 1 } });
    const err = await catchError(p.invoke(simpleRequest(), { role: 'main', onRetry }));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as RequestTimeoutError).hint).toContain('API_TIMEOUT_MS');
    expect(notices).toHaveLength(1);
  });

  it('an abort stops reading the stream, closes the connection at once and surfaces InterruptedError', async () => {
    // A stream that goes silent after its first delta: only the abort can end it (API_TIMEOUT_MS is 10 s here).
    let closedAt: number | undefined;
    const server = await startRawServer((req, res) => {
      res.socket?.once('close', () => (closedAt = Date.now()));
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.write(chunkFrame({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }, 0));
      res.write(chunkFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 1));
      res.write(chunkFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'partial' } }, 2));
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url));
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    let abortedAt = 0;
    const err = await catchError((async () => {
      for await (const e of p.stream(simpleRequest(), { role: 'main', signal: controller.signal })) {
        seen.push(e);
        if (e.type === 'content_block_delta') {
          // Abort while the reader waits for a frame that never comes.
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort();
          }, 20);
        }
      }
    })());
    expect(err).toBeInstanceOf(InterruptedError);
    expect(seen.at(-1)?.type).toBe('content_block_delta');
    for (let i = 0; i < 50 && closedAt === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closedAt).toBeDefined();
    expect((closedAt ?? 0) - abortedAt).toBeLessThan(300);
  });

  it('an abort while InvokeModel reads a silent body closes the connection', async () => {
    let closed = false;
    const server = await startRawServer((_req, res) => {
      res.socket?.once('close', () => (closed = true));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"m",');
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await catchError(p.invoke(simpleRequest(), { role: 'main', signal: controller.signal }))).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(1000);
    for (let i = 0; i < 30 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });

  it('silence before the response headers → RequestTimeoutError (stream)', async () => {
    const server = await startRawServer(() => {
      // never answers
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url, { apiTimeoutMs: 100 }), { retry: { maxRetries: 0 } });
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as RequestTimeoutError).hint).toContain('API_TIMEOUT_MS');
  });

  it('silence mid-stream → the typed timeout, not a connection reset', async () => {
    const server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.write(chunkFrame({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }, 0));
      res.write(chunkFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 1));
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url, { apiTimeoutMs: 150 }));
    const err = await catchError(collect(p.stream(simpleRequest(), { role: 'main' })));
    expect(err).toBeInstanceOf(StreamInterruptedError);
    const cause = (err as StreamInterruptedError).cause;
    expect(cause).toBeInstanceOf(RequestTimeoutError);
    expect((cause as RequestTimeoutError).hint).toContain('API_TIMEOUT_MS');
    expect((err as StreamInterruptedError).message).toContain('timed out');
  });

  it('silence in an InvokeModel body → RequestTimeoutError (retried, then reported)', async () => {
    let calls = 0;
    const server = await startRawServer((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"m",');
    });
    open.push(server);
    const { p } = await provider(makeConfig(server.url, { apiTimeoutMs: 100 }), { retry: { maxRetries: 1 } });
    const err = await catchError(p.invoke(simpleRequest(), { role: 'main' }));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(calls).toBe(2);
  });

  it('an abort during a backoff wait ends the call at once', async () => {
    const emu = await emulator({ turns: [failing({ kind: 'http', errorType: 'ThrottlingException' }, 100)] });
    const controller = new AbortController();
    const p = await createProvider(makeConfig(emu.url), {
      credentials: new TestCredentials(),
      sleep: async () => controller.abort(),
    });
    expect(await catchError(p.invoke(simpleRequest(), { role: 'main', signal: controller.signal }))).toBeInstanceOf(InterruptedError);
    expect(emu.requests).toHaveLength(1);
  });
});
