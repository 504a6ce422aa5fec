import type { SettingsLayer } from './settings-files.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const key = typeof v === 'string' ? `s:${v}` : `j:${JSON.stringify(v)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/**
 * Merges a lower-precedence value with a higher one: objects by key, arrays concatenated
 * (higher scope's entries first) without duplicates, anything else taken from the higher scope.
 */
export function mergeValues(lower: unknown, higher: unknown): unknown {
  if (isPlainObject(lower) && isPlainObject(higher)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(lower)) if (k !== '__proto__') out[k] = v;
    for (const [k, v] of Object.entries(higher)) {
      // JSON.parse makes `__proto__` an own key; copying it would rewrite the prototype.
      if (k === '__proto__') continue;
      out[k] = Object.hasOwn(out, k) ? mergeValues(out[k], v) : mergeValues(undefined, v);
    }
    return out;
  }
  if (Array.isArray(lower) && Array.isArray(higher)) return dedupe([...higher, ...lower]);
  if (Array.isArray(higher)) return dedupe(higher);
  if (isPlainObject(higher)) return mergeValues({}, higher);
  return higher;
}

/** Merges layers given highest precedence first. */
export function mergeLayers(layers: readonly SettingsLayer[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (let i = layers.length - 1; i >= 0; i--) out = mergeValues(out, layers[i].data) as Record<string, unknown>;
  return out;
}

export function valueAtPath(data: unknown, path: readonly string[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** The highest layer that sets `path`, or undefined. */
export function layerSetting(layers: readonly SettingsLayer[], path: readonly string[]): SettingsLayer | undefined {
  return layers.find((l) => valueAtPath(l.data, path) !== undefined);
}

/** Every layer that sets `path` (for merged arrays), highest first. */
export function layersSetting(layers: readonly SettingsLayer[], path: readonly string[]): SettingsLayer[] {
  return layers.filter((l) => valueAtPath(l.data, path) !== undefined);
}

/** `settings:<file>` for files and inline JSON, the flag itself for values from flags. */
export function layerSource(layer: SettingsLayer): string {
  return layer.origin.startsWith('flag:') ? layer.origin : `settings:${layer.origin}`;
}
