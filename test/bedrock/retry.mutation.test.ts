/**
 * The retry bounds at their edges (R1): the defaults, which overrides count, the jitter's range,
 * the exact count and time limits, and the abortable sleep.
 */
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, fitTimeout, mayRetry, realSleep, resolvePolicy } from '../../src/bedrock/retry.js';

describe('resolvePolicy', () => {
  it('the defaults: 8 retries, 1 s base, 30 s cap, 5 min budget', () => {
    expect(resolvePolicy()).toEqual({ maxRetries: 8, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalMs: 300_000 });
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxRetries: 8, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalMs: 300_000 });
  });

  it('takes each finite, non-negative number (0 included) and ignores the rest, key by key', () => {
    expect(resolvePolicy({ maxRetries: 0, baseDelayMs: 5, maxDelayMs: 7, maxTotalMs: 9 })).toEqual({ maxRetries: 0, baseDelayMs: 5, maxDelayMs: 7, maxTotalMs: 9 });
    expect(resolvePolicy({ maxRetries: -1, baseDelayMs: Number.POSITIVE_INFINITY, maxDelayMs: Number.NaN, maxTotalMs: '5' as unknown as number })).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolvePolicy({ maxDelayMs: 2 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxDelayMs: 2 });
  });

  it('does not change the defaults it starts from', () => {
    resolvePolicy({ maxRetries: 1 });
    expect(DEFAULT_RETRY_POLICY.maxRetries).toBe(8);
  });
});

describe('backoffDelay', () => {
  const p = resolvePolicy({ baseDelayMs: 100, maxDelayMs: 10_000 });
  it('doubles from the base, retry 1 being the base itself, half fixed and half random', () => {
    expect([1, 2, 3, 4].map((r) => backoffDelay(r, p, () => 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((r) => backoffDelay(r, p, () => 0))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(3, p, () => 0.5)).toBe(300);
  });
  it('a retry number below 1 waits like the first', () => {
    expect(backoffDelay(0, p, () => 1)).toBe(100);
    expect(backoffDelay(-3, p, () => 1)).toBe(100);
  });
  it('a random source out of [0, 1] is clamped, so the wait stays between half and all of the step', () => {
    expect(backoffDelay(2, p, () => 7)).toBe(200);
    expect(backoffDelay(2, p, () => -7)).toBe(100);
  });
  it('uses Math.random by default, within the bounds', () => {
    for (let i = 0; i < 20; i++) {
      const d = backoffDelay(2, p);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
  });
  it('the cap holds for large retry numbers', () => {
    expect(backoffDelay(40, p, () => 1)).toBe(10_000);
  });
});

describe('mayRetry', () => {
  const p = resolvePolicy({ maxRetries: 2, maxTotalMs: 1000 });
  it('up to maxRetries retries, not one more', () => {
    expect(mayRetry(2, 0, 0, 0, p)).toBe(true);
    expect(mayRetry(3, 0, 0, 0, p)).toBe(false);
  });
  it('a wait that ends exactly at the budget is allowed; one millisecond more is not', () => {
    expect(mayRetry(1, 400, 100, 700, p)).toBe(true);
    expect(mayRetry(1, 401, 100, 700, p)).toBe(false);
    // Elapsed time counts from the first attempt, not from zero.
    expect(mayRetry(1, 500, 1_000_000, 1_000_500, p)).toBe(true);
  });
});

describe('fitTimeout', () => {
  it('the budget grows to one full request timeout plus the longest wait, never shrinks', () => {
    const p = resolvePolicy({ maxDelayMs: 1000, maxTotalMs: 5000 });
    expect(fitTimeout(p, 10_000)).toEqual({ ...p, maxTotalMs: 11_000 });
    expect(fitTimeout(p, 100)).toEqual(p);
    expect(fitTimeout(p, 4000)).toEqual(p);
    expect(fitTimeout(p, 4001).maxTotalMs).toBe(5001);
  });
});

describe('realSleep', () => {
  it('waits about as long as asked', async () => {
    const t = Date.now();
    await realSleep(60);
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
  });
  it('an already aborted signal rejects at once with InterruptedError', async () => {
    const c = new AbortController();
    c.abort();
    const t = Date.now();
    await expect(realSleep(10_000, c.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - t).toBeLessThan(1000);
  });
  it('aborting during the wait rejects with InterruptedError without waiting it out', async () => {
    const c = new AbortController();
    const t = Date.now();
    setTimeout(() => c.abort(), 20);
    await expect(realSleep(10_000, c.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - t).toBeLessThan(1000);
  });
  it('a finished sleep stops listening to its signal: the listener it added is the one it removes', async () => {
    const c = new AbortController();
    const live = new Set<unknown>();
    const add = c.signal.addEventListener.bind(c.signal);
    const remove = c.signal.removeEventListener.bind(c.signal);
    c.signal.addEventListener = ((type: string, fn: unknown, ...rest: unknown[]) => {
      live.add(`${type}:${String(fn)}`);
      (add as (...a: unknown[]) => void)(type, fn, ...rest);
    }) as typeof add;
    c.signal.removeEventListener = ((type: string, fn: unknown, ...rest: unknown[]) => {
      live.delete(`${type}:${String(fn)}`);
      (remove as (...a: unknown[]) => void)(type, fn, ...rest);
    }) as typeof remove;
    for (let i = 0; i < 3; i++) await realSleep(5, c.signal);
    expect([...live]).toEqual([]);
    c.abort();
  });
});
