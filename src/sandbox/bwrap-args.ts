/**
 * bubblewrap's command line for one sandboxed command. Order matters: later mounts cover earlier
 * ones, so the read-only root comes first, then the writable places, then read-only overlays
 * inside them, then the masks that hide content everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxGrant } from '../permissions/types.js';

export interface BwrapSpec {
  grant: SandboxGrant;
  /** Where the command starts. */
  cwd: string;
  /** Directories the command may write (workspace grant). */
  roots: string[];
  /** The session's private temp dir (TMPDIR), writable for the workspace grant. */
  tmpDir: string;
  /** Existing paths inside writable roots that stay read-only. */
  readOnly: string[];
  /** Existing paths whose content is hidden. */
  masked: string[];
  /** An empty file with mode 000, mounted over masked files. */
  maskFile: string;
  network: boolean;
  /** Drop capabilities (needed when bcode runs as root: root would otherwise read mode-000 files). */
  dropCaps: boolean;
  /** The descriptor bubblewrap reads a seccomp filter from (see seccomp.ts), when one is used. */
  seccompFd?: number;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Parents before children, so a child's mount is not hidden by its parent's. */
function outermostFirst(paths: string[]): string[] {
  return [...new Set(paths)].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

export function bwrapArgs(spec: BwrapSpec): string[] {
  const a: string[] = [];
  const writable = spec.grant !== 'read-only';
  a.push(spec.grant === 'unrestricted' ? '--bind' : '--ro-bind', '/', '/');
  a.push('--dev', '/dev', '--proc', '/proc');
  if (spec.grant === 'workspace') {
    // The machine's /tmp stays read-only; the session's own temp dir (TMPDIR) is writable.
    for (const root of outermostFirst([...spec.roots, spec.tmpDir])) a.push('--bind', root, root);
  }
  if (writable) for (const p of outermostFirst(spec.readOnly)) a.push('--ro-bind', p, p);
  for (const p of outermostFirst(spec.masked)) {
    if (isDir(p)) a.push('--perms', '0000', '--tmpfs', p);
    else a.push('--ro-bind', spec.maskFile, p);
  }
  a.push('--unshare-pid', '--die-with-parent');
  if (!spec.network) a.push('--unshare-net');
  if (spec.dropCaps) a.push('--cap-drop', 'ALL');
  if (spec.seccompFd !== undefined) a.push('--seccomp', String(spec.seccompFd));
  a.push('--chdir', path.resolve(spec.cwd));
  return a;
}
