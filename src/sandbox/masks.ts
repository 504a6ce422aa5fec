/**
 * What a sandboxed command must not see or change, as concrete paths for bubblewrap: the user's
 * credential stores, and the files that Read / Edit deny rules name. Rules are globs; bubblewrap
 * mounts paths, so globs are expanded against the file system with a bounded walk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { walkBounded } from '../util/bounded-walk.js';

/** Files and directories under $HOME that hold credentials for other systems. */
export const CREDENTIAL_STORES = [
  '.aws',
  '.ssh',
  '.gnupg',
  '.config/gcloud',
  '.azure',
  '.docker/config.json',
  '.kube',
  '.netrc',
  '.git-credentials',
  '.config/gh',
  '.pypirc',
  '.vault-token',
  '.terraform.d/credentials.tfrc.json',
];

/** Walked trees stop here: the cost of a command's start must stay small in a huge repository. */
export const WALK_LIMIT = 20_000;
const NOT_WALKED = new Set(['.git', 'node_modules']);

export interface PathMatcher {
  source: string;
  /** The directory (or file) before the first wildcard. */
  fixed: string;
  test(absolutePath: string): boolean;
}

export interface Expansion {
  paths: string[];
  /** Rules whose glob could not be expanded completely (walk limit, or rooted at /). */
  incomplete: string[];
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The existing paths the matchers cover (a covered directory is returned, not its contents). */
export function expandMatchers(matchers: readonly PathMatcher[], limit = WALK_LIMIT): Expansion {
  const paths = new Set<string>();
  const incomplete = new Set<string>();
  let budget = limit;
  for (const m of matchers) {
    if (m.test(m.fixed)) {
      if (exists(m.fixed)) paths.add(m.fixed);
      continue;
    }
    if (m.fixed === '/' || !exists(m.fixed)) {
      if (m.fixed === '/') incomplete.add(m.source);
      continue;
    }
    let walked = 0;
    const complete = walkBounded(m.fixed, budget, (p, e) => {
      walked++;
      if (m.test(p)) {
        paths.add(p);
        return 'prune';
      }
      return NOT_WALKED.has(e.name) ? 'prune' : undefined;
    });
    budget -= walked;
    if (!complete) incomplete.add(m.source);
  }
  return { paths: [...paths], incomplete: [...incomplete] };
}

/** The credential stores of `home` that exist (and their symlink targets). */
export function credentialStores(home: string, passAws: boolean): string[] {
  return CREDENTIAL_STORES.filter((rel) => !(passAws && rel === '.aws'))
    .map((rel) => path.join(home, rel))
    .filter(exists);
}

/** A path and, when a symlink leads elsewhere, where it leads: both must be covered. */
export function withRealPath(p: string): string[] {
  try {
    const real = fs.realpathSync.native(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}
