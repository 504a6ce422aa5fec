/**
 * B29: a service tier goes to Bedrock only where the capability table lists it for the model
 * behind the id (capabilities.ts, `serviceTiers`). Otherwise the request goes without the header
 * — Bedrock then serves it on the Standard tier — and the user is told once per tier and model.
 * BCODE_SERVICE_TIER_FORCE=1 sends the tier regardless, for accounts where AWS offers more than
 * its documentation says; Bedrock then has the last word.
 */
import type { ModelCapabilities } from './capabilities.js';
import type { ResolvedModel } from './resolve-base.js';
import { resolveKnown } from './resolve-base.js';

export interface TierGate {
  /** The tier to send for this model, or undefined (then a note may have gone to `notify`). */
  decide(tier: string, modelId: string, notify?: (text: string) => void): Promise<string | undefined>;
}

export interface TierGateOptions {
  force: boolean;
  /** The provider's resolver (application-profile ARNs ask Bedrock once); absent: the table only. */
  describe?: (modelId: string) => Promise<ResolvedModel> | undefined;
}

export function offersTier(caps: ModelCapabilities, tier: string): boolean {
  return (caps.serviceTiers as readonly string[]).includes(tier);
}

export function tierNote(tier: string, resolved: ResolvedModel): string {
  const what = resolved.known ? `${resolved.caps.name} (${resolved.id})` : `${resolved.id} (a model bcode's table does not know)`;
  return `bcode: service tier ${tier} is not offered for ${what} as far as AWS documents it; sent without it (BCODE_SERVICE_TIER_FORCE=1 sends it anyway)`;
}

export function createTierGate(options: TierGateOptions): TierGate {
  const noted = new Set<string>();
  return {
    async decide(tier, modelId, notify) {
      if (options.force) return tier;
      let resolved: ResolvedModel;
      try {
        resolved = (await options.describe?.(modelId)) ?? resolveKnown(modelId);
      } catch {
        resolved = resolveKnown(modelId);
      }
      if (offersTier(resolved.caps, tier)) return tier;
      const key = `${tier}\0${resolved.caps.key}\0${resolved.known ? '' : modelId}`;
      // Marked only once someone could be told: a call without a notice channel must not use up the note.
      if (notify && !noted.has(key)) {
        noted.add(key);
        notify(tierNote(tier, resolved));
      }
      return undefined;
    },
  };
}
