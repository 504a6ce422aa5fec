/**
 * Splits a shell command into the simple commands it would run and the files it would
 * redirect to, using a real bash parser (mvdan/sh, via the mvdan-sh package). Every command
 * found anywhere — behind `&&`, `||`, `;`, `|`, newlines, inside subshells, `$(…)`, backticks,
 * process substitutions, loops, conditionals and function bodies — is reported, so that a
 * rule allowing `git status` cannot be used to smuggle `git status; rm -rf ~` through.
 *
 * Beyond the commands as written, the analysis marks what bash could run that is not written
 * as a command: a command named by an expansion, arithmetic that re-expands array subscripts,
 * `${!x}` / `${x@P}`, scripts given to `eval` / `bash -c` / `trap` / `alias`, variables that
 * change which program runs (PATH, LD_PRELOAD, PAGER …). Such a command is "opaque".
 */
import type { ShNode, ShSyntax } from 'mvdan-sh';
import { classifyArith, classifyName, type ArithLevel } from './arithmetic.js';
import { createWordReader, type WordContext } from './shell-words.js';
import { CODE_VARIABLES, unwrap } from './wrappers.js';

/** One word of a command: its source text, and its value when it is fully literal. */
export interface ShellWord {
  raw: string;
  /** Set only when the shell would pass exactly this string (no expansion, glob or tilde). */
  value?: string;
  /**
   * When not literal but every part is known: the glob patterns (backslash-escaped where
   * literal) it expands to — after brace expansion, `~`, `$HOME` and `$PWD`.
   */
  patterns?: string[];
}

export interface SubCommand {
  /** Leading `NAME=value` assignments, as written. */
  assigns: string[];
  /** The names those assignments set, and whether each value is a plain literal. */
  assignments?: Array<{ name: string; clean: boolean }>;
  words: ShellWord[];
  /** Normalized for rule matching: literal words unquoted then re-quoted only where needed. */
  text: string;
  /**
   * `call` a simple command; `test` `[[ … ]]`; `arith` `(( … ))` / `let`; `decl` `export` /
   * `declare` …; `assign` bare assignments; `construct` something bash evaluates outside any
   * command (a `for ((…))` header, a redirect target).
   */
  kind: 'call' | 'test' | 'arith' | 'decl' | 'assign' | 'construct';
  /**
   * Set for a command another one runs for it (`sudo rm …`, `xargs rm …`, `find -exec rm …`,
   * `bash -c "rm …"`, `eval "rm …"`): deny and ask rules see it, but allowing the outer
   * command is enough to allow the call.
   */
  derived?: boolean;
  /** Why this command could run any command at all (its name or what it runs is only known when it runs). */
  opaque?: string;
  /** Why this command is not read-only even if its program is (it may evaluate code or change state). */
  unsafe?: string;
  /** Script files it runs (`source f`, `bash f`, `bash < f`), for the policy to read. */
  scriptFiles?: ShellWord[];
}

export type RedirectKind = 'write' | 'read' | 'dup' | 'heredoc';

export interface ShellRedirect {
  op: string;
  kind: RedirectKind;
  target: ShellWord;
  /** Inside a `bash -c` / `eval` script: checked against deny and ask rules only. */
  derived?: boolean;
}

export interface ShellAnalysis {
  commands: SubCommand[];
  redirects: ShellRedirect[];
  /** A `cd`, `pushd` or `popd` appears: relative paths can no longer be resolved statically. */
  changesDirectory: boolean;
  /** The literal targets of `cd` / `pushd`, in order. */
  cdTargets: string[];
  /** The command may switch on globbing options (dotglob, globstar …) before a glob expands. */
  globOptions: boolean;
}

export interface AnalyzeOptions {
  /** The home directory, for `~` and `$HOME` in words. */
  home?: string;
  /** The shell's directory, for `$PWD`. */
  cwd?: string;
}

export class ShellParseError extends Error {}

/** Past these, the parser (recursive, compiled from Go) gets slow or overflows its stack: ask instead. */
export const LIMITS = { maxLength: 256 * 1024, maxOperators: 400, maxNesting: 64, maxScriptDepth: 4 };

interface Parser {
  syntax: ShSyntax;
  parse(src: string): ShNode;
  redirectOps: Map<number, string>;
  arithTestOps: Set<number>;
  nameTestOps: Set<number>;
  atOp: number;
}

