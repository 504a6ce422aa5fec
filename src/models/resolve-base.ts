/**
 * Model id as sent → the base model's capabilities (B22). Foundation ids, system profile ids and
 * ARNs that name a model are read directly; an application-inference-profile ARN names no model,
 * so Bedrock's control plane is asked once (`GetInferenceProfile`) and the answer is kept for the
 * session. The AWS SDK client is loaded only when such an ARN is used.
 */
import type { Config } from '../config/types.js';
import type { CredentialSource } from '../bedrock/credentials-types.js';
import { CONSERVATIVE, capabilitiesOf, type ModelCapabilities } from './capabilities.js';

export interface ResolvedModel {
  /** The id as sent. */
  id: string;
  caps: ModelCapabilities;
  /** False: not in the table (or the profile lookup failed): the conservative shape applies. */
  known: boolean;
  /** For an application profile: the model ARN it routes to. */
  via?: string;
}

/** Without asking Bedrock: known ids, or the conservative shape. */
export function resolveKnown(id: string): ResolvedModel {
  const caps = capabilitiesOf(id);
  return caps ? { id, caps, known: true } : { id, caps: CONSERVATIVE, known: false };
}

export function isApplicationProfileArn(id: string): boolean {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:\d{12}:application-inference-profile\//.test(id);
}

/** Answers with the first model ARN an application profile routes to (undefined: none). */
export type ProfileLookup = (arn: string, signal?: AbortSignal) => Promise<string | undefined>;

export interface ModelResolver {
  resolve(id: string, signal?: AbortSignal): Promise<ResolvedModel>;
}

export function createModelResolver(lookup: ProfileLookup): ModelResolver {
  const cache = new Map<string, Promise<ResolvedModel>>();
  return {
    resolve(id, signal) {
      let hit = cache.get(id);
      if (!hit) {
        hit = (async (): Promise<ResolvedModel> => {
          if (!isApplicationProfileArn(id)) return resolveKnown(id);
          try {
            const modelArn = await lookup(id, signal);
            const caps = modelArn ? capabilitiesOf(modelArn) : undefined;
            return caps ? { id, caps, known: true, via: modelArn } : { id, caps: CONSERVATIVE, known: false, via: modelArn };
          } catch {
            // No permission for GetInferenceProfile, or no network: the request still goes, conservatively.
            return { id, caps: CONSERVATIVE, known: false };
          }
        })();
        cache.set(id, hit);
      }
      return hit;
    },
  };
}

const LOOKUP_TIMEOUT_MS = 5_000;

/** GetInferenceProfile on the control plane of the ARN's region (or the gateway), same auth as model calls. */
export function awsProfileLookup(config: Config, credentials?: CredentialSource): ProfileLookup {
  return async (arn, signal) => {
    const region = arn.split(':')[3] || config.region;
    const [{ createControlClient }, { controlEndpoint }, { GetInferenceProfileCommand }] = await Promise.all([
      import('../bedrock/clients.js'),
      import('../config/endpoints.js'),
      import('@aws-sdk/client-bedrock'),
    ]);
    const client = await createControlClient({
      region,
      endpoint: config.customEndpoint || region === config.region ? config.controlEndpoint : controlEndpoint(region),
      auth: { mode: config.auth.mode, bearerToken: config.auth.bearerToken, credentials },
      timeoutMs: Math.min(config.apiTimeoutMs, LOOKUP_TIMEOUT_MS),
    });
    try {
      const timeout = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
      const res = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn }), { abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      return res.models?.[0]?.modelArn;
    } finally {
      client.destroy();
    }
  };
}
