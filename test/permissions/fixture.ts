import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config/types.js';
import { createPermissionPolicy, type PermissionPolicyOptions } from '../../src/permissions/index.js';
import type { PermissionMode } from '../../src/permissions/types.js';

/**
 * A throw-away world for permission tests:
 *   <tmp>/home                 the user's home (with .ssh/id_rsa)
 *   <tmp>/project              the project root (cwd), with src/, .env, a symlink to outside
 *   <tmp>/outside              a directory outside the project
 *   <tmp>/extra                listed in additionalDirectories by some tests
 */
export interface World {
  root: string;
  home: string;
  project: string;
  outside: string;
  extra: string;
}

export function makeWorld(): World {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bcode-perm-')));
  const w: World = { root, home: path.join(root, 'home'), project: path.join(root, 'project'), outside: path.join(root, 'outside'), extra: path.join(root, 'extra') };
  for (const d of [w.home, path.join(w.home, '.ssh'), w.project, path.join(w.project, 'src', 'lib'), path.join(w.project, 'secrets'), w.outside, w.extra]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(w.home, '.ssh', 'id_rsa'), 'key');
  fs.writeFileSync(path.join(w.project, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(w.project, 'src', 'a.ts'), 'x');
  fs.writeFileSync(path.join(w.outside, 'passwd'), 'root');
  fs.symlinkSync(w.outside, path.join(w.project, 'link-out'));
  fs.symlinkSync(path.join(w.outside, 'passwd'), path.join(w.project, 'passwd-link'));
  return w;
}

export interface PolicySettings {
  allow?: string[];
  ask?: string[];
  deny?: string[];
  additionalDirectories?: string[];
  defaultMode?: PermissionMode;
}

export function fakeConfig(w: World, settings: PolicySettings = {}, env: Record<string, string> = {}): Config {
  // Only the fields the permission engine reads; the rest of Config is irrelevant here.
  return {
    cwd: w.project,
    projectRoot: w.project,
    permissions: {
      allow: settings.allow ?? [],
      ask: settings.ask ?? [],
      deny: settings.deny ?? [],
      additionalDirectories: settings.additionalDirectories ?? [],
      defaultMode: settings.defaultMode,
    },
    env: { HOME: w.home, ...env },
  } as unknown as Config;
}

export function policyFor(w: World, settings: PolicySettings = {}, options: Partial<PermissionPolicyOptions> = {}) {
  return createPermissionPolicy(fakeConfig(w, settings), { cwd: w.project, uid: 1000, home: w.home, ...options });
}
