/**
 * B20: the least-privilege IAM policy for the configured models, computed from the Config alone
 * (no credentials, no network), so it can be generated before anyone has access.
 *
 * Default resources are the wildcards the reference documentation recommends. `strict` narrows
 * them: each inference profile to its exact ARN, and each foundation model to the regions its
 * profile may route to (every region for `global.`, the geography's regions otherwise).
 */
import type { Config } from '../config/types.js';
import { ALIAS_MODEL, ALIAS_NAMES, classifyModelId, REGIONAL_PROFILES, type AliasName } from '../config/models.js';
import { foundationIdOf } from '../bedrock/model-hints.js';
import { guardrailHeaders } from '../bedrock/guardrail.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyOptions {
  strict?: boolean;
  /** Account id for system inference-profile ARNs under `strict`. */
  accountId?: string;
}

export interface PolicyResult {
  policy: IamPolicy;
  /** One line each, meant for stderr: what could not be narrowed and why. */
  notes: string[];
}

export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
/**
 * What bcode's profile lookups (doctor, error hints) call. bcode never calls GetInferenceProfile:
 * the listing already carries each application profile's models, so it is left out.
 */
export const PROFILE_ACTIONS = ['bedrock:ListInferenceProfiles'];
export const MARKETPLACE_ACTIONS = ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'];
export const BEARER_ACTION = 'bedrock:CallWithBearerToken';
/**
 * With a guardrail in ANTHROPIC_CUSTOM_HEADERS: model calls apply it (ApplyGuardrail, Bedrock's
 * guardrail permissions page) and `bcode doctor` reads it (GetGuardrail).
 */
export const GUARDRAIL_ACTIONS = ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'];

/** The wildcard resources of the default policy, in one partition. */
const wildcardProfiles = (partition: string): string[] => [`arn:${partition}:bedrock:*:*:inference-profile/*`, `arn:${partition}:bedrock:*:*:application-inference-profile/*`];
const wildcardModels = (partition: string): string => `arn:${partition}:bedrock:*::foundation-model/*`;

/** ARN partition of a region: GovCloud, China and the isolated clouds are separate partitions. */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** The partition a model's requests are authorized in: an ARN's own, else its region's. */
function modelPartition(m: ModelEntry): string {
  return parseArn(m.id)?.partition ?? partitionOf(m.region);
}

/** Region patterns for a geography with no table entry for this model (IAM accepts `*` inside the region field). */
const GEO_REGION_PATTERNS: Record<string, string[]> = {
  us: ['us-*'],
  eu: ['eu-*'],
  apac: ['ap-*'],
  jp: ['ap-northeast-*'],
  au: ['ap-southeast-*'],
  ca: ['ca-*'],
  'us-gov': ['us-gov-*'],
};

function aliasOfFoundation(foundationId: string): AliasName | undefined {
  return ALIAS_NAMES.find((a) => ALIAS_MODEL[a] === foundationId);
}

interface ModelEntry {
  id: string;
  /** The region requests for it are signed for. */
  region: string;
  label: string;
}

/** The models the policy covers: main, small/fast, and the aliases set explicitly (built-in aliases are left out). */
export function configuredModels(config: Config): ModelEntry[] {
  const entries: ModelEntry[] = [
    { id: config.models.main.id, region: config.models.main.region, label: 'main' },
    { id: config.models.smallFast.id, region: config.models.smallFast.region, label: 'small/fast' },
  ];
  for (const alias of ALIAS_NAMES) {
    const source = config.sources[`models.aliases.${alias}`];
    if (source && source !== 'default') entries.push({ id: config.models.aliases[alias], region: config.region, label: `alias ${alias}` });
  }
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.id}\n${e.region}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x` → its parts. */
function parseArn(arn: string): { partition: string; region: string; account: string; type: string; id: string } | undefined {
  const m = /^arn:([a-z-]+):bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3] ?? '', type: m[4], id: m[5] } : undefined;
}

export function buildIamPolicy(config: Config, options: PolicyOptions = {}): PolicyResult {
  const notes: string[] = [];
  const models = configuredModels(config);
  const bearer = config.auth.mode === 'bearer';
  const statements: PolicyStatement[] = [];

  // IAM matches ARNs of its own partition only: the wildcards are spelt in each partition used.
  const partitions = [...new Set(models.map(modelPartition))];
  const main = models[0];
  for (const m of models) {
    const p = modelPartition(m);
    if (p !== modelPartition(main)) {
      notes.push(
        `the ${m.label} model (${m.region}) is in the ${p} partition, the main model (${main.region}) in ${modelPartition(main)}: one set of credentials cannot call both, and each account honours only its own partition's ARNs — the policy names both partitions`,
      );
    }
  }

  if (!options.strict) {
    const profiles = partitions.flatMap(wildcardProfiles);
    statements.push({ Sid: 'BcodeInvokeModels', Effect: 'Allow', Action: INVOKE_ACTIONS, Resource: [...profiles, ...partitions.map(wildcardModels)] });
    statements.push({ Sid: 'BcodeListInferenceProfiles', Effect: 'Allow', Action: PROFILE_ACTIONS, Resource: profiles });
  } else {
    const account = accountFor(models, options.accountId, notes);
    const profileArns = new Set<string>();
    const modelArns = new Set<string>();
    const profileRegions = new Set<string>();
    for (const m of models) narrow(m, account, { profileArns, modelArns, profileRegions }, notes);
    const invoke = [...profileArns, ...modelArns];
    statements.push({ Sid: 'BcodeInvokeModels', Effect: 'Allow', Action: INVOKE_ACTIONS, Resource: invoke });
    // Listing cannot name single profiles: it is scoped to the profile ARNs of the regions used.
    const listResources = [...profileRegions].flatMap((r) => [
      `arn:${partitionOf(r)}:bedrock:${r}:${account}:inference-profile/*`,
      `arn:${partitionOf(r)}:bedrock:${r}:${account}:application-inference-profile/*`,
    ]);
    statements.push({ Sid: 'BcodeListInferenceProfiles', Effect: 'Allow', Action: PROFILE_ACTIONS, Resource: listResources });
  }

  statements.push({
    Sid: 'BcodeMarketplaceSubscribe',
    Effect: 'Allow',
    Action: MARKETPLACE_ACTIONS,
    Resource: '*',
    Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
  });
  const guardrail = guardrailResource(config, options);
  if (guardrail) statements.push({ Sid: 'BcodeGuardrail', Effect: 'Allow', Action: GUARDRAIL_ACTIONS, Resource: guardrail });
  // Using an API key is not tied to one Bedrock resource: granted on "*".
  if (bearer) statements.push({ Sid: 'BcodeBedrockApiKey', Effect: 'Allow', Action: [BEARER_ACTION], Resource: '*' });
  return { policy: { Version: '2012-10-17', Statement: statements }, notes };
}

