import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the `region` of one profile from the shared AWS config file. Used only to make the
 * "AWS_REGION is not set" error helpful: bcode never takes its region from this file (B2).
 */
export function profileRegion(configFile: string, profile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return undefined;
  }
  // In the config file a named profile's section is `[profile name]`; `[default]` stands alone.
  const wanted = new Set(profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`]);
  let inSection = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inSection = wanted.has(section[1].replace(/\s+/g, ' '));
      continue;
    }
    if (!inSection) continue;
    const kv = /^region\s*=\s*(\S+)/.exec(line);
    if (kv) return kv[1];
  }
  return undefined;
}

export function activeProfileRegion(env: { get(name: string): string | undefined }, homeDir: string): { profile: string; region: string } | undefined {
  const profile = env.get('AWS_PROFILE') ?? env.get('AWS_DEFAULT_PROFILE') ?? 'default';
  const file = env.get('AWS_CONFIG_FILE') ?? join(homeDir, '.aws', 'config');
  const region = profileRegion(file, profile);
  return region ? { profile, region } : undefined;
}
