import { InterruptedError } from '../errors.js';

/** Bounds of the provider's own retry loop (R1). The AWS SDK's retries are off (`maxAttempts: 1`). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No wait starts once this much time has passed since the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxTotalMs: 5 * 60_000,
};

export function resolvePolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY };
  for (const key of Object.keys(p) as Array<keyof RetryPolicy>) {
    const v = overrides[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) p[key] = v;
  }
  return p;
}

/**
 * Delay before retry number `retry` (1-based): exponential growth capped at maxDelayMs, with
 * "equal jitter" — half fixed, half random — so many clients throttled together spread out
 * while no wait collapses to zero.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * The policy with its time bound grown to fit the request timeout: an attempt may legitimately
 * take the whole `API_TIMEOUT_MS` (a 10-minute timeout would otherwise leave no room for any
 * retry under a 5-minute budget), so the budget is at least one full timeout plus one longest
 * wait — a timed-out first attempt is always retried once.
 */
export function fitTimeout(policy: RetryPolicy, requestTimeoutMs: number): RetryPolicy {
  return { ...policy, maxTotalMs: Math.max(policy.maxTotalMs, requestTimeoutMs + policy.maxDelayMs) };
}

/** Whether another wait of `delayMs` still fits the policy's count and time bounds. */
export function mayRetry(retry: number, delayMs: number, startedAt: number, now: number, policy: RetryPolicy): boolean {
  if (retry > policy.maxRetries) return false;
  return now - startedAt + delayMs <= policy.maxTotalMs;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A real, abortable sleep; tests inject their own. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
