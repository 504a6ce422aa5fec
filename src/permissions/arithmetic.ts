/**
 * Bash evaluates arithmetic in many places (`(( ))`, `$(( ))`, `let`, `[[ x -eq y ]]`, array
 * subscripts, `${x:offset:length}`, `declare -i` assignments) and, while doing so, expands any
 * array subscript it meets *again* — so `a[$(cmd)]` hidden in a quoted string or in a
 * variable's value runs `cmd`. The same happens wherever bash takes a variable *name* from a
 * word (`printf -v`, `read`, `unset`, `test -v`, `declare` …). This module grades such text by
 * how much of it is known before the command runs.
 */

/**
 * - `literal`: numbers and operators only;
 * - `names`: also variable names and `$name`, whose values this command may or may not control;
 * - `data`: a variable bash fills from data (`$_`, `REPLY`, `BASH_REMATCH`, `$1` …);
 * - `code`: quotes, backquotes, `$(…)`, `${…}` with operators: anything could be evaluated.
 */
export type ArithLevel = 'literal' | 'names' | 'data' | 'code';

const ORDER: Record<ArithLevel, number> = { literal: 0, names: 1, data: 2, code: 3 };

function worst(a: ArithLevel, b: ArithLevel): ArithLevel {
  return ORDER[a] >= ORDER[b] ? a : b;
}

/** Variables whose values come from input, output or arguments rather than from the command line. */
const DATA_VARIABLES = new Set([
  '_', 'REPLY', 'MAPFILE', 'OPTARG', 'BASH_REMATCH', 'BASH_ARGV', 'BASH_ARGV0', 'BASH_ARGC', 'BASH_COMMAND', 'BASH_EXECUTION_STRING', 'BASH_SOURCE',
  'FUNCNAME', 'COPROC', 'DIRSTACK', 'PWD', 'OLDPWD', 'READLINE_LINE', 'COMP_WORDS', 'COMP_LINE', 'COMPREPLY', 'HOSTNAME', 'PS1', 'PS2', 'PS4',
]);

function nameLevel(name: string): ArithLevel {
  return DATA_VARIABLES.has(name) ? 'data' : 'names';
}

/** Index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** Grades an arithmetic expression as written (after the shell's quote removal, where it applies). */
export function classifyArith(text: string, depth = 0): ArithLevel {
  if (depth > 8) return 'code';
  let level: ArithLevel = 'literal';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/[\s+\-*/%<>=!&|^~?:,()]/.test(c)) continue;
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|\d+#[0-9A-Za-z@_]+|\d+)/.exec(text.slice(i))!;
      i += m[0].length - 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      level = worst(level, nameLevel(name));
      i += name.length;
      while (text[i] === ' ') i++;
      if (text[i] === '[') {
        const end = closing(text, i, '[', ']');
        if (end === -1) return 'code';
        level = worst(level, classifyArith(text.slice(i + 1, end), depth + 1));
        i = end;
      } else {
        i--;
      }
      continue;
    }
    if (c === '$') {
      const next = text[i + 1];
      if (next === '(' && text[i + 2] === '(') {
        const end = closing(text, i + 1, '(', ')');
        if (end === -1) return 'code';
        level = worst(level, classifyArith(text.slice(i + 3, end - 1), depth + 1));
        i = end;
        continue;
      }
      if (next === '{') {
        const end = closing(text, i + 1, '{', '}');
        if (end === -1) return 'code';
        const inner = text.slice(i + 2, end);
        const m = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!])(\[[@*]\])?$/.exec(inner);
        if (!m) return 'code';
        if (m[1] !== '') level = worst(level, 'literal');
        else if (/^[0-9@*]/.test(m[2]!)) level = worst(level, 'data');
        else if (!/^[#?$!]$/.test(m[2]!)) level = worst(level, nameLevel(m[2]!));
        i = end;
        continue;
      }
      if (next !== undefined && /[A-Za-z_]/.test(next)) {
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
        level = worst(level, nameLevel(name));
        i += name.length;
        continue;
      }
      if (next !== undefined && /[#?$!]/.test(next)) {
        i++;
        continue;
      }
      if (next !== undefined && /[0-9@*]/.test(next)) {
        level = worst(level, 'data');
        i++;
        continue;
      }
      return 'code';
    }
    return 'code';
  }
  return level;
}

/**
 * Grades a word bash will use as a variable name (`printf -v NAME`, `read NAME`, `unset NAME`,
 * `test -v NAME`, `declare NAME=…`): a plain name is safe; a subscript is arithmetic.
 */
export function classifyName(text: string): ArithLevel {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return 'literal';
  const m = /^[A-Za-z_][A-Za-z0-9_]*\[(.*)\]$/s.exec(text);
  if (m) return classifyArith(m[1]!);
  return classifyArith(text);
}
