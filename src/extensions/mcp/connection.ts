/**
 * One MCP server, connected through `@modelcontextprotocol/sdk` (stdio, Streamable HTTP or SSE).
 * This module is the only one that loads the SDK, and it is loaded only when some server is
 * configured. A server that fails is reported once and stays `failed`; the session goes on.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CommandSandbox } from '../../tools/types.js';
import type { McpServerConfig } from './server-config.js';

const CLOSE_GRACE_MS = 300;
const START_GRACE_MS = 3_000;

/** `needs-auth`: a remote server wants an OAuth sign-in first (the Agent SDK's name for it). */
export type McpStatus = 'pending' | 'connected' | 'failed' | 'needs-auth';

/** A tool as the server lists it. */
export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** What a tools/call gives back (the SDK's CallToolResult, in the parts bcode reads). */
export interface McpCallResult {
  content?: Array<Record<string, unknown>>;
  structuredContent?: unknown;
  isError?: boolean;
}

export interface ConnectionOptions {
  name: string;
  config: McpServerConfig;
  cwd: string;
  /** The scrubbed child environment (no AWS secrets unless allowed); the server's own `env` goes on top. */
  childEnv: Record<string, string>;
  /** How long the start (spawn or connect, and initialize) may take. */
  startTimeoutMs: number;
  /** How long one tool call may take. */
  toolTimeoutMs: number;
  version: string;
  /** The server's tool list changed (after a list_changed notification, or it stopped). */
  onToolsChanged: () => void;
  /** The server stopped after it had started (crash, connection lost): once. */
  onLost: (reason: string) => void;
  debug?: (text: string) => void;
  /** For `type: 'sdk'`: the app's server, reached through the headless control channel (sdk-transport.ts). */
  sdkTransport?: Transport;
  /** Where stdio servers run sandboxed (src/sandbox): absent, they run as configured. */
  sandbox?: CommandSandbox;
  /** One line for the user (the sandbox is off, …). */
  notice?: (text: string) => void;
  /** Where OAuth sign-ins are stored (oauth-store.ts): remote servers may use one. */
  oauthDir?: string;
}

export class McpConnection {
  status: McpStatus = 'pending';
  error?: string;
  tools: McpToolInfo[] = [];
  serverInfo?: { name: string; version: string };
  private client?: Client;
  private transport?: Transport;
  /** Ends a start still in progress (its request timers would keep the process alive). */
  private readonly stop = new AbortController();
  private closing = false;
  /** The last lines the server wrote to stderr: the reason a stdio server failed is usually there. */
  private stderrTail = '';
  /** Set when the server asked for an OAuth sign-in (see oauth-provider.ts). */
  private authProvider?: { needsAuth: boolean };

  constructor(readonly options: ConnectionOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** The start in progress: close() waits for it, so nothing it does (a sandbox writing its files, a spawn) comes after. */
  private starting?: Promise<void>;

  /** Connects and lists the tools. Never throws: a failure leaves `status` = failed and `error`. */
  start(): Promise<void> {
    this.starting = this.connect();
    return this.starting;
  }

  private async connect(): Promise<void> {
    const o = this.options;
    let transport: Transport | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const [{ Client }, made] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), this.makeTransport()]);
      transport = made;
      this.transport = made;
      // Closed while the transport was being made: start nothing.
      if (this.stop.signal.aborted) throw new Error('closed before it started');
      const client = new Client(
        { name: 'bcode', version: o.version },
        {
          capabilities: {},
          listChanged: {
            tools: {
              onChanged: (err, tools) => {
                if (err || !tools || this.status !== 'connected') return;
                this.tools = tools.map(toInfo);
                o.onToolsChanged();
              },
            },
          },
        },
      );
      this.client = client;
      const timeout = new Promise<never>((_, reject) => {
        const limit = o.startTimeoutMs < 10_000 ? `${o.startTimeoutMs} ms` : `${Math.round(o.startTimeoutMs / 1000)} s`;
        timer = setTimeout(() => reject(new Error(`no answer within ${limit} (MCP_TIMEOUT)`)), o.startTimeoutMs);
      });
      await Promise.race([
        (async () => {
          // The SDK's own limit is a little later: the message above is the one the user sees.
          await client.connect(transport!, { timeout: o.startTimeoutMs + 1000, signal: this.stop.signal });
          this.tools = await this.listAllTools(client);
        })(),
        timeout,
      ]);
      this.serverInfo = client.getServerVersion() ? { name: client.getServerVersion()!.name, version: client.getServerVersion()!.version } : undefined;
      this.status = 'connected';
      client.onclose = () => {
        if (this.closing || this.status !== 'connected') return;
        this.status = 'failed';
        this.error = `the connection closed${this.stderrNote()}`;
        this.tools = [];
        o.onLost(this.error);
        o.onToolsChanged();
      };
    } catch (err) {
      if (this.needsAuth(err)) {
        this.status = 'needs-auth';
        this.error = 'needs authentication';
      } else {
        this.status = 'failed';
        this.error = `${describe(err)}${this.stderrNote()}`;
      }
      this.closing = true;
      await transport?.close().catch(() => undefined);
    } finally {
      clearTimeout(timer);
    }
  }

  async callTool(name: string, args: unknown, signal: AbortSignal): Promise<McpCallResult> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.name}' is not connected${this.error ? `: ${this.error}` : ''}`);
    const result = await this.client.callTool({ name, arguments: (args ?? {}) as Record<string, unknown> }, undefined, { signal, timeout: this.options.toolTimeoutMs, resetTimeoutOnProgress: true, onprogress: () => undefined });
    return result as McpCallResult;
  }

  async readResource(uri: string, signal?: AbortSignal): Promise<Array<Record<string, unknown>>> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.name}' is not connected`);
    const r = await this.client.readResource({ uri }, { signal, timeout: this.options.toolTimeoutMs });
    return r.contents as Array<Record<string, unknown>>;
  }

  async getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<Array<{ role: string; content: Record<string, unknown> }>> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.name}' is not connected`);
    const r = await this.client.getPrompt({ name, arguments: args }, { signal, timeout: this.options.toolTimeoutMs });
    return r.messages as Array<{ role: string; content: Record<string, unknown> }>;
  }

  async listPrompts(signal?: AbortSignal): Promise<Array<{ name: string; arguments?: Array<{ name: string; required?: boolean }> }>> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.name}' is not connected`);
    const r = await this.client.listPrompts(undefined, { signal, timeout: this.options.toolTimeoutMs });
    return r.prompts;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stop.abort();
    // The SDK's close waits for a stdio server to exit (seconds for one that ignores its closed
    // stdin); bcode's exit should not. A short grace, then SIGTERM (the SDK escalates if needed).
    // Read before closing: the transport forgets its process as soon as close starts.
    let pid = this.pid;
    // A start still making its transport (a sandbox being prepared) ends soon after the abort:
    // waiting for it means nothing it does comes after the session's clean-up.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((r) => (timer = setTimeout(r, START_GRACE_MS)))]);
    clearTimeout(timer);
    pid ??= this.pid;
    const closing = this.client?.close().catch(() => undefined);
    await Promise.race([closing, new Promise((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  private get pid(): number | undefined {
    const t = this.transport as { pid?: number | null } | undefined;
    return typeof t?.pid === 'number' ? t.pid : undefined;
  }

  private async listAllTools(client: Client): Promise<McpToolInfo[]> {
    const all: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.options.startTimeoutMs, signal: this.stop.signal });
      all.push(...page.tools.map(toInfo));
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  private needsAuth(err: unknown): boolean {
    if (!this.authProvider) return false;
    const e = err as { name?: string; code?: unknown } | undefined;
    return this.authProvider.needsAuth || e?.name === 'UnauthorizedError' || e?.code === 401;
  }

  /** An OAuth client for a remote server that is not given its own Authorization header. */
  private async oauthProvider(headers: Record<string, string>): Promise<import('@modelcontextprotocol/sdk/client/auth.js').OAuthClientProvider | undefined> {
    const { config, oauthDir } = this.options;
    if (!oauthDir || config.type === 'stdio' || config.type === 'sdk' || Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) return undefined;
    const [{ BcodeOAuthProvider }, { OAuthStore }] = await Promise.all([import('./oauth-provider.js'), import('./oauth-store.js')]);
    const provider = new BcodeOAuthProvider(new OAuthStore(oauthDir, this.name, config.url));
    this.authProvider = provider;
    return provider;
  }

  private stderrNote(): string {
    const last = this.stderrTail.trim().split('\n').filter(Boolean).at(-1);
    return last ? ` (its last output: ${last.slice(0, 200)})` : '';
  }

  private async makeTransport(): Promise<Transport> {
    const { config, cwd, childEnv } = this.options;
    if (config.type === 'sdk') {
      if (!this.options.sdkTransport) throw new Error("in-process SDK servers (type 'sdk') are reached only when an Agent SDK app runs bcode");
      return this.options.sdkTransport;
    }
    if (config.type === 'stdio') {
      const [{ StdioClientTransport }, { sandboxedLaunch }] = await Promise.all([import('@modelcontextprotocol/sdk/client/stdio.js'), import('./stdio-sandbox.js')]);
      // The sandbox writes its files into the session's scratch dir: not once the session is closing.
      if (this.stop.signal.aborted) throw new Error('closed before it started');
      const launch = await sandboxedLaunch({ command: config.command, args: config.args, env: { ...childEnv, ...config.env } }, this.options.sandbox, cwd, this.options.notice);
      // stderr is piped: a server's logs are not the user's terminal (shown with --debug).
      const t = new StdioClientTransport({ ...launch, cwd, stderr: 'pipe' });
      t.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.stderrTail = (this.stderrTail + text).slice(-2000);
        this.options.debug?.(`${this.name} stderr: ${text.trimEnd()}`);
      });
      return t;
    }
    const headers = { ...config.headers, ...(config.headersHelper ? await runHeadersHelper(config.headersHelper, cwd, childEnv, this.name) : {}) };
    const url = new URL(config.url);
    // Remote servers are reached through the proxy and extra CAs in effect (B27), like Bedrock.
    const { netFetch } = await import('../../net/fetch.js');
    const viaNet = (input: string | URL | Request, init?: RequestInit) => netFetch(input instanceof Request ? input.url : input, init);
    const authProvider = await this.oauthProvider(headers);
    if (config.type === 'http') {
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      return new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: viaNet, ...(authProvider ? { authProvider } : {}) });
    }
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(url, {
      ...(authProvider ? { authProvider } : {}),
      requestInit: { headers },
      fetch: viaNet,
      // The event stream is a GET of its own: it needs the same headers (Authorization).
      eventSourceInit: { fetch: (input, init) => viaNet(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...headers } }) },
    });
  }
}

function toInfo(t: { name: string; description?: string; inputSchema: unknown }): McpToolInfo {
  const schema = typeof t.inputSchema === 'object' && t.inputSchema !== null ? (t.inputSchema as Record<string, unknown>) : {};
  return { name: t.name, description: t.description, inputSchema: schema };
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: { code?: string } };
  if (e?.code === 'ENOENT') return `command not found (${e.path ?? 'spawn'})`;
  if (e?.cause?.code === 'ECONNREFUSED') return 'connection refused';
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}

/** `headersHelper`: a shell command whose stdout is a JSON object of headers, run at each connect. */
async function runHeadersHelper(command: string, cwd: string, env: Record<string, string>, server: string): Promise<Record<string, string>> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { cwd, env, timeout: 10_000, maxBuffer: 1 << 20 }, (err, out) => (err ? reject(new Error(`headersHelper failed: ${err.message.split('\n')[0]}`)) : resolve(out)));
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`headersHelper of '${server}' did not print a JSON object`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`headersHelper of '${server}' must print a JSON object of string values`);
  }
  return parsed as Record<string, string>;
}
