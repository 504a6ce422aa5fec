/**
 * Permission rules edited from the UI (/permissions): which settings file a rule came from, and
 * adding or removing one there by read-modify-write, replaced atomically, every other key kept.
 * Managed settings are never written: a rule from them cannot be removed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { atomicWriteFile } from '../util/atomic-write.js';
import type { RuleList } from './rules.js';

export type SettingsScope = NonNullable<Config['settingsFiles']>[number]['scope'];

export interface RuleOrigin {
  scope: SettingsScope;
  path: string;
}

async function readSettings(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`, { hint: 'check the file permissions' });
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON, so it was not changed`, { hint: 'fix the file, then try again' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${file} must hold a JSON object, so it was not changed`, { hint: 'fix the file, then try again' });
  return parsed as Record<string, unknown>;
}

function rulesIn(settings: Record<string, unknown> | undefined, list: RuleList): string[] {
  const p = settings?.permissions as Record<string, unknown> | undefined;
  const v = p && typeof p === 'object' ? p[list] : undefined;
  return Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : [];
}

/** The settings files (of those the session read) whose `permissions.<list>` holds the rule, highest precedence first. */
export async function ruleOrigins(config: Config, list: RuleList, rule: string): Promise<RuleOrigin[]> {
  const out: RuleOrigin[] = [];
  for (const f of config.settingsFiles ?? []) {
    if (rulesIn(await readSettings(f.path), list).some((r) => r.trim() === rule.trim())) out.push({ scope: f.scope, path: f.path });
  }
  return out;
}

/** Adds (`add`) or removes the rule in the file's `permissions.<list>`; the file is replaced atomically. */
export async function editRuleInFile(file: string, list: RuleList, rule: string, how: 'add' | 'remove'): Promise<void> {
  const settings = (await readSettings(file)) ?? {};
  const permissions = settings.permissions;
  if (permissions !== undefined && (permissions === null || typeof permissions !== 'object' || Array.isArray(permissions))) {
    throw new ConfigError(`permissions in ${file} must be an object, so it was not changed`, { hint: 'fix the file, then try again' });
  }
  const perms = { ...((permissions as Record<string, unknown> | undefined) ?? {}) };
  const current = Array.isArray(perms[list]) ? (perms[list] as unknown[]) : [];
  const next = how === 'add' ? (current.some((r) => typeof r === 'string' && r.trim() === rule.trim()) ? current : [...current, rule.trim()]) : current.filter((r) => typeof r !== 'string' || r.trim() !== rule.trim());
  perms[list] = next;
  settings.permissions = perms;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await atomicWriteFile(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}
