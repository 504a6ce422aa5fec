import type { RetryNotice } from '../bedrock/types.js';

const REASONS: Record<string, string> = {
  rate_limit: 'Bedrock is throttling',
  overloaded: 'Bedrock is overloaded',
  server_error: 'Bedrock had a server error',
  network_error: 'the connection failed',
  stream_interrupted: 'the answer broke off',
};

/** One line for a backoff wait (R1): why, how long, which attempt; with --verbose, Bedrock's own message too. */
export function retryLine(n: RetryNotice, verbose: boolean): string {
  const why = `${REASONS[n.reason] ?? n.reason}${n.status !== undefined ? ` (${n.status})` : ''}`;
  const wait = n.delayMs > 0 ? `retrying in ${(n.delayMs / 1000).toFixed(1)} s` : 'retrying now';
  const restart = n.restart ? ', the answer starts again' : '';
  return `bcode: ${why}; ${wait} (attempt ${n.attempt}/${n.maxRetries})${restart}${verbose ? `: ${n.message}` : ''}`;
}
