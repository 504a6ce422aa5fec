import { loadCommandConfig } from './command-config.js';
import type { Config } from '../config/types.js';
import { CAPABILITIES_CHECKED, MODELS, capabilitiesOf, type ModelCapabilities } from '../models/capabilities.js';
import { redact } from '../util/redact.js';

/** Options of `bcode models`, as commander hands them over (global flags merged in). */
export interface ModelsCommandOptions {
  json?: boolean;
  offline?: boolean;
  cwd?: string;
  settings?: string;
  model?: string;
}

interface Availability {
  /** Profile ids (system and application) per model key that this account can call in the region. */
  byKey: Map<string, string[]>;
  error?: string;
}

const LIST_TIMEOUT_MS = 15_000;

/** ListInferenceProfiles (both kinds), grouped by the base model each profile routes to. */
async function availability(config: Config): Promise<Availability> {
  const { listInferenceProfiles } = await import('../bedrock/profiles.js');
  const byKey = new Map<string, string[]>();
  try {
    const profiles = await listInferenceProfiles(config, { signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
    for (const p of profiles) {
      const caps = capabilitiesOf(p.id) ?? p.modelArns.map((a) => capabilitiesOf(a)).find(Boolean);
      if (!caps || p.status !== 'ACTIVE') continue;
      byKey.set(caps.key, [...(byKey.get(caps.key) ?? []), p.type === 'APPLICATION' ? p.arn : p.id]);
    }
    return { byKey };
  } catch (err) {
    return { byKey, error: err instanceof Error ? err.message : String(err) };
  }
}

function thinkingLabel(m: ModelCapabilities): string {
  if (m.thinking === 'none') return 'none';
  const base = m.thinking === 'adaptive' ? 'adaptive' : 'budgeted';
  return m.interleavedThinkingBeta ? `${base}+interleaved` : base;
}

function roles(config: Config, key: string): string[] {
  const out: string[] = [];
  if (capabilitiesOf(config.models.main.id)?.key === key) out.push('main');
  if (capabilitiesOf(config.models.smallFast.id)?.key === key) out.push('small/fast');
  return out;
}

function renderTable(config: Config, avail: Availability | undefined): string {
  const rows = MODELS.map((m) => [
    m.name + (roles(config, m.key).length ? ` (${roles(config, m.key).join(', ')})` : ''),
    m.foundationId,
    `${m.contextWindow / 1000}k${m.longContextBeta ? '/1M' : ''}`,
    String(m.maxOutputTokens),
    thinkingLabel(m),
    m.promptCaching ? `${m.minCacheTokens} ${m.cacheTtls.join('/')}` : 'no',
    `$${m.price.inputPerMTok}/$${m.price.outputPerMTok}`,
    avail && !avail.error ? (avail.byKey.get(m.key)?.join(' ') ?? '-') : '?',
  ]);
  const head = ['model', 'foundation id', 'context', 'max out', 'thinking', 'cache min/ttl', 'per MTok in/out', avail ? `profiles in ${config.region}` : 'profiles (not checked)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line), '', `capabilities checked ${CAPABILITIES_CHECKED}; 1M = the context-1m beta with a [1m] suffix on the model`].join('\n');
}

function renderJson(config: Config, avail: Availability | undefined): string {
  const models = MODELS.map((m) => ({
    key: m.key,
    name: m.name,
    foundationId: m.foundationId,
    contextWindow: m.contextWindow,
    longContextBeta: m.longContextBeta ?? null,
    maxOutputTokens: m.maxOutputTokens,
    thinking: m.thinking,
    interleavedThinkingBeta: m.interleavedThinkingBeta ?? null,
    betas: m.betas,
    extraFields: m.extraFields,
    promptCaching: m.promptCaching,
    minCacheTokens: m.minCacheTokens,
    cacheTtls: m.cacheTtls,
    price: m.price,
    roles: roles(config, m.key),
    profiles: avail && !avail.error ? (avail.byKey.get(m.key) ?? []) : null,
  }));
  const configured = (id: string) => ({ id, model: capabilitiesOf(id)?.key ?? null });
  const doc = {
    version: 1,
    checked: CAPABILITIES_CHECKED,
    region: config.region || null,
    availability: avail ? (avail.error ? { checked: false, error: avail.error } : { checked: true }) : { checked: false },
    configured: { main: configured(config.models.main.id), smallFast: configured(config.models.smallFast.id) },
    models,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * `bcode models` (B22): the capability table, and with credentials which profiles of each model
 * this account can call in the region (ListInferenceProfiles). Exit 0 even when the listing fails
 * (the table is still right; the note on stderr says why availability is missing).
 */
export async function runModelsCommand(opts: ModelsCommandOptions): Promise<number> {
  // ListInferenceProfiles goes through the proxy and CA in effect, like every other call.
  const { config, warnings } = await loadCommandConfig(opts);
  for (const w of warnings) process.stderr.write(`${redact(`bcode: warning: ${w}`)}\n`);
  const check = !opts.offline && !config.missingRegion;
  const avail = check ? await availability(config) : undefined;
  if (avail?.error) process.stderr.write(`${redact(`bcode: could not list the inference profiles of ${config.region}: ${avail.error}`)}\n  hint: the table is shown without availability; run \`bcode doctor\` to check credentials and permissions (bedrock:ListInferenceProfiles)\n`);
  else if (!check && !opts.offline) process.stderr.write('bcode: AWS_REGION is not set: availability not checked\n  hint: export AWS_REGION=us-east-1 (or your region) to see which profiles answer\n');
  process.stdout.write(redact(opts.json ? renderJson(config, avail) : `${renderTable(config, avail)}\n`));
  return 0;
}
