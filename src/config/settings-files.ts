import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { settingsFileSchema } from './settings-schema.js';

/** The zod schema of settings files; loaded (by loadConfig) only when a settings file exists. */
export type SettingsSchema = typeof settingsFileSchema;

/** Thrown by the first discovery pass when a settings text needs the schema that is not loaded yet. */
export class SettingsSchemaNeeded extends Error {}

/** Settings scopes, highest precedence first. `flag` holds `--settings` and the CLI flags. */
export type SettingsScope = 'managed' | 'flag' | 'local' | 'project' | 'user';

export interface SettingsLayer {
  scope: SettingsScope;
  /** File path, or `--settings` for inline JSON, or `flag:--x` for values from flags. */
  origin: string;
  data: Record<string, unknown>;
}

export const DEFAULT_MANAGED_DIR = '/etc/claude-code';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The nearest ancestor of cwd (itself included) holding `.claude/` or `.git/`. The user's own
 * `~/.claude` does not make the home directory a project, or every directory under HOME would
 * share it as project settings.
 */
export function findProjectRoot(cwd: string, userConfigDir: string): string {
  const userDir = resolve(userConfigDir);
  let dir = resolve(cwd);
  for (;;) {
    const claude = join(dir, '.claude');
    if ((isDirectory(claude) && resolve(claude) !== userDir) || isDirectory(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  // V8's message may quote the text around the error, and settings can hold secrets in `env`,
  // so only the position (turned into line and column) or the single offending character is kept.
  const pos = /at position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `is not valid JSON (error at line ${line}, column ${column})`;
  }
  if (/end of JSON input/i.test(message)) return 'is not valid JSON (it ends too early)';
  const token = /Unexpected token '?(.)'?/.exec(message);
  if (token) return `is not valid JSON (unexpected '${token[1]}')`;
  return 'is not valid JSON';
}

function foundDescription(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

/** The fix for a settings value of the wrong type: an example of the right one. */
function settingsHint(key: string, expected: string, label: string): string {
  const where = label === '--settings' ? 'the --settings JSON' : label;
  const examples: Record<string, string> = {
    'an array of strings': `e.g. "${key.split('.').pop()}": [${key.endsWith('additionalDirectories') ? '"../docs"' : key.startsWith('permissions.') ? '"Bash(npm test:*)"' : '"…"'}]`,
    'a string': `e.g. "${key}": "…" (in quotes)`,
    'true or false': `e.g. "${key}": false`,
    'an object': `e.g. "${key}": { … }`,
    'an object of string values': `e.g. "${key}": { "AWS_REGION": "us-east-1" }`,
  };
  const example = examples[expected] ?? (expected.startsWith('one of ') ? `e.g. "${key.split('.').pop()}": "${expected.slice(7).split(',')[0].trim()}"` : expected.includes('milliseconds') ? `e.g. "${key}": 300000` : undefined);
  return `fix ${key} in ${where}${example ? ` (${example})` : ''}`;
}

/** Deeper than this is no settings file (and would overflow the stack of the recursive checks). */
const MAX_NESTING = 100;

/** How deeply arrays and objects nest in a parsed JSON value, counted without recursion. */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > MAX_NESTING) return max;
    for (const child of Object.values(v as Record<string, unknown>)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return max;
}

/** Parses and validates one settings text; `label` (a path or `--settings`) starts every error. */
export function parseSettingsText(label: string, text: string, schema?: SettingsSchema): Record<string, unknown> {
  if (text.trim() === '') throw new ConfigError(`${label}: file is empty; expected a JSON object`, { hint: 'write {} for no settings' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${label}: ${describeJsonError(err, text)}`, { hint: 'fix the JSON syntax (no comments or trailing commas)' });
  }
  if (nestingDepth(data) > MAX_NESTING) {
    throw new ConfigError(`${label}: is nested more than ${MAX_NESTING} levels deep`, { hint: 'settings are only a few levels deep; check that this is the settings file you meant' });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`${label}: must hold a JSON object, found ${foundDescription(data)}`, { hint: 'a settings file is one object, e.g. {"model": "sonnet"}; write {} for no settings' });
  }
  if (!schema) throw new SettingsSchemaNeeded();
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const found = valueAt(data, issue.path);
    // A value of the right type but out of range is shown as it is (`found 0`); strings only for enums.
    const foundText =
      issue.code === 'invalid_value' && typeof found === 'string' ? `'${found}'` : issue.code !== 'invalid_type' && typeof found === 'number' ? String(found) : foundDescription(found);
    const key = formatKeyPath(issue.path);
    throw new ConfigError(`${label}: ${key} must be ${issue.message}, found ${foundText}`, { hint: settingsHint(key, issue.message, label) });
  }
  return data as Record<string, unknown>;
}

/** Reads a settings file; a missing file is no error (returns undefined), anything else is. */
export function readSettingsFile(path: string, schema?: SettingsSchema): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new ConfigError(`${path}: is a directory, expected a settings file`, { hint: `remove or rename the directory ${path}; settings live in a JSON file of that name` });
    throw new ConfigError(`${path}: cannot be read (${code ?? 'unknown error'})`, { hint: 'check the file permissions' });
  }
  return parseSettingsText(path, text, schema);
}

/** `--settings` takes a file path or inline JSON (anything starting with `{`). */
export function readFlagSettings(value: string, cwd: string, schema?: SettingsSchema): SettingsLayer {
  if (value.trim().startsWith('{')) return { scope: 'flag', origin: '--settings', data: parseSettingsText('--settings', value, schema) };
  const path = resolve(cwd, value);
  const data = readSettingsFile(path, schema);
  if (!data) throw new ConfigError(`--settings: file not found: ${path}`, { hint: 'pass a settings file path or inline JSON such as --settings \'{"model":"sonnet"}\'' });
  return { scope: 'flag', origin: path, data };
}

function managedLayers(managedDir: string, schema?: SettingsSchema): SettingsLayer[] {
  // Lowest first within the scope: the main file, then the drop-ins in name order, each later
  // one taking precedence over the ones before it.
  const layers: SettingsLayer[] = [];
  const main = join(managedDir, 'managed-settings.json');
  const mainData = readSettingsFile(main, schema);
  if (mainData) layers.push({ scope: 'managed', origin: main, data: mainData });
  const dropInDir = join(managedDir, 'managed-settings.d');
  let names: string[] = [];
  try {
    names = readdirSync(dropInDir).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    names = [];
  }
  for (const name of names.sort()) {
    const path = join(dropInDir, name);
    const data = readSettingsFile(path, schema);
    if (data) layers.push({ scope: 'managed', origin: path, data });
  }
  return layers.reverse();
}

export interface DiscoverOptions {
  cwd: string;
  userConfigDir: string;
  managedDir: string;
  settingsFlag?: string;
  /** Values from CLI flags, placed in the command-line scope (above `--settings`). */
  flagLayers?: SettingsLayer[];
  /** Validates each settings text; without it, the first text found throws SettingsSchemaNeeded. */
  schema?: SettingsSchema;
}

/** Every settings layer that exists, highest precedence first. */
export function discoverSettings(options: DiscoverOptions): { layers: SettingsLayer[]; projectRoot: string } {
  const projectRoot = findProjectRoot(options.cwd, options.userConfigDir);
  const layers: SettingsLayer[] = [...managedLayers(options.managedDir, options.schema)];
  // Explicit flags (--model, --permission-mode, …) beat a --settings file given on the same line.
  layers.push(...(options.flagLayers ?? []));
  if (options.settingsFlag !== undefined) layers.push(readFlagSettings(options.settingsFlag, options.cwd, options.schema));
  const seen = new Set(layers.map((l) => l.origin));
  const candidates: Array<[SettingsScope, string]> = [
    ['local', join(projectRoot, '.claude', 'settings.local.json')],
    ['project', join(projectRoot, '.claude', 'settings.json')],
    ['user', join(options.userConfigDir, 'settings.json')],
  ];
  for (const [scope, path] of candidates) {
    if (seen.has(path)) continue;
    seen.add(path);
    const data = readSettingsFile(path, options.schema);
    if (data) layers.push({ scope, origin: path, data });
  }
  return { layers, projectRoot };
}
