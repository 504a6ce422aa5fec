/**
 * The session's MCP servers: all started at once, each with a time limit; their tools offered
 * from the first request after they connected, sorted by server then tool name so that the
 * request's tool list (the start of the cached prefix) is the same bytes on every start.
 */
import type { ToolSpec } from '../../bedrock/anthropic.js';
import type { AnyTool, CommandSandbox } from '../../tools/types.js';
import { McpConnection, type McpStatus } from './connection.js';
import type { DiscoveredServer } from './discovery.js';
import type { McpServerConfig } from './server-config.js';
import { maxOutputChars } from './result.js';
import { adaptTool } from './tool-adapter.js';
import type { SdkTransportFactory } from './sdk-transport.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface ManagerOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  childEnv: Record<string, string>;
  version: string;
  /** One line (and a hint) for the user. */
  notice: (text: string) => void;
  debug?: (text: string) => void;
  /** Present only in the Agent SDK's headless mode: the transports to the app's in-process servers. */
  sdkTransport?: SdkTransportFactory;
  /** The session's command sandbox: stdio servers start inside it where it is available. */
  sandbox?: CommandSandbox;
  /** Where OAuth sign-ins of remote servers are stored (oauth-store.ts). */
  oauthDir?: string;
}

/** The reference's MCP_TIMEOUT default is not documented as a number; 30 s covers an `npx` download. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;
/** Long tool calls (builds, queries) are the server's to bound; this only stops a hung one. */
export const DEFAULT_TOOL_TIMEOUT_MS = 10 * 60_000;

