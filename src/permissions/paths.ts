/**
 * Path resolution for permission checks. A path is judged by every spelling that could reach
 * a different file: as written (normalized), with symlinks resolved after normalizing (what
 * Node's fs does with a resolved path), and with symlinks resolved component by component
 * before `..` is applied (what the kernel does with the raw string, e.g. in a shell redirect).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

/** Realpath of the nearest existing ancestor, with the missing tail appended. */
export function realpathLoose(absolute: string): string {
  const tail: string[] = [];
  let current = path.resolve(absolute);
  for (;;) {
    const real = realpathOrNull(current);
    if (real !== null) return tail.length ? path.join(real, ...tail.reverse()) : real;
    const parent = path.dirname(current);
    if (parent === current) return absolute;
    tail.push(path.basename(current));
    current = parent;
  }
}

/** Resolves like the kernel: each existing component's symlink is followed before a later `..`. */
export function realpathKernel(start: string, raw: string): string {
  let current = path.isAbsolute(raw) ? '/' : realpathLoose(start);
  let exists = true;
  for (const part of raw.split('/')) {
    // `join` drops empty and `.` parts and applies `..` to the directory resolved so far (whose
    // parent is resolved already, so looking it up again changes nothing).
    current = path.join(current, part);
    if (exists) {
      const real = realpathOrNull(current);
      if (real === null) exists = false;
      else current = real;
    }
  }
  return current;
}

/** A directory as given plus its symlink-resolved form (rule bases and boundaries use both). */
export function realBase(dir: string): string {
  return realpathOrNull(dir) ?? dir;
}

export function expandHome(p: string, home = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** All spellings of a tool's path argument that must be checked. */
export function pathCandidates(raw: string, cwd: string, home = os.homedir()): string[] {
  const expanded = expandHome(raw, home);
  const lexical = path.resolve(cwd, expanded);
  return [...new Set([lexical, realpathLoose(lexical), realpathKernel(cwd, expanded)])];
}

export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  // '' is the directory itself, however spelled (`/a/` and `/a`).
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
