/**
 * B23: how many sub-agents of one session run at once. Each sub-agent streams its own requests,
 * and Bedrock reserves every request's `max_tokens` from the same tokens-per-minute quota, so
 * the fan-out is bounded (`subagentConcurrency`). When any request of the session is throttled,
 * the bound drops to one for a cool-down and then grows back one step per further cool-down:
 * the session stops adding load to a quota that is already full before its retries go out.
 */

export { DEFAULT_SUBAGENT_CONCURRENCY, DEFAULT_SUBAGENT_COOLDOWN_MS } from '../config/resilience.js';

export interface SubagentLimiterOptions {
  /** Sub-agents at once when nothing is throttled. */
  max: number;
  /** How long one throttle keeps the bound at one, and each step of its growth back. */
  cooldownMs: number;
  now?: () => number;
}

/** Thrown to a waiter whose signal fired before a slot was free. */
export class SlotWaitAborted extends Error {
  constructor() {
    super('interrupted while waiting for a sub-agent slot');
    this.name = 'SlotWaitAborted';
  }
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class SubagentLimiter {
  private active = 0;
  private throttledAt: number | undefined;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SubagentLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The bound in effect now: `max`, or less while recovering from a throttle. */
  limit(): number {
    const { max, cooldownMs } = this.options;
    if (this.throttledAt === undefined) return max;
    const steps = cooldownMs <= 0 ? max : Math.floor((this.now() - this.throttledAt) / cooldownMs);
    const grown = Math.min(max, 1 + Math.max(0, steps));
    if (grown >= max) this.throttledAt = undefined;
    return grown;
  }

  running(): number {
    return this.active;
  }

  /** A request of the session was throttled: the bound drops to one, counted from now. */
  throttled(): void {
    this.throttledAt = this.now();
    this.schedule();
  }

  /** Waits for a slot; the returned function frees it (calling it twice frees it once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new SlotWaitAborted());
    if (this.waiters.length === 0 && this.active < this.limit()) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          this.schedule();
          reject(new SlotWaitAborted());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  private take(): () => void {
    this.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.pump();
    };
  }

  /** Starts as many waiters, in order, as the bound allows now. */
  private pump(): void {
    while (this.waiters.length > 0 && this.active < this.limit()) {
      const w = this.waiters.shift()!;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve(this.take());
    }
    this.schedule();
  }

  /** Waiters held back only by a throttle's cool-down start when the next step of growth is due. */
  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.waiters.length === 0 || this.throttledAt === undefined) return;
    const elapsed = this.now() - this.throttledAt;
    const wait = this.options.cooldownMs - (elapsed % this.options.cooldownMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, wait));
    // Waiting sub-agents are not a reason to keep the process alive on their own.
    this.timer.unref();
  }
}

/** Whether a retry notice reports throttling (HTTP 429, ThrottlingException, "Too many tokens"). */
export function isThrottleNotice(notice: { reason: string; status?: number }): boolean {
  return notice.status === 429 || notice.reason === 'rate_limit';
}
