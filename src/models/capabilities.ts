/**
 * The one capability table (B22): what each Claude model on Bedrock accepts and costs, keyed by
 * base model. Request building (request-shape.ts), context windows, prices, `bcode models`,
 * `doctor` and the emulator's validation all read these facts, so they cannot drift apart.
 *
 * Facts checked on 2026-12-05 against AWS's Bedrock user guide (prompt caching: minimum tokens per
 * cache checkpoint, 5-minute and 1-hour TTLs; Anthropic Claude Messages API parameters:
 * `anthropic_beta`), the per-model AWS model cards, Anthropic's public model overview (context
 * windows, max output, extended/adaptive thinking, the `context-1m-2025-08-07` beta) and the
 * public price lists (bedrock-wire.md §8). Where AWS publishes no per-model beta list, a beta is
 * listed only where a public source shows Bedrock accepting it for that model.
 */

export const CAPABILITIES_CHECKED = '2026-12-05';

/** `budgeted`: `thinking: {type: "enabled", budget_tokens}`; `adaptive` models take that too (deprecated there). */
export type ThinkingMode = 'none' | 'budgeted' | 'adaptive';
export type CacheTtl = '5m' | '1h';

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** From Sonnet 4.5 / Haiku 4.5 / Opus 4.5 on, regional and geo profiles cost 10% more than `global.`. */
  regionalPremium: boolean;
}

export interface ModelCapabilities {
  /** Base-model key as it appears inside every id of the model, e.g. `claude-sonnet-4-5`. */
  key: string;
  name: string;
  /** Bedrock's foundation-model id. */
  foundationId: string;
  /** The name Anthropic's API uses (what `message.model` carries). */
  anthropicName: string;
  contextWindow: number;
  /** The beta that raises the window to 1M tokens on Bedrock; absent = no 1M window. */
  longContextBeta?: string;
  maxOutputTokens: number;
  thinking: ThinkingMode;
  /** Sent with budgeted thinking so the model may think between tool calls. */
  interleavedThinkingBeta?: string;
  /** Every `anthropic_beta` value Bedrock accepts for this model. */
  betas: readonly string[];
  /** Top-level body fields beyond the Messages core (`thinking`, `context_management`, `output_config`). */
  extraFields: readonly string[];
  /** False where Bedrock offers no prompt caching for the model: no `cache_control` is sent. */
  promptCaching: boolean;
  /** Smallest prefix (tokens) a cache checkpoint can cache. */
  minCacheTokens: number;
  cacheTtls: readonly CacheTtl[];
  price: ModelPrice;
  /** Bedrock service tiers (B29) AWS lists for the model; a tier not listed is not sent (see SERVICE_TIER_SOURCE). */
  serviceTiers: readonly BedrockServiceTier[];
}

/** Every request may carry these; the rest comes from `extraFields`. */
export const CORE_BODY_FIELDS: readonly string[] = [
  'anthropic_version',
  'anthropic_beta',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  // Bedrock's own field for InvokeModel (guard-content tags, B26); not a model parameter.
  'amazon-bedrock-guardrailConfig',
];

export const BETA = {
  context1m: 'context-1m-2025-08-07',
  interleaved: 'interleaved-thinking-2025-05-14',
  fullThinking: 'dev-full-thinking-2025-05-14',
  contextManagement: 'context-management-2025-06-27',
  computerUse2410: 'computer-use-2024-10-22',
  computerUse2501: 'computer-use-2025-01-24',
  computerUse2511: 'computer-use-2025-11-24',
  tokenEfficientTools: 'token-efficient-tools-2025-02-19',
  output128k: 'output-128k-2025-02-19',
  effort: 'effort-2025-11-24',
  toolSearch: 'tool-search-tool-2025-10-19',
  toolExamples: 'tool-examples-2025-10-29',
} as const;

const CLAUDE_4_BETAS = [BETA.interleaved, BETA.fullThinking, BETA.computerUse2501];
const CLAUDE_45_BETAS = [BETA.interleaved, BETA.contextManagement, BETA.computerUse2501, BETA.toolSearch, BETA.toolExamples];
const CLAUDE_46_BETAS = [BETA.interleaved, BETA.contextManagement, BETA.computerUse2511, BETA.toolSearch, BETA.toolExamples, BETA.context1m];
const TTL_5M: readonly CacheTtl[] = ['5m'];

/** Bedrock's ServiceTierType values (the X-Amzn-Bedrock-Service-Tier header). */
export type BedrockServiceTier = 'default' | 'priority' | 'flex' | 'reserved';
/**
 * Service tiers, checked on 2026-12-06 against AWS's user guide page "Service tiers for optimizing
 * performance and cost" (SERVICE_TIER_SOURCE; newest copy we could read was fetched 2026-02-15).
 * Its table of models with the Priority and Flex tiers lists OpenAI, Qwen, DeepSeek, Nova, Gemma,
 * Mistral, Kimi and Nemotron models — no Claude model. Claude appears only in the Reserved table
 * (Opus 4.6, Opus 4.5, Sonnet 4.5, Haiku 4.5), which needs a reservation made through the AWS
 * account team. Third parties report Bedrock accepting `flex` for some Claude models, but AWS does
 * not say which: unclear, so the conservative choice — priority and flex are not listed for any
 * Claude model, and bcode sends them only when BCODE_SERVICE_TIER_FORCE=1 says the user knows
 * better. The Standard tier (`default`) is on every foundation model.
 */
