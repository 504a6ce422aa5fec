/**
 * What a shell word stands for, computed from its mvdan-sh node: the exact string when the
 * word is fully literal (quotes removed, `$'…'` decoded), or else the glob patterns it can
 * expand to when every part is known (brace expansion, `~`, `$HOME`, `$PWD`), or nothing when
 * it depends on something only the running shell knows (`$VAR`, `$(…)`).
 */
import type { ShNode, ShSyntax } from 'mvdan-sh';

export interface WordContext {
  home?: string;
  /** The shell's directory, when the command does not change it before the word is used. */
  pwd?: string;
}

/** The characters that mean something to globbing or brace expansion. */
const GLOB_SPECIAL = /[\\*?[\]{},]/g;

export function escapeGlob(s: string): string {
  return s.replace(GLOB_SPECIAL, '\\$&');
}

export function unescapeGlob(s: string): string {
  return s.replace(/\\(.)/gs, '$1');
}

export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

function unescapeUnquoted(s: string): string {
  return s.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

function unescapeDoubleQuoted(s: string): string {
  return s.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

/**
 * Whether bash would treat part of an unquoted literal as a glob or a brace expansion: `*`,
 * `?`, a `[` with a `]` after it, or a `{` with a `}` after it (`[` alone, as in `[ -f x ]`, is
 * an ordinary character).
 */
function hasUnescapedGlobOrBrace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '*' || ch === '?') return true;
    if ((ch === '[' && s.indexOf(']', i + 1) !== -1) || (ch === '{' && s.indexOf('}', i + 1) !== -1)) return true;
  }
  return false;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/**
 * Decodes the body of `$'…'` (bash's ANSI-C quoting). Returns undefined when the result holds
 * a NUL, where bash would cut the string short: such a word is not what it looks like.
 */
export function decodeAnsiC(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8) & 0xff);
      i += m.length - 1;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(body.slice(i + 1));
      if (!m) {
        out += `\\${n}`;
        continue;
      }
      const code = parseInt(m[0], 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i += m[0].length;
    } else if (n === 'c' && i + 1 < body.length) {
      out += String.fromCharCode(body.charCodeAt(++i) & 0x1f);
    } else {
      out += `\\${n}`;
    }
  }
  return out.includes('\0') ? undefined : out;
}

/** `name=…~…`: bash expands a tilde after the `=` or a `:` of an assignment-like word, even as an argument. */
function assignmentTilde(lit: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(lit) && /[=:]~/.test(lit);
}

