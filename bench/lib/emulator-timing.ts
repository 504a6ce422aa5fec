/**
 * How long the in-process emulator spends on each request, from Node's own HTTP diagnostics
 * channels (request parsed → response finished). The emulator needs no changes for this and
 * the numbers cover exactly the time a model call would take on the client's side.
 */
import dc from 'node:diagnostics_channel';
import { nowMs } from './stats.js';

export interface ServedRequest {
  startedAt: number;
  finishedAt: number;
  url: string;
}

const served: ServedRequest[] = [];
const starts = new WeakMap<object, number>();
let subscribed = false;

function onStart(message: unknown): void {
  const m = message as { request: object };
  starts.set(m.request, nowMs());
}

function onFinish(message: unknown): void {
  const m = message as { request: { url?: string } };
  const startedAt = starts.get(m.request);
  if (startedAt !== undefined) served.push({ startedAt, finishedAt: nowMs(), url: m.request.url ?? '' });
}

export function watchServer(): void {
  if (subscribed) return;
  dc.subscribe('http.server.request.start', onStart);
  dc.subscribe('http.server.response.finish', onFinish);
  subscribed = true;
}

/** Requests served since `mark` (an index from servedCount()). */
export function servedSince(mark: number): ServedRequest[] {
  return served.slice(mark);
}

export function servedCount(): number {
  return served.length;
}
