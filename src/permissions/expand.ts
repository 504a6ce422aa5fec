/**
 * Resolves the words of a command to the paths they can stand for, for deny rules and
 * protected paths: a literal is itself; a glob is expanded against the real directory listing
 * (as bash will, a moment later); anything else is unknown. A glob that matches nothing stays
 * as written, as bash leaves it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hasGlob, unescapeGlob } from './shell-words.js';
import type { ShellWord } from './shell.js';

export interface Resolved {
  paths: string[];
  /** Set when the word could stand for paths not listed (an expansion, too many matches). */
  unknown?: string;
}

const MAX_MATCHES = 2000;
const MAX_ENTRIES = 10000;

/** A glob segment as a regular expression (bash rules, or including dotfiles when asked). */
function segmentRegex(seg: string, dotfiles: boolean, nocase: boolean): RegExp {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) out += seg[++i]!.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  // Without dotglob, a leading `.` must be matched literally.
  const guard = dotfiles || seg.startsWith('.') || seg.startsWith('\\.') ? '' : '(?!\\.)';
  return new RegExp(`^${guard}${out}$`, nocase ? 'si' : 's');
}

/** Expands one glob pattern (backslash-escaped literals) against the file system. */
export function expandGlob(pattern: string, cwd: string, options: { dotfiles?: boolean; nocase?: boolean } = {}): Resolved {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let current: string[] = [absolute ? '/' : cwd];
  let entries = 0;
  for (const seg of segments) {
    if (seg === '') continue;
    if (!hasGlob(seg)) {
      current = current.map((c) => path.join(c, unescapeGlob(seg)));
      continue;
    }
    if (seg === '**') return { paths: [], unknown: `'${pattern}' may match at any depth` };
    const re = segmentRegex(seg, options.dotfiles === true, options.nocase === true);
    const next: string[] = [];
    for (const dir of current) {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      entries += names.length;
      if (entries > MAX_ENTRIES) return { paths: [], unknown: `'${pattern}' matches too many files to check` };
      for (const n of names) if (re.test(n)) next.push(path.join(dir, n));
      if (next.length > MAX_MATCHES) return { paths: [], unknown: `'${pattern}' matches too many files to check` };
    }
    current = next;
  }
  // No match: bash passes the pattern on unchanged.
  const literal = unescapeGlob(pattern);
  return { paths: current.length > 0 ? current : [absolute ? literal : path.resolve(cwd, literal)] };
}

/** The paths a word can name, given the shell's directory. */
export function resolveWord(word: ShellWord, cwd: string, options: { dotfiles?: boolean; nocase?: boolean; cwdKnown?: boolean } = {}): Resolved {
  if (word.value !== undefined) return { paths: [word.value] };
  if (!word.patterns) return { paths: [], unknown: `'${word.raw}' is only known when the command runs` };
  const out: string[] = [];
  for (const p of word.patterns) {
    if (!hasGlob(p)) {
      out.push(unescapeGlob(p));
      continue;
    }
    if (options.cwdKnown === false && !p.startsWith('/')) return { paths: [], unknown: `'${word.raw}' expands after a cd` };
    const r = expandGlob(p, cwd, options);
    if (r.unknown) return { paths: [], unknown: r.unknown };
    out.push(...r.paths);
  }
  return { paths: out };
}
