import type { IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ClientAuth } from './clients.js';
import { badContentTypeError, type ErrorContext } from './errors.js';
import { debug } from '../util/debug.js';
import { nodeAgentFor } from '../net/node-agent.js';

/**
 * The wire under the provider: Bedrock Runtime's two model operations (InvokeModel and
 * InvokeModelWithResponseStream) as plain HTTP/1.1 requests, signed by the AWS SDK's own SigV4
 * signer (`@smithy/signature-v4`) and with the response stream framed and decoded by the SDK's
 * own event-stream code (`@smithy/core/event-streams`). Nothing here signs or parses frames by
 * hand; it replaces only the generic client middleware stack, which costs ~100 ms of module
 * loading before the first request (see docs/provider.md, "The request path").
 *
 * Failures are thrown in the shape the SDK gives them (`name` = the AWS exception name from
 * `x-amzn-ErrorType` / the body / `:exception-type`, `$metadata.httpStatusCode`, `requestId`),
 * so `classifyError` sorts them exactly as before.
 */

export interface TransportSpec {
  region: string;
  endpoint: string;
  auth: ClientAuth;
  timeoutMs: number;
  /** B28: the longest silence allowed once a stream has started (default 60 s, never above timeoutMs). */
  idleTimeoutMs?: number;
  /** Keep-alive sockets idle this long are closed, not reused (default ~5 min, below the servers' own limit). */
  keepAliveIdleMs?: number;
  customHeaders: Record<string, string>;
}

/** B28 default: a stream that started and then says nothing for this long is abandoned and re-requested. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;
/**
 * A pooled connection unused this long is closed rather than reused: load balancers and
 * gateways drop idle connections at about 5 minutes, and a request written to a socket the
 * other side has just closed fails with a reset.
 */
export const KEEP_ALIVE_IDLE_MS = 290_000;

/** The keep-alive agent's options (Node closes a pooled socket once `timeout` passes unused). */
export function agentOptions(spec: Pick<TransportSpec, 'keepAliveIdleMs'>): { keepAlive: true; maxSockets: number; timeout: number } {
  return { keepAlive: true, maxSockets: 50, timeout: spec.keepAliveIdleMs ?? KEEP_ALIVE_IDLE_MS };
}

export interface InvokeResult {
  body: Uint8Array;
  /** X-Amzn-Bedrock-Service-Tier of the answer: the tier Bedrock served the request on (B29). */
  serviceTier?: string;
}

export interface StreamResult {
  /** The events of the stream: `{ chunk: { bytes } }` as the SDK yields them. */
  body: AsyncIterable<{ chunk?: { bytes?: Uint8Array } }>;
  serviceTier?: string;
}

export interface Transport {
  /** `extra`: per-request headers (service tier, request metadata), signed with the rest. */
  invoke(modelId: string, body: Uint8Array, signal?: AbortSignal, extra?: Record<string, string>): Promise<InvokeResult>;
  stream(modelId: string, body: Uint8Array, ctx: ErrorContext, signal?: AbortSignal, extra?: Record<string, string>): Promise<StreamResult>;
}

const EVENT_STREAM = 'application/vnd.amazon.eventstream';
const SIGNING_NAME = 'bedrock';

