import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The project a session's usage is booked to (B25): the `origin` remote of the git repository
 * (`github.com/acme/shop` → `acme/shop`), else the folder's name. Read from .git/config directly
 * (no child process); a remote URL's user and password are never kept.
 */
export function projectName(dir: string): string {
  const remote = originRemote(dir);
  return remote ? remoteName(remote) : path.basename(path.resolve(dir)) || '/';
}

function originRemote(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    const gitConfig = gitConfigOf(d);
    if (gitConfig) {
      const m = /\[remote "origin"\]([^[]*)/.exec(gitConfig);
      return m ? /^\s*url\s*=\s*(.+?)\s*$/m.exec(m[1])?.[1] : undefined;
    }
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

function gitConfigOf(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return readFileSync(path.join(dotGit, 'config'), 'utf8');
    // A worktree or submodule: `.git` is a file naming the git dir; its config is in the common dir.
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return undefined;
    const abs = path.resolve(dir, gitdir);
    let common = abs;
    try {
      common = path.resolve(abs, readFileSync(path.join(abs, 'commondir'), 'utf8').trim());
    } catch {
      // not a linked worktree
    }
    return readFileSync(path.join(common, 'config'), 'utf8');
  } catch {
    return undefined;
  }
}

/** `https://user:tok@host/acme/shop.git`, `git@host:acme/shop.git`, `ssh://git@host/acme/shop` → `acme/shop`. */
export function remoteName(url: string): string {
  let rest = url.trim().replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    rest = rest.slice(rest.indexOf('/') + 1 || rest.length);
  } else if (/^[^/]+@[^:]+:/.test(rest) || /^[^/:]+:/.test(rest)) {
    rest = rest.slice(rest.indexOf(':') + 1);
  }
  const parts = rest.split('/').filter(Boolean);
  return parts.slice(-2).join('/') || path.basename(url);
}
