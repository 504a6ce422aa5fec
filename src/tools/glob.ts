import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NewestFirst } from './mtime-sort.js';
import { errnoCode, resolvePath } from './paths.js';
import { fail, ok, plural } from './result.js';
import { shownPath } from './shown-path.js';
import { COMMON_RG_FLAGS, RipgrepMissingError, runRipgrep } from './ripgrep.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const GLOB_MAX_RESULTS = 100;

const inputSchema = z.object({
  pattern: z.string().min(1).describe('e.g. "src/**/*.ts"'),
  path: z.string().optional().describe('Directory to search (default: working directory)'),
});
type Input = z.infer<typeof inputSchema>;

export const globTool: Tool<Input> = {
  name: 'Glob',
  description: `Find files by glob pattern, newest first (at most ${GLOB_MAX_RESULTS}). Skips .gitignored files. Returns absolute paths.`,
  inputSchema,
  isReadOnly: () => true,
  run: runGlob,
};

async function runGlob(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const started = Date.now();
  const root = resolvePath(ctx, input.path ?? ctx.cwd);
  try {
    if (!(await fs.stat(root)).isDirectory()) return fail(`path must be a directory; ${root} is a file.`);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return fail(`Directory does not exist: ${root}`);
    throw err;
  }
  // ripgrep matches globs against paths relative to the search root.
  const pattern = path.isAbsolute(input.pattern) ? path.relative(root, input.pattern) : input.pattern.replace(/^\.\//, '');
  // Each path is stat'ed for its mtime as ripgrep prints it ("./x", relative to the root).
  const files = new NewestFirst();
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const dotSep = `.${path.sep}`;
  const onLine = (line: string) => {
    if (!line) return;
    const file = line.startsWith(dotSep) ? prefix + line.slice(2) : path.join(root, line);
    // A Read deny rule covers the name too: a denied file is not listed.
    if (!ctx.readDenied?.(file)) files.add(file);
  };
  let res;
  try {
    res = await runRipgrep(['--files', ...COMMON_RG_FLAGS, '--glob', pattern, '--', '.'], { cwd: root, signal: ctx.signal, env: ctx.childEnv, onLine });
  } catch (err) {
    if (err instanceof RipgrepMissingError) return fail(err.message);
    if (ctx.signal.aborted) return fail('Interrupted.');
    throw err;
  }
  if (res.code === 2 && files.size === 0) return fail(`Glob failed: ${res.stderr.trim().split('\n')[0] || 'ripgrep error'}`);
  const data = (names: string[]) => ({ filenames: names.map((f) => shownPath(ctx.cwd, f)), durationMs: Date.now() - started, numFiles: files.size, truncated: names.length < files.size });
  if (files.size === 0) return { ...ok(`No files match ${input.pattern} in ${root}.`, 'No matches'), data: data([]) };
  const shown = files.newest(GLOB_MAX_RESULTS);
  const note = files.size > shown.length ? `\n(${files.size} files match; showing the newest ${shown.length}. Narrow the pattern or path.)` : '';
  return { ...ok(shown.join('\n') + note, `Found ${plural(files.size, 'file')}`), data: data(shown) };
}
