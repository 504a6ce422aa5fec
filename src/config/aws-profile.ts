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

/** The sections of an AWS shared file, as profile names (`[profile x]` in config, `[x]` in credentials). */
function sectionNames(file: string, isConfig: boolean): Set<string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const names = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*(.+?)\s*\]\s*$/.exec(raw);
    if (!m) continue;
    const section = m[1].replace(/\s+/g, ' ');
    if (!isConfig) names.add(section);
    else if (section.startsWith('profile ')) names.add(section.slice('profile '.length));
    else if (section === 'default') names.add('default');
  }
  return names;
}

/**
 * Whether `profile` is defined in the shared config or credentials file (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE or their defaults under ~/.aws). Used to tell "no such profile"
 * from "its sign-in expired", which need different fixes.
 */
export function profileDefined(env: Record<string, string | undefined>, homeDir: string, profile: string): boolean {
  const configFile = env.AWS_CONFIG_FILE?.trim() || join(homeDir, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE?.trim() || join(homeDir, '.aws', 'credentials');
  return Boolean(sectionNames(configFile, true)?.has(profile) || sectionNames(credentialsFile, false)?.has(profile));
}
