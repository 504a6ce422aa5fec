/**
 * Splits a shell command into the simple commands it would run and the files it would
 * redirect to, using a real bash parser (mvdan/sh, via the mvdan-sh package). Every command
 * found anywhere — behind `&&`, `||`, `;`, `|`, newlines, inside subshells, `$(…)`, backticks,
 * process substitutions, loops, conditionals and function bodies — is reported, so that a
 * rule allowing `git status` cannot be used to smuggle `git status; rm -rf ~` through.
 */
import type { ShNode, ShSyntax } from 'mvdan-sh';

/** One word of a command: its source text, and its value when it is fully literal. */
export interface ShellWord {
  raw: string;
  /** Set only when the shell would pass exactly this string (no expansion, glob or tilde). */
  value?: string;
}

export interface SubCommand {
  /** Leading `NAME=value` assignments, as written. */
  assigns: string[];
  words: ShellWord[];
  /** Normalized for rule matching: literal words unquoted then re-quoted only where needed. */
  text: string;
  /** Set for constructs that are not calls (`[[ … ]]`, `(( … ))`, `export …`). */
  kind: 'call' | 'test' | 'arith' | 'decl';
  /**
   * Set for a command another one runs for it (`sudo rm …`, `xargs rm …`, `find -exec rm …`,
   * `bash -c "rm …"`, `eval "rm …"`): deny and ask rules see it, but allowing the outer
   * command is enough to allow the call.
   */
  derived?: boolean;
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
}

export class ShellParseError extends Error {}

interface Parser {
  syntax: ShSyntax;
  parse(src: string): ShNode;
  redirectOps: Map<number, string>;
}

let parserPromise: Promise<Parser> | undefined;

