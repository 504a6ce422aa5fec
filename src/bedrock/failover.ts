import type { BedrockError } from './errors.js';

/**
 * Failover (B24): the main model's ordered list of stand-ins. When the model in use stays
 * throttled or unavailable past a bound, the session moves to the next id of the list; after a
 * cool-down the next call starts on the first one again. One state per provider, so a switch
 * lasts across the turns of a session.
 */

export interface FailoverPolicy {
  /** Fallback model ids (already resolved like the main model), in order. */
  models: string[];
  /** Failed attempts on one model in one call before moving on (a quota error moves at once). */
  afterFailures: number;
  /** How long the session stays on a fallback before it tries the first model again. */
  cooldownMs: number;
}

/** What the front ends are told when the model changes (a notice and a stream-json event). */
export interface FailoverNotice {
  from: string;
  to: string;
  /** `rate_limit`, `unavailable`, `quota` — or `cooldown_over` when returning to the first model. */
  reason: string;
  message: string;
}

/** Failures a different model or profile may not have: its own throttling, capacity or quota. */
export function failoverReason(e: BedrockError): string | undefined {
  switch (e.kind) {
    case 'throttled':
      return 'rate_limit';
    case 'quota_exceeded':
      return 'quota';
    case 'model_not_ready':
    case 'service_unavailable':
      return 'unavailable';
    default:
      return undefined;
  }
}

export class FailoverState {
  private index = 0;
  private switchedAt = 0;

  constructor(
    private readonly policy: FailoverPolicy,
    private readonly now: () => number,
  ) {}

  /**
   * The id a call on `primary` should use now. Returns a notice when the cool-down just ended
   * and the call goes back to the first model.
   */
  current(primary: string): { id: string; returned?: FailoverNotice } {
    const chain = this.chain(primary);
    if (this.index > 0 && this.now() - this.switchedAt >= this.policy.cooldownMs) {
      const from = chain[this.index] ?? primary;
      this.index = 0;
      return {
        id: primary,
        returned: { from, to: primary, reason: 'cooldown_over', message: `bcode: trying ${primary} again after ${formatMs(this.policy.cooldownMs)} on ${from}` },
      };
    }
    return { id: chain[Math.min(this.index, chain.length - 1)] };
  }

  /**
   * After a failed attempt on `id` (the `failures`-th in a row on it in this call): the notice
   * of a switch to the next model, or undefined to stay (and retry or give up as usual).
   */
  next(primary: string, id: string, failures: number, e: BedrockError): FailoverNotice | undefined {
    const reason = failoverReason(e);
    if (!reason) return undefined;
    if (reason !== 'quota' && failures < this.policy.afterFailures) return undefined;
    const chain = this.chain(primary);
    const at = chain.indexOf(id);
    if (at < 0 || at + 1 >= chain.length) return undefined;
    this.index = at + 1;
    this.switchedAt = this.now();
    const to = chain[this.index];
    const what = reason === 'rate_limit' ? 'is throttled' : reason === 'quota' ? 'is over its quota' : 'is unavailable';
    return {
      from: id,
      to,
      reason,
      message: `bcode: ${id} ${what} (${failures} failed attempt${failures === 1 ? '' : 's'}); continuing on ${to}, and trying ${primary} again in ${formatMs(this.policy.cooldownMs)}`,
    };
  }

  private chain(primary: string): string[] {
    return [primary, ...this.policy.models.filter((m) => m !== primary)];
  }
}

function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}
