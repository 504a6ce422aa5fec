import { controlEndpoint } from '../config/endpoints.js';
import type { Config, ModelTarget } from '../config/types.js';
import { BcodeError, InterruptedError } from '../errors.js';
import { debug } from '../util/debug.js';
import { addSecret } from '../util/redact.js';
import type { Message, MessagesRequest, StreamEvent } from './anthropic.js';
import { bearerKeyRejectedError, bearerKeyWarning } from './bearer-key.js';
import { createCredentialSource } from './credentials.js';
import type { AwsCredentials, CredentialSource } from './credentials-types.js';
import {
  BedrockError,
  MalformedStreamError,
  NetworkError,
  OnDemandNotSupportedError,
  StreamInterruptedError,
  UnknownModelError,
  classifyError,
  fromAnthropicErrorEvent,
  isCredentialError,
  retryReason,
  retryStatus,
  type ErrorContext,
} from './errors.js';
import { closestId } from './model-hints.js';
import { createRequestShaper } from '../models/shaper.js';
import { buildRequestBody } from './request-body.js';
import { FailoverState, type FailoverNotice } from './failover.js';
import { guardrailHeaders, guardrailLabel, interventionOf, type GuardrailIntervention } from './guardrail.js';
import { backoffDelay, fitTimeout, mayRetry, realSleep, resolvePolicy, type RetryPolicy, type Sleep } from './retry.js';
import { decodeChunk, decodeMessage } from './stream-decode.js';
import { createTransport, type Transport } from './transport.js';
import type { CallOptions, Provider } from './types.js';

/**
 * The Bedrock provider (B3, B4, B10–B16, B18, R1): Anthropic Messages over Bedrock's Invoke
 * APIs through the official AWS SDK, with bcode's own bounded retry loop.
 *
 * Retry policy. Throttling, ModelNotReady, 5xx, connection resets, request timeouts and the
 * retryable mid-stream exceptions are retried with jittered exponential backoff, bounded by
 * count and by total time; each wait is reported through `onRetry` before it starts. A stream
 * is retried transparently only while nothing but `message_start`/`ping` has arrived (those are
 * held back until the first content event). Once content has been handed to the caller, a
 * failure ends the stream with a StreamInterruptedError (`retryable` says whether re-running
 * the turn makes sense) — replaying it silently would duplicate text the user already saw.
 * A credential error triggers one `credentials.refresh()` and one more attempt (B7); bearer
 * keys cannot be refreshed and are reported as such.
 */

export interface ProviderOptions {
  credentials?: CredentialSource;
  now?: () => number;
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
  /** Jitter source (tests make it deterministic). */
  random?: () => number;
  /** Per-request headers: service tier, request metadata (src/telemetry/monitor.ts). */
  requestHeaders?: (opts: CallOptions, modelId: string) => Promise<Record<string, string> | undefined>;
}

const PROFILE_LOOKUP_TIMEOUT_MS = 5_000;

interface CallState {
  retries: number;
  refreshed: boolean;
  startedAt: number;
  /** The credentials this attempt was signed with, so a late rejection of replaced keys does not refresh again. */
  signedWith?: AwsCredentials;
  /** A timed-out attempt has used its one retry that ignores the time bound. */
  timeoutRetried?: boolean;
}

