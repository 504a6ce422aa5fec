/**
 * Which MCP servers a session starts, from every place the reference product reads them:
 * `--mcp-config` (alone with `--strict-mcp-config`), the local scope (`~/.claude.json`, under
 * this directory), the project's `.mcp.json`, settings `mcpServers`, and the user scope
 * (`~/.claude.json`). A name given in several places is taken from the first of that list.
 *
 * Servers from the project's own files (`.mcp.json`, the shared `.claude/settings.json`) come
 * with the repository, so they run only once approved: `enableAllProjectMcpServers` or
 * `enabledMcpjsonServers` in the user's own settings (not the project's shared file, which
 * could approve itself) or `~/.claude.json`; `disabledMcpjsonServers` always wins.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';
import { policyFromLayers, policyRefusal } from './server-policy.js';
import { expandServerConfig, McpConfigError, parseServerConfig, type McpServerConfig } from './server-config.js';
import { projectEntry, readUserConfig, userConfigFile, type UserConfigJson } from './user-config.js';

export type McpScope = 'flag' | 'local' | 'project' | 'settings' | 'user';

export interface DiscoveredServer {
  name: string;
  scope: McpScope;
  /** The file (or flag) it came from, for messages. */
  origin: string;
  /** Ready to start: parsed and `${VAR}`-expanded. Absent when `error` says why it cannot start. */
  config?: McpServerConfig;
  error?: McpConfigError;
}

export interface Discovery {
  servers: DiscoveredServer[];
  /** Project servers that were not started (not approved, or disabled): one line each for the user. */
  skipped: Array<{ name: string; origin: string; reason: 'unapproved' | 'disabled' | 'policy'; detail?: string }>;
  /** Files that could not be read (a broken `.mcp.json`): reported, the session goes on. */
  problems: McpConfigError[];
}

type Approvals = { all: boolean; enabled: Set<string>; disabled: Set<string> };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function addApprovals(into: Approvals, data: Record<string, unknown> | undefined): void {
  if (!data) return;
  if (data.enableAllProjectMcpServers === true) into.all = true;
  for (const n of strings(data.enabledMcpjsonServers)) into.enabled.add(n);
  for (const n of strings(data.disabledMcpjsonServers)) into.disabled.add(n);
}

/** `.mcp.json` in the working directory, else in a directory above it up to the project root. */
export function findProjectMcpFile(cwd: string, projectRoot: string): string | undefined {
  let dir = path.resolve(cwd);
  const stop = path.resolve(projectRoot || cwd);
  for (;;) {
    const file = path.join(dir, '.mcp.json');
    if (existsSync(file)) return file;
    if (dir === stop || !dir.startsWith(stop)) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The `mcpServers` object of a `.mcp.json` file. */
export function readMcpJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new McpConfigError(`${file} ${why}; its MCP servers were not started`, 'fix the file: {"mcpServers": {"name": {"command": "…", "args": []}}}');
  }
  if (!isRecord(parsed)) throw new McpConfigError(`${file} must hold a JSON object; its MCP servers were not started`, 'fix the file: {"mcpServers": {…}}');
  const servers = parsed.mcpServers ?? {};
  if (!isRecord(servers)) throw new McpConfigError(`mcpServers in ${file} must be an object keyed by server name`, 'fix the file: {"mcpServers": {"name": {…}}}');
  return servers;
}

/** The local-scope entry of `~/.claude.json` for this session: the working directory's, else the project root's. */
export function localEntry(data: UserConfigJson, cwd: string, projectRoot: string): Record<string, unknown> | undefined {
  return projectEntry(data, path.resolve(cwd)) ?? (projectRoot ? projectEntry(data, path.resolve(projectRoot)) : undefined);
}

export function discoverServers(config: Pick<Config, 'cwd' | 'projectRoot' | 'env' | 'mcp'>): Discovery {
  const out: Discovery = { servers: [], skipped: [], problems: [] };
  const mcp = config.mcp ?? { flagServers: [], strict: false, layers: [] };
  const taken = new Set<string>();
  const add = (scope: McpScope, origin: string, servers: Record<string, unknown> | undefined) => {
    for (const [name, raw] of Object.entries(servers ?? {})) {
      if (taken.has(name)) continue;
      taken.add(name);
      const found: DiscoveredServer = { name, scope, origin };
      try {
        found.config = expandServerConfig(name, parseServerConfig(name, raw, origin, { allowSdk: scope === 'flag' }), config.env, origin);
      } catch (err) {
        if (!(err instanceof McpConfigError)) throw err;
        found.error = err;
      }
      out.servers.push(found);
    }
  };

  for (const f of mcp.flagServers) add('flag', f.origin, f.servers);
  if (!mcp.strict) {
    const userFile = userConfigFile(config.env);
    let user: UserConfigJson = {};
    try {
      user = readUserConfig(userFile);
    } catch (err) {
      if (!(err instanceof McpConfigError)) throw err;
      out.problems.push(err);
    }
    const local = localEntry(user, config.cwd, config.projectRoot);
    const approvals: Approvals = { all: false, enabled: new Set(), disabled: new Set() };
    addApprovals(approvals, local);
    for (const layer of mcp.layers) if (layer.scope !== 'project') addApprovals(approvals, layer.data);
    const approve = (name: string, origin: string): boolean => {
      if (approvals.disabled.has(name)) out.skipped.push({ name, origin, reason: 'disabled' });
      else if (approvals.all || approvals.enabled.has(name)) return true;
      else out.skipped.push({ name, origin, reason: 'unapproved' });
      taken.add(name);
      return false;
    };

    add('local', `${userFile} (local scope)`, isRecord(local?.mcpServers) ? local.mcpServers : undefined);

    const projectFile = findProjectMcpFile(config.cwd, config.projectRoot);
    if (projectFile) {
      try {
        const servers = readMcpJson(projectFile);
        add('project', projectFile, Object.fromEntries(Object.entries(servers).filter(([name]) => taken.has(name) || approve(name, projectFile))));
      } catch (err) {
        if (!(err instanceof McpConfigError)) throw err;
        out.problems.push(err);
      }
    }
    for (const layer of mcp.layers) {
      const servers = layer.data.mcpServers;
      if (!isRecord(servers)) continue;
      if (layer.scope === 'project') add('project', layer.origin, Object.fromEntries(Object.entries(servers).filter(([name]) => taken.has(name) || approve(name, layer.origin))));
      else add('settings', layer.origin, servers);
    }
    add('user', `${userFile} (user scope)`, isRecord(user.mcpServers) ? user.mcpServers : undefined);
  }
  // allowedMcpServers / deniedMcpServers hold for servers from every source.
  const policy = policyFromLayers(mcp.layers);
  out.servers = out.servers.filter((s) => {
    const why = policyRefusal(policy, s.name, s.config);
    if (why) out.skipped.push({ name: s.name, origin: s.origin, reason: 'policy', detail: why });
    return why === undefined;
  });
  // Sorted by name: the tools join the request in this order, the same on every start.
  out.servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
