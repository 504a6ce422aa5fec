/**
 * The checks `bcode doctor` answers from the configuration alone (no network): settings,
 * region, endpoints, resolved models, guardrail headers, caching and token settings.
 */
import type { Config } from '../config/types.js';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../config/load.js';
import { classifyModelId } from '../config/models.js';
import type { CheckResult } from './types.js';

/** Bedrock's recommendations (docs/configuration.md): max_tokens is reserved from the quota up front. bcode's default is this value. */
export const RECOMMENDED_MAX_OUTPUT_TOKENS = DEFAULT_MAX_OUTPUT_TOKENS;
export const RECOMMENDED_THINKING_BUDGET = 1024;

export function configCheck(config: Config, warnings: string[]): CheckResult {
  const files = config.settingsFiles ?? [];
  const read = files.length === 0 ? 'no settings files (environment only)' : `settings: ${files.map((f) => `${f.path} (${f.scope})`).join(', ')}`;
  if (warnings.length === 0) return { id: 'config', title: 'configuration', status: 'pass', detail: read };
  const first = warnings[0].replace(/^bcode: warning: /, '');
  const more = warnings.length > 1 ? ` (+${warnings.length - 1} more)` : '';
  return { id: 'config', title: 'configuration', status: 'warn', detail: `${first}${more}`, fix: 'see every value and its source with `bcode --print-config --verbose`' };
}

export function regionCheck(config: Config): CheckResult {
  if (config.missingRegion) return { id: 'region', title: 'region', status: 'fail', detail: config.missingRegion.message, fix: config.missingRegion.hint };
  const s = config.sources;
  let detail = `${config.region} (${s.region ?? 'default'})`;
  const small = config.models.smallFast.region;
  if (small !== config.region) detail += `; small/fast model calls go to ${small} (${s['models.smallFast.region'] ?? 'default'})`;
  return { id: 'region', title: 'region', status: 'pass', detail };
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
}

export function endpointCheck(config: Config): CheckResult {
  const main = config.models.main.endpoint;
  if (!config.customEndpoint && config.missingRegion) return { id: 'endpoint', title: 'endpoint', status: 'skip', detail: 'not checked: the regional endpoints follow AWS_REGION (see the region check)' };
  if (!config.customEndpoint) {
    const small = config.models.smallFast;
    const smallText = small.endpoint !== main ? `; small/fast model runtime ${small.endpoint}` : '';
    return { id: 'endpoint', title: 'endpoint', status: 'pass', detail: `regional: runtime ${main}, control plane ${config.controlEndpoint}${smallText}` };
  }
  const detail = `custom base URL ${main} (${config.sources.endpoint ?? 'env:ANTHROPIC_BEDROCK_BASE_URL'}) for model calls and ListInferenceProfiles`;
  const url = new URL(main);
  if (url.protocol === 'http:' && !isLoopback(url)) {
    return { id: 'endpoint', title: 'endpoint', status: 'warn', detail: `${detail}; plain HTTP to a remote host`, fix: 'use an https:// URL in ANTHROPIC_BEDROCK_BASE_URL so requests are encrypted in transit' };
  }
  return { id: 'endpoint', title: 'endpoint', status: 'pass', detail };
}

function kindLabel(id: string): string {
  const kind = classifyModelId(id);
  if (kind === 'inference-profile') return id.startsWith('global.') ? 'global inference profile' : 'inference profile';
  if (kind === 'foundation-model') return 'foundation model';
  if (id.includes(':application-inference-profile/')) return 'application inference profile';
  if (id.includes(':inference-profile/')) return 'inference profile ARN';
  return 'model ARN';
}

export function modelChecks(config: Config): CheckResult[] {
  const s = config.sources;
  const { main, smallFast, aliases } = config.models;
  const out: CheckResult[] = [
    { id: 'models.main', title: 'main model', status: 'pass', detail: `${main.id} — ${kindLabel(main.id)} (${s['models.main'] ?? 'default'})` },
    {
      id: 'models.smallFast',
      title: 'small/fast model',
      status: 'pass',
      detail: `${smallFast.id} — ${kindLabel(smallFast.id)} (${s['models.smallFast'] ?? 'default'})${smallFast.region === main.region ? '' : `, in ${smallFast.region}`}`,
    },
  ];
  const aliasText = (['sonnet', 'opus', 'haiku'] as const)
    .map((a) => {
      const src = s[`models.aliases.${a}`] ?? 'default';
      return `${a} → ${aliases[a]}${src === 'default' ? '' : ` (${src})`}`;
    })
    .join('; ');
  out.push({ id: 'models.aliases', title: 'model aliases', status: 'pass', detail: aliasText });
  return out;
}

