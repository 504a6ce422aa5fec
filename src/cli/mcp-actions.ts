/**
 * The work of `bcode mcp …`. Servers are written where the reference product keeps them: local
 * scope in `~/.claude.json` under this directory, user scope at the top of `~/.claude.json`,
 * project scope in `.mcp.json`; every write replaces the file atomically. `list` and `get`
 * start the servers to see whether they connect (not a project server the user has not
 * approved: that would run a repository's command unasked).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommandConfig } from './command-config.js';
import type { Config } from '../config/types.js';
import { BcodeError, UsageError } from '../errors.js';
import { discoverServers, findProjectMcpFile, localEntry, readMcpJson, type DiscoveredServer } from '../extensions/mcp/discovery.js';
import type { McpServerState } from '../extensions/mcp/manager.js';
import { McpConfigError, parseServerConfig, serverToJson, type McpServerConfig } from '../extensions/mcp/server-config.js';
import { projectEntry, readUserConfig, userConfigFile, writeUserConfig } from '../extensions/mcp/user-config.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import { childEnvForConfig } from '../util/child-env.js';
import type { CommandSandbox } from '../tools/types.js';
import { redact } from '../util/redact.js';
import type { McpCommandOptions } from './mcp-command.js';

type Scope = 'local' | 'project' | 'user';
const SCOPE_LABEL: Record<Scope, string> = {
  local: 'Local config (private to you in this project)',
  project: 'Project config (shared via .mcp.json)',
  user: 'User config (available in all your projects)',
};

class McpCommandError extends BcodeError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: 1 });
  }
}

const out = (line = '') => process.stdout.write(`${redact(line)}\n`);

async function load(opts: McpCommandOptions): Promise<Config> {
  // `list`/`get` connect to remote servers: through the proxy and CA in effect, with settings `env`.
  const { config } = await loadCommandConfig({ cwd: path.resolve(opts.cwd ?? process.cwd()), settings: opts.settings });
  return config;
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`invalid MCP server name '${name}'`, { hint: 'use letters, digits, - and _ only (the name becomes part of tool names: mcp__<name>__<tool>)' });
}

function projectFile(config: Config): string {
  return findProjectMcpFile(config.cwd, config.projectRoot) ?? path.join(config.projectRoot || config.cwd, '.mcp.json');
}

/** The servers a scope holds as written (before `${VAR}` expansion), and how to write them back. */
async function scopeStore(config: Config, scope: Scope) {
  if (scope === 'project') {
    const file = projectFile(config);
    // readMcpJson first: it turns a broken file into an error that names it.
    const servers = existsSync(file) ? readMcpJson(file) : {};
    const data: Record<string, unknown> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    return {
      file,
      servers,
      save: async () => {
        data.mcpServers = servers;
        await atomicWriteFile(file, `${JSON.stringify(data, null, 2)}\n`);
      },
    };
  }
  const file = userConfigFile(config.env);
  const data = readUserConfig(file);
  const holder = scope === 'user' ? (data as Record<string, unknown>) : (localEntry(data, config.cwd, config.projectRoot) ?? projectEntry(data, config.cwd, true)!);
  const servers = (typeof holder.mcpServers === 'object' && holder.mcpServers !== null ? holder.mcpServers : {}) as Record<string, unknown>;
  return {
    file,
    servers,
    save: async () => {
      holder.mcpServers = servers;
      await writeUserConfig(file, data);
    },
  };
}

async function addServer(config: Config, name: string, entry: Record<string, unknown>, scope: Scope): Promise<void> {
  const store = await scopeStore(config, scope);
  if (name in store.servers) throw new McpCommandError(`MCP server '${name}' already exists in ${scope} config`, `remove it first: bcode mcp remove ${name} -s ${scope}`);
  store.servers[name] = entry;
  await store.save();
  out(`Added ${String(entry.type)} MCP server ${name} to ${scope} config`);
  out(`File modified: ${store.file}`);
}

function pairs(values: string[] | undefined, sep: '=' | ':', what: string, example: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.indexOf(sep);
    const key = at > 0 ? v.slice(0, at).trim() : '';
    if (!key) throw new UsageError(`invalid ${what} '${v}'`, { hint: `write it as ${example}` });
    result[key] = v.slice(at + 1).trim();
  }
  return result;
}

