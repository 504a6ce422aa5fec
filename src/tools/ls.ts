import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makeIgnoreMatcher } from './glob-match.js';
import { errnoCode, missingPathMessage, resolvePath } from './paths.js';
import { fail, ok, plural } from './result.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const LS_MAX_ENTRIES = 1000;
/** Shown but not entered: their contents are almost never what the model is looking for. */
const NOT_ENTERED = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache', '.next', '.cache']);

const inputSchema = z.object({
  path: z.string().min(1).describe('Absolute directory path'),
  ignore: z.array(z.string()).optional().describe('Globs to skip'),
});
type Input = z.infer<typeof inputSchema>;

export const lsTool: Tool<Input> = {
  name: 'LS',
  description: `List a directory as a tree (at most ${LS_MAX_ENTRIES} entries). Does not descend into .git, node_modules, virtualenvs or caches. Prefer Glob/Grep when you know what you are looking for.`,
  inputSchema,
  isReadOnly: () => true,
  run: runLs,
};

async function runLs(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const root = resolvePath(ctx, input.path);
  try {
    const st = await fs.stat(root);
    if (!st.isDirectory()) return fail(`${root} is a file, not a directory; use Read to see it.`);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return fail(await missingPathMessage(root, 'Directory'));
    throw err;
  }
  const ignored = makeIgnoreMatcher(input.ignore ?? []);
  const lines: string[] = [`${root}/`];
  let count = 0;
  let truncated = false;

  // Breadth would scatter a directory's files; depth-first keeps each subtree together.
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      lines.push(`${'  '.repeat(depth)}(unreadable)`);
      return;
    }
    entries.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (ctx.signal.aborted) return;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (ignored(relPath, e.name) || ctx.readDenied?.(path.join(dir, e.name))) continue;
      if (count >= LS_MAX_ENTRIES) {
        truncated = true;
        return;
      }
      count++;
      const indent = '  '.repeat(depth + 1);
      if (e.isDirectory()) {
        if (NOT_ENTERED.has(e.name)) {
          lines.push(`${indent}${e.name}/ (not listed)`);
          continue;
        }
        lines.push(`${indent}${e.name}/`);
        await walk(path.join(dir, e.name), relPath, depth + 1);
      } else {
        lines.push(`${indent}${e.name}${e.isSymbolicLink() ? ' @' : ''}`);
      }
    }
  };
  await walk(root, '', 0);
  if (ctx.signal.aborted) return fail('Interrupted.');
  if (count === 0) return ok(`${root}/ is empty${input.ignore?.length ? ' (after ignores)' : ''}.`, 'Empty directory');
  if (truncated) lines.push(`(Stopped at ${LS_MAX_ENTRIES} entries; list a subdirectory or use Glob.)`);
  return ok(lines.join('\n'), `Listed ${plural(count, 'entry').replace('entrys', 'entries')}`);
}
