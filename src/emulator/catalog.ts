/**
 * The models and inference profiles the emulator knows: enough of Bedrock's catalogue for
 * bcode's model resolution (aliases, geography prefixes, application-profile ARNs) to be real.
 */

import { MODELS, type ModelCapabilities } from '../models/capabilities.js';

export const EMULATOR_ACCOUNT = '111122223333';

export interface FoundationModel {
  id: string;
  /** The name Anthropic's API uses for the model (what `message.model` carries). */
  anthropicName: string;
  displayName: string;
  /** Foundation ids of current Claude models only run through an inference profile. */
  onDemand: boolean;
  maxOutputTokens: number;
  /** Smallest prefix (tokens) a cache breakpoint can cache. */
  minCacheTokens: number;
  /** Context window in tokens; `longContextBeta` raises it to 1M. */
  contextTokens: number;
  longContextBeta?: string;
  /** bcode's capability table entry: the emulator validates requests with the same facts. */
  caps: ModelCapabilities;
}

/** The older models AWS still lets accounts call by foundation id (no profile needed). */
const ON_DEMAND = new Set([
  'anthropic.claude-3-5-sonnet-20241022-v2:0',
  'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
]);

/**
 * The Anthropic models on Bedrock's Invoke API with their Bedrock ids: every model of bcode's
 * capability table (src/models/capabilities.ts, newest first). Foundation ids of current models
 * are not callable on demand (only through a profile).
 */
export const FOUNDATION_MODELS: FoundationModel[] = MODELS.map((m) => {
  const model: FoundationModel = {
    id: m.foundationId,
    anthropicName: m.anthropicName,
    displayName: m.name,
    onDemand: ON_DEMAND.has(m.foundationId),
    maxOutputTokens: m.maxOutputTokens,
    minCacheTokens: m.minCacheTokens,
    contextTokens: m.contextWindow,
    caps: m,
  };
  if (m.longContextBeta) model.longContextBeta = m.longContextBeta;
  return model;
});

/** Destination regions per geography prefix (a representative subset of AWS's routing tables). */
const GEO_REGIONS: Record<string, string[]> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
  eu: ['eu-central-1', 'eu-west-1', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2'],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
  au: ['ap-southeast-2', 'ap-southeast-4'],
  global: ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'ap-northeast-1'],
};
const GEO_LABEL: Record<string, string> = { us: 'US', eu: 'EU', apac: 'APAC', jp: 'JP', au: 'AU', global: 'Global' };

/** Which geographies have a system-defined profile of each model (bcode's built-in aliases use us/eu/jp/au/global). */
const PROFILE_GEOS: Record<string, string[]> = {
  'anthropic.claude-opus-4-6-v1': ['us', 'eu', 'apac', 'jp', 'au', 'global'],
  'anthropic.claude-sonnet-4-6': ['us', 'eu', 'jp', 'au', 'global'],
  'anthropic.claude-sonnet-4-5-20250929-v1:0': ['us', 'eu', 'apac', 'jp', 'au', 'global'],
  'anthropic.claude-opus-4-5-20251101-v1:0': ['us', 'eu', 'global'],
  'anthropic.claude-haiku-4-5-20251001-v1:0': ['us', 'eu', 'apac', 'jp', 'au', 'global'],
  'anthropic.claude-opus-4-1-20250805-v1:0': ['us', 'eu', 'apac', 'global'],
  'anthropic.claude-opus-4-20250514-v1:0': ['us'],
  'anthropic.claude-sonnet-4-20250514-v1:0': ['us', 'eu', 'apac', 'global'],
  'anthropic.claude-3-7-sonnet-20250219-v1:0': ['us', 'eu', 'apac'],
};

export interface InferenceProfile {
  inferenceProfileName: string;
  inferenceProfileArn: string;
  inferenceProfileId: string;
  description: string;
  models: Array<{ modelArn: string }>;
  status: 'ACTIVE';
  type: 'SYSTEM_DEFINED' | 'APPLICATION';
  createdAt: string;
  updatedAt: string;
  /** Not on the wire: the foundation model the profile routes to. */
  foundationModelId: string;
}

export const APPLICATION_PROFILE_ID = 'emu7app0prof1';

export function applicationProfileArn(region: string): string {
  return `arn:aws:bedrock:${region}:${EMULATOR_ACCOUNT}:application-inference-profile/${APPLICATION_PROFILE_ID}`;
}

function foundationArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** The profile list as seen from `region` (profile ARNs name the caller's region). */
export function buildProfiles(region: string): InferenceProfile[] {
  const created = '2025-10-01T00:00:00Z';
  const profiles: InferenceProfile[] = [];
  for (const model of FOUNDATION_MODELS) {
    for (const geo of PROFILE_GEOS[model.id] ?? []) {
      const id = `${geo}.${model.id}`;
      profiles.push({
        inferenceProfileName: `${GEO_LABEL[geo]} ${model.displayName}`,
        inferenceProfileArn: `arn:aws:bedrock:${region}:${EMULATOR_ACCOUNT}:inference-profile/${id}`,
        inferenceProfileId: id,
        description: `Routes requests to ${model.displayName} in ${GEO_LABEL[geo]} regions.`,
        models: GEO_REGIONS[geo].map((r) => ({ modelArn: foundationArn(r, model.id) })),
        status: 'ACTIVE',
        type: 'SYSTEM_DEFINED',
        createdAt: created,
        updatedAt: created,
        foundationModelId: model.id,
      });
    }
  }
  const sonnet = FOUNDATION_MODELS.find((m) => m.id === 'anthropic.claude-sonnet-4-5-20250929-v1:0')!;
  profiles.push({
    inferenceProfileName: 'bcode-team-sonnet',
    inferenceProfileArn: applicationProfileArn(region),
    inferenceProfileId: APPLICATION_PROFILE_ID,
    description: 'Application inference profile copied from the US Sonnet 4.5 profile (cost tracking).',
    models: GEO_REGIONS.us.map((r) => ({ modelArn: foundationArn(r, sonnet.id) })),
    status: 'ACTIVE',
    type: 'APPLICATION',
    createdAt: '2025-11-01T00:00:00Z',
    updatedAt: '2025-11-01T00:00:00Z',
    foundationModelId: sonnet.id,
  });
  return profiles;
}

export function findProfile(profiles: InferenceProfile[], idOrArn: string): InferenceProfile | undefined {
  return profiles.find((p) => p.inferenceProfileId === idOrArn || p.inferenceProfileArn === idOrArn);
}

export type ModelResolution =
  | { ok: true; model: FoundationModel; profile?: InferenceProfile }
  | { ok: false; reason: 'invalid' | 'on-demand' };

/** Maps what the URL names (profile id/ARN, foundation id/ARN) to the model that answers. */
export function resolveModel(profiles: InferenceProfile[], modelId: string): ModelResolution {
  const profile = findProfile(profiles, modelId);
  if (profile) {
    const model = FOUNDATION_MODELS.find((m) => m.id === profile.foundationModelId);
    if (model) return { ok: true, model, profile };
  }
  const fmArn = /^arn:aws:bedrock:[a-z0-9-]+::foundation-model\/(.+)$/.exec(modelId);
  const bare = fmArn ? fmArn[1] : modelId;
  const model = FOUNDATION_MODELS.find((m) => m.id === bare);
  if (!model) return { ok: false, reason: 'invalid' };
  if (!model.onDemand) return { ok: false, reason: 'on-demand' };
  return { ok: true, model };
}

export function onDemandMessage(modelId: string): string {
  // The typographic apostrophe is Bedrock's own; clients match on this text.
  return `Invocation of model ID ${modelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
}
