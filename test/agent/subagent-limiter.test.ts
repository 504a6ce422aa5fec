import { afterEach, describe, expect, it, vi } from 'vitest';
import { isThrottleNotice, SlotWaitAborted, SubagentLimiter } from '../../src/agent/subagent-limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SubagentLimiter', () => {
  it('gives out at most `max` slots; a freed slot goes to the first waiter', async () => {
    const l = new SubagentLimiter({ max: 2, cooldownMs: 1000 });
    const a = await l.acquire();
    const b = await l.acquire();
    const order: string[] = [];
    const c = l.acquire().then((r) => (order.push('c'), r));
    const d = l.acquire().then((r) => (order.push('d'), r));
    await Promise.resolve();
    expect(l.running()).toBe(2);
    expect(order).toEqual([]);
    a();
    a(); // twice frees once
    (await c)();
    expect(order).toEqual(['c']);
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(l.running()).toBe(0);
  });

  it('a throttle drops the bound to 1 for the cool-down, then it grows back one step per cool-down', async () => {
    vi.useFakeTimers();
    let t = 0;
    const l = new SubagentLimiter({ max: 3, cooldownMs: 1000, now: () => t });
    l.throttled();
    expect(l.limit()).toBe(1);
    const first = await l.acquire();
    let second: (() => void) | undefined;
    void l.acquire().then((r) => (second = r));
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBeUndefined();
    t = 999;
    expect(l.limit()).toBe(1);
    // The waiter starts when the cool-down is over, without anyone freeing a slot.
    t = 1000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(second).toBeDefined();
    expect(l.limit()).toBe(2);
    t = 2000;
    expect(l.limit()).toBe(3);
    first();
    second!();
  });

  it('a waiter whose signal fires leaves the queue with SlotWaitAborted', async () => {
    const l = new SubagentLimiter({ max: 1, cooldownMs: 1000 });
    const held = await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(ac.signal);
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(SlotWaitAborted);
    held();
    expect(l.running()).toBe(0);
    await expect(l.acquire(ac.signal)).rejects.toBeInstanceOf(SlotWaitAborted);
  });

  it('throttling is a 429 or a rate_limit retry, nothing else', () => {
    expect(isThrottleNotice({ reason: 'rate_limit' })).toBe(true);
    expect(isThrottleNotice({ reason: 'server_error', status: 429 })).toBe(true);
    expect(isThrottleNotice({ reason: 'overloaded', status: 503 })).toBe(false);
    expect(isThrottleNotice({ reason: 'network_error' })).toBe(false);
  });
});
