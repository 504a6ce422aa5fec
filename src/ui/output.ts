import type { RunResult } from '../agent/events.js';
import { redact } from '../util/redact.js';
import { resultUsage } from './stream-json-shapes.js';

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

/** A turn ended by a Bedrock error answer (it has an HTTP status), not by bcode or the user. */
export function isApiError(result: RunResult): result is RunResult & { apiErrorStatus: number } {
  return result.subtype === 'error_during_execution' && result.apiErrorStatus !== undefined;
}

/** Why a turn ended, in the Agent SDK's words. */
const TERMINAL_REASONS: Partial<Record<RunResult['subtype'], string>> = {
  success: 'completed',
  error_max_turns: 'max_turns',
  error_max_budget_usd: 'budget_exhausted',
  error_max_structured_output_retries: 'structured_output_retry_exhausted',
  interrupted: 'aborted_streaming',
};

/** A failed model call's text as the reference product words it (the answer and the result). */
export function apiErrorText(result: RunResult & { apiErrorStatus: number }): string {
  return `API Error: ${result.apiErrorStatus} ${result.result}`;
}

/**
 * The `result` object of json and stream-json output, in the reference product's shape (field
 * order included). `timings` are the run's time to first request and first token, when known.
 */
export function resultObject(result: RunResult, uuid: string, timings: Record<string, number> = {}): Record<string, unknown> {
  const api = isApiError(result);
  const error = result.subtype !== 'success' && !api;
  const o: Record<string, unknown> = {
    type: 'result',
    subtype: result.subtype,
    is_error: result.isError,
    ...(error ? {} : { api_error_status: api ? result.apiErrorStatus : null }),
    duration_ms: result.durationMs,
    duration_api_ms: result.durationApiMs,
    // Error results carry no timings (the SDK's SDKResultError declares none, the reference sends none).
    ...(error ? {} : timings),
    // The reference counts the turn a limit refused as one of the run's turns.
    num_turns: result.subtype === 'error_max_turns' ? result.numTurns + 1 : result.numTurns,
    // Error results have no answer (the SDK's SDKResultError declares none): `errors` says why.
    ...(error ? {} : { result: api ? apiErrorText(result) : result.result }),
    stop_reason: api ? 'stop_sequence' : result.stopReason,
    session_id: result.sessionId,
    total_cost_usd: result.totalCostUsd,
    usage: resultUsage(result.usage),
    modelUsage: result.modelUsage,
    permission_denials: result.permissionDenials,
    uuid,
  };
  if (result.structuredOutput !== undefined) o.structured_output = result.structuredOutput;
  // A failed model call ends a turn that otherwise completed: the SDK's SDKResultSuccess with is_error.
  const reason = api ? 'completed' : TERMINAL_REASONS[result.subtype];
  if (reason) o.terminal_reason = reason;
  if (api) o.subtype = 'success';
  else if (result.errors && result.errors.length > 0) o.errors = result.errors;
  return o;
}

export function formatUsd(n: number): string {
  return `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
}
