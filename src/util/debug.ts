/**
 * `--debug` / `--debug-file <file>`: one line per event that explains a run — the configuration
 * and credential source chosen, each request's endpoint, status, request id and timing, retry
 * and refresh decisions, errors with their stack. Every line passes the redaction layer (R2).
 * Off, `debug()` costs one comparison; nothing is loaded for it.
 */
import { redact } from './redact.js';

type Sink = (line: string) => void;

let sink: Sink | undefined;
let started = 0;

/** Turns debug output on; `write` receives whole lines (with their newline). */
export function enableDebug(write: Sink): void {
  sink = write;
  started = performance.now();
}

export function debugEnabled(): boolean {
  return sink !== undefined;
}

/** One debug line (`message` may be a function, evaluated only when debug output is on). */
export function debug(area: string, message: string | (() => string)): void {
  if (!sink) return;
  const text = typeof message === 'function' ? message() : message;
  const ms = Math.round(performance.now() - started);
  sink(`${redact(`bcode debug ${String(ms).padStart(6)} ms ${area}: ${text.replace(/\s*\n\s*/g, ' | ')}`)}\n`);
}

/** An error with its cause chain and stack, for `--debug` only. */
export function debugError(area: string, err: unknown): void {
  if (!sink) return;
  let e: unknown = err;
  for (let depth = 0; e !== undefined && depth < 4; depth++) {
    const x = e as { name?: string; message?: string; stack?: string; code?: string; cause?: unknown };
    debug(area, `${depth ? 'caused by ' : ''}${x?.stack ?? `${x?.name ?? 'Error'}: ${x?.message ?? String(e)}`}${x?.code ? ` (code ${x.code})` : ''}`);
    e = x?.cause;
  }
}
