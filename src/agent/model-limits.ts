/**
 * The limits of the run's model that the loop needs (B22, B23): its context window and the
 * output limit a cut turn may be asked again with. From the provider's resolution (which asks
 * Bedrock about application-profile ARNs once per session) or, without one, from the table.
 */
import type { Provider } from '../bedrock/types.js';
import { windowOf } from '../models/capabilities.js';
import { resolveKnown, type ResolvedModel } from '../models/resolve-base.js';

export interface ModelLimits {
  model: ResolvedModel;
  /** Tokens a request may hold. */
  window: number;
  /** The largest max_tokens a re-request of a cut turn may carry. */
  escalateTo: number;
}

export interface LimitInputs {
  provider: Provider;
  modelId: string;
  maxOutputTokens: number;
  /** The user asked for the 1M window (`[1m]`). */
  longContext?: boolean;
  /** CLAUDE_CODE_MAX_OUTPUT_TOKENS was set: it is the limit, never raised. */
  maxOutputFixed?: boolean;
}

export async function modelLimits(rt: LimitInputs, signal?: AbortSignal): Promise<ModelLimits> {
  const model = (await rt.provider.describeModel?.(rt.modelId, signal)) ?? resolveKnown(rt.modelId);
  return {
    model,
    window: windowOf(model.caps, rt.longContext === true),
    escalateTo: rt.maxOutputFixed ? rt.maxOutputTokens : Math.max(rt.maxOutputTokens, model.caps.maxOutputTokens),
  };
}