export async function createProvider(config: Config, options: ProviderOptions = {}): Promise<Provider> {
  // R1: the time bound always leaves room to retry an attempt that used the whole request timeout.
  const policy = fitTimeout(resolvePolicy(options.retry), config.apiTimeoutMs);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  addSecret(config.auth.bearerToken);

  // Notices from the credential layer go to whichever call is running.
  let noticeSink: ((text: string) => void) | undefined;
  let credentials = options.credentials;
  if (config.auth.mode === 'sigv4' && !credentials) {
    credentials = createCredentialSource(config, { now, onNotice: (t) => noticeSink?.(t) });
  }

  // B22: every request is shaped for the model it goes to (src/models).
  const shaper = createRequestShaper(config, credentials);

  // One transport per (region, endpoint): the small/fast model may live in another region (B11)
  // and must be signed for it. Each transport asks the CredentialSource for every request.
  const clients = new Map<string, Promise<Transport>>();
  const clientFor = (target: ModelTarget): Promise<Transport> => {
    const key = `${target.region}\n${target.endpoint}`;
    let c = clients.get(key);
    if (!c) {
      c = createTransport({
        region: target.region,
        endpoint: target.endpoint,
        auth: { mode: config.auth.mode, bearerToken: config.auth.bearerToken, credentials },
        timeoutMs: config.apiTimeoutMs,
        idleTimeoutMs: config.streamIdleTimeoutMs,
        customHeaders: config.customHeaders,
      });
      c.catch(() => clients.delete(key));
      clients.set(key, c);
    }
    return c;
  };

  let bearerChecked = false;
  const checkBearer = (target: ModelTarget, onNotice?: (t: string) => void): void => {
    if (bearerChecked || config.auth.mode !== 'bearer' || !config.auth.bearerToken) return;
    bearerChecked = true;
    const warning = bearerKeyWarning(config.auth.bearerToken, now(), config.customEndpoint ? undefined : target.region);
    if (warning) onNotice?.(`bcode: warning: ${warning}`);
  };

  const targetFor = (opts: CallOptions): ModelTarget => {
    const base = opts.role === 'smallFast' ? config.models.smallFast : config.models.main;
    return opts.modelId ? { ...base, id: opts.modelId } : base;
  };

  const contextFor = (target: ModelTarget, operation: 'stream' | 'invoke'): ErrorContext => ({
    modelId: target.id,
    region: target.region,
    endpoint: target.endpoint,
    authMode: config.auth.mode,
    customEndpoint: config.customEndpoint,
    renewal: { awsAuthRefresh: config.awsAuthRefresh !== undefined, awsCredentialExport: config.awsCredentialExport !== undefined },
    operation,
  });

  /**
   * Decides what happens after a failed attempt that delivered nothing to the caller:
   * resolves to continue (after a refresh or a wait), or throws the final typed error.
   */
  const afterFailure = async (e: BcodeError, state: CallState, opts: CallOptions, target: ModelTarget, restart = false): Promise<void> => {
    if (opts.signal?.aborted) throw new InterruptedError();
    if (e instanceof InterruptedError) throw e;
    debug('retry', () => `${target.id}: ${e.name}${e instanceof BedrockError ? ` (${[e.exceptionName, e.status && `HTTP ${e.status}`, e.requestId && `request id ${e.requestId}`].filter(Boolean).join(', ')})` : ''}: ${e.message}`);
    if (isCredentialError(e)) {
      if (config.auth.mode === 'bearer' && config.auth.bearerToken) throw bearerKeyRejectedError(config.auth.bearerToken, now(), e);
      if (config.auth.mode === 'sigv4' && credentials && !state.refreshed) {
        state.refreshed = true;
        const reason = e instanceof BedrockError && e.exceptionName ? e.exceptionName : 'credentials rejected';
        debug('retry', `credentials rejected: refreshing them, then one more attempt`);
        await credentials.refresh(`Bedrock answered ${reason}`, state.signedWith);
        return;
      }
      if (state.refreshed && e instanceof BedrockError) e.message = `${e.message} (still rejected after refreshing the credentials)`;
      throw e;
    }
    if (e instanceof BedrockError && e.retryable) {
      const retry = state.retries + 1;
      const delayMs = backoffDelay(retry, policy, random);
      // A timed-out attempt is retried at least once, whatever time it used (within the count).
      const timedOut = e.kind === 'request_timeout' && !state.timeoutRetried && retry <= policy.maxRetries;
      if (mayRetry(retry, delayMs, state.startedAt, now(), policy) || timedOut) {
        if (e.kind === 'request_timeout') state.timeoutRetried = true;
        state.retries = retry;
        debug('retry', `retry ${retry}/${policy.maxRetries} in ${delayMs} ms (${retryReason(e)})${restart ? ', the partial answer is dropped' : ''}`);
        const status = retryStatus(e);
        opts.onRetry?.({ attempt: retry, maxRetries: policy.maxRetries, delayMs, reason: retryReason(e), message: e.message, ...(status !== undefined ? { status } : {}), ...(restart ? { restart } : {}) });
        await sleep(delayMs, opts.signal);
        if (opts.signal?.aborted) throw new InterruptedError();
        return;
      }
      debug('retry', `not retried: ${retry > policy.maxRetries ? 'retry limit reached' : 'the time limit for retries would be passed'}`);
      if (state.retries > 0) e.message = `${e.message} (gave up after ${state.retries} ${state.retries === 1 ? 'retry' : 'retries'})`;
      throw e;
    }
    throw await withProfileHint(e, target, opts.signal);
  };

  /** Best effort: name the region's closest inference profile in unknown-model / on-demand hints. */
  const withProfileHint = async (e: BcodeError, target: ModelTarget, signal?: AbortSignal): Promise<BcodeError> => {
    if (!(e instanceof UnknownModelError || e instanceof OnDemandNotSupportedError)) return e;
    if (target.id.startsWith('arn:')) return e;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), PROFILE_LOOKUP_TIMEOUT_MS);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const { listInferenceProfiles } = await import('./profiles.js');
      const profiles = await listInferenceProfiles(config, {
        region: target.region,
        // A gateway serves every region at one URL; AWS has a control-plane host per region.
        endpoint: target.region === config.region || config.customEndpoint ? config.controlEndpoint : controlEndpoint(target.region),
        type: 'SYSTEM_DEFINED',
        signal: controller.signal,
        credentials,
        maxPages: 5,
      });
      const ids = profiles.map((p) => p.id).filter(Boolean);
      const match = closestId(target.id, ids, target.region);
      if (!match) {
        return rehint(e, `${e.hint ?? ''}; no inference profile in ${target.region} resembles '${target.id}' — run \`bcode doctor\` to list them`.replace(/^; /, ''));
      }
      const hint =
        e instanceof OnDemandNotSupportedError
          ? `use the inference profile ${match} (set ANTHROPIC_MODEL or --model)`
          : `did you mean ${match}? (run \`bcode doctor\` to list the inference profiles of ${target.region})`;
      return rehint(e, hint);
    } catch {
      return e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  // B24: one failover state per provider, so a switch holds across the session's turns.
  const failover = config.models.failover && config.models.failover.models.length > 0 ? new FailoverState(config.models.failover, now) : undefined;
  const guardrail = guardrailHeaders(config.customHeaders);
  const reportGuardrail = (value: unknown, opts: CallOptions): void => {
    const found: GuardrailIntervention | undefined = interventionOf(value, guardrail);
    if (!found) return;
    if (opts.onGuardrail) opts.onGuardrail(found);
    else opts.onNotice?.(`bcode: blocked by ${guardrailLabel(found)}${found.summary ? ` (${found.summary})` : ''}`);
  };
  const announce = (n: FailoverNotice, opts: CallOptions): void => {
    debug('retry', n.message);
    if (opts.onFailover) opts.onFailover(n);
    else opts.onNotice?.(n.message);
  };

  async function* stream(request: MessagesRequest, opts: CallOptions): AsyncGenerator<StreamEvent> {
    const primary = targetFor(opts);
    // The body is shaped for the model it goes to (B22): a failover to another model gets its own.
    const bodies = new Map<string, Uint8Array>();
    const bodyFor = async (t: typeof primary): Promise<Uint8Array> => {
      let made = bodies.get(t.id);
      if (!made) bodies.set(t.id, (made = new TextEncoder().encode(JSON.stringify(buildRequestBody(await shaper.shape(request, t, opts), config.promptCaching)))));
      return made;
    };
    const state: CallState = { retries: 0, refreshed: false, startedAt: now() };
    const chain = opts.role === 'main' ? failover : undefined;
    noticeSink = opts.onNotice;
    checkBearer(primary, opts.onNotice);
    let lastId = primary.id;
    // Consecutive failed attempts on the model in use (the failover bound).
    let failures = 0;

    for (;;) {
      if (opts.signal?.aborted) throw new InterruptedError();
      let modelId = primary.id;
      if (chain) {
        const pick = chain.current(primary.id);
        if (pick.returned) announce(pick.returned, opts);
        modelId = pick.id;
      }
      if (modelId !== lastId) failures = 0;
      lastId = modelId;
      const target = { ...primary, id: modelId };
      const ctx = contextFor(target, 'stream');
      const held: StreamEvent[] = [];
      let delivered = false;
      let sawStop = false;
      let reading = false;
      try {
        const body = await bodyFor(target);
        const extra = await options.requestHeaders?.(opts, target.id);
        const client = await clientFor(target);
        if (credentials && config.auth.mode === 'sigv4') state.signedWith = await credentials.get();
        const res = await client.stream(target.id, body, ctx, opts.signal, extra);
        if (!res.body) throw new MalformedStreamError('Bedrock returned no event stream', { kind: 'malformed_stream', retryable: true });
        reading = true;
        for await (const part of abortable(res.body, opts.signal)) {
          const event = eventOf(part);
          // B29: the tier Bedrock served the request on travels with the usage.
          if (event.type === 'message_start' && res.serviceTier) event.message.usage = { ...event.message.usage, service_tier: res.serviceTier };
          if (event.type === 'error') throw fromAnthropicErrorEvent(event.error, ctx);
          reportGuardrail(event, opts);
          if (event.type === 'message_stop') sawStop = true;
          if (!delivered) {
            if (event.type === 'message_start' || event.type === 'ping') {
              held.push(event);
              continue;
            }
            delivered = true;
            for (const h of held) yield h;
            held.length = 0;
          }
          yield event;
        }
        if (!sawStop) {
          throw new NetworkError('The Bedrock stream ended before message_stop', { kind: 'network', retryable: true }, {
            hint: 'the connection closed mid-answer; bcode retries automatically when nothing was shown yet',
          });
        }
        opts.onServedBy?.(target.id);
        return;
      } catch (err) {
        if (opts.signal?.aborted) throw new InterruptedError();
        let e = classifyError(err, ctx);
        if (e instanceof BedrockError && e.kind === 'unknown' && (reading || e.status === 200)) {
          // The SDK's frame decoder failed (bad length or CRC): the bytes were damaged on the way.
          e = new MalformedStreamError(`Bedrock's event stream could not be decoded: ${e.message.replace(/^Bedrock call failed: /, '')}`, { kind: 'malformed_stream', retryable: true }, {
            hint: 'the response was damaged in transit; if it repeats behind ANTHROPIC_BEDROCK_BASE_URL, check that the gateway passes the event stream through unchanged',
            cause: err,
          });
        }
        if (e instanceof InterruptedError) throw e;
        failures++;
        // A caller that cannot drop what it was given gets the interruption, as before.
        if (delivered && !opts.onRestart) throw interrupted(e);
        const move = chain && e instanceof BedrockError ? chain.next(primary.id, modelId, failures, e) : undefined;
        if (move) {
          announce(move, opts);
          // The next model gets a budget of its own; the list is finite, so this ends.
          state.retries = 0;
          state.startedAt = now();
          state.timeoutRetried = false;
          if (delivered) opts.onRestart?.();
          continue;
        }
        if (delivered) {
          // R1: the same backoff and bound as any retry, then the answer starts again; the
          // caller drops the partial one, so nothing reaches the user or the transcript twice.
          if (!(e instanceof BedrockError && e.retryable)) throw interrupted(e);
          try {
            await afterFailure(e, state, opts, target, true);
          } catch (final) {
            if (final instanceof InterruptedError) throw final;
            throw interrupted(final instanceof BcodeError ? final : e, false);
          }
          opts.onRestart?.();
          continue;
        }
        await afterFailure(e, state, opts, target);
      }
    }
  }

  async function invoke(request: MessagesRequest, opts: CallOptions): Promise<Message> {
    const target = targetFor(opts);
    const ctx = contextFor(target, 'invoke');
    const body = new TextEncoder().encode(JSON.stringify(buildRequestBody(await shaper.shape(request, target, opts), config.promptCaching)));
    const state: CallState = { retries: 0, refreshed: false, startedAt: now() };
    noticeSink = opts.onNotice;
    checkBearer(target, opts.onNotice);
    const extra = await options.requestHeaders?.(opts, target.id);
    for (;;) {
      if (opts.signal?.aborted) throw new InterruptedError();
      try {
        const client = await clientFor(target);
        if (credentials && config.auth.mode === 'sigv4') state.signedWith = await credentials.get();
        const res = await client.invoke(target.id, body, opts.signal, extra);
        const message = decodeMessage(res.body);
        if (res.serviceTier) message.usage = { ...message.usage, service_tier: res.serviceTier };
        reportGuardrail(message, opts);
        return message;
      } catch (err) {
        await afterFailure(classifyError(err, ctx), state, opts, target);
      }
    }
  }

  const signing = config.auth.mode === 'sigv4' ? credentials : undefined;
  return { stream, invoke, describeModel: (id, signal) => shaper.describe(id, signal), ...(signing ? { credentials: () => signing.get() } : {}) };
}

