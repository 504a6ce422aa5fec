/**
 * The session's hook into MCP. Finding the configured servers reads a few small files; the SDK
 * and the tool adapter (zod) load only when some server is to be started, and the servers start
 * in the background: the first model request never waits for them. Tools of a server that is
 * not connected yet join from the next request.
 */
import type { ToolSpec } from '../../bedrock/anthropic.js';
import type { Config } from '../../config/types.js';
import type { AnyTool, CommandSandbox } from '../../tools/types.js';
import { discoverServers } from './discovery.js';
import { oauthDir } from './oauth-store.js';
import type { McpManager, McpServerState } from './manager.js';
import type { SdkTransportFactory } from './sdk-transport.js';

/** Without a request to wait for (an interactive session idle at its prompt), servers start after this. */
const IDLE_START_MS = 1500;

export interface McpHandle {
  /** The first request is on its way: the SDK may load and the servers start now. */
  begin(): void;
  /** The tools of the servers connected now (sorted: server, then tool). */
  tools(): AnyTool[];
  specs(): ToolSpec[];
  /** Waits for the still-starting servers behind these tool names (a call the model made early). */
  ready(toolNames: string[]): Promise<void>;
  /** Name and state of each configured server, for `system/init` and `/mcp`. */
  servers(): McpServerState[];
  /** Resolves once every server has connected or failed (tests, `bcode mcp list`). */
  settled(): Promise<void>;
  /** The connection of one server (resources, prompts). */
  manager(): Promise<McpManager>;
  /**
   * Signs in to a remote server (OAuth, oauth-login.ts) and starts it again with the new token;
   * resolves with its state after that start. Lines for the user (the sign-in address) go to `print`.
   */
  authenticate(name: string, print: (line: string) => void, signal?: AbortSignal): Promise<McpServerState | undefined>;
  close(): Promise<void>;
}

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

export interface StartOptions {
  childEnv: Record<string, string>;
  notice: (text: string) => void;
  debug?: (text: string) => void;
  /** The Agent SDK's in-process servers (headless mode only; see sdk-transport.ts). */
  sdkTransport?: SdkTransportFactory;
  /** The session's command sandbox (stdio servers start inside it where it is available). */
  sandbox?: CommandSandbox;
}

/** undefined when no server is configured (nothing is loaded then). */
export function startMcp(config: Pick<Config, 'cwd' | 'projectRoot' | 'env' | 'mcp' | 'trustEnv'>, options: StartOptions): McpHandle | undefined {
  const found = discoverServers(config);
  for (const p of found.problems) options.notice(`bcode: ${p.message}\n  hint: ${p.hint}`);
  for (const s of found.skipped) {
    if (s.reason === 'disabled') continue;
    if (s.reason === 'policy') {
      options.notice(`bcode: warning: MCP server '${s.name}' from ${s.origin} was not started: ${s.detail ?? 'a settings policy forbids it'}\n  hint: these lists usually come from managed settings (/etc/claude-code); ask whoever manages them`);
      continue;
    }
    options.notice(
      `bcode: warning: MCP server '${s.name}' from ${s.origin} was not started: project servers need your approval\n  hint: approve it with "enabledMcpjsonServers": ["${s.name}"] (or "enableAllProjectMcpServers": true) in ~/.claude/settings.json or .claude/settings.local.json, or pass it with --mcp-config`,
    );
  }
  if (found.servers.length === 0) return undefined;
  const names = found.servers.map((s) => ({ name: s.name, status: 'pending' as const, tools: [] }));
  let loaded: McpManager | undefined;
  let making: Promise<McpManager> | undefined;
  let manager: Promise<McpManager | undefined> | undefined;
  // Loading the SDK is synchronous work (print mode requires it): it starts once the first
  // request is on its way (begin), after a short idle time (an interactive session waiting for
  // its first prompt), or when something needs a server now.
  const begin = () => {
    if (making) return;
    clearTimeout(idle);
    making = import('./manager.js').then(({ McpManager }) => (loaded = new McpManager(found.servers, { cwd: config.cwd, env: config.env, version, oauthDir: oauthDir(config.trustEnv ?? config.env), ...options })));
    // A failure to load the SDK itself is reported once, like a server that fails.
    manager = making.catch((err: unknown) => {
      options.notice(`bcode: MCP servers could not be started: ${err instanceof Error ? err.message : String(err)}\n  hint: reinstall bcode (its @modelcontextprotocol/sdk dependency is missing or broken)`);
      return undefined;
    });
  };
  const idle = setTimeout(begin, IDLE_START_MS);
  idle.unref();
  let closed = false;
  return {
    begin,
    tools: () => loaded?.tools() ?? [],
    specs: () => loaded?.specs() ?? [],
    ready: async (toolNames) => {
      begin();
      await (await manager)?.ready(toolNames);
    },
    servers: () => loaded?.states() ?? names,
    settled: async () => {
      begin();
      await (await manager)?.settled();
    },
    manager: () => {
      begin();
      return making!;
    },
    authenticate: async (name, print, signal) => {
      begin();
      const m = await making!;
      const s = found.servers.find((x) => x.name === name);
      const [{ mcpLogin, McpLoginError }, { netFetch }] = await Promise.all([import('./oauth-login.js'), import('../../net/fetch.js')]);
      if (!s) throw new McpLoginError(`no MCP server named '${name}' in this session`, '/mcp lists the servers of this session');
      if (!s.config || s.config.type === 'stdio' || s.config.type === 'sdk') throw new McpLoginError(`MCP server '${name}' is not a remote (http or sse) server: there is nothing to sign in to`, 'OAuth applies to servers reached by URL');
      await mcpLogin({ server: name, url: s.config.url, dir: oauthDir(config.trustEnv ?? config.env), env: config.env, fetchFn: (input, init) => netFetch(input, init), print, browser: true, ...(signal ? { signal } : {}) });
      await m.restart(name);
      return m.states().find((x) => x.name === name);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(idle);
      await (await manager)?.close();
    },
  };
}