/** Loaded on first use: the parser is ~1.5 MB of JavaScript and most runs never need it. */
function loadParser(): Promise<Parser> {
  parserPromise ??= import('mvdan-sh').then((mod) => {
    const syntax = mod.default.syntax;
    const parser = syntax.NewParser();
    const parse = (src: string) => parser.Parse(src, 'command');
    // Operator codes are the Go enum's numbers, which may shift between parser versions:
    // learn them from probes instead of hard-coding them.
    const redirectOps = new Map<number, string>();
    for (const op of ['>', '>>', '<', '<>', '<&', '>&', '>|', '<<<', '&>', '&>>', '<<', '<<-']) {
      const probe = op === '<<' || op === '<<-' ? `c ${op}E\nx\nE\n` : `c ${op} f`;
      syntax.Walk(parse(probe), (n) => {
        if (n && syntax.NodeType(n) === 'Redirect') redirectOps.set(n.Op as number, op);
        return true;
      });
    }
    return { syntax, parse, redirectOps };
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
  if (value !== '' && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function unescapeUnquoted(s: string): string {
  return s.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

function unescapeDoubleQuoted(s: string): string {
  return s.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

function hasUnescapedGlobOrBrace(s: string): boolean {
  let escaped = false;
  for (const ch of s) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (ch === '\\') escaped = true;
    else if ('*?[{'.includes(ch)) return true;
  }
  return false;
}

/** Commands that run the command named by their first non-option argument. */
const WRAPPERS = new Set(['sudo', 'doas', 'xargs', 'env', 'nohup', 'nice', 'ionice', 'timeout', 'time', 'exec', 'command', 'builtin', 'stdbuf', 'setsid', 'chroot', 'watch', 'strace', 'flock']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

function wordsToCommand(words: ShellWord[], derived: boolean): SubCommand {
  return { assigns: [], words, text: words.map((w) => (w.value === undefined ? w.raw : quoteWord(w.value))).join(' '), kind: 'call', derived };
}

/** The commands run on behalf of `cmd` that can be read off its words. */
function innerCommands(words: ShellWord[]): ShellWord[][] {
  const name = words[0]?.value;
  if (name === undefined) return [];
  const out: ShellWord[][] = [];
  if (WRAPPERS.has(name)) {
    // Options may take values (`sudo -u bob`, `xargs -n 1`, `timeout -s KILL 5`), so every
    // later literal word could start the command run: deny rules look at each of them.
    let found = 0;
    for (let i = 1; i < words.length && found < 6; i++) {
      const v = words[i]!.value;
      if (v === undefined || v.startsWith('-') || (name === 'env' && v.includes('='))) continue;
      out.push(words.slice(i));
      found++;
    }
  }
  if (name === 'find') {
    for (let i = 1; i < words.length; i++) {
      if (['-exec', '-execdir', '-ok', '-okdir'].includes(words[i]!.value ?? '')) {
        const end = words.findIndex((w, j) => j > i && (w.value === ';' || w.value === '+'));
        out.push(words.slice(i + 1, end === -1 ? undefined : end));
      }
    }
  }
  return out.filter((ws) => ws.length > 0);
}

/** Source text that `bash -c`, `sh -c` and `eval` would run, when it is literal. */
function embeddedScript(words: ShellWord[]): string | undefined {
  const name = words[0]?.value;
  if (name === 'eval') {
    const args = words.slice(1);
    return args.every((w) => w.value !== undefined) ? args.map((w) => w.value).join(' ') : undefined;
  }
  if (name !== undefined && SHELLS.has(name)) {
    const c = words.findIndex((w, i) => i > 0 && w.value !== undefined && /^-[a-z]*c[a-z]*$/.test(w.value));
    return c === -1 ? undefined : words[c + 1]?.value;
  }
  return undefined;
}

export function createAnalyzer(p: Parser) {
  const { syntax } = p;
  const type = (n: ShNode) => syntax.NodeType(n);

  return function analyze(src: string, depth = 0): ShellAnalysis {
    let file: ShNode;
    try {
      file = p.parse(src);
    } catch (err) {
      const text = String(err).replace(/^command:/, '');
      throw new ShellParseError(text === '[object Object]' ? 'unparseable shell syntax' : text);
    }
    const slice = (n: ShNode) => src.slice(n.Pos().Offset(), n.End().Offset());

    const staticValue = (word: ShNode): string | undefined => {
      const parts = (word.Parts as ShNode[] | undefined) ?? [];
      let out = '';
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const t = type(part);
        if (t === 'Lit') {
          const v = part.Value as string;
          if (hasUnescapedGlobOrBrace(v)) return undefined;
          if (i === 0 && v.startsWith('~')) return undefined;
          out += unescapeUnquoted(v);
        } else if (t === 'SglQuoted') {
          if (part.Dollar === true) return undefined;
          out += part.Value as string;
        } else if (t === 'DblQuoted') {
          if (part.Dollar === true) return undefined;
          for (const inner of (part.Parts as ShNode[] | undefined) ?? []) {
            if (type(inner) !== 'Lit') return undefined;
            out += unescapeDoubleQuoted(inner.Value as string);
          }
        } else {
          return undefined;
        }
      }
      return out;
    };

    const toWord = (w: ShNode): ShellWord => {
      const value = staticValue(w);
      return value === undefined ? { raw: slice(w) } : { raw: slice(w), value };
    };

    const commands: SubCommand[] = [];
    const redirects: ShellRedirect[] = [];
    let changesDirectory = false;
    const nested: string[] = [];

    syntax.Walk(file, (n) => {
      if (!n) return true;
      switch (type(n)) {
        case 'CallExpr': {
          const words = ((n.Args as ShNode[] | undefined) ?? []).map(toWord);
          const assigns = ((n.Assigns as ShNode[] | undefined) ?? []).map(slice);
          if (words.length === 0) break; // bare assignments: their substitutions are walked below
          const first = words[0]!.value;
          if (first === 'cd' || first === 'pushd' || first === 'popd') changesDirectory = true;
          const text = [...assigns, ...words.map((w) => (w.value === undefined ? w.raw : quoteWord(w.value)))].join(' ');
          commands.push({ assigns, words, text, kind: 'call' });
          for (const inner of innerCommands(words)) {
            commands.push(wordsToCommand(inner, true));
            const script = embeddedScript(inner);
            if (script !== undefined) nested.push(script);
          }
          const script = embeddedScript(words);
          if (script !== undefined) nested.push(script);
          break;
        }
        case 'TestClause':
          commands.push({ assigns: [], words: [], text: slice(n), kind: 'test' });
          break;
        case 'ArithmCmd':
        case 'LetClause':
          commands.push({ assigns: [], words: [], text: slice(n), kind: 'arith' });
          break;
        case 'DeclClause':
          commands.push({ assigns: [], words: [], text: slice(n), kind: 'decl' });
          break;
        case 'Redirect': {
          const op = p.redirectOps.get(n.Op as number) ?? '?';
          const word = n.Word as ShNode | null;
          let kind = REDIRECT_KIND[op] ?? 'write';
          const target = word ? toWord(word) : { raw: '' };
          // `>&file` writes a file; `>&2` / `>&-` only duplicate or close a descriptor.
          if (kind === 'dup' && !(target.value !== undefined && /^(\d+|-)$/.test(target.value))) kind = op === '<&' ? 'read' : 'write';
          redirects.push({ op, kind, target });
          break;
        }
        default:
          break;
      }
      return true;
    });
    // Scripts run by `bash -c` / `eval`: their commands are seen by deny and ask rules.
    for (const script of nested) {
      if (depth >= 4) break;
      try {
        const inner = analyze(script, depth + 1);
        commands.push(...inner.commands.map((c) => ({ ...c, derived: true })));
        redirects.push(...inner.redirects.map((r) => ({ ...r, derived: true })));
      } catch {
        // Not parseable on its own: the outer command still needs approval.
      }
    }
    return { commands, redirects, changesDirectory };
  };
}

/** Parses `src` as bash; throws ShellParseError when it is not valid syntax. */
export async function analyzeShell(src: string): Promise<ShellAnalysis> {
  return createAnalyzer(await loadParser())(src);
}
