import type { RunResult } from '../agent/events.js';
import { redact } from '../util/redact.js';

/** Where print mode writes. Everything goes through the redaction layer first (R2). */
export interface Writable {
  write(chunk: string): unknown;
}

export interface PrintStreams {
  stdout: Writable;
  stderr: Writable;
}

export function writeLine(stream: Writable, text: string): void {
  stream.write(`${redact(text)}\n`);
}

/** The `result` object of json and stream-json output. */
export function resultObject(result: RunResult, uuid: string): Record<string, unknown> {
  const o: Record<string, unknown> = {
    type: 'result',
    subtype: result.subtype,
    is_error: result.isError,
    duration_ms: result.durationMs,
    duration_api_ms: result.durationApiMs,
    num_turns: result.numTurns,
    result: result.result,
    stop_reason: result.stopReason,
    session_id: result.sessionId,
    total_cost_usd: result.totalCostUsd,
    usage: result.usage,
    modelUsage: result.modelUsage,
    permission_denials: result.permissionDenials,
    uuid,
  };
  if (result.errors && result.errors.length > 0) o.errors = result.errors;
  if (result.structuredOutput !== undefined) o.structured_output = result.structuredOutput;
  return o;
}

export function formatUsd(n: number): string {
  return `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
}
