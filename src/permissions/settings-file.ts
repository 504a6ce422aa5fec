/**
 * "Always allow" answers are saved to `<projectRoot>/.claude/settings.local.json` — the
 * per-user, not-committed settings scope — by read-modify-write, keeping every other key,
 * and replaced atomically (write beside, then rename) so a crash never leaves half a file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

export function localSettingsPath(projectRoot: string): string {
  return path.join(projectRoot, '.claude', 'settings.local.json');
}

export async function appendAllowRule(projectRoot: string, rule: string): Promise<string> {
  const file = localSettingsPath(projectRoot);
  await editPermissions(file, (perms) => {
    const allow = Array.isArray(perms.allow) ? [...(perms.allow as unknown[])] : [];
    if (!allow.includes(rule)) allow.push(rule);
    perms.allow = allow;
  });
  return file;
}

/**
 * Changes the `permissions` object of one settings file (created when missing): read, `edit`
 * the copy, write beside and rename. Every other key of the file stays as it was.
 */
export async function editPermissions(file: string, edit: (permissions: Record<string, unknown>) => void): Promise<void> {
  let settings: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`, { hint: 'check the file permissions' });
    }
  }
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigError(`${file} is not valid JSON, so the rule was not saved`, { hint: 'fix or remove the file, then allow again' });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`${file} must hold a JSON object, so the rule was not saved`, { hint: 'fix or remove the file, then allow again' });
    }
    settings = parsed as Record<string, unknown>;
  }
  const permissions = settings.permissions;
  if (permissions !== undefined && (permissions === null || typeof permissions !== 'object' || Array.isArray(permissions))) {
    throw new ConfigError(`permissions in ${file} must be an object, so the rule was not saved`, { hint: 'fix the file, then allow again' });
  }
  const perms = { ...((permissions as Record<string, unknown> | undefined) ?? {}) };
  edit(perms);
  settings.permissions = perms;

  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}
