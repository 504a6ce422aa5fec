/**
 * `~/.claude.json`: where the reference product keeps user-scope MCP servers (top-level
 * `mcpServers`) and local-scope ones (`projects[<dir>].mcpServers`, private to one directory),
 * along with per-project approvals of `.mcp.json` servers. bcode reads and writes the same
 * shapes, so a server added by either tool works in both. Everything else in the file is left
 * as it is.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { atomicWriteFile } from '../../util/atomic-write.js';
import { McpConfigError } from './server-config.js';

export type UserConfigJson = Record<string, unknown> & {
  mcpServers?: Record<string, unknown>;
  projects?: Record<string, Record<string, unknown>>;
};

/** `$CLAUDE_CONFIG_DIR/.claude.json` when that is set, else `~/.claude.json`. */
export function userConfigFile(env: Record<string, string | undefined>): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.join(path.resolve(dir), '.claude.json') : path.join(env.HOME || os.homedir(), '.claude.json');
}

/** The parsed file; {} when it does not exist. A file that is not a JSON object is an error. */
export function readUserConfig(file: string): UserConfigJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new McpConfigError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'check the file\'s permissions');
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new McpConfigError(`${file} is not valid JSON`, 'fix or remove the file (it holds MCP servers of the user and local scopes)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new McpConfigError(`${file} must hold a JSON object`, 'fix or remove the file');
  return parsed as UserConfigJson;
}

/** The entry of `projects` for a directory (created on demand when `create`). */
export function projectEntry(data: UserConfigJson, dir: string, create = false): Record<string, unknown> | undefined {
  const projects = data.projects && typeof data.projects === 'object' ? data.projects : undefined;
  const found = projects?.[dir];
  if (found && typeof found === 'object') return found;
  if (!create) return undefined;
  data.projects = projects ?? {};
  return (data.projects[dir] = {});
}

/** Replaces the file atomically, user-only (it may hold tokens in headers or env). */
export async function writeUserConfig(file: string, data: UserConfigJson): Promise<void> {
  await atomicWriteFile(file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
}