let parserPromise: Promise<Parser> | undefined;

/** Loaded on first use: the parser is ~1.5 MB of JavaScript and most runs never need it. */
function loadParser(): Promise<Parser> {
  parserPromise ??= import('mvdan-sh').then((mod) => {
    const syntax = mod.default.syntax;
    const parser = syntax.NewParser();
    // Stryker disable next-line StringLiteral: the name only prefixes the parser's error text, which is never shown (see analyze)
    const parse = (src: string) => parser.Parse(src, 'command');
    // Operator codes are the Go enum's numbers, which may shift between parser versions:
    // learn them from probes instead of hard-coding them.
    const first = (src: string, t: string): ShNode => {
      let found: ShNode | undefined;
      syntax.Walk(parse(src), (n) => {
        if (n && syntax.NodeType(n) === t) found ??= n;
        return true;
      });
      return found!;
    };
    const redirectOps = new Map<number, string>();
    for (const op of ['>', '>>', '<', '<>', '<&', '>&', '>|', '<<<', '&>', '&>>', '<<', '<<-']) {
      // A here-document needs its body; the other operators read the same text as a word and two commands.
      redirectOps.set(first(`c ${op}E\nx\nE\n`, 'Redirect').Op as number, op);
    }
    const arithTestOps = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'].map((op) => first(`[[ a ${op} b ]]`, 'BinaryTest').Op as number));
    const nameTestOps = new Set(['-v', '-R'].map((op) => first(`[[ ${op} a ]]`, 'UnaryTest').Op as number));
    const atOp = (first('x ${a@P}', 'ParamExp').Exp as ShNode).Op as number;
    return { syntax, parse, redirectOps, arithTestOps, nameTestOps, atOp };
  });
  return parserPromise;
}

const REDIRECT_KIND: Record<string, RedirectKind> = {
  '>': 'write',
  '>>': 'write',
  '>|': 'write',
  '&>': 'write',
  '&>>': 'write',
  '<>': 'write',
  '<': 'read',
  '<&': 'dup',
  '>&': 'dup',
  '<<': 'heredoc',
  '<<-': 'heredoc',
  '<<<': 'heredoc',
};

const SAFE_WORD = /^[A-Za-z0-9_\-.,:/@%+=^]+$/;

/** Quotes a literal only when it needs it, so `git status` stays `git status`. */
export function quoteWord(value: string): string {
  if (SAFE_WORD.test(value)) return value; // not '': the pattern needs a character
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Globbing options and the variable that change what a glob matches (dot files, case, `**`). */
const GLOB_OPTIONS = /dotglob|nocaseglob|globstar|extglob|nullglob|failglob|GLOBIGNORE/;

/**
 * Whether a command may set a globbing option: one named in its words after quote removal
 * (`shopt -s dot""glob`), in an assignment, or a `shopt` given a word only known when it runs.
 */
function setsGlobOptions(c: SubCommand): boolean {
  if (c.words[0]?.value === 'shopt' && c.words.some((w) => w.value === undefined)) return true;
  return c.words.some((w) => w.value !== undefined && GLOB_OPTIONS.test(w.value)) || (c.assignments ?? []).some((a) => GLOB_OPTIONS.test(a.name));
}

/** Assigned values that cannot smuggle arithmetic or code into a later evaluation. */
const CLEAN_VALUE = /^[A-Za-z0-9_.,:/@%+=^ ~-]*$/;

/**
 * Builtins that set variables from input, output or arguments: their values are data. (`select`
 * is a keyword, seen as a ForClause, never as a command name.)
 */
const TAINT_COMMANDS = new Set(['read', 'mapfile', 'readarray', 'getopts', 'set', 'shift', 'source', '.', 'wait', 'printf', 'declare', 'typeset', 'local']);

/** What a hazard makes its command; absent: nothing. */
type Outcome = 'unsafe' | 'opaque' | undefined;

/** Found at a source offset (resolved to the innermost command there) or on a known command. */
type Hazard = ({ at: number; target?: undefined } | { target: SubCommand; at?: undefined }) & {
  why: string;
  /** What it means when no value in the command comes from data, and when one may. */
  clean: Outcome;
  tainted: Outcome;
};

interface Resolved {
  target: SubCommand;
  why: string;
  clean: Outcome;
  tainted: Outcome;
}

interface Spanned {
  cmd: SubCommand;
  start: number;
  end: number;
}

// Only called for text that is not literal: literal arithmetic or names are no hazard at all.
function arithOutcome(level: Exclude<ArithLevel, 'literal'>): { clean: Outcome; tainted: Outcome } {
  if (level === 'names') return { clean: undefined, tainted: 'opaque' };
  return { clean: 'opaque', tainted: 'opaque' };
}

function nameOutcome(level: Exclude<ArithLevel, 'literal'>): { clean: Outcome; tainted: Outcome } {
  if (level === 'names') return { clean: 'unsafe', tainted: 'opaque' };
  return { clean: 'opaque', tainted: 'opaque' };
}

function short(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Cheap structural limits checked before parsing. */
function checkLimits(src: string): void {
  if (src.length > LIMITS.maxLength) throw new ShellParseError(`the command is too long to check (${src.length} characters)`);
  // NUL cannot reach bash at all, and other control characters make words that look like others.
  // Stryker disable next-line EqualityOperator: charCodeAt past the end is NaN, which no test below matches
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) throw new ShellParseError(`the command contains a control character (code ${c})`);
  }
  let operators = 0;
  let depth = 0;
  let max = 0;
  for (const ch of src) {
    if (ch === '|' || ch === '&') operators++;
    else if (ch === '(' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === '}') depth--;
  }
  if (operators > LIMITS.maxOperators) throw new ShellParseError(`the command has too many pipes and lists to check (${operators})`);
  if (max > LIMITS.maxNesting) throw new ShellParseError(`the command is nested too deeply to check (${max} levels)`);
}