/** Headers the transport or the signer computes; a custom header never replaces them. */
const TRANSPORT_HEADERS = ['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'accept', 'x-amzn-bedrock-accept', 'user-agent', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

declare const BCODE_VERSION: string;
/** Sent on every model request (not signed: SigV4 leaves `user-agent` out). */
export const USER_AGENT = `bcode/${typeof BCODE_VERSION === 'string' ? BCODE_VERSION : 'dev'}`;

interface Signer {
  sign(request: SignableRequest, options: { signingDate: Date }): Promise<SignableRequest>;
}

interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** One model id as one path segment, the way the SDK encodes labels (`:` → %3A, `/` → %2F). */
export function encodeLabel(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** AWS exception names come as `Name`, `Name:http://…`, `prefix#Name` (the SDK's own clean-up). */
export function sanitizeErrorCode(raw: string): string {
  let v = raw;
  if (v.includes(',')) v = v.split(',')[0];
  if (v.includes(':')) v = v.split(':')[0];
  if (v.includes('#')) v = v.split('#')[1];
  return v.trim();
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function metadata(res: IncomingMessage): { httpStatusCode?: number; requestId?: string } {
  return { httpStatusCode: res.statusCode, requestId: header(res, 'x-amzn-requestid') ?? header(res, 'x-amzn-request-id') ?? header(res, 'x-amz-request-id') };
}

/** An error shaped like the SDK's service exceptions (what classifyError reads). */
function serviceError(name: string, message: string, extra: Record<string, unknown>): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, extra);
}

function timeoutError(message: string): Error {
  return serviceError('TimeoutError', message, {});
}

function abortError(): Error {
  return serviceError('AbortError', 'Request aborted', {});
}

async function readAll(res: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of res) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A non-2xx answer becomes the exception the SDK would have thrown for it. */
async function httpError(res: IncomingMessage, host: string): Promise<Error> {
  const $metadata = metadata(res);
  let text = '';
  try {
    text = (await readAll(res)).toString('utf8');
  } catch {
    // The body broke off; the status and headers still say what happened.
  }
  let parsed: Record<string, unknown> = {};
  let parseFailed = false;
  if (text.trim() !== '') {
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object') parsed = v as Record<string, unknown>;
    } catch {
      parseFailed = true;
    }
  }
  const fromHeader = header(res, 'x-amzn-errortype');
  const code = fromHeader ? sanitizeErrorCode(fromHeader) : typeof parsed.code === 'string' ? sanitizeErrorCode(parsed.code) : typeof parsed.__type === 'string' ? sanitizeErrorCode(parsed.__type) : undefined;
  const name = code || String(res.statusCode ?? 'UnknownError');
  // A body that is not JSON (a gateway's HTML error page) is not shown: it says nothing useful.
  const bodyType = (header(res, 'content-type') ?? '').split(';')[0].trim() || 'non-JSON';
  const message = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : parseFailed ? `HTTP ${res.statusCode ?? '?'} from ${host} (${bodyType} body)` : '';
  return serviceError(name, message || name, { $metadata, $fault: (res.statusCode ?? 500) >= 500 ? 'server' : 'client', ...(typeof parsed.originalStatusCode === 'number' ? { originalStatusCode: parsed.originalStatusCode } : {}) });
}

/** Exception names AWS rejects a request's time under (the AWS SDK's own list for skew correction). */
const CLOCK_SKEW_NAMES = new Set(['AuthFailure', 'InvalidSignatureException', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'SignatureDoesNotMatch']);
/** Names that always mean the request's time; the others only with a message saying so. */
const TIME_ONLY_NAMES = new Set(['RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed']);
const CLOCK_SKEW_MESSAGE = /signature expired|signature not yet current|too skewed|request (?:time|has expired)|in the future/i;

/**
 * A rejection for the request's time (the signing date too far from the server's clock):
 * `serverTime` from the answer's Date header, else from the message (`… (20250101T001000Z - 5 min.)`).
 */
export function clockSkewOf(err: Error, dateHeader: string | undefined): { serverTime?: number } | undefined {
  if (!CLOCK_SKEW_NAMES.has(err.name)) return undefined;
  if (!TIME_ONLY_NAMES.has(err.name) && !CLOCK_SKEW_MESSAGE.test(err.message)) return undefined;
  const fromHeader = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isFinite(fromHeader)) return { serverTime: fromHeader };
  const m = /\((\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\s*[-+]/.exec(err.message);
  return m ? { serverTime: Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) } : {};
}

type Operation = 'invoke' | 'invoke-with-response-stream';

/** A model request as it goes on the wire: the path (base path included) and every header. */
export interface WireRequest {
  path: string;
  headers: Record<string, string>;
}

/**
 * Builds a model request exactly as the transport sends it — path, headers, SigV4 signature at
 * `signingDate` (or the bearer key) — without sending it. The transport sends what this returns;
 * the SigV4 oracle test (test/bedrock/sigv4-oracle.test.ts) checks it against independent vectors.
 */
export function requestBuilder(spec: TransportSpec): (op: Operation, modelId: string, body: Uint8Array, signingDate: Date, extra?: Record<string, string>) => Promise<WireRequest> {
  const url = new URL(spec.endpoint);
  const signer = makeSigner(spec);
  const basePath = url.pathname.replace(/\/+$/, '');
  const hostHeader = url.host;
  // The configuration refuses these already (src/config/headers.ts); the wire does not rely on it.
  const owned = new Set([...TRANSPORT_HEADERS, ...(spec.auth.mode === 'none' ? [] : ['authorization'])]);
  const customHeaders = Object.fromEntries(Object.entries(spec.customHeaders).map(([k, v]) => [k.toLowerCase(), v]).filter(([k]) => !owned.has(k)));
  return async (op, modelId, body, signingDate, extra) => {
    const accept: Record<string, string> = op === 'invoke' ? { accept: 'application/json' } : { 'x-amzn-bedrock-accept': 'application/json' };
    let req: SignableRequest = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: `${basePath}/model/${encodeLabel(modelId)}/${op}`,
      query: {},
      // Custom headers first: the ones computed here (and the signer's) always win over them.
      headers: { ...customHeaders, ...lowerKeys(extra, owned), host: hostHeader, 'content-type': 'application/json', ...accept, 'content-length': String(body.byteLength), 'user-agent': USER_AGENT },
      body,
    };
    if (signer) req = await signer.sign(req, { signingDate });
    if (spec.auth.mode === 'bearer') req.headers.authorization = `Bearer ${spec.auth.bearerToken ?? ''}`;
    return { path: req.path, headers: req.headers };
  };
}

