import { promises as fs } from 'node:fs';
import nodePath from 'node:path';
import { z } from 'zod';
import { NewestFirst } from './mtime-sort.js';
import { errnoCode, resolvePath } from './paths.js';
import { fail, ok, plural } from './result.js';
import { shownPath } from './shown-path.js';
import { COMMON_RG_FLAGS, comparePathsLikeRg, RipgrepMissingError, runRipgrep } from './ripgrep.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const GREP_MAX_OUTPUT_CHARS = 30_000;
/** Lines longer than this are shown as a preview; minified files would flood the output. */
const MAX_COLUMNS = 500;

const inputSchema = z.object({
  pattern: z.string().min(1).describe('Regex (ripgrep syntax)'),
  path: z.string().optional().describe('File or directory (default: working directory)'),
  glob: z.string().optional().describe('Filter files, e.g. "*.{ts,tsx}"'),
  type: z.string().optional().describe('File type, e.g. js, py, rust'),
  output_mode: z.enum(['content', 'files_with_matches', 'count']).optional().describe('Default files_with_matches'),
  '-i': z.boolean().optional().describe('Ignore case'),
  '-n': z.boolean().optional().describe('Line numbers (content mode; default true)'),
  '-A': z.number().int().min(0).optional().describe('Lines after each match'),
  '-B': z.number().int().min(0).optional().describe('Lines before'),
  '-C': z.number().int().min(0).optional().describe('Lines around'),
  head_limit: z.number().int().min(1).optional().describe('Keep only the first N lines/entries'),
  multiline: z.boolean().optional().describe('Let patterns span lines (. matches newline)'),
});
type Input = z.infer<typeof inputSchema>;

export const grepTool: Tool<Input> = {
  name: 'Grep',
  description: 'Search file contents with ripgrep. Skips .gitignored files. Modes: files_with_matches (paths, newest first), content (matching lines, with -A/-B/-C context), count. Paths are absolute.',
  inputSchema,
  isReadOnly: () => true,
  run: runGrep,
};

/**
 * ripgrep runs without --sort (which would make it search on one thread); Grep sorts instead.
 * content and count print "path NUL rest" (--null) so the path is found even when it holds ':'
 * or '-', and content always asks for line numbers, whose separator (':' match, '-' context)
 * tells the two kinds of line apart; both are taken out again when -n is false.
 */
export function grepArgs(input: Input, target: string): string[] {
  const mode = input.output_mode ?? 'files_with_matches';
  const args = [...COMMON_RG_FLAGS, '--color', 'never', '--max-columns', String(MAX_COLUMNS), '--max-columns-preview'];
  if (mode === 'files_with_matches') args.push('--files-with-matches');
  else if (mode === 'count') args.push('--count', '--with-filename', '--null');
  else {
    args.push('--with-filename', '--no-heading', '--null', '--line-number');
    if (input['-C'] !== undefined) args.push('--context', String(input['-C']));
    if (input['-A'] !== undefined) args.push('--after-context', String(input['-A']));
    if (input['-B'] !== undefined) args.push('--before-context', String(input['-B']));
  }
  if (input['-i']) args.push('--ignore-case');
  if (input.multiline) args.push('--multiline', '--multiline-dotall');
  if (input.glob) args.push('--glob', input.glob);
  if (input.type) args.push('--type', input.type);
  // -e: a pattern starting with "-" is still a pattern; "--" ends options before the path.
  args.push('-e', input.pattern, '--', target);
  return args;
}

/** One file's lines: stdout[start, end) holds them, SEPARATOR lines between context groups included. */
interface FileBlock {
  path: string;
  start: number;
  end: number;
  lines: number;
}
const SEPARATOR = '--';

/**
 * Finds the per-file blocks of "path NUL rest" lines, sorted by path as `rg --sort path` would.
 * ripgrep prints each file's lines together, also when it searches in parallel, and puts a
 * SEPARATOR line between files when context is shown (`fileSeparators`). Only offsets are kept:
 * the lines themselves are made for what is shown.
 */
export function groupByFile(stdout: string): { blocks: FileBlock[]; fileSeparators: boolean } {
  const blocks: FileBlock[] = [];
  let cur: FileBlock | undefined;
  let pendingSeparator = false;
  let fileSeparators = false;
  let astral = false;
  for (let start = 0; start < stdout.length; ) {
    let nl = stdout.indexOf('\n', start);
    if (nl === -1) nl = stdout.length;
    if (cur && stdout.startsWith(cur.path, start) && stdout.charCodeAt(start + cur.path.length) === 0) {
      cur.lines += pendingSeparator ? 2 : 1;
      cur.end = nl;
      pendingSeparator = false;
    } else {
      const nul = nl - start === SEPARATOR.length ? -1 : stdout.indexOf('\0', start);
      if (nul === -1 || nul > nl) pendingSeparator = true;
      else {
        if (pendingSeparator && cur) fileSeparators = true;
        pendingSeparator = false;
        cur = { path: stdout.slice(start, nul), start, end: nl, lines: 1 };
        astral ||= /[\uD800-\uDFFF]/.test(cur.path);
        blocks.push(cur);
      }
    }
    start = nl + 1;
  }
  if (astral) blocks.sort((x, y) => comparePathsLikeRg(x.path, y.path));
  else {
    // Paths hold no NUL: with '/' as NUL, plain string order is the directory-by-directory order.
    const keyed = blocks.map((block) => ({ block, key: block.path.replaceAll('/', '\0') }));
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    keyed.forEach((k, i) => (blocks[i] = k.block));
  }
  return { blocks, fileSeparators };
}

