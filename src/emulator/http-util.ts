/** Small HTTP helpers shared by the emulator's handlers. */
import { constants as http2constants } from 'node:http2';
import type { Req, Res } from './server.js';
import { type AwsErrorReply, errorBody, errorHeaderValue } from './aws-errors.js';

export function readBody(req: Req): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * Header names lower-cased, repeated values joined as SigV4 canonicalisation expects. With
 * `pseudo`, HTTP/2 pseudo-headers stay in: the SDK signs `:authority` on HTTP/2 connections.
 */
export function flatHeaders(req: Req, pseudo = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || (!pseudo && name.startsWith(':'))) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const authority = req.headers[':authority'];
  if (out.host === undefined && typeof authority === 'string') out.host = authority;
  return out;
}

/** Whether the client or a fault already tore the response down. */
export function isGone(res: Res): boolean {
  return 'stream' in res ? res.stream.destroyed : res.destroyed;
}

export function sendJson(res: Res, status: number, body: unknown, requestId: string, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...extraHeaders,
  });
  res.end(text);
}

export function sendAwsError(res: Res, e: AwsErrorReply, requestId: string): void {
  const text = errorBody(e);
  res.writeHead(e.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': errorHeaderValue(e),
  });
  res.end(text);
}

/** Waits `ms`, or less when `signal` fires (the emulator is closing: a delay fault must not keep it alive). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Writes and waits for the socket to take the bytes, so a reader sees each frame as it is sent. */
export function writeAndDrain(res: Res, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (isGone(res) || res.writableEnded) return resolve();
    if ((res as ServerResponseLike).write(data)) setImmediate(resolve);
    else {
      // Both response kinds are EventEmitters; their typings just do not share `once`.
      const emitter = res as unknown as NodeJS.EventEmitter;
      emitter.once('drain', () => resolve());
      emitter.once('close', () => resolve());
    }
  });
}

/** The part of both response kinds' write API the emulator uses (their union is not callable). */
interface ServerResponseLike {
  write(data: Uint8Array): boolean;
}

/**
 * Cuts the connection mid-response. On HTTP/2 only this request's stream is reset
 * (RST_STREAM, INTERNAL_ERROR) so other requests sharing the session carry on.
 */
export function dropConnection(res: Res): void {
  if ('stream' in res) {
    res.stream.close(http2constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    res.socket?.destroy();
  }
}