function msFromEnv(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export interface McpServerState {
  name: string;
  status: McpStatus;
  error?: string;
  tools: string[];
  serverInfo?: { name: string; version: string };
}

export class McpManager {
  private readonly connections: McpConnection[] = [];
  private readonly failed: Array<{ name: string; error: string }> = [];
  private readonly starts = new Map<string, Promise<void>>();
  private adapted: { tools: AnyTool[]; specs: ToolSpec[] } = { tools: [], specs: [] };

  private readonly startTimeoutMs: number;
  private readonly toolTimeoutMs: number;

  constructor(private readonly servers: DiscoveredServer[], private readonly options: ManagerOptions) {
    const startTimeoutMs = (this.startTimeoutMs = msFromEnv(options.env.MCP_TIMEOUT, DEFAULT_START_TIMEOUT_MS));
    const toolTimeoutMs = (this.toolTimeoutMs = msFromEnv(options.env.MCP_TOOL_TIMEOUT, DEFAULT_TOOL_TIMEOUT_MS));
    for (const s of servers) {
      if (!s.config) {
        const error = s.error?.message ?? 'invalid configuration';
        this.failed.push({ name: s.name, error });
        options.notice(`bcode: ${error}\n  hint: ${s.error?.hint ?? 'fix the server entry'}`);
        continue;
      }
      const sdkTransport = s.config.type === 'sdk' ? options.sdkTransport?.(s.name) : undefined;
      if (s.config.type === 'sdk' && !sdkTransport) {
        const error = options.sdkTransport
          ? `MCP server '${s.name}' in ${s.origin} is an in-process SDK server, but the app registered no server of that name`
          : `MCP server '${s.name}' in ${s.origin} is an in-process SDK server (type 'sdk'); it exists only inside an Agent SDK app`;
        this.failed.push({ name: s.name, error });
        options.notice(`bcode: ${error}\n  hint: ${options.sdkTransport ? 'pass it in the mcpServers option of query() (createSdkMcpServer)' : 'run bcode from the Agent SDK (query() with pathToClaudeCodeExecutable), or remove the entry'}`);
        continue;
      }
      this.launch(s, s.config, startTimeoutMs, toolTimeoutMs, sdkTransport);
    }
  }

  /** Creates and starts the connection of one server (again, after a sign-in). */
  private launch(s: DiscoveredServer, config: McpServerConfig, startTimeoutMs: number, toolTimeoutMs: number, sdkTransport?: Transport): McpConnection {
    const options = this.options;
    const c = new McpConnection({
      sdkTransport: sdkTransport ?? (config.type === 'sdk' ? options.sdkTransport?.(s.name) : undefined),
      name: s.name,
      config,
      cwd: options.cwd,
      childEnv: options.childEnv,
      startTimeoutMs,
      toolTimeoutMs,
      version: options.version,
      onToolsChanged: () => this.rebuild(),
      onLost: (reason) => options.notice(`bcode: MCP server '${s.name}' stopped: ${reason}\n  hint: its tools are gone for the rest of this session; check the server, then start bcode again`),
      debug: options.debug,
      sandbox: options.sandbox,
      notice: options.notice,
      oauthDir: options.oauthDir,
    });
    this.starts.set(
      s.name,
      c.start().then(() => {
        if (c.status === 'needs-auth' && !this.closing) options.notice(`bcode: MCP server '${s.name}' needs authentication\n  hint: run /mcp in bcode (then /mcp auth ${s.name}), or bcode mcp login ${s.name}`);
        // A server still starting when the session ended is not a failure worth a line.
        if (c.status === 'failed' && !this.closing) options.notice(`bcode: MCP server '${s.name}' failed to start: ${c.error}\n  hint: ${startHint(s, startTimeoutMs)}`);
        this.rebuild();
      }),
    );
    const i = this.connections.findIndex((x) => x.name === s.name);
    if (i === -1) this.connections.push(c);
    else this.connections[i] = c;
    return c;
  }

  /**
   * Starts one server anew (after `/mcp auth` stored its tokens); resolves once it has connected
   * or failed. Its old connection, if any, is closed first.
   */
  async restart(name: string): Promise<McpConnection | undefined> {
    const s = this.servers.find((x) => x.name === name);
    if (!s?.config) return undefined;
    await this.connection(name)?.close();
    const c = this.launch(s, s.config, this.startTimeoutMs, this.toolTimeoutMs);
    await this.starts.get(name);
    return c;
  }

  /** Resolves once every server has connected or failed. */
  settled(): Promise<void> {
    return Promise.all(this.starts.values()).then(() => undefined);
  }

  /** Waits for the servers behind these tool names that are still starting. */
  async ready(toolNames: string[]): Promise<void> {
    const pending = this.connections.filter((c) => c.status === 'pending' && toolNames.some((n) => n.startsWith(`mcp__${c.name.replace(/[^A-Za-z0-9_-]/g, '_')}__`)));
    await Promise.all(pending.map((c) => this.starts.get(c.name)));
  }

  tools(): AnyTool[] {
    return this.adapted.tools;
  }

  specs(): ToolSpec[] {
    return this.adapted.specs;
  }

  states(): McpServerState[] {
    const live = this.connections.map((c) => ({ name: c.name, status: c.status, ...(c.error ? { error: c.error } : {}), tools: c.tools.map((t) => t.name), ...(c.serverInfo ? { serverInfo: c.serverInfo } : {}) }));
    const bad = this.failed.map((f) => ({ name: f.name, status: 'failed' as const, error: f.error, tools: [] }));
    return [...live, ...bad].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  connection(name: string): McpConnection | undefined {
    return this.connections.find((c) => c.name === name);
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.connections.map((c) => c.close()));
  }

  private rebuild(): void {
    const maxChars = maxOutputChars(this.options.env);
    const tools: AnyTool[] = [];
    const specs: ToolSpec[] = [];
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const c of [...this.connections].sort(byName)) {
      if (c.status !== 'connected') continue;
      for (const info of [...c.tools].sort(byName)) {
        const a = adaptTool(c, info, { maxChars });
        if (tools.some((t) => t.name === a.tool.name)) continue;
        tools.push(a.tool);
        specs.push(a.spec);
      }
    }
    this.adapted = { tools, specs };
  }
}

function startHint(s: DiscoveredServer, timeoutMs: number): string {
  const where = `it is configured in ${s.origin}`;
  // Only the command and the URL's origin: arguments and paths may carry expanded tokens.
  if (s.config?.type === 'sdk') return `the Agent SDK app that hosts it did not answer; ${where}`;
  if (s.config?.type === 'stdio') return `run its command (${s.config.command} …) yourself to see what is wrong, or raise MCP_TIMEOUT (now ${timeoutMs} ms) if it is only slow; ${where}`;
  const origin = s.config ? new URL(s.config.url).origin : 'its URL';
  return `check that the server at ${origin} is up and that its URL and headers are right; ${where}`;
}
