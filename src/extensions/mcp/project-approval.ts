/**
 * The one-time question about a project's MCP servers (`.mcp.json`, the shared settings file):
 * for each server the user has neither approved nor rejected, the interactive UI asks before
 * the session starts. The answer is saved where the reference product keeps it, the user's own
 * `.claude/settings.local.json` (`enabledMcpjsonServers`, `disabledMcpjsonServers`,
 * `enableAllProjectMcpServers`), and holds for this session at once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';
import { BcodeError } from '../../errors.js';
import { localSettingsPath } from '../../permissions/settings-file.js';
import { atomicWriteFile } from '../../util/atomic-write.js';
import { discoverServers } from './discovery.js';

/** `all`: this server and every later one of this project. */
export type McpApprovalAnswer = 'yes' | 'all' | 'no' | 'skip';

export interface McpApprovalQuestion {
  name: string;
  /** The file that lists it. */
  origin: string;
  /** What would run: a command line or a URL. */
  target: string;
  /** Position among the servers asked about now (1-based), and how many there are. */
  index: number;
  count: number;
}

export type AskMcpApproval = (q: McpApprovalQuestion) => Promise<McpApprovalAnswer>;

class McpApprovalSaveError extends BcodeError {
  constructor(message: string) {
    super(message, { hint: 'fix or remove the file; until then approve servers with enabledMcpjsonServers in ~/.claude/settings.json', exitCode: 1 });
  }
}

function describeTarget(raw: unknown): string {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as { command?: unknown; args?: unknown; url?: unknown };
  if (typeof r.url === 'string') return r.url;
  const args = Array.isArray(r.args) ? r.args.filter((a): a is string => typeof a === 'string') : [];
  return [typeof r.command === 'string' ? r.command : '?', ...args].join(' ');
}

async function saveAnswers(file: string, enabled: string[], disabled: string[], all: boolean): Promise<void> {
  let settings: Record<string, unknown> = {};
  try {
    const text = await fs.readFile(file, 'utf8');
    if (text.trim()) {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object');
      settings = parsed as Record<string, unknown>;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new McpApprovalSaveError(`${file} could not be read as a JSON object, so your MCP server answers were not saved`);
  }
  const merge = (key: string, names: string[]) => {
    if (names.length === 0) return;
    const had = Array.isArray(settings[key]) ? (settings[key] as unknown[]) : [];
    settings[key] = [...had, ...names.filter((n) => !had.includes(n))];
  };
  merge('enabledMcpjsonServers', enabled);
  merge('disabledMcpjsonServers', disabled);
  if (all) settings.enableAllProjectMcpServers = true;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await atomicWriteFile(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Asks about the project's servers that wait for an answer, saves the answers, and gives back the
 * configuration the session's MCP start should use (the answers added as a local-scope layer, so
 * the approved servers start now without reloading the settings).
 */
export async function approveProjectServers<C extends Pick<Config, 'cwd' | 'projectRoot' | 'env' | 'mcp'>>(config: C, ask: AskMcpApproval, notice: (text: string) => void): Promise<C> {
  const waiting = discoverServers(config)
    .skipped.filter((s) => s.reason === 'unapproved')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (waiting.length === 0) return config;
  const enabled: string[] = [];
  const disabled: string[] = [];
  let all = false;
  for (const [i, s] of waiting.entries()) {
    if (all) {
      enabled.push(s.name);
      continue;
    }
    let raw: unknown;
    try {
      const file = JSON.parse(await fs.readFile(s.origin, 'utf8')) as { mcpServers?: Record<string, unknown> };
      raw = file.mcpServers?.[s.name];
    } catch {
      // The shared settings file or an unreadable one: the question shows no target then.
    }
    const answer = await ask({ name: s.name, origin: s.origin, target: describeTarget(raw), index: i + 1, count: waiting.length });
    if (answer === 'skip') continue;
    if (answer === 'no') disabled.push(s.name);
    else enabled.push(s.name);
    if (answer === 'all') all = true;
  }
  if (enabled.length === 0 && disabled.length === 0) return config;
  const file = localSettingsPath(config.projectRoot || config.cwd);
  try {
    await saveAnswers(file, enabled, disabled, all);
  } catch (err) {
    const e = err instanceof BcodeError ? err : new McpApprovalSaveError(`your MCP server answers could not be saved to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    notice(`bcode: ${e.message}\n  hint: ${e.hint ?? ''}`);
  }
  const answered = { enabledMcpjsonServers: enabled, disabledMcpjsonServers: disabled, ...(all ? { enableAllProjectMcpServers: true } : {}) };
  const mcp = config.mcp ?? { flagServers: [], strict: false, layers: [] };
  return { ...config, mcp: { ...mcp, layers: [...mcp.layers, { scope: 'local' as const, origin: file, data: answered }] } };
}
