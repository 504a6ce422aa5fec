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
  const reason = TERMINAL_REASONS[result.subtype];
  if (reason) o.terminal_reason = reason;
  if (result.subtype === 'success') o.api_error_status = null;
  if (isApiError(result)) {
    // As the reference product reports a failed model call: a "success"-shaped result that is an
    // error, with the HTTP status and the error text as the answer (the SDK's SDKResultSuccess).
    o.subtype = 'success';
    o.api_error_status = result.apiErrorStatus;
    o.terminal_reason = 'api_error';
    delete o.errors;
  }
  return o;
}

export function formatUsd(n: number): string {
  return `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
}
