import type { ResolvedModel } from '../models/resolve-base.js';
import type { Message, MessagesRequest, StreamEvent } from './anthropic.js';
import type { FailoverNotice } from './failover.js';
import type { GuardrailIntervention } from './guardrail.js';

/** Which configured model a call is for: the main model, or the small/fast one (B9–B11). */
export type ModelRole = 'main' | 'smallFast';

/** Reported before each backoff wait so front ends can show that bcode is waiting (R1). */
export interface RetryNotice {
  attempt: number;
  maxRetries: number;
  delayMs: number;
  /** Short classification, e.g. `rate_limit`, `server_error`, `overloaded`. */
  reason: string;
  message: string;
  /** The HTTP status (or a mid-stream exception's equivalent: 429 for throttling, 5xx), when known. */
  status?: number;
  /**
   * The stream had already delivered part of an answer: after the wait it starts again from
   * the beginning, and what the caller showed of the broken attempt should go (R1).
   */
  restart?: boolean;
}

export interface CallOptions {
  role: ModelRole;
  signal?: AbortSignal;
  /** Overrides the configured model id for this call (`--model`, `/model`, sub-agents). */
  modelId?: string;
  onRetry?: (notice: RetryNotice) => void;
  /** A request the user is not waiting on (compaction, sub-agents): `backgroundServiceTier` applies (B29). */
  background?: boolean;
  /** Output of `awsAuthRefresh` and similar notices meant for the user. */
  onNotice?: (text: string) => void;
  /**
   * Set by callers that can drop a partial answer: a stream that fails after delivering content
   * is then retried inside the same call (same backoff and bound as any retry), and this is
   * called just before the new attempt's first event. Without it such a failure ends the stream
   * with a StreamInterruptedError.
   */
  onRestart?: () => void;
  /** The session moved to another model or came back (B24); without it, a notice says so. */
  onFailover?: (notice: FailoverNotice) => void;
  /** A guardrail intervened in this response (B26); without it, a notice says so. */
  onGuardrail?: (intervention: GuardrailIntervention) => void;
  /** The id that answered, once the stream is whole: a failover's fallback, not the id asked for (usage and price follow it). */
  onServedBy?: (modelId: string) => void;
}

/**
 * The only door from the core to Bedrock. Implemented in src/bedrock/provider.ts on top of the
 * official AWS SDK; errors come out as typed BcodeErrors with their hint attached.
 */
export interface Provider {
  /** InvokeModelWithResponseStream; yields Anthropic stream events as they arrive. */
  stream(request: MessagesRequest, options: CallOptions): AsyncIterable<StreamEvent>;
  /** InvokeModel, for small non-streamed jobs (small/fast model). */
  invoke(request: MessagesRequest, options: CallOptions): Promise<Message>;
  /** The base model behind an id and what it accepts (B22); absent in test fakes. */
  describeModel?(modelId: string, signal?: AbortSignal): Promise<ResolvedModel>;
  /** The SigV4 credentials requests are signed with (absent for bearer keys and unsigned mode): whose they are is asked of STS (B21, B25). */
  credentials?: () => Promise<import('./credentials-types.js').AwsCredentials>;
}
