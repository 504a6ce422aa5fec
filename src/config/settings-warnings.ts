import type { SettingsLayer } from './settings-files.js';
import { didYouMean } from '../util/text.js';
import { DOCUMENTED_NOT_IMPLEMENTED, DOCUMENTED_NOT_IMPLEMENTED_PERMISSIONS, IMPLEMENTED_KEYS, IMPLEMENTED_PERMISSION_KEYS, IMPLEMENTED_SANDBOX_KEYS, IMPLEMENTED_SANDBOX_SUBKEYS } from './settings-keys.js';

/**
 * The lines to print about settings keys bcode does not act on: unknown keys always (once per
 * key, naming the first file that has it), keys the reference product documents but bcode does
 * not implement only with --verbose, all on one line.
 */
export function settingsWarnings(layers: readonly SettingsLayer[], verbose: boolean): string[] {
  const unknown = new Map<string, string>();
  const ignored = new Set<string>();
  const sandboxIgnored = new Set<string>();
  for (const layer of layers) {
    if (layer.origin.startsWith('flag:')) continue;
    for (const key of Object.keys(layer.data)) {
      if (IMPLEMENTED_KEYS.has(key)) continue;
      if (DOCUMENTED_NOT_IMPLEMENTED.has(key)) ignored.add(key);
      else if (!unknown.has(key)) unknown.set(key, layer.origin);
    }
    // The sandbox's other keys (reference product's names) are known but not acted on: a security
    // setting must never be dropped without a word, so they are always listed.
    const sandbox = layer.data.sandbox;
    if (sandbox && typeof sandbox === 'object' && !Array.isArray(sandbox)) {
      for (const [key, value] of Object.entries(sandbox)) {
        if (!IMPLEMENTED_SANDBOX_KEYS.has(key)) sandboxIgnored.add(`sandbox.${key}`);
        const sub = IMPLEMENTED_SANDBOX_SUBKEYS[key];
        if (sub && value && typeof value === 'object' && !Array.isArray(value)) {
          for (const k of Object.keys(value)) if (!sub.has(k)) sandboxIgnored.add(`sandbox.${key}.${k}`);
        }
      }
    }
    const perms = layer.data.permissions;
    if (perms && typeof perms === 'object' && !Array.isArray(perms)) {
      for (const key of Object.keys(perms)) {
        const path = `permissions.${key}`;
        if (IMPLEMENTED_PERMISSION_KEYS.has(key)) continue;
        if (DOCUMENTED_NOT_IMPLEMENTED_PERMISSIONS.has(key)) ignored.add(path);
        else if (!unknown.has(path)) unknown.set(path, layer.origin);
      }
    }
  }
  const lines = [...unknown].map(([key, origin]) => unknownKeyWarning(key, origin));
  if (sandboxIgnored.size > 0) lines.push(`${[...sandboxIgnored].sort().join(', ')}: not implemented by bcode, no effect (see docs/sandbox.md)`);
  if (verbose && ignored.size > 0) lines.push(`ignored settings: ${[...ignored].sort().join(', ')} (documented for Claude Code, not implemented by bcode)`);
  return lines;
}

function unknownKeyWarning(path: string, origin: string): string {
  const inPermissions = path.startsWith('permissions.');
  const key = inPermissions ? path.slice('permissions.'.length) : path;
  const near = didYouMean(key, inPermissions ? [...IMPLEMENTED_PERMISSION_KEYS, ...DOCUMENTED_NOT_IMPLEMENTED_PERMISSIONS] : [...IMPLEMENTED_KEYS, ...DOCUMENTED_NOT_IMPLEMENTED]);
  const suggestion = near ? `; did you mean '${inPermissions ? 'permissions.' : ''}${near}'?` : '';
  return `unknown setting '${path}' in ${origin} (kept, but it has no effect)${suggestion}`;
}