/** The guardrail the headers name, as an ARN (its own when the header holds one); undefined without a guardrail. */
function guardrailResource(config: Config, options: PolicyOptions): string | undefined {
  const g = guardrailHeaders(config.customHeaders);
  if (!g.id) return undefined;
  if (g.id.startsWith('arn:')) return g.id;
  return `arn:${partitionOf(config.region)}:bedrock:${config.region}:${options.accountId ?? '*'}:guardrail/${g.id}`;
}

function accountFor(models: ModelEntry[], explicit: string | undefined, notes: string[]): string {
  if (explicit) return explicit;
  for (const m of models) {
    const arn = parseArn(m.id);
    if (arn?.account) return arn.account;
  }
  const needsAccount = models.some((m) => classifyModelId(m.id) === 'inference-profile');
  if (needsAccount) notes.push('account id unknown: the inference-profile ARNs carry * in the account field (any account); pass --account <12 digits> to name yours');
  return '*';
}

interface Sets {
  profileArns: Set<string>;
  modelArns: Set<string>;
  profileRegions: Set<string>;
}

function narrow(m: ModelEntry, account: string, sets: Sets, notes: string[]): void {
  const kind = classifyModelId(m.id);
  const partition = partitionOf(m.region);
  if (kind === 'arn') {
    const arn = parseArn(m.id);
    if (!arn) return;
    if (arn.type === 'foundation-model') {
      sets.modelArns.add(m.id);
      return;
    }
    sets.profileArns.add(m.id);
    sets.profileRegions.add(arn.region);
    if (arn.type === 'inference-profile') {
      addFoundationArns(arn.id, arn.region, arn.partition, sets, notes, m.label);
      return;
    }
    // An application profile's ARN does not say which model it routes to (only the profile itself does).
    sets.modelArns.add(`arn:${arn.partition}:bedrock:*::foundation-model/anthropic.*`);
    notes.push(
      `the ${m.label} model is an application inference profile; its foundation models are not named in the ARN, so they are allowed as foundation-model/anthropic.* — narrow them with \`aws bedrock get-inference-profile --inference-profile-identifier ${m.id}\``,
    );
    return;
  }
  if (kind === 'inference-profile') {
    sets.profileArns.add(`arn:${partition}:bedrock:${m.region}:${account}:inference-profile/${m.id}`);
    sets.profileRegions.add(m.region);
    addFoundationArns(m.id, m.region, partition, sets, notes, m.label);
    return;
  }
  // A foundation-model id is called on demand, in the request's region only.
  sets.modelArns.add(`arn:${partition}:bedrock:${m.region}::foundation-model/${m.id}`);
  sets.profileRegions.add(m.region);
}

/** Foundation-model ARNs in every destination region of the profile `profileId`. */
function addFoundationArns(profileId: string, sourceRegion: string, partition: string, sets: Sets, notes: string[], label: string): void {
  const geo = profileId.slice(0, profileId.indexOf('.'));
  const foundation = foundationIdOf(profileId);
  if (geo === 'global') {
    sets.modelArns.add(`arn:${partition}:bedrock:*::foundation-model/${foundation}`);
    notes.push(`the ${label} model is a global inference profile: Bedrock may route it to any commercial region, so its foundation model is allowed in every region (arn:${partition}:bedrock:*::foundation-model/${foundation})`);
    return;
  }
  const alias = aliasOfFoundation(foundation);
  const regions = alias ? REGIONAL_PROFILES[alias][geo] : undefined;
  if (regions) {
    const all = regions.includes(sourceRegion) ? regions : [...regions, sourceRegion];
    for (const r of all) sets.modelArns.add(`arn:${partition}:bedrock:${r}::foundation-model/${foundation}`);
    return;
  }
  const patterns = GEO_REGION_PATTERNS[geo] ?? ['*'];
  for (const r of patterns) sets.modelArns.add(`arn:${partition}:bedrock:${r}::foundation-model/${foundation}`);
  notes.push(`no region table for ${geo}.${foundation} (${label} model): its foundation model is allowed in ${patterns.join(', ')}`);
}
