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

/**
 * The ASCII members of a POSIX class inside a bracket (`[[:alpha:]]`), as a JavaScript class
 * body; undefined for a name bash does not know. (A function rather than a table: a module-level
 * table is a "static" mutant that mutation runs test with every test file.)
 */
function asciiClass(name: string): string | undefined {
  switch (name) {
    case 'alpha':
      return 'a-zA-Z';
    case 'upper':
      return 'A-Z';
    case 'lower':
      return 'a-z';
    case 'digit':
      return '0-9';
    case 'xdigit':
      return '0-9A-Fa-f';
    case 'alnum':
      return '0-9a-zA-Z';
    case 'word':
      return '0-9a-zA-Z_';
    case 'space':
      return ' \\t\\n\\v\\f\\r';
    case 'blank':
      return ' \\t';
    case 'punct':
      return '!-/:-@\\[-`{-~';
    case 'cntrl':
      return '\\x00-\\x1f\\x7f';
    case 'graph':
      return '!-~';
    case 'print':
      return ' -~';
    default:
      return undefined;
  }
}

/**
 * The bracket expression opening at `open` as a JavaScript class, read as bash reads it: a `]`
 * right after `[`, `[!` or `[^` is a member, `\\x` is `x`, `[:name:]` is a class. Null when
 * nothing closes it (the `[` is then a plain character); undefined when it holds something this
 * check cannot read (`[=e=]`, `[.x.]`, an unknown class).
 */
function bracket(seg: string, open: number): { source: string; end: number } | null | undefined {
  let j = open + 1;
  const negated = seg[j] === '!' || seg[j] === '^';
  if (negated) j++;
  let body = '';
  for (let first = true; j < seg.length; first = false) {
    const c = seg[j]!;
    if (c === ']' && !first) return { source: `[${negated ? '^' : ''}${body}]`, end: j };
    if (c === '[' && /[:=.]/.test(seg.charAt(j + 1))) {
      const kind = seg[j + 1]!;
      const close = seg.indexOf(`${kind}]`, j + 2);
      if (close !== -1) {
        const chars = kind === ':' ? asciiClass(seg.slice(j + 2, close)) : undefined;
        if (chars === undefined) return undefined;
        // Which non-ASCII characters are in a class depends on bash's locale: a plain bracket
        // takes them all and a negated one none, so the pattern can only match more names than
        // bash would (more paths checked), never fewer (a denied file missed).
        body += negated ? chars : `${chars}\\u0080-\\uffff`;
        j = close + 2;
        continue;
      }
    }
    const literal = c === '\\' && j + 1 < seg.length ? seg[++j]! : c;
    body += literal.replace(/[\\\][^-]/g, (x) => (x === '-' && c !== '\\' ? x : `\\${x}`));
    j++;
  }
  return null;
}

/** A glob segment as a regular expression (bash rules, or including dotfiles when asked); undefined when it cannot be read. */
function segmentRegex(seg: string, dotfiles: boolean, nocase: boolean): RegExp | undefined {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) out += seg[++i]!.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const b = bracket(seg, i);
      if (b === undefined) return undefined;
      if (b === null) out += '\\[';
      else {
        out += b.source;
        i = b.end;
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
  let current: string[] = [absolute ? '/' : cwd];
  let entries = 0;
  // Empty segments (`a//b`, the leading one of `/a`) join to the same directory.
  for (const seg of pattern.split('/')) {
    if (!hasGlob(seg)) {
      current = current.map((c) => path.join(c, unescapeGlob(seg)));
      continue;
    }
    if (seg === '**') return { paths: [], unknown: `'${pattern}' may match at any depth` };
    const re = segmentRegex(seg, options.dotfiles === true, options.nocase === true);
    if (re === undefined) return { paths: [], unknown: `'${pattern}' uses a bracket expression this check cannot read` };
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