export const SERVICE_TIER_SOURCE = 'https://docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html';
const TIERS_STANDARD: readonly BedrockServiceTier[] = ['default'];
const TIERS_RESERVED: readonly BedrockServiceTier[] = ['default', 'reserved'];
const TTL_1H: readonly CacheTtl[] = ['5m', '1h'];

/** Newest first. */
export const MODELS: readonly ModelCapabilities[] = [
  {
    key: 'claude-opus-4-6', name: 'Claude Opus 4.6', foundationId: 'anthropic.claude-opus-4-6-v1', anthropicName: 'claude-opus-4-6',
    contextWindow: 200_000, longContextBeta: BETA.context1m, maxOutputTokens: 128_000, thinking: 'adaptive', interleavedThinkingBeta: BETA.interleaved,
    betas: CLAUDE_46_BETAS, extraFields: ['thinking', 'context_management', 'output_config'],
    promptCaching: true, minCacheTokens: 4096, cacheTtls: TTL_1H, price: { inputPerMTok: 5, outputPerMTok: 25, regionalPremium: true },
    serviceTiers: TIERS_RESERVED,
  },
  {
    key: 'claude-sonnet-4-6', name: 'Claude Sonnet 4.6', foundationId: 'anthropic.claude-sonnet-4-6', anthropicName: 'claude-sonnet-4-6',
    contextWindow: 200_000, longContextBeta: BETA.context1m, maxOutputTokens: 64_000, thinking: 'adaptive', interleavedThinkingBeta: BETA.interleaved,
    betas: CLAUDE_46_BETAS, extraFields: ['thinking', 'context_management', 'output_config'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_1H, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: true },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-opus-4-5', name: 'Claude Opus 4.5', foundationId: 'anthropic.claude-opus-4-5-20251101-v1:0', anthropicName: 'claude-opus-4-5-20251101',
    contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: [BETA.interleaved, BETA.contextManagement, BETA.computerUse2511, BETA.effort, BETA.toolSearch, BETA.toolExamples], extraFields: ['thinking', 'context_management', 'output_config'],
    promptCaching: true, minCacheTokens: 4096, cacheTtls: TTL_1H, price: { inputPerMTok: 5, outputPerMTok: 25, regionalPremium: true },
    serviceTiers: TIERS_RESERVED,
  },
  {
    key: 'claude-haiku-4-5', name: 'Claude Haiku 4.5', foundationId: 'anthropic.claude-haiku-4-5-20251001-v1:0', anthropicName: 'claude-haiku-4-5-20251001',
    contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: [BETA.interleaved, BETA.contextManagement, BETA.computerUse2501], extraFields: ['thinking', 'context_management'],
    promptCaching: true, minCacheTokens: 4096, cacheTtls: TTL_1H, price: { inputPerMTok: 1, outputPerMTok: 5, regionalPremium: true },
    serviceTiers: TIERS_RESERVED,
  },
  {
    key: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5', foundationId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', anthropicName: 'claude-sonnet-4-5-20250929',
    contextWindow: 200_000, longContextBeta: BETA.context1m, maxOutputTokens: 64_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: [...CLAUDE_45_BETAS, BETA.context1m], extraFields: ['thinking', 'context_management'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_1H, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: true },
    serviceTiers: TIERS_RESERVED,
  },
  {
    key: 'claude-opus-4-1', name: 'Claude Opus 4.1', foundationId: 'anthropic.claude-opus-4-1-20250805-v1:0', anthropicName: 'claude-opus-4-1-20250805',
    contextWindow: 200_000, maxOutputTokens: 32_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: CLAUDE_4_BETAS, extraFields: ['thinking'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 15, outputPerMTok: 75, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-opus-4', name: 'Claude Opus 4', foundationId: 'anthropic.claude-opus-4-20250514-v1:0', anthropicName: 'claude-opus-4-20250514',
    contextWindow: 200_000, maxOutputTokens: 32_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: CLAUDE_4_BETAS, extraFields: ['thinking'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 15, outputPerMTok: 75, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-sonnet-4', name: 'Claude Sonnet 4', foundationId: 'anthropic.claude-sonnet-4-20250514-v1:0', anthropicName: 'claude-sonnet-4-20250514',
    contextWindow: 200_000, longContextBeta: BETA.context1m, maxOutputTokens: 64_000, thinking: 'budgeted', interleavedThinkingBeta: BETA.interleaved,
    betas: [...CLAUDE_4_BETAS, BETA.context1m], extraFields: ['thinking'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-3-7-sonnet', name: 'Claude 3.7 Sonnet', foundationId: 'anthropic.claude-3-7-sonnet-20250219-v1:0', anthropicName: 'claude-3-7-sonnet-20250219',
    contextWindow: 200_000, maxOutputTokens: 64_000, thinking: 'budgeted',
    betas: [BETA.computerUse2501, BETA.tokenEfficientTools, BETA.output128k], extraFields: ['thinking'],
    promptCaching: true, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-3-5-sonnet-20241022', name: 'Claude 3.5 Sonnet v2', foundationId: 'anthropic.claude-3-5-sonnet-20241022-v2:0', anthropicName: 'claude-3-5-sonnet-20241022',
    // Bedrock closed its caching preview for 3.5 Sonnet v2 to new customers: no markers.
    contextWindow: 200_000, maxOutputTokens: 8192, thinking: 'none',
    betas: [BETA.computerUse2410], extraFields: [],
    promptCaching: false, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-3-5-sonnet-20240620', name: 'Claude 3.5 Sonnet', foundationId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', anthropicName: 'claude-3-5-sonnet-20240620',
    contextWindow: 200_000, maxOutputTokens: 4096, thinking: 'none',
    betas: [], extraFields: [],
    promptCaching: false, minCacheTokens: 1024, cacheTtls: TTL_5M, price: { inputPerMTok: 3, outputPerMTok: 15, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-3-5-haiku', name: 'Claude 3.5 Haiku', foundationId: 'anthropic.claude-3-5-haiku-20241022-v1:0', anthropicName: 'claude-3-5-haiku-20241022',
    contextWindow: 200_000, maxOutputTokens: 8192, thinking: 'none',
    betas: [], extraFields: [],
    promptCaching: true, minCacheTokens: 2048, cacheTtls: TTL_5M, price: { inputPerMTok: 0.8, outputPerMTok: 4, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
  {
    key: 'claude-3-haiku', name: 'Claude 3 Haiku', foundationId: 'anthropic.claude-3-haiku-20240307-v1:0', anthropicName: 'claude-3-haiku-20240307',
    contextWindow: 200_000, maxOutputTokens: 4096, thinking: 'none',
    betas: [], extraFields: [],
    promptCaching: false, minCacheTokens: 2048, cacheTtls: TTL_5M, price: { inputPerMTok: 0.25, outputPerMTok: 1.25, regionalPremium: false },
    serviceTiers: TIERS_STANDARD,
  },
];

/**
 * The shape for an id that is not in the table: no betas, no extra fields beyond `thinking`
 * (sent only when the user asked for a budget), cache markers only above the largest minimum any
 * model has, 5-minute TTL. The output limit is the one the reference product assumes for ids it
 * does not know; the window is what every Claude model on Bedrock has at least.
 */
export const CONSERVATIVE: ModelCapabilities = {
  key: 'unknown',
  name: 'unknown model',
  foundationId: '',
  anthropicName: '',
  contextWindow: 200_000,
  maxOutputTokens: 32_000,
  thinking: 'budgeted',
  betas: [],
  extraFields: ['thinking'],
  promptCaching: true,
  minCacheTokens: 4096,
  cacheTtls: TTL_5M,
  price: { inputPerMTok: 0, outputPerMTok: 0, regionalPremium: false },
  serviceTiers: TIERS_STANDARD,
};

/** Longest key first, so `claude-opus-4-1` is tried before `claude-opus-4`. */
const BY_KEY_LENGTH = [...MODELS].sort((a, b) => b.key.length - a.key.length);
const PATTERNS = new Map(BY_KEY_LENGTH.map((m) => [m, new RegExp(`(^|[./])${m.key.replace(/[.]/g, '\\.')}($|[:@\\[]|-\\d{8}|-v\\d)`)]));

/**
 * The model behind an id that names it: foundation id, system profile id (`global.` / `us.` …),
 * Anthropic API name, or a foundation-model / inference-profile ARN. The key must end at a version
 * boundary so that `claude-opus-4-7` is not mistaken for `claude-opus-4`. Application-profile
 * ARNs do not name their model: undefined (resolve-base.ts asks Bedrock).
 */
export function capabilitiesOf(modelId: string): ModelCapabilities | undefined {
  const id = modelId.toLowerCase();
  const named = id.includes(':inference-profile/') || id.includes(':foundation-model/');
  if (id.startsWith('arn:') && !named) return undefined;
  const last = named ? id.slice(id.lastIndexOf('/') + 1) : id;
  return BY_KEY_LENGTH.find((m) => PATTERNS.get(m)!.test(last));
}

/** The window a request may fill: 1M only where the model has the beta and the user asked. */
export function windowOf(caps: ModelCapabilities, longContext: boolean): number {
  return longContext && caps.longContextBeta ? 1_000_000 : caps.contextWindow;
}
