/**
 * One MCP server's configuration, in the shapes the reference product reads and writes
 * (`.mcp.json`, `~/.claude.json`, `--mcp-config`): a stdio command, or an `http` / `sse` URL.
 * Checked by hand (no zod): discovery runs on every start that has servers configured.
 */
import { BcodeError } from '../../errors.js';

export type McpTransport = 'stdio' | 'http' | 'sse';

export interface StdioServerConfig {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface RemoteServerConfig {
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
  /** A shell command whose stdout is a JSON object of extra headers (fresh tokens). */
  headersHelper?: string;
}

/** An Agent SDK app's in-process server (`createSdkMcpServer`), reached through the headless control channel. */
export interface SdkServerConfig {
  type: 'sdk';
}

export type McpServerConfig = StdioServerConfig | RemoteServerConfig | SdkServerConfig;

/** A server's configuration could not be used: names the server and what to change. */
export class McpConfigError extends BcodeError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: 2 });
  }
}

const STDIO_KEYS = new Set(['type', 'command', 'args', 'env']);
const REMOTE_KEYS = new Set(['type', 'url', 'headers', 'headersHelper', 'oauth']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(value: unknown, what: string, fail: (why: string) => McpConfigError): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw fail(`${what} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`${what}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

/**
 * Checks one `mcpServers` entry. `where` names the file or flag it came from (for the hint).
 * Fields bcode does not know are refused rather than ignored.
 */
export function parseServerConfig(name: string, raw: unknown, where: string, options: { allowSdk?: boolean } = {}): McpServerConfig {
  const fail = (why: string) => new McpConfigError(`MCP server '${name}' in ${where}: ${why}`, 'see "MCP" in the README for the server shapes: {"command": …, "args": […]} or {"type": "http", "url": …}');
  if (!isRecord(raw)) throw fail('the entry must be an object');
  const type = raw.type === undefined ? (raw.url !== undefined ? 'http' : 'stdio') : raw.type;
  if (type === 'sdk') {
    // Only an --mcp-config entry can name one: the SDK app that hosts it is then the one running bcode.
    if (!options.allowSdk) throw fail("an in-process SDK server (type 'sdk') lives inside an Agent SDK app and cannot be configured here");
    return { type: 'sdk' };
  }
  if (type === 'ws') throw fail("the WebSocket transport (type 'ws') is not supported; use 'http' or 'sse'");
  if (type !== 'stdio' && type !== 'http' && type !== 'sse') throw fail(`unknown type ${JSON.stringify(type)} (expected stdio, http or sse)`);
  const known = type === 'stdio' ? STDIO_KEYS : REMOTE_KEYS;
  const extra = Object.keys(raw).filter((k) => !known.has(k));
  if (extra.length > 0) throw fail(`unknown field${extra.length === 1 ? '' : 's'} ${extra.join(', ')} for a ${type} server`);
  if (type === 'stdio') {
    if (typeof raw.command !== 'string' || raw.command.trim() === '') throw fail('command must be a non-empty string');
    if (raw.args !== undefined && (!Array.isArray(raw.args) || raw.args.some((a) => typeof a !== 'string'))) throw fail('args must be a list of strings');
    return { type, command: raw.command, args: (raw.args as string[] | undefined) ?? [], env: stringMap(raw.env, 'env', fail) };
  }
  if (raw.oauth !== undefined) throw fail('OAuth settings for remote servers are not supported by bcode yet');
  if (typeof raw.url !== 'string' || raw.url.trim() === '') throw fail('url must be a non-empty string');
  if (raw.headersHelper !== undefined && typeof raw.headersHelper !== 'string') throw fail('headersHelper must be a shell command (a string)');
  const out: RemoteServerConfig = { type, url: raw.url, headers: stringMap(raw.headers, 'headers', fail) };
  if (typeof raw.headersHelper === 'string') out.headersHelper = raw.headersHelper;
  return out;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * `${VAR}` and `${VAR:-default}` in a server's command, args, env, url and headers, from the
 * session's environment. A variable that is not set and has no default is an error naming it.
 */
export function expandServerConfig(name: string, config: McpServerConfig, env: Record<string, string | undefined>, where: string): McpServerConfig {
  const expand = (text: string): string =>
    text.replace(VAR, (_m, v: string, fallback: string | undefined) => {
      const value = env[v];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new McpConfigError(`MCP server '${name}' in ${where} needs the environment variable ${v}, which is not set`, `set ${v} before starting bcode, or give a default: \${${v}:-value}`);
    });
  const map = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, expand(v)]));
  if (config.type === 'sdk') return config;
  if (config.type === 'stdio') return { type: 'stdio', command: expand(config.command), args: config.args.map(expand), env: map(config.env) };
  const out: RemoteServerConfig = { type: config.type, url: expand(config.url), headers: map(config.headers) };
  if (config.headersHelper !== undefined) out.headersHelper = config.headersHelper;
  try {
    new URL(out.url);
  } catch {
    throw new McpConfigError(`MCP server '${name}' in ${where}: url '${out.url}' is not a valid URL`, 'give a full URL such as https://example.com/mcp');
  }
  return out;
}

/** The JSON the reference writes for a server (stdio entries carry `type` too). */
export function serverToJson(config: McpServerConfig): Record<string, unknown> {
  if (config.type === 'sdk') return { type: 'sdk' };
  if (config.type === 'stdio') return { type: 'stdio', command: config.command, args: config.args, env: config.env };
  const out: Record<string, unknown> = { type: config.type, url: config.url };
  if (Object.keys(config.headers).length > 0) out.headers = config.headers;
  if (config.headersHelper !== undefined) out.headersHelper = config.headersHelper;
  return out;
}

/** Tool names the API accepts: letters, digits, `_` and `-`, at most 64 characters. */
export function mcpToolName(server: string, tool: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `mcp__${clean(server)}__${clean(tool)}`.slice(0, 64);
}
