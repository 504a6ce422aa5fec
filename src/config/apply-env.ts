import type { Config } from './types.js';

/**
 * Copies the settings `env` values (B8) into `target` for names it does not already hold, so that
 * code reading the process environment itself — the AWS SDK's credential chain looking for
 * AWS_PROFILE or AWS_CONFIG_FILE, child processes — sees them too. Shell values are never replaced.
 * Returns the names that were set.
 */
export function applySettingsEnv(config: Pick<Config, 'env'>, target: Record<string, string | undefined> = process.env): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(config.env)) {
    const current = target[name];
    if (current !== undefined && current !== '') continue;
    if (current === value) continue;
    target[name] = value;
    set.push(name);
  }
  return set;
}
