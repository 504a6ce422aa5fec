/**
 * Folder trust: a repository's own settings files (`.claude/settings.json`,
 * `.claude/settings.local.json`) may name commands to run (hooks), so they run only in a folder
 * the user has trusted once. A folder counts as trusted when it, or a folder above it, is
 *
 * - in bcode's own list, `<config dir>/bcode/trusted-folders.json` (written when the user
 *   accepts the question in the terminal UI, or by `trustFolder`), or
 * - marked `hasTrustDialogAccepted: true` under `projects` in the reference product's state file
 *   (`~/.claude.json`, or `$CLAUDE_CONFIG_DIR/.claude.json`), which bcode reads and never writes.
 *
 * Every path here comes from the shell's environment, never from settings `env`: a project's
 * settings file must not be able to move HOME or CLAUDE_CONFIG_DIR to a list that trusts itself.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { atomicWriteFile } from '../util/atomic-write.js';

/** Set to 1 in the shell: trust the project for this run only (print mode, CI). */
export const TRUST_ENV = 'BCODE_TRUST_PROJECT';

type ShellEnv = Record<string, string | undefined>;

function homeOf(env: ShellEnv): string {
  return env.HOME?.trim() || os.homedir();
}

/** `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function userConfigDir(env: ShellEnv): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.resolve(dir) : path.join(homeOf(env), '.claude');
}

/** The reference product's per-user state file. */
export function referenceStatePath(env: ShellEnv): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.join(path.resolve(dir), '.claude.json') : path.join(homeOf(env), '.claude.json');
}

/** bcode's own list of trusted folders. */
export function bcodeTrustPath(env: ShellEnv): string {
  return path.join(userConfigDir(env), 'bcode', 'trusted-folders.json');
}

export interface TrustAnswer {
  trusted: boolean;
  /** What made it trusted: a file, or the environment variable. */
  via?: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Missing or unreadable: nothing trusted by this file.
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The folder and every folder above it, the folder first. */
function selfAndAncestors(folder: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(folder);
  for (;;) {
    out.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

export function isFolderTrusted(folder: string, env: ShellEnv): TrustAnswer {
  if (env[TRUST_ENV] === '1' || env[TRUST_ENV]?.toLowerCase() === 'true') return { trusted: true, via: TRUST_ENV };
  const candidates = selfAndAncestors(folder);
  const own = bcodeTrustPath(env);
  const ownData = readJson(own);
  const ownFolders = isObject(ownData) && isObject(ownData.folders) ? ownData.folders : {};
  if (candidates.some((c) => Object.hasOwn(ownFolders, c))) return { trusted: true, via: own };
  const ref = referenceStatePath(env);
  const refData = readJson(ref);
  const projects = isObject(refData) && isObject(refData.projects) ? refData.projects : {};
  if (candidates.some((c) => Object.hasOwn(projects, c) && isObject(projects[c]) && projects[c].hasTrustDialogAccepted === true)) return { trusted: true, via: ref };
  return { trusted: false };
}

/** Adds the folder to bcode's list (atomically, 0600: it says which repositories may run commands). */
export async function trustFolder(folder: string, env: ShellEnv, now: () => Date = () => new Date()): Promise<void> {
  const file = bcodeTrustPath(env);
  const data = readJson(file);
  const folders = isObject(data) && isObject(data.folders) ? { ...data.folders } : {};
  folders[path.resolve(folder)] = { trustedAt: now().toISOString() };
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await atomicWriteFile(file, `${JSON.stringify({ folders }, null, 2)}\n`, { mode: 0o600 });
}