/** Each block's lines as [path, rest] (rest: the text after "path NUL", or SEPARATOR), in order. */
function* blockLines(stdout: string, blocks: FileBlock[], fileSeparators: boolean): Generator<[path: string, rest: string]> {
  for (let b = 0; b < blocks.length; b++) {
    const { path, start, end } = blocks[b];
    if (fileSeparators && b > 0) yield ['', SEPARATOR];
    for (let from = start; from <= end; ) {
      let nl = stdout.indexOf('\n', from);
      if (nl === -1 || nl > end) nl = end;
      const line = stdout.slice(from, nl);
      yield line === SEPARATOR ? [path, line] : [path, line.slice(path.length + 1)];
      from = nl + 1;
    }
  }
}

/** "N:text" / "N-text" back to "path:N:text", or "path:text" without line numbers. */
function contentLine(path: string, rest: string, lineNumbers: boolean): string {
  if (rest === SEPARATOR) return rest;
  const sep = rest.search(/\D/);
  // Without a leading number the line is not ours to read; show it as ripgrep printed it.
  if (sep <= 0) return `${path}:${rest}`;
  return lineNumbers ? `${path}${rest.charAt(sep)}${rest}` : `${path}${rest.charAt(sep)}${rest.slice(sep + 1)}`;
}

async function runGrep(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const target = resolvePath(ctx, input.path ?? ctx.cwd);
  try {
    await fs.stat(target);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return fail(`Path does not exist: ${target}`);
    throw err;
  }
  const mode = input.output_mode ?? 'files_with_matches';
  const denied = (p: string) => ctx.readDenied?.(nodePath.resolve(ctx.cwd, p)) === true;
  // files_with_matches: each path is stat'ed for its mtime while ripgrep goes on searching.
  const files = mode === 'files_with_matches' ? new NewestFirst() : undefined;
  let res;
  try {
    // Files a Read deny rule covers are dropped from every mode's results (the rule may match
    // below a directory the search was allowed to start from).
    res = await runRipgrep(grepArgs(input, target), { cwd: ctx.cwd, signal: ctx.signal, env: ctx.childEnv, onLine: files && ((l) => l && !denied(l) && files.add(l)) });
  } catch (err) {
    if (err instanceof RipgrepMissingError) return fail(err.message);
    if (ctx.signal.aborted) return fail('Interrupted.');
    throw err;
  }
  if (res.code === 2 && !res.stdout && !files?.size) {
    const why = res.stderr.trim().replace(/\s*\n\s*/g, ' ');
    return fail(`Grep failed: ${why || 'ripgrep error'}${input.type ? ' (see `rg --type-list` for valid types)' : ''}`);
  }

  // The output lines in order, made on demand: only the shown ones are built.
  let all: number;
  let lines: Iterator<string>;
  let countTotal = 0;
  if (files) {
    all = files.size;
    // No more lines than could fit in the output limit (+1, the first one that does not).
    const wanted = Math.min(input.head_limit ?? all, Math.floor(GREP_MAX_OUTPUT_CHARS / (files.shortest + 1)) + 1);
    lines = files.newest(wanted).values();
  } else {
    const grouped = groupByFile(res.stdout);
    const blocks = ctx.readDenied ? grouped.blocks.filter((b) => !denied(b.path)) : grouped.blocks;
    const { fileSeparators } = grouped;
    all = blocks.reduce((n, b) => n + b.lines, fileSeparators && blocks.length ? blocks.length - 1 : 0);
    const numbers = input['-n'] ?? true;
    if (mode === 'count') for (const [, n] of blockLines(res.stdout, blocks, false)) countTotal += Number(n) || 0;
    lines = (function* () {
      for (const [path, rest] of blockLines(res.stdout, blocks, fileSeparators)) yield mode === 'count' ? `${path}:${rest}` : contentLine(path, rest, numbers);
    })();
  }
  if (all === 0) return { ...ok(`No matches for ${input.pattern} in ${target}.`, 'No matches'), data: grepData(mode, ctx.cwd, [], 0, 0) };

  // The first head_limit lines that fit in the output limit, whole lines only.
  const limited = Math.min(input.head_limit ?? all, all);
  const kept: string[] = [];
  let chars = 0;
  for (let next = lines.next(); !next.done && kept.length < limited; next = lines.next()) {
    chars += next.value.length + 1;
    if (chars > GREP_MAX_OUTPUT_CHARS) break;
    kept.push(next.value);
  }
  const dropped = limited - kept.length;
  const notes: string[] = [];
  if (res.truncated) notes.push('ripgrep output was too large and was stopped early');
  if (kept.length < all) notes.push(`showing ${kept.length} of ${all} lines${dropped ? ' (output limit)' : ''}; narrow the search or use head_limit`);

  let summary: string;
  if (mode === 'files_with_matches') summary = `Found ${plural(all, 'file')}`;
  else if (mode === 'count') {
    summary = `${plural(countTotal, 'match')} in ${plural(all, 'file')}`;
    if (kept.length === all) notes.push(`total ${countTotal}`);
  } else summary = `Found ${plural(all, 'line')}`;
  const body = kept.join('\n') + (notes.length ? `\n(${notes.join('; ')})` : '');
  return { ...ok(body, summary), data: grepData(mode, ctx.cwd, kept, all, countTotal) };
}

/** Grep's `tool_use_result`: the matching files, or the lines (content, count modes) as the model got them. */
function grepData(mode: string, cwd: string, kept: string[], all: number, matches: number): Record<string, unknown> {
  if (mode === 'files_with_matches') return { mode, filenames: kept.map((f) => shownPath(cwd, f)), numFiles: all };
  if (mode === 'count') return { mode, numFiles: all, filenames: [], content: kept.join('\n'), numMatches: matches };
  return { mode, numFiles: 0, filenames: [], content: kept.join('\n'), numLines: kept.length };
}
