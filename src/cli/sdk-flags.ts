/**
 * The flags the Agent SDK passes (and a person may type), checked and turned into what the
 * configuration and the session take. Kept apart from program.ts so print mode's bundle carries
 * only these few functions; the headless protocol itself loads on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { echoValue } from '../util/text.js';

/**
 * Rules given as one comma-joined value (the SDK writes `--allowedTools=Bash(git log:*),Read`)
 * or as several words: split on commas outside parentheses only, since a rule's content may
 * hold commas (`Bash(echo a,b)`).
 */
export function splitRules(values: readonly string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  const out: string[] = [];
  for (const value of values) {
    let depth = 0;
    let current = '';
    for (const ch of value) {
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      if (ch === ',' && depth === 0) {
        if (current.trim()) out.push(current.trim());
        current = '';
      } else current += ch;
    }
    if (current.trim()) out.push(current.trim());
  }
  return out;
}

const SOURCES = ['user', 'project', 'local'] as const;
export type SettingSource = (typeof SOURCES)[number];

/** `--setting-sources user,project,local` (any subset, comma-separated; empty = none of them). */
export function parseSettingSources(value: string | undefined): SettingSource[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(SOURCES as readonly string[]).includes(n)) {
      throw new UsageError(`--setting-sources: '${echoValue(n)}' is not a settings source`, { hint: `use a comma-separated subset of ${SOURCES.join(', ')}, e.g. --setting-sources user,project` });
    }
  }
  return names as SettingSource[];
}

/** `--max-thinking-tokens <n>`: the same rules as MAX_THINKING_TOKENS (0 = off, else at least 1024), checked by the configuration. */
export function parseThinkingTokens(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--max-thinking-tokens must be a whole number, got '${echoValue(value)}'`, { hint: 'e.g. --max-thinking-tokens 1024 (0 turns thinking off)' });
  return String(Number(value));
}

/** `--session-id <uuid>`: a new session's id; it must be a UUID no transcript of this directory uses yet. */
export function checkSessionId(value: string | undefined, taken: (id: string) => boolean): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`--session-id must be a UUID, got '${echoValue(value)}'`, { hint: 'e.g. --session-id "$(uuidgen)"' });
  }
  if (taken(value.toLowerCase())) throw new UsageError(`--session-id ${value} is already used by a session in this directory`, { hint: `resume it with --resume ${value}, or give a new id` });
  return value.toLowerCase();
}

/**
 * `--mcp-config <file-or-json…>`: each value is a JSON file or inline JSON holding
 * `{"mcpServers": {…}}`. Read and checked as JSON here (before any request); each server's own
 * shape is checked when the session starts them (a bad one is reported and skipped).
 */
export function parseMcpConfig(values: readonly string[] | undefined, cwd: string): Array<{ origin: string; servers: Record<string, unknown> }> {
  const hint = 'give a JSON file or inline JSON such as {"mcpServers":{"name":{"command":"npx","args":["-y","some-server"]}}}';
  return (values ?? []).map((value) => {
    const inline = value.trim().startsWith('{');
    let text = value;
    if (!inline) {
      const file = path.resolve(cwd, value);
      if (!existsSync(file)) throw new UsageError(`--mcp-config: no such file: ${value}`, { hint });
      text = readFileSync(file, 'utf8');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError(`--mcp-config: ${inline ? 'the inline value' : value} is not valid JSON`, { hint });
    }
    const servers = typeof parsed === 'object' && parsed !== null ? (parsed as { mcpServers?: unknown }).mcpServers : undefined;
    if (servers === undefined) return { origin: '--mcp-config', servers: {} };
    if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new UsageError(`--mcp-config: mcpServers in ${inline ? 'the inline value' : value} must be an object keyed by server name`, { hint });
    return { origin: inline ? '--mcp-config' : `--mcp-config ${value}`, servers: servers as Record<string, unknown> };
  });
}

/** `--permission-prompt-tool`: only `stdio` (the Agent SDK's canUseTool) exists; MCP permission tools need MCP. */
export function checkPermissionPromptTool(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === 'stdio') return true;
  throw new UsageError(`--permission-prompt-tool ${echoValue(value)}: only 'stdio' is supported (MCP permission tools need MCP, which bcode does not support yet)`, {
    hint: 'use --permission-prompt-tool stdio with --input-format stream-json (the Agent SDK does this for canUseTool)',
  });
}
