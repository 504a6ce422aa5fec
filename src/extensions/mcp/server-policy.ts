/**
 * `allowedMcpServers` / `deniedMcpServers`: lists of `{serverName}`, `{serverCommand: [...]}` or
 * `{serverUrl: "https://*.corp.example/*"}` entries, meant for managed settings. A server on a deny
 * list never starts; where allow lists exist, a server must be on every one of them (so a lower
 * scope can narrow an organisation's list but never widen it). An empty allow list allows nothing.
 */
import type { McpServerConfig } from './server-config.js';

export interface PolicyEntry {
  serverName?: string;
  serverCommand?: string[];
  serverUrl?: string;
}

export interface ServerPolicy {
  allowLists: PolicyEntry[][];
  deny: PolicyEntry[];
}

function entries(value: unknown): PolicyEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((e): e is PolicyEntry => typeof e === 'object' && e !== null);
}

export function policyFromLayers(layers: ReadonlyArray<{ data: Record<string, unknown> }>): ServerPolicy {
  const policy: ServerPolicy = { allowLists: [], deny: [] };
  for (const l of layers) {
    const allow = entries(l.data.allowedMcpServers);
    if (allow) policy.allowLists.push(allow);
    policy.deny.push(...(entries(l.data.deniedMcpServers) ?? []));
  }
  return policy;
}

function urlMatches(pattern: string, url: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(url);
}

function matches(entry: PolicyEntry, name: string, config: McpServerConfig | undefined): boolean {
  if (entry.serverName !== undefined) return entry.serverName === name;
  if (entry.serverCommand !== undefined) return config?.type === 'stdio' && JSON.stringify([config.command, ...config.args]) === JSON.stringify(entry.serverCommand);
  if (entry.serverUrl !== undefined) return (config?.type === 'http' || config?.type === 'sse') && urlMatches(entry.serverUrl, config.url);
  return false;
}

/** Why the policy keeps this server from starting, or undefined when it may start. */
export function policyRefusal(policy: ServerPolicy, name: string, config: McpServerConfig | undefined): string | undefined {
  if (policy.deny.some((e) => matches(e, name, config))) return 'it is on deniedMcpServers';
  if (policy.allowLists.some((list) => !list.some((e) => matches(e, name, config)))) return 'it is not on allowedMcpServers';
  return undefined;
}