export async function mcpAdd(name: string, target: string, args: string[], opts: McpCommandOptions): Promise<number> {
  checkName(name);
  const transport = opts.transport ?? 'stdio';
  let entry: Record<string, unknown>;
  if (transport === 'stdio') {
    if (opts.header?.length) throw new UsageError('--header is for http and sse servers', { hint: 'give a stdio server its settings with -e KEY=value' });
    entry = { type: 'stdio', command: target, args, env: pairs(opts.env, '=', 'environment variable', 'KEY=value, e.g. -e API_KEY=abc') };
  } else {
    if (opts.env?.length) throw new UsageError('-e/--env is for stdio servers', { hint: 'give a remote server its credentials with --header "Authorization: Bearer …"' });
    if (args.length > 0) throw new UsageError(`an ${transport} server takes a URL, not a command with arguments (got ${args.join(' ')})`, { hint: `bcode mcp add --transport ${transport} ${name} https://example.com/mcp` });
    if (!target.includes('${')) {
      try {
        new URL(target);
      } catch {
        throw new UsageError(`'${target}' is not a URL`, { hint: `bcode mcp add --transport ${transport} ${name} https://example.com/mcp` });
      }
    }
    const headers = pairs(opts.header, ':', 'header', '"Name: value", e.g. --header "Authorization: Bearer abc"');
    entry = { type: transport, url: target, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
  }
  const config = await load(opts);
  await addServer(config, name, serverToJson(parseServerConfig(name, entry, 'the command line')), opts.scope ?? 'local');
  return 0;
}

export async function mcpAddJson(name: string, json: string, opts: McpCommandOptions): Promise<number> {
  checkName(name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new UsageError('the server JSON is not valid JSON', { hint: `e.g. bcode mcp add-json ${name} '{"type":"stdio","command":"npx","args":["-y","some-server"]}'` });
  }
  let checked: McpServerConfig;
  try {
    checked = parseServerConfig(name, parsed, 'the JSON given');
  } catch (err) {
    if (err instanceof McpConfigError) throw new UsageError(err.message, { hint: err.hint ?? '' });
    throw err;
  }
  // Stored as given (with its `type`), as the reference does: `${VAR}` references stay unexpanded.
  const entry = { ...(parsed as Record<string, unknown>), type: checked.type };
  await addServer(await load(opts), name, entry, opts.scope ?? 'local');
  return 0;
}

/** The scopes that hold `name` (as written in the files). */
async function scopesOf(config: Config, name: string): Promise<Scope[]> {
  const found: Scope[] = [];
  for (const scope of ['local', 'project', 'user'] as const) {
    try {
      if (name in (await scopeStore(config, scope)).servers) found.push(scope);
    } catch (err) {
      if (!(err instanceof McpConfigError)) throw err;
    }
  }
  return found;
}

export async function mcpRemove(name: string, opts: McpCommandOptions): Promise<number> {
  const config = await load(opts);
  const scopes = opts.scope ? [opts.scope] : await scopesOf(config, name);
  if (scopes.length === 0) throw new McpCommandError(`no MCP server named '${name}'`, 'bcode mcp list shows the configured servers');
  if (scopes.length > 1) throw new McpCommandError(`MCP server '${name}' exists in more than one scope (${scopes.join(', ')})`, `say which: bcode mcp remove ${name} -s ${scopes[0]}`);
  const store = await scopeStore(config, scopes[0]!);
  if (!(name in store.servers)) throw new McpCommandError(`no MCP server named '${name}' in ${scopes[0]} config`, 'bcode mcp list shows the configured servers and bcode mcp get <name> their scope');
  delete store.servers[name];
  await store.save();
  out(`Removed MCP server ${name} from ${scopes[0]} config`);
  out(`File modified: ${store.file}`);
  return 0;
}

/** Values that are not `${VAR}` references are not shown: they are often tokens. */
function masked(map: Record<string, string>, sep: string): string[] {
  return Object.entries(map).map(([k, v]) => `${k}${sep}${v.includes('${') ? v : '***'}`);
}

function describeTarget(config: McpServerConfig): string {
  if (config.type === 'sdk') return "in-process (an Agent SDK app's server)";
  return config.type === 'stdio' ? [config.command, ...config.args].join(' ') : `${config.url} (${config.type.toUpperCase()})`;
}

/** Starts the servers that may run and waits until each has connected or failed. */
async function check(config: Config, servers: DiscoveredServer[]): Promise<McpServerState[]> {
  const runnable = servers.filter((s) => s.config);
  if (runnable.length === 0) return [];
  const { McpManager } = await import('../extensions/mcp/manager.js');
  const { oauthDir } = await import('../extensions/mcp/oauth-store.js');
  // Checked servers start as they would in a session: stdio ones inside the command sandbox.
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'bcode-mcp-check-'));
  const sandbox = runnable.some((s) => s.config?.type === 'stdio') ? await checkSandbox(config, scratchDir) : undefined;
  const manager = new McpManager(runnable, { cwd: config.cwd, env: config.env, childEnv: childEnvForConfig(config), version: 'mcp-check', notice: () => undefined, oauthDir: oauthDir(config.trustEnv ?? config.env), sandbox });
  try {
    await manager.settled();
    return manager.states();
  } finally {
    await manager.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function checkSandbox(config: Config, scratchDir: string): Promise<CommandSandbox> {
  const [{ sandboxRunnerFor }, { createPermissionPolicy }] = await Promise.all([import('../sandbox/for-config.js'), import('../permissions/index.js')]);
  // Only the sandbox's paths come from the policy; 'default' so that a bypass mode never refuses a listing.
  return sandboxRunnerFor(config, createPermissionPolicy(config, { cwd: config.cwd, mode: 'default' }), scratchDir);
}

function statusText(s: McpServerState | undefined, d: DiscoveredServer): string {
  if (d.error) return `✗ Invalid: ${d.error.message}`;
  if (!s) return '? Unknown';
  if (s.status === 'needs-auth') return `⚠ Needs authentication (bcode mcp login ${d.name})`;
  return s.status === 'connected' ? '✓ Connected' : `✗ Failed to connect${s.error ? ` (${s.error})` : ''}`;
}

export async function mcpList(opts: McpCommandOptions): Promise<number> {
  const config = await load(opts);
  const found = discoverServers(config);
  if (found.servers.length === 0 && found.skipped.length === 0) {
    out('No MCP servers configured. Add one with `bcode mcp add`.');
    return 0;
  }
  const states = await check(config, found.servers);
  for (const d of found.servers) {
    const target = d.config ? describeTarget(d.config) : d.origin;
    out(`${d.name}: ${target} - ${statusText(states.find((s) => s.name === d.name), d)}`);
  }
  const why = (s: (typeof found.skipped)[number]) => (s.reason === 'disabled' ? '✗ Disabled (disabledMcpjsonServers)' : s.reason === 'policy' ? `✗ Blocked (${s.detail ?? 'policy'})` : '⚠ Needs approval (enabledMcpjsonServers or enableAllProjectMcpServers)');
  for (const s of found.skipped) out(`${s.name}: from ${s.origin} - ${why(s)}`);
  for (const p of found.problems) process.stderr.write(`${redact(`bcode: ${p.message}\n  hint: ${p.hint ?? ''}`)}\n`);
  return 0;
}

const SCOPE_OF: Record<string, Scope | undefined> = { local: 'local', project: 'project', user: 'user' };

export async function mcpGet(name: string, opts: McpCommandOptions): Promise<number> {
  const config = await load(opts);
  const found = discoverServers(config);
  const d = found.servers.find((s) => s.name === name);
  const skipped = found.skipped.find((s) => s.name === name);
  if (!d && !skipped) throw new McpCommandError(`no MCP server named '${name}'`, 'bcode mcp list shows the configured servers');
  out(`${name}:`);
  if (!d) {
    out(`  Status: ${skipped!.reason === 'disabled' ? '✗ Disabled' : skipped!.reason === 'policy' ? `✗ Blocked: ${skipped!.detail ?? 'policy'}` : '⚠ Needs approval'} (${skipped!.origin})`);
    return 0;
  }
  const scope = SCOPE_OF[d.scope];
  out(`  Scope: ${scope ? SCOPE_LABEL[scope] : `${d.scope} (${d.origin})`}`);
  const [state] = await check(config, [d]);
  out(`  Status: ${statusText(state, d)}`);
  if (d.config?.type === 'stdio') {
    out('  Type: stdio');
    out(`  Command: ${d.config.command}`);
    out(`  Args: ${d.config.args.join(' ')}`);
    const raw = (await scopeStore(config, scope ?? 'local').catch(() => undefined))?.servers[name] as { env?: Record<string, string> } | undefined;
    out(`  Environment:${masked(raw?.env ?? {}, '=').map((l) => `\n    ${l}`).join('')}`);
  } else if (d.config && d.config.type !== 'sdk') {
    out(`  Type: ${d.config.type}`);
    out(`  URL: ${d.config.url}`);
    const raw = (await scopeStore(config, scope ?? 'local').catch(() => undefined))?.servers[name] as { headers?: Record<string, string> } | undefined;
    out(`  Headers:${masked(raw?.headers ?? {}, ': ').map((l) => `\n    ${l}`).join('')}`);
  }
  if (state?.tools.length) out(`  Tools: ${state.tools.join(', ')}`);
  out('');
  if (scope) out(`To remove this server, run: bcode mcp remove ${name} -s ${scope}`);
  return 0;
}

/** A remote server this command may sign in to (or out of), by name. */
function remoteServer(config: Config, name: string): { name: string; url: string } {
  const found = discoverServers(config);
  const d = found.servers.find((s) => s.name === name);
  if (!d) {
    const skipped = found.skipped.find((s) => s.name === name);
    if (skipped) throw new McpCommandError(`MCP server '${name}' (${skipped.origin}) is not started in this folder (${skipped.reason === 'unapproved' ? 'it needs your approval first' : skipped.reason})`, skipped.reason === 'unapproved' ? `approve it first: "enabledMcpjsonServers": ["${name}"] in .claude/settings.local.json, or answer the question bcode asks in this folder` : 'bcode mcp list shows the servers that start here');
    throw new McpCommandError(`no MCP server named '${name}'`, 'bcode mcp list shows the configured servers');
  }
  if (!d.config) throw new McpCommandError(d.error?.message ?? `MCP server '${name}' is not configured correctly`, d.error?.hint ?? 'fix its entry');
  if (d.config.type === 'sdk') throw new McpCommandError(`MCP server '${name}' is an in-process Agent SDK server: there is nothing to sign in to`, 'it lives inside the app that runs bcode');
  if (d.config.type === 'stdio') throw new McpCommandError(`MCP server '${name}' is a local (stdio) server: there is nothing to sign in to`, 'a stdio server takes its keys through its environment: bcode mcp add -e KEY=value …');
  return { name, url: d.config.url };
}

export async function mcpLoginAction(name: string, opts: McpCommandOptions & { browser?: boolean }): Promise<number> {
  const config = await load(opts);
  const server = remoteServer(config, name);
  const [{ mcpLogin }, { oauthDir }, { netFetch }, readline] = await Promise.all([import('../extensions/mcp/oauth-login.js'), import('../extensions/mcp/oauth-store.js'), import('../net/fetch.js'), import('node:readline')]);
  // A pasted redirect address is read from a terminal only: a pipe's end is not an answer.
  const lines = process.stdin.isTTY ? readline.createInterface({ input: process.stdin, terminal: false }) : undefined;
  try {
    const how = await mcpLogin({
      server: name,
      url: server.url,
      dir: oauthDir(config.trustEnv ?? config.env),
      env: config.env,
      fetchFn: (input, init) => netFetch(input, init),
      print: (line) => out(line),
      browser: opts.browser !== false,
      ...(lines ? { pasted: lines } : {}),
    });
    out(how === 'refreshed' ? `Already signed in to '${name}'; the stored token was renewed.` : `Signed in to '${name}'. bcode uses the stored token from now on (bcode mcp logout ${name} forgets it).`);
    return 0;
  } finally {
    lines?.close();
  }
}

export async function mcpLogoutAction(name: string, opts: McpCommandOptions): Promise<number> {
  const config = await load(opts);
  const server = remoteServer(config, name);
  const { OAuthStore, oauthDir } = await import('../extensions/mcp/oauth-store.js');
  const had = new OAuthStore(oauthDir(config.trustEnv ?? config.env), name, server.url).remove();
  out(had ? `Signed out of '${name}': its stored OAuth credentials are removed.` : `Nothing stored for '${name}': it was not signed in.`);
  return 0;
}