function header(config: Config, name: string): string | undefined {
  const entry = Object.entries(config.customHeaders).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return entry?.[1];
}

export function guardrailCheck(config: Config): CheckResult {
  const id = header(config, 'X-Amzn-Bedrock-GuardrailIdentifier');
  const version = header(config, 'X-Amzn-Bedrock-GuardrailVersion');
  const trace = header(config, 'X-Amzn-Bedrock-Trace');
  const others = Object.keys(config.customHeaders).filter((k) => !k.toLowerCase().startsWith('x-amzn-bedrock-guardrail') && k.toLowerCase() !== 'x-amzn-bedrock-trace');
  const otherText = others.length ? `; other custom headers (values hidden): ${others.join(', ')}` : '';
  const base = { id: 'guardrails', title: 'guardrail headers' };
  if (id === undefined && version === undefined) {
    return { ...base, status: 'pass', detail: `none (no X-Amzn-Bedrock-GuardrailIdentifier in ANTHROPIC_CUSTOM_HEADERS)${otherText}` };
  }
  if (id === undefined || version === undefined) {
    const missing = id === undefined ? 'X-Amzn-Bedrock-GuardrailIdentifier' : 'X-Amzn-Bedrock-GuardrailVersion';
    return {
      ...base,
      status: 'fail',
      detail: `guardrail ${id ?? '(no identifier)'} version ${version ?? '(none)'}: ${missing} is missing${otherText}`,
      fix: `add "${missing}: …" to ANTHROPIC_CUSTOM_HEADERS — Bedrock needs both the guardrail identifier and its version`,
    };
  }
  return { ...base, status: 'pass', detail: `guardrail ${id} version ${version}${trace ? `, trace ${trace}` : ''} (${config.sources.customHeaders ?? 'ANTHROPIC_CUSTOM_HEADERS'})${otherText}` };
}

export function cachingCheck(config: Config): CheckResult {
  const src = config.sources.promptCaching ?? 'default';
  if (config.promptCaching) return { id: 'caching', title: 'prompt caching', status: 'pass', detail: `on (${src})` };
  return {
    id: 'caching',
    title: 'prompt caching',
    status: 'warn',
    detail: `off (${src}): every turn pays the full input price and latency`,
    fix: 'unset DISABLE_PROMPT_CACHING unless your model or gateway rejects cache_control',
  };
}

export function tokensCheck(config: Config): CheckResult {
  const s = config.sources;
  const thinking = config.thinkingBudget === undefined ? 'thinking off' : `thinking budget ${config.thinkingBudget} (${s.thinkingBudget ?? 'default'})`;
  const detail = `max output tokens ${config.maxOutputTokens} (${s.maxOutputTokens ?? 'default'}); ${thinking}`;
  const fixes: string[] = [];
  // The default is the recommendation; with a large thinking budget it grows by that budget, which the thinking fix covers.
  const chosen = !(s.maxOutputTokens ?? 'default').startsWith('default');
  if (chosen && config.maxOutputTokens > RECOMMENDED_MAX_OUTPUT_TOKENS) fixes.push(`export CLAUDE_CODE_MAX_OUTPUT_TOKENS=${RECOMMENDED_MAX_OUTPUT_TOKENS}`);
  if (config.thinkingBudget !== undefined && config.thinkingBudget > RECOMMENDED_THINKING_BUDGET) fixes.push(`MAX_THINKING_TOKENS=${RECOMMENDED_THINKING_BUDGET}`);
  if (fixes.length === 0) return { id: 'tokens', title: 'token settings', status: 'pass', detail };
  return {
    id: 'tokens',
    title: 'token settings',
    status: 'warn',
    detail: `${detail}; Bedrock recommends ${RECOMMENDED_MAX_OUTPUT_TOKENS} output / ${RECOMMENDED_THINKING_BUDGET} thinking tokens`,
    fix: `${fixes.join(' and ')} — Bedrock reserves max_tokens from your tokens-per-minute quota up front, so large values cause throttling`,
  };
}
