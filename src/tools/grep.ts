import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { sortByMtime } from './mtime-sort.js';
import { errnoCode, resolvePath } from './paths.js';
import { fail, ok, plural } from './result.js';
import { COMMON_RG_FLAGS, RipgrepMissingError, runRipgrep } from './ripgrep.js';
import { capLines } from './truncate.js';
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

export function grepArgs(input: Input, target: string): string[] {
  const mode = input.output_mode ?? 'files_with_matches';
  const args = [...COMMON_RG_FLAGS, '--color', 'never', '--max-columns', String(MAX_COLUMNS), '--max-columns-preview'];
  if (mode === 'files_with_matches') args.push('--files-with-matches');
  else if (mode === 'count') args.push('--count', '--with-filename');
  else {
    args.push('--with-filename', '--no-heading', '--sort', 'path');
    if (input['-n'] ?? true) args.push('--line-number');
    if (input['-C'] !== undefined) args.push('--context', String(input['-C']));
    if (input['-A'] !== undefined) args.push('--after-context', String(input['-A']));
    if (input['-B'] !== undefined) args.push('--before-context', String(input['-B']));
  }
  if (mode === 'count') args.push('--sort', 'path');
  if (input['-i']) args.push('--ignore-case');
  if (input.multiline) args.push('--multiline', '--multiline-dotall');
  if (input.glob) args.push('--glob', input.glob);
  if (input.type) args.push('--type', input.type);
  // -e: a pattern starting with "-" is still a pattern; "--" ends options before the path.
  args.push('-e', input.pattern, '--', target);
  return args;
}

async function runGrep(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const target = resolvePath(ctx, input.path ?? ctx.cwd);
  try {
    await fs.stat(target);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return fail(`Path does not exist: ${target}`);
    throw err;
  }
  let res;
  try {
    res = await runRipgrep(grepArgs(input, target), { cwd: ctx.cwd, signal: ctx.signal, env: ctx.childEnv });
  } catch (err) {
    if (err instanceof RipgrepMissingError) return fail(err.message);
    if (ctx.signal.aborted) return fail('Interrupted.');
    throw err;
  }
  if (res.code === 2 && !res.stdout) {
    const why = res.stderr.trim().replace(/\s*\n\s*/g, ' ');
    return fail(`Grep failed: ${why || 'ripgrep error'}${input.type ? ' (see `rg --type-list` for valid types)' : ''}`);
  }
  let lines = res.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return ok(`No matches for ${input.pattern} in ${target}.`, 'No matches');

  const mode = input.output_mode ?? 'files_with_matches';
  if (mode === 'files_with_matches') lines = await sortByMtime(lines);
  const all = lines.length;
  if (input.head_limit !== undefined) lines = lines.slice(0, input.head_limit);
  const { kept, dropped } = capLines(lines, GREP_MAX_OUTPUT_CHARS);
  const notes: string[] = [];
  if (res.truncated) notes.push('ripgrep output was too large and was stopped early');
  if (kept.length < all) notes.push(`showing ${kept.length} of ${all} lines${dropped ? ' (output limit)' : ''}; narrow the search or use head_limit`);

  let summary: string;
  if (mode === 'files_with_matches') summary = `Found ${plural(all, 'file')}`;
  else if (mode === 'count') {
    const total = lines.reduce((n, l) => n + (Number(l.slice(l.lastIndexOf(':') + 1)) || 0), 0);
    summary = `${plural(total, 'match')} in ${plural(all, 'file')}`;
    if (kept.length === all) notes.push(`total ${total}`);
  } else summary = `Found ${plural(all, 'line')}`;
  const body = kept.join('\n') + (notes.length ? `\n(${notes.join('; ')})` : '');
  return ok(body, summary);
}

