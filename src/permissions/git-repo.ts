/**
 * Which git repository a `git` command would use, found the way git finds it: walking up from
 * the directory it runs in, taking `.git` (a directory, or a file saying `gitdir: …`) or a
 * directory that is itself a repository (a bare one). A repository's configuration can name
 * programs git runs even for `git status` (core.fsmonitor, hooks, pagers), so bcode runs git on
 * its own judgement only in a repository whose git directory lies inside a `.git` directory —
 * a place the model cannot write without approval (see protected-paths.ts) — and never in a
 * look-alike the model could have made from ordinary files.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface GitRepo {
  /** The git directory git would use, symlinks resolved. */
  gitDir: string;
  /** The working tree's top directory (the directory holding `.git`), when there is one. */
  top?: string;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function real(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** What git checks before treating a directory as a repository: HEAD, objects/ and refs/. */
function looksLikeGitDir(dir: string): boolean {
  return isFile(path.join(dir, 'HEAD')) && isDir(path.join(dir, 'objects')) && isDir(path.join(dir, 'refs'));
}

/** The repository git would discover from `start`, or undefined when there is none (git then fails harmlessly). */
export function discoverGitRepo(start: string): GitRepo | undefined {
  let dir = path.resolve(start);
  for (let guard = 0; guard < 256; guard++) {
    const dotGit = path.join(dir, '.git');
    if (isDir(dotGit)) return { gitDir: real(dotGit), top: dir };
    if (isFile(dotGit)) {
      let text = '';
      try {
        text = fs.readFileSync(dotGit, 'utf8').slice(0, 4096);
      } catch {
        text = '';
      }
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      // An unreadable pointer: report the pointer itself, which is judged like any other git dir.
      return { gitDir: m ? real(path.resolve(dir, m[1]!)) : real(dotGit), top: dir };
    }
    if (looksLikeGitDir(dir)) return { gitDir: real(dir) };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** A git directory inside a `.git` directory (a normal repository, a worktree or a submodule of one). */
export function isTrustedGitDir(gitDir: string): boolean {
  return gitDir.split(path.sep).some((part) => part.toLowerCase() === '.git');
}

/** Whether git run from each of these directories would use a repository the model could not have planted. */
export function gitRunsTrusted(starts: readonly string[]): boolean {
  return starts.every((s) => {
    const repo = discoverGitRepo(s);
    return repo === undefined || isTrustedGitDir(repo.gitDir);
  });
}