export async function createTransport(spec: TransportSpec): Promise<Transport> {
  const url = new URL(spec.endpoint);
  const https = url.protocol === 'https:';
  const build = requestBuilder(spec);
  const signed = spec.auth.mode === 'sigv4';
  const { request: send, Agent } = https ? await import('node:https') : await import('node:http');
  // The proxy and extra CAs in effect (B27) when any apply to this endpoint; Node's plain agent otherwise.
  const agent = (await nodeAgentFor(url, agentOptions(spec))) ?? new Agent(agentOptions(spec));
  const idleMs = Math.min(spec.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS, spec.timeoutMs);
  const hostHeader = url.host;
  const connectTimeoutMs = Math.min(spec.timeoutMs, 30_000);
  // Server time minus local time, learnt from a clock-skew rejection; later requests are signed
  // at now + offset (as the AWS SDK's systemClockOffset does).
  let clockOffsetMs = 0;

  async function request(op: Operation, modelId: string, body: Uint8Array, signal?: AbortSignal, extra?: Record<string, string>): Promise<IncomingMessage> {
    if (signal?.aborted) throw abortError();
    const req = await build(op, modelId, body, new Date(Date.now() + clockOffsetMs), extra);
    const sentAt = performance.now();
    debug('http', () => `POST ${url.protocol}//${hostHeader}${req.path} (${body.byteLength} bytes, ${spec.auth.mode === 'sigv4' ? `SigV4 for ${spec.region}` : spec.auth.mode === 'bearer' ? 'bearer key' : 'unsigned'})`);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = send({ protocol: url.protocol, hostname: url.hostname, port: url.port || undefined, method: 'POST', path: req.path, headers: req.headers, agent });
      let connectTimer: NodeJS.Timeout | undefined;
      let response: IncomingMessage | undefined;
      const release = () => {
        clearTimeout(connectTimer);
        signal?.removeEventListener('abort', onAbort);
      };
      // Until the answer arrives the request is failed; after that, the body: whoever reads it
      // then sees this error (the timeout or the abort), not the ECONNRESET of a torn socket.
      const fail = (err: Error) => {
        release();
        if (response) {
          if (!response.destroyed) response.destroy(err);
          return;
        }
        r.destroy(err);
        reject(err);
      };
      // The listener stays until the body has ended, so an interrupt closes the connection at
      // once even while a reader waits for the next frame of a silent stream.
      const onAbort = () => fail(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      // The proxy's answer to CONNECT (proxy-agent emits it): anything but 200 is the proxy's own
      // refusal, replayed as if it were the response; it is reported as the proxy's, not Bedrock's.
      let proxyStatus: number | undefined;
      r.on('proxyConnect', (connect: { statusCode?: number }) => {
        if (connect.statusCode !== 200) proxyStatus = connect.statusCode;
      });
      r.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail(timeoutError(`Socket timed out without establishing a connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      // Idle time on the socket: the wait for the response headers and any silence mid-stream.
      const onTimeout = () => fail(timeoutError(`Connection timed out after ${spec.timeoutMs} ms`));
      r.setTimeout(spec.timeoutMs, onTimeout);
      r.on('error', (err) => {
        release();
        debug('http', () => `${op} failed after ${Math.round(performance.now() - sentAt)} ms: ${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}`);
        reject(err);
      });
      r.on('response', (res) => {
        clearTimeout(connectTimer);
        debug('http', () => `${op} answered ${res.statusCode} in ${Math.round(performance.now() - sentAt)} ms, request id ${header(res, 'x-amzn-requestid') ?? 'none'}${header(res, 'x-amzn-errortype') ? `, ${header(res, 'x-amzn-errortype')}` : ''}`);
        if (proxyStatus !== undefined) {
          res.destroy();
          fail(Object.assign(new Error(`the proxy answered CONNECT with HTTP ${proxyStatus}`), { name: 'ProxyConnectError', proxyStatus }));
          return;
        }
        response = res;
        res.once('close', release);
        // B28: once the stream has started, silence is bounded by the idle limit instead.
        if (op === 'invoke-with-response-stream' && idleMs < spec.timeoutMs && (res.statusCode ?? 0) < 300) {
          r.removeListener('timeout', onTimeout);
          r.setTimeout(idleMs, () => fail(serviceError('StreamIdleTimeout', `no event for ${idleMs} ms after the stream started (BCODE_STREAM_IDLE_TIMEOUT_MS)`, {})));
        }
        resolve(res);
      });
      r.end(body, () => {
        // The decoder is needed once the answer comes; load it while the request is out (a
        // failure to load is reported by the await in decodeEvents).
        loadEventStreams().catch(() => {});
      });
    });
  }

  /**
   * One exchange, answered 2xx; anything else thrown as the SDK's exception. A rejection for
   * clock skew corrects the signing clock from the server's time and is sent once more; if it
   * cannot be corrected, it is thrown marked `clockSkew` (a clock problem, not expired
   * credentials: refreshing them would not help).
   */
  async function exchange(op: Operation, modelId: string, body: Uint8Array, signal?: AbortSignal, extra?: Record<string, string>): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const res = await request(op, modelId, body, signal, extra);
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      const err = await httpError(res, hostHeader);
      const skew = signed ? clockSkewOf(err, header(res, 'date')) : undefined;
      if (!skew) throw err;
      const offset = skew.serverTime === undefined ? undefined : skew.serverTime - Date.now();
      // The Date header has one-second resolution: a smaller difference is not the cause.
      if (offset !== undefined && Math.abs(offset - clockOffsetMs) >= 1000) {
        clockOffsetMs = offset;
        if (attempt === 0) continue;
      }
      throw Object.assign(err, { clockSkew: { offsetMs: offset } });
    }
  }

  return {
    async invoke(modelId, body, signal, extra) {
      const res = await exchange('invoke', modelId, body, signal, extra);
      return { body: new Uint8Array(await readAll(res)), serviceTier: header(res, 'x-amzn-bedrock-service-tier') };
    },
    async stream(modelId, body, ctx, signal, extra) {
      const res = await exchange('invoke-with-response-stream', modelId, body, signal, extra);
      const type = header(res, 'content-type');
      if (!type || !type.toLowerCase().startsWith(EVENT_STREAM)) {
        res.destroy();
        throw badContentTypeError(type ?? '(none)', ctx);
      }
      return { body: await decodeEvents(res), serviceTier: header(res, 'x-amzn-bedrock-service-tier') };
    },
  };
}

/** Per-request headers, lower-cased; never one the transport or the signer owns. */
function lowerKeys(extra: Record<string, string> | undefined, owned: Set<string>): Record<string, string> {
  if (!extra) return {};
  return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), v]).filter(([k]) => !owned.has(k)));
}

function makeSigner(spec: TransportSpec): Signer | undefined {
  if (spec.auth.mode !== 'sigv4') return undefined;
  const source = spec.auth.credentials;
  if (!source) throw new Error('internal: SigV4 transport without a credential source');
  return new SignatureV4({
    service: SIGNING_NAME,
    region: spec.region,
    // The source caches and refreshes on its own schedule (B7); it is asked on every request.
    credentials: async () => {
      const c = await source.get();
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: true,
  }) as unknown as Signer;
}

let eventStreams: Promise<typeof import('@smithy/core/event-streams')> | undefined;
const loadEventStreams = () => (eventStreams ??= import('@smithy/core/event-streams'));

/**
 * The response body as the SDK's event stream: frames split and checked (lengths, CRCs) by the
 * SDK's codec; `chunk` events yielded, modelled exceptions thrown with their AWS name.
 */
async function decodeEvents(res: IncomingMessage): Promise<AsyncIterable<{ chunk?: { bytes?: Uint8Array } }>> {
  const { EventStreamCodec, getChunkedStream } = await loadEventStreams();
  const utf8 = new TextDecoder();
  const encoder = new TextEncoder();
  const codec = new EventStreamCodec((b: Uint8Array) => utf8.decode(b), (s: string) => encoder.encode(s));
  const frames = getChunkedStream(res as AsyncIterable<Uint8Array>);
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const frame of frames) {
          const message = codec.decode(frame);
          const h = message.headers;
          const kind = h[':message-type']?.value;
          if (kind === 'error') {
            throw serviceError(String(h[':error-code']?.value ?? 'UnknownError'), String(h[':error-message']?.value ?? 'UnknownError'), {});
          }
          if (kind === 'exception') {
            const code = String(h[':exception-type']?.value ?? 'UnknownError');
            const text = utf8.decode(message.body);
            let parsed: Record<string, unknown> = {};
            try {
              const v: unknown = JSON.parse(text);
              if (v && typeof v === 'object') parsed = v as Record<string, unknown>;
            } catch {
              // Not JSON: the text itself is the message.
            }
            const message_ = typeof parsed.message === 'string' ? parsed.message : typeof parsed.Message === 'string' ? parsed.Message : text;
            // Modelled exceptions come out under their class name (throttlingException → ThrottlingException).
            throw serviceError(code.charAt(0).toUpperCase() + code.slice(1), message_, {
              $metadata: {},
              ...(typeof parsed.originalStatusCode === 'number' ? { originalStatusCode: parsed.originalStatusCode } : {}),
            });
          }
          if (h[':event-type']?.value !== 'chunk') continue; // unknown event types are skipped, as the SDK does
          const payload = JSON.parse(utf8.decode(message.body)) as { bytes?: unknown };
          yield { chunk: { bytes: typeof payload.bytes === 'string' ? new Uint8Array(Buffer.from(payload.bytes, 'base64')) : undefined } };
        }
      } finally {
        // Stopped early (an abort, an error): release the connection.
        if (!res.complete) res.destroy();
      }
    },
  };
}