export function createAnalyzer(p: Parser, options: AnalyzeOptions = {}) {
  const { syntax } = p;
  const type = (n: ShNode) => syntax.NodeType(n);
  const words = createWordReader(syntax);

  interface Raw {
    analysis: ShellAnalysis;
    tainted: boolean;
    /** Resolved to their commands, but not yet graded: that needs the taint of the whole command. */
    hazards: Array<Resolved>;
  }

  function analyze(src: string, depth: number): Raw {
    checkLimits(src);
    let file: ShNode;
    try {
      file = p.parse(src);
    } catch (err) {
      if (err instanceof RangeError) throw new ShellParseError('the command is nested too deeply to check');
      // The parser throws Go error objects, whose text (a position) is nothing a user could act on.
      throw new ShellParseError('unparseable shell syntax');
    }
    const offset = (n: ShNode) => n.Pos().Offset();
    const slice = (n: ShNode) => src.slice(n.Pos().Offset(), n.End().Offset());

    const pendingPatterns: Array<[ShellWord, ShNode]> = [];
    const toWord = (w: ShNode): ShellWord => {
      const value = words.staticValue(w);
      if (value !== undefined) return { raw: slice(w), value };
      const word: ShellWord = { raw: slice(w) };
      pendingPatterns.push([word, w]);
      return word;
    };
    /** The text bash would evaluate for an operand: its value when literal, else the source without double quotes. */
    const operandText = (w: ShNode) => words.staticValue(w) ?? slice(w).replace(/"/g, '');

    const commands: SubCommand[] = [];
    // Stryker disable next-line ArrayDeclaration: a non-object entry has no start or end, so it never holds a hazard
    const spans: Spanned[] = [];
    const redirects: ShellRedirect[] = [];
    // Stryker disable next-line ArrayDeclaration: a string entry has no target or offset: it makes a construct that grades to nothing and is dropped
    const hazards: Hazard[] = [];
    const nested: Array<{ src: string; owner: SubCommand }> = [];
    const cdTargets: string[] = [];
    let changesDirectory = false;
    let tainted = false;
    let globOptions = GLOB_OPTIONS.test(src);
    // For the safety net: where the parser saw an expansion start, and text it knows to be literal.
    const starts = new Set<number>();
    const backquoteEnds = new Set<number>();
    // Stryker disable next-line ArrayDeclaration: a string entry destructures to two letters, which no offset is between
    const literalRanges: Array<[number, number]> = [];
    // Stryker disable next-line ArrayDeclaration: a string entry destructures to two letters, which no offset is between
    const doubleQuoted: Array<[number, number]> = [];
    const stmtRedirects = new Map<number, ShNode[]>();

    const add = (cmd: SubCommand, node?: ShNode) => {
      commands.push(cmd);
      if (node) spans.push({ cmd, start: node.Pos().Offset(), end: node.End().Offset() });
      return cmd;
    };
    const hazard = (h: Hazard) => hazards.push(h);
    const arithHazard = (at: number, text: string, what: string) => {
      const level = classifyArith(text);
      if (level !== 'literal') hazard({ at, why: `bash evaluates ${what} '${short(text)}' as arithmetic, which can run commands hidden in a subscript`, ...arithOutcome(level) });
    };
    const nameHazard = (target: SubCommand, text: string, what: string) => {
      const level = classifyName(text);
      if (level !== 'literal') hazard({ target, why: `bash evaluates the ${what} '${short(text)}', which can run commands hidden in a subscript`, ...nameOutcome(level) });
    };

    /** Name positions and data sources of builtins, for a call's words (outer or run by a wrapper). */
    const builtinChecks = (cmd: SubCommand, ws: ShellWord[]) => {
      // Stryker disable next-line OptionalChaining: never called with no words (a call has a name, a wrapper's command too)
      const name = ws[0]?.value;
      // Stryker disable next-line ConditionalExpression: no table below holds 'undefined', so a missing name changes nothing either way
      if (name === undefined) return;
      const text = (w: ShellWord) => w.value ?? w.raw.replace(/"/g, '');
      const args = ws.slice(1);
      if (TAINT_COMMANDS.has(name)) {
        if (name !== 'printf' && name !== 'wait' && name !== 'declare' && name !== 'typeset' && name !== 'local') tainted = true;
        // Stryker disable next-line StringLiteral: any text not starting with - fails the test, as '' does
        else if (args.some((w) => /^-[a-zA-Z]*[vpn]/.test(w.value ?? ''))) tainted = true;
      }
      const valueOpts: Record<string, string> = { read: 'adinNptu', mapfile: 'dnOsuCc', readarray: 'dnOsuCc', printf: 'v', wait: 'p' };
      const nameOpts: Record<string, string> = { read: 'a', printf: 'v', wait: 'p' };
      if (name in valueOpts) {
        const operands: ShellWord[] = [];
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!.value;
          if (v === undefined || !v.startsWith('-') || v === '-' || operands.length > 0) {
            // For printf the first is the format and the rest its arguments: no option follows.
            operands.push(args[i]!);
            continue;
          }
          // Stryker disable next-line EqualityOperator: v[v.length] is undefined, which no option string includes
          for (let j = 1; j < v.length; j++) {
            if (!valueOpts[name]!.includes(v[j]!)) continue;
            const value = v.slice(j + 1) !== '' ? { raw: v.slice(j + 1), value: v.slice(j + 1) } : args[++i];
            if (value && nameOpts[name]?.includes(v[j]!)) nameHazard(cmd, text(value), `variable name given to ${name} -${v[j]}`);
            break;
          }
        }
        if (name === 'read' || name === 'mapfile' || name === 'readarray') for (const w of operands) nameHazard(cmd, text(w), `variable name given to ${name}`);
      }
      if (name === 'getopts' && args[1]) nameHazard(cmd, text(args[1]), 'variable name given to getopts');
      if (name === 'unset') for (const w of args) if (!(w.value ?? '').startsWith('-')) nameHazard(cmd, text(w), 'variable name given to unset');
      if (name === 'test' || name === '[') {
        for (let i = 0; i + 1 < args.length; i++) if (args[i]!.value === '-v' || args[i]!.value === '-R') nameHazard(cmd, text(args[i + 1]!), `variable name tested with ${args[i]!.value}`);
      }
      if ((name === 'cd' || name === 'pushd' || name === 'popd') && !args.every((w) => w.value !== undefined && CLEAN_VALUE.test(w.value))) tainted = true;
    };

    const visit = (n: ShNode | null): boolean => {
      if (!n) return true;
      switch (type(n)) {
        case 'Stmt': {
          const cmd = n.Cmd as ShNode | null;
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          const redirs = (n.Redirs as ShNode[] | undefined) ?? [];
          if (cmd) stmtRedirects.set(offset(cmd), redirs);
          break;
        }
        case 'CallExpr': {
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          const ws = ((n.Args as ShNode[] | undefined) ?? []).map(toWord);
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          const assignNodes = (n.Assigns as ShNode[] | undefined) ?? [];
          const assigns = assignNodes.map(slice);
          const assignments = assignNodes.map((a) => {
            const value = a.Value as ShNode | null;
            const v = value ? words.staticValue(value) : '';
            // Stryker disable next-line StringLiteral: an assignment before a command always has a name
            return { name: ((a.Name as ShNode | null)?.Value as string | undefined) ?? '', clean: !a.Array && !a.Index && v !== undefined && CLEAN_VALUE.test(v) };
          });
          if (ws.length === 0) {
            add({ assigns, assignments, words: [], text: assigns.join(' '), kind: 'assign' }, n);
            break;
          }
          const first = ws[0]!.value;
          if (first === 'cd' || first === 'pushd' || first === 'popd') {
            changesDirectory = true;
            // Stryker disable next-line StringLiteral: a word that is not literal cannot start with - either way
            const target = ws.slice(1).find((w) => !(w.value ?? '').startsWith('-'));
            if (target?.value !== undefined) cdTargets.push(target.value);
          }
          const text = [...assigns, ...ws.map((w) => (w.value === undefined ? w.raw : quoteWord(w.value)))].join(' ');
          const cmd = add({ assigns, assignments, words: ws, text, kind: 'call' }, n);
          if (first === undefined) cmd.opaque = `its command name is not a literal word (${short(ws[0]!.raw)}), so it could be any command`;
          builtinChecks(cmd, ws);
          const u = unwrap(ws);
          for (const inner of u.inner) {
            const innerCmd = add({ assigns: [], words: inner, text: inner.map((w) => (w.value === undefined ? w.raw : quoteWord(w.value))).join(' '), kind: 'call', derived: true });
            builtinChecks(innerCmd, inner);
          }
          for (const s of u.scripts) nested.push({ src: s, owner: cmd });
          if (u.scriptFiles.length > 0) cmd.scriptFiles = u.scriptFiles;
          if (u.opaque) cmd.opaque ??= `${short(u.opaque, 80)}, so it could run any command`;
          if (u.stdinScript) {
            // Stryker disable next-line ArrayDeclaration: a string entry has no operator or word, so it names no script
            const script = stdinScript(stmtRedirects.get(offset(n)) ?? []);
            if (script === undefined) cmd.opaque ??= 'the shell reads its script from standard input, so it could run any command';
            else if (typeof script === 'string') nested.push({ src: script, owner: cmd });
            else (cmd.scriptFiles ??= []).push(script);
          }
          break;
        }
        case 'DeclClause': {
          // Stryker disable next-line StringLiteral: the parser always names the variant
          const variant = ((n.Variant as ShNode | null)?.Value as string | undefined) ?? 'declare';
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          const args = (n.Args as ShNode[] | undefined) ?? [];
          const ws: ShellWord[] = [{ raw: variant, value: variant }, ...args.map((a) => ({ raw: slice(a) }))];
          const cmd = add({ assigns: [], words: ws, text: slice(n), kind: 'decl' }, n);
          // Stryker disable next-line StringLiteral: the replacement holds neither n nor i, the only flags read
          let flags = '';
          for (const a of args) {
            const value = a.Value as ShNode | null;
            // `declare GLOB''IGNORE=x` sets the variable: read each name and value as bash will.
            const name = (a.Name as ShNode | null)?.Value as string | undefined;
            const naked = name === undefined && value ? words.staticValue(value) : '';
            if ((name !== undefined && GLOB_OPTIONS.test(name)) || naked === undefined || GLOB_OPTIONS.test(naked)) globOptions = true;
            if (a.Naked && !a.Name && value) {
              const v = words.staticValue(value);
              // Stryker disable next-line ConditionalExpression,MethodExpression: 'undefined' fails the pattern; the kept - or + is never read
              if (v !== undefined && /^[-+]/.test(v)) flags += v.slice(1);
              else nameHazard(cmd, operandText(value), `name given to ${variant}`);
            }
          }
          if (flags.includes('n')) {
            tainted = true;
            for (const a of args) {
              const value = a.Value as ShNode | null;
              if (a.Name && value) nameHazard(cmd, operandText(value), `target of the name reference set by ${variant} -n`);
            }
          }
          if (flags.includes('i')) hazard({ target: cmd, why: `${variant} -i makes later assignments arithmetic, which can run commands hidden in a subscript`, clean: undefined, tainted: 'opaque' });
          break;
        }
        case 'Assign': {
          const name = (n.Name as ShNode | null)?.Value as string | undefined;
          // Stryker disable next-line ConditionalExpression: 'undefined' names no such variable
          if (name !== undefined && CODE_VARIABLES.test(name)) {
            hazard({ at: offset(n), why: `it sets ${name}, which changes what later commands run, so they could be any command`, clean: 'opaque', tainted: 'opaque' });
          }
          const index = n.Index as ShNode | null;
          if (index) arithHazard(offset(n), slice(index), 'the array subscript');
          const value = n.Value as ShNode | null;
          if (value && !n.Naked) {
            const v = words.staticValue(value);
            if (v === undefined || !CLEAN_VALUE.test(v)) tainted = true;
          }
          if (n.Array) tainted = true;
          break;
        }
        case 'ArrayElem': {
          const index = n.Index as ShNode | null;
          if (index) arithHazard(offset(n), slice(index), 'the array subscript');
          break;
        }
        case 'WordIter': {
          const name = (n.Name as ShNode | null)?.Value as string | undefined;
          // Stryker disable next-line ConditionalExpression: 'undefined' names no such variable
          if (name !== undefined && CODE_VARIABLES.test(name)) hazard({ at: offset(n), why: `the loop sets ${name}, which changes what later commands run`, clean: 'opaque', tainted: 'opaque' });
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          for (const item of (n.Items as ShNode[] | undefined) ?? []) {
            const v = words.staticValue(item);
            if (v === undefined || !CLEAN_VALUE.test(v)) tainted = true;
          }
          break;
        }
        case 'ForClause':
          if (n.Select) tainted = true;
          break;
        case 'TestClause':
          add({ assigns: [], words: [], text: slice(n), kind: 'test' }, n);
          break;
        case 'BinaryTest':
          if (p.arithTestOps.has(n.Op as number)) {
            // Stryker disable next-line ConditionalExpression,LogicalOperator: both sides of a numeric comparison are always words
            for (const side of [n.X, n.Y] as Array<ShNode | null>) if (side && type(side) === 'Word') arithHazard(offset(side), operandText(side), 'the operand');
          }
          break;
        case 'UnaryTest':
          if (p.nameTestOps.has(n.Op as number)) {
            const x = n.X as ShNode | null;
            // Stryker disable next-line ConditionalExpression,LogicalOperator: the operand of -v / -R is always a word
            if (x && type(x) === 'Word') {
              const level = classifyName(operandText(x));
              if (level !== 'literal') hazard({ at: offset(x), why: `bash evaluates the variable name '${short(operandText(x))}', which can run commands hidden in a subscript`, ...nameOutcome(level) });
            }
          }
          break;
        case 'ArithmCmd': {
          add({ assigns: [], words: [], text: slice(n), kind: 'arith' }, n);
          const x = n.X as ShNode | null;
          if (x) arithHazard(offset(n), slice(x).replace(/"/g, ''), 'the expression');
          break;
        }
        case 'LetClause':
          add({ assigns: [], words: [], text: slice(n), kind: 'arith' }, n);
          // `let` takes words: quotes are removed before the text is evaluated.
          // Stryker disable next-line ArrayDeclaration: the parser always gives an array; the fallback guards another parser version
          for (const e of (n.Exprs as ShNode[] | undefined) ?? []) arithHazard(offset(e), slice(e).replace(/['"]/g, ''), 'the expression');
          break;
        case 'ArithmExp': {
          starts.add(offset(n));
          const x = n.X as ShNode | null;
          if (x) arithHazard(offset(n), slice(x).replace(/"/g, ''), 'the expression');
          break;
        }
        case 'CStyleLoop':
          for (const part of [n.Init, n.Cond, n.Post] as Array<ShNode | null>) if (part) arithHazard(offset(part), slice(part).replace(/"/g, ''), 'the loop expression');
          break;
        case 'ParamExp': {
          starts.add(offset(n));
          const index = n.Index as ShNode | null;
          const indexText = index ? slice(index) : undefined;
          const all = indexText === '@' || indexText === '*';
          if (index && !all) arithHazard(offset(n), indexText!.replace(/"/g, ''), 'the subscript');
          if (n.Excl && !n.Names && !all) {
            hazard({ at: offset(n), why: `'${short(slice(n))}' uses the value of a variable as a name, which can run commands hidden in a subscript`, clean: 'unsafe', tainted: 'opaque' });
          }
          const exp = n.Exp as ShNode | null;
          if (exp && exp.Op === p.atOp) {
            // Stryker disable next-line StringLiteral: an @ operator's letter is always literal text
            const letter = words.staticValue(exp.Word as ShNode) ?? '';
            if (letter.includes('P')) hazard({ at: offset(n), why: `'${short(slice(n))}' expands a variable like a prompt, which runs the commands in it`, clean: 'unsafe', tainted: 'opaque' });
          }
          const sl = n.Slice as ShNode | null;
          if (sl) {
            // The parser's walk does not enter ${x:offset:length}; look inside explicitly.
            for (const part of [sl.Offset, sl.Length] as Array<ShNode | null>) {
              if (!part) continue;
              arithHazard(offset(n), slice(part).replace(/"/g, ''), 'the offset');
              syntax.Walk(part, visit);
            }
          }
          break;
        }
        case 'CmdSubst':
          starts.add(offset(n));
          // Stryker disable next-line ConditionalExpression: the end of a $( ) is a ), which starts no expansion
          if (src[offset(n)] === '`') backquoteEnds.add(n.End().Offset() - 1);
          break;
        case 'ProcSubst':
          starts.add(offset(n));
          break;
        case 'SglQuoted':
          literalRanges.push([offset(n), n.End().Offset()]);
          break;
        case 'DblQuoted':
          doubleQuoted.push([offset(n), n.End().Offset()]);
          break;
        case 'Redirect': {
          // Stryker disable next-line StringLiteral: every operator the parser knows was learnt by a probe
          const op = p.redirectOps.get(n.Op as number) ?? '?';
          const word = n.Word as ShNode | null;
          // Stryker disable next-line StringLiteral: every learnt operator has a kind
          let kind = REDIRECT_KIND[op] ?? 'write';
          // Stryker disable next-line ObjectLiteral,StringLiteral: every redirect the parser gives has a word
          const target = word ? toWord(word) : { raw: '' };
          // `>&file` writes a file; `>&2` / `>&-` only duplicate or close a descriptor.
          if (kind === 'dup' && !(target.value !== undefined && /^(\d+|-)$/.test(target.value))) kind = op === '<&' ? 'read' : 'write';
          redirects.push({ op, kind, target });
          const body = n.Hdoc as ShNode | null;
          if (body && word && words.staticValue(word) !== slice(word)) literalRanges.push([offset(body), body.End().Offset()]);
          break;
        }
        default:
          break;
      }
      return true;
    };

    /** The script a shell without `-c` reads: a here-string or literal here-document, a file, or unknown. */
    function stdinScript(redirs: ShNode[]): string | ShellWord | undefined {
      for (const r of redirs) {
        const op = p.redirectOps.get(r.Op as number);
        const word = r.Word as ShNode | null;
        if (op === '<<<' && word) return words.staticValue(word);
        if ((op === '<<' || op === '<<-') && r.Hdoc) {
          const body = r.Hdoc as ShNode;
          const quoted = word !== null && words.staticValue(word) !== slice(word);
          return quoted ? slice(body) : words.staticValue(body);
        }
        if (op === '<' && word) return toWord(word);
      }
      return undefined;
    }

    try {
      syntax.Walk(file, visit);
    } catch (err) {
      if (err instanceof RangeError) throw new ShellParseError('the command is nested too deeply to check');
      throw err;
    }

    const analysis: ShellAnalysis = { commands, redirects, changesDirectory, cdTargets, globOptions: globOptions || commands.some(setsGlobOptions) };

    // Safety net: an expansion the parser did not report (inside an extended glob, a comment,
    // a construct its walk skips) is treated as code that could do anything.
    const inRange = (i: number, ranges: Array<[number, number]>) => ranges.some(([a, b]) => i >= a && i < b);
    // Stryker disable next-line EqualityOperator: past the end the text is empty, which is no trigger
    for (let i = 0; i < src.length; i++) {
      const two = src.slice(i, i + 2);
      const trigger = two === '$(' || two === '${' || two === '$[' || two === '<(' || two === '>(' || src[i] === '`';
      if (!trigger) continue;
      let backslashes = 0;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: src[-1] is undefined, which ends the run too; a trigger right after a backslash at 0 is in the command name, which is not literal and already opaque
      for (let j = i - 1; j >= 0 && src[j] === '\\'; j--) backslashes++;
      if (backslashes % 2 === 1 || inRange(i, literalRanges)) continue;
      if (starts.has(i) || backquoteEnds.has(i)) continue;
      // Stryker disable next-line ConditionalExpression: the parser reports every $( ${ and ` inside double quotes, so only <( >( reach this
      if ((two === '<(' || two === '>(') && inRange(i, doubleQuoted)) continue;
      hazard({ at: i, why: `'${short(src.slice(i, i + 30))}' is an expansion the parser did not resolve`, clean: 'opaque', tainted: 'opaque' });
    }

    // Hazards belong to the innermost command around them; those outside any become their own entry.
    // Stryker disable next-line ArrayDeclaration: a string entry has no outcome, so grading it changes nothing
    const resolved: Resolved[] = [];
    for (const h of hazards) {
      if (h.target) {
        resolved.push({ why: h.why, clean: h.clean, tainted: h.tainted, target: h.target });
        continue;
      }
      let best: Spanned | undefined;
      for (const sp of spans) if (h.at >= sp.start && h.at < sp.end && (!best || sp.end - sp.start < best.end - best.start)) best = sp;
      // Every hazard grades to something when data is read, so a construct is made even for one
      // that grades to nothing; the final filter drops it then.
      const target: SubCommand = best?.cmd ?? add({ assigns: [], words: [], text: short(src.slice(h.at), 60), kind: 'construct' });
      resolved.push({ why: h.why, clean: h.clean, tainted: h.tainted, target });
    }

    // Scripts run by `bash -c`, `eval`, `trap`, `watch` …: their commands are seen by deny and ask rules.
    for (const { src: script, owner } of nested) {
      if (depth + 1 > LIMITS.maxScriptDepth) {
        owner.opaque ??= 'it runs scripts nested too deeply to follow, so it could run any command';
        continue;
      }
      try {
        const inner = analyze(script, depth + 1);
        for (const c of inner.analysis.commands) c.derived = true;
        for (const r of inner.analysis.redirects) r.derived = true;
        commands.push(...inner.analysis.commands);
        redirects.push(...inner.analysis.redirects);
        resolved.push(...inner.hazards);
        if (inner.tainted) tainted = true;
        if (inner.analysis.changesDirectory) analysis.changesDirectory = true;
        if (inner.analysis.globOptions) analysis.globOptions = true;
      } catch (err) {
        // Stryker disable next-line ConditionalExpression: only a bug of this module throws anything else; both ways the command is not run unchecked
        if (!(err instanceof ShellParseError)) throw err;
        owner.opaque ??= `it runs a script that cannot be parsed (${short(err.message, 60)}), so it could run any command`;
      }
    }

    const ctx: WordContext = { home: options.home, pwd: analysis.changesDirectory ? undefined : options.cwd };
    for (const [word, node] of pendingPatterns) {
      const pats = words.patterns(node, ctx);
      if (pats !== undefined) word.patterns = pats;
    }
    return { analysis, tainted, hazards: resolved };
  }

  return (src: string): ShellAnalysis => {
    const raw = analyze(src, 0);
    // A value read from data anywhere (even in an `eval`ed script run later in a loop) taints every evaluation.
    for (const h of raw.hazards) {
      const outcome = raw.tainted ? h.tainted : h.clean;
      if (outcome === 'opaque') h.target.opaque ??= /could (be|run) any command/.test(h.why) ? h.why : `${h.why}, so it could run any command`;
      else if (outcome === 'unsafe') h.target.unsafe ??= h.why;
    }
    raw.analysis.commands = raw.analysis.commands.filter((c) => c.kind !== 'construct' || c.opaque !== undefined || c.unsafe !== undefined);
    return raw.analysis;
  };
}

/** Parses `src` as bash; throws ShellParseError when it is not valid syntax or too big to check. */
export async function analyzeShell(src: string, options: AnalyzeOptions = {}): Promise<ShellAnalysis> {
  return createAnalyzer(await loadParser(), options)(src);
}
