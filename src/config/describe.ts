/**
 * The resolved configuration as `key: value  (source)` lines, secrets hidden: `--print-config`
 * prints them, the UI's /config shows them.
 */
import type { Config } from './types.js';
import { KNOWN_ENV } from './env-names.js';
import { redact } from '../util/redact.js';

const HIDDEN = 'set (hidden)';

/** Guardrail ids and versions are not secrets; any other custom header may be a gateway token. */
function showHeaderValue(name: string): boolean {
  return name.toLowerCase().startsWith('x-amzn-bedrock-');
}

/** The `key: value  (source)` lines of `bcode --print-config`, secrets hidden. */
export function configLines(config: Config): string[] {
  const s = config.sources;
  const lines: string[] = [];
  // Only values go through redact(): the shape patterns would take `auth.bearerToken: set` for a secret.
  const add = (key: string, value: string | number | boolean, source = s[key] ?? 'default') =>
    lines.push(`${key}: ${value === HIDDEN ? HIDDEN : value === '' ? '(not set)' : redact(String(value))}  (${redact(source)})`);

  add('cwd', config.cwd, 'working directory');
  add('projectRoot', config.projectRoot, 'nearest directory with .claude/ or .git/');
  for (const f of config.settingsFiles ?? []) add('settingsFile', f.path, f.scope);
  if (config.missingRegion) add('region', '(not set)', 'AWS_REGION');
  else add('region', config.region);
  add('endpoint', config.models.main.endpoint, s.endpoint);
  add('controlEndpoint', config.controlEndpoint, s.controlEndpoint);
  add('auth.mode', config.auth.mode, s['auth.mode']);
  if (config.auth.profile) add('auth.profile', config.auth.profile);
  if (config.auth.bearerToken !== undefined) add('auth.bearerToken', HIDDEN);
  add('models.main', config.models.main.id);
  add('models.main.region', config.models.main.region);
  add('models.smallFast', config.models.smallFast.id);
  add('models.smallFast.region', config.models.smallFast.region);
  add('models.smallFast.endpoint', config.models.smallFast.endpoint, s.endpoint);
  for (const alias of ['haiku', 'sonnet', 'opus'] as const) add(`models.aliases.${alias}`, config.models.aliases[alias]);
  add('maxOutputTokens', config.maxOutputTokens);
  add('thinkingBudget', config.thinkingBudget ?? 'off');
  const headers = Object.entries(config.customHeaders);
  if (headers.length === 0) add('customHeaders', 'none');
  for (const [name, value] of headers) add(`customHeaders.${name}`, showHeaderValue(name) ? value : HIDDEN, s.customHeaders);
  add('promptCaching', config.promptCaching ? 'on' : 'off');
  const ac = config.autoCompact ?? { enabled: true };
  add('autoCompact', `${ac.enabled ? 'on' : 'off'}${ac.pct !== undefined ? `, at ${ac.pct}% of the window` : ''}${ac.window !== undefined ? `, window ${ac.window} tokens` : ''}`);
  add('apiTimeoutMs', config.apiTimeoutMs);
  add('streamIdleTimeoutMs', config.streamIdleTimeoutMs ?? 'default (60000)', s.streamIdleTimeoutMs);
  const fo = config.models.failover;
  add('models.failover', fo ? `${fo.models.join(', ')} (after ${fo.afterFailures} failures, back after ${fo.cooldownMs / 1000} s)` : 'none', s['models.failover']);
  if (config.guardrails) add('guardrails.tagUserInput', 'on', s.guardrails);
  if (config.subagents) add('subagentConcurrency', `${config.subagents.concurrency} at a time (1 for ${config.subagents.cooldownMs / 1000} s after a throttle)`, s.subagents);
  if (config.awsAuthRefresh !== undefined) add('awsAuthRefresh', config.awsAuthRefresh);
  if (config.awsCredentialExport !== undefined) add('awsCredentialExport', config.awsCredentialExport);
  add('permissions.defaultMode', config.permissions.defaultMode ?? 'default');
  for (const key of ['allow', 'ask', 'deny', 'additionalDirectories'] as const) {
    if (config.permissions[key].length) add(`permissions.${key}`, JSON.stringify(config.permissions[key]));
  }
  for (const { name, secret } of KNOWN_ENV) {
    const value = config.env[name];
    if (value === undefined || value === '') continue;
    // Proxy URLs may carry a user name and password.
    add(`env.${name}`, secret ? HIDDEN : value.replace(/\/\/[^/@\s]*@/, '//(hidden)@').replace(/^[^/:@\s]+:[^/@\s]*@/, '(hidden)@'), envSource(config, name));
  }
  return lines;
}

function envSource(config: Config, name: string): string {
  return config.sources[`env.${name}`] ?? 'env';
}