export function createWordReader(syntax: ShSyntax) {
  const type = (n: ShNode) => syntax.NodeType(n);
  const partsOf = (n: ShNode) => (n.Parts as ShNode[] | undefined) ?? [];

  /** The exact string the shell would pass, when the word has no expansion, glob or tilde. */
  function staticValue(word: ShNode): string | undefined {
    const parts = partsOf(word);
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const t = type(part);
      if (t === 'Lit') {
        const v = part.Value as string;
        if (hasUnescapedGlobOrBrace(v)) return undefined;
        if (i === 0 && (v.startsWith('~') || assignmentTilde(v))) return undefined;
        out += unescapeUnquoted(v);
      } else if (t === 'SglQuoted') {
        if (part.Dollar === true) {
          const decoded = decodeAnsiC(part.Value as string);
          if (decoded === undefined) return undefined;
          out += decoded;
        } else {
          out += part.Value as string;
        }
      } else if (t === 'DblQuoted') {
        // `$"…"` is translated through the locale's message catalog: not knowable here.
        if (part.Dollar === true) return undefined;
        for (const inner of partsOf(part)) {
          if (type(inner) !== 'Lit') return undefined;
          out += unescapeDoubleQuoted(inner.Value as string);
        }
      } else {
        return undefined;
      }
    }
    return out;
  }

  function knownParam(pe: ShNode, ctx: WordContext): string | undefined {
    if (pe.Excl || pe.Length || pe.Width || pe.Index || pe.Slice || pe.Repl || pe.Exp) return undefined;
    const name = (pe.Param as ShNode | null)?.Value as string | undefined;
    if (name === 'HOME') return ctx.home;
    if (name === 'PWD') return ctx.pwd;
    return undefined;
  }

  /**
   * The glob patterns (backslash-escaped where literal) a word can expand to, or undefined when
   * a part of it is only known when the command runs.
   */
  function patterns(word: ShNode, ctx: WordContext): string[] | undefined {
    const parts = partsOf(word);
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const t = type(part);
      if (t === 'Lit') {
        let v = (part.Value as string).replace(/\\\n/g, '');
        if (i === 0 && v.startsWith('~')) {
          const m = /^~([^/]*)/.exec(v)!;
          const base = m[1] === '' ? ctx.home : m[1] === '+' ? ctx.pwd : undefined;
          if (base === undefined) return undefined;
          out += escapeGlob(base);
          v = v.slice(m[0].length);
        }
        if (i === 0 && assignmentTilde(v)) {
          if (ctx.home === undefined) return undefined;
          v = v.replace(/([=:])~(?=\/|:|$)/g, (_, sep: string) => `${sep}${escapeGlob(ctx.home!)}`);
        }
        out += v;
      } else if (t === 'SglQuoted') {
        const v = part.Dollar === true ? decodeAnsiC(part.Value as string) : (part.Value as string);
        if (v === undefined) return undefined;
        out += escapeGlob(v);
      } else if (t === 'DblQuoted') {
        if (part.Dollar === true) return undefined;
        for (const inner of partsOf(part)) {
          const it = type(inner);
          if (it === 'Lit') out += escapeGlob(unescapeDoubleQuoted(inner.Value as string));
          else if (it === 'ParamExp') {
            const v = knownParam(inner, ctx);
            if (v === undefined) return undefined;
            out += escapeGlob(v);
          } else return undefined;
        }
      } else if (t === 'ParamExp') {
        const v = knownParam(part, ctx);
        if (v === undefined) return undefined;
        out += escapeGlob(v);
      } else {
        return undefined;
      }
    }
    return braceExpand(out);
  }

  return { staticValue, patterns };
}

const MAX_BRACE_RESULTS = 256;

/** Bash brace expansion over an escaped pattern: `{a,b}` and `{1..3}` / `{a..c}`; undefined past the cap. */
export function braceExpand(s: string, budget = { left: MAX_BRACE_RESULTS }): string[] | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] !== '{') continue;
    let depth = 0;
    let close = -1;
    const commas: number[] = [];
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          close = j;
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(j);
    }
    if (close === -1) return [s];
    const pre = s.slice(0, i);
    const post = s.slice(close + 1);
    const body = s.slice(i + 1, close);
    let alternatives: string[] | undefined;
    if (commas.length > 0) {
      alternatives = [];
      let start = i + 1;
      for (const c of [...commas, close]) {
        alternatives.push(s.slice(start, c));
        start = c + 1;
      }
    } else {
      alternatives = sequence(body);
    }
    if (alternatives === undefined) continue; // `{x}` is literal: look for a later group
    const out: string[] = [];
    for (const alt of alternatives) {
      const expanded = braceExpand(pre + alt + post, budget);
      if (expanded === undefined) return undefined;
      out.push(...expanded);
      if (out.length > MAX_BRACE_RESULTS) return undefined;
    }
    budget.left -= out.length;
    return budget.left < 0 ? undefined : out;
  }
  return [s];
}

function sequence(body: string): string[] | undefined {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  if (num) {
    const [a, b] = [Number(num[1]), Number(num[2])];
    const step = Math.abs(Number(num[3] ?? 1)) || 1;
    if (Math.abs(b - a) / step > MAX_BRACE_RESULTS) return undefined;
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) out.push(String(v));
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])$/.exec(body);
  if (chr) {
    const [a, b] = [chr[1]!.charCodeAt(0), chr[2]!.charCodeAt(0)];
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(escapeGlob(String.fromCharCode(v)));
    return out;
  }
  return undefined;
}