/** A chunk becomes a StreamEvent; an exception member of the union (if the SDK yields rather than throws it) becomes an error. */
function eventOf(part: unknown): StreamEvent {
  const p = part as Record<string, { bytes?: Uint8Array; message?: string; originalStatusCode?: number } | undefined>;
  if (p.chunk) return decodeChunk(p.chunk.bytes);
  const key = Object.keys(p).find((k) => p[k] !== undefined) ?? 'unknown';
  const inner = p[key] ?? {};
  throw Object.assign(new Error(inner.message ?? key), { name: key, originalStatusCode: inner.originalStatusCode });
}

/** `retryable: false` when the provider already spent the retry budget on it. */
function interrupted(e: BcodeError, retryableOverride?: boolean): StreamInterruptedError {
  const retryable = retryableOverride ?? (e instanceof BedrockError ? e.retryable : false);
  return new StreamInterruptedError(`The Bedrock stream was interrupted mid-answer: ${e.message}`, {
    kind: 'stream_interrupted',
    retryable,
    status: e instanceof BedrockError ? e.status : undefined,
    exceptionName: e instanceof BedrockError ? e.exceptionName : undefined,
  }, {
    hint: retryable ? 'part of the answer arrived before the failure; send the request again to retry the turn' : (e.hint ?? 'send the request again'),
    cause: e,
  });
}

/** The same error with another hint (BcodeError.hint is read-only). */
function rehint(e: BcodeError, hint: string): BcodeError {
  if (!(e instanceof BedrockError)) return e;
  const Ctor = e.constructor as new (...args: ConstructorParameters<typeof BedrockError>) => BedrockError;
  return new Ctor(e.message, { kind: e.kind, retryable: e.retryable, status: e.status, exceptionName: e.exceptionName, requestId: e.requestId }, { hint, cause: e.cause });
}

/** Iterates `source`, giving up as soon as `signal` aborts (and closing the source). */
async function* abortable<T>(source: AsyncIterable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(new InterruptedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  let finished = false;
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // Closing the SDK's iterator early releases the HTTP response.
    if (!finished) void Promise.resolve(it.return?.()).catch(() => {});
  }
}
