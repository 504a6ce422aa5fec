import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { errnoCode, resolvePath } from './paths.js';
import { patchHunks } from './structured-patch.js';
import { staleReadMessage } from './read-guard.js';
import { fail, ok, plural } from './result.js';
import { detectEol, NotTextError, readTextFile, writeTextFile } from './text-file.js';
import type { TextEncoding } from './text-encoding.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

const inputSchema = z.object({
  file_path: z.string().min(1).describe('Absolute path'),
  content: z.string(),
});
type Input = z.infer<typeof inputSchema>;

export const writeTool: Tool<Input> = {
  name: 'Write',
  description: 'Create a file, or replace one you have Read in this session, with the given content. Prefer Edit for changes to existing files.',
  inputSchema,
  isReadOnly: () => false,
  run: writeFile,
};

async function writeFile(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const abs = resolvePath(ctx, input.file_path);
  let encoding: TextEncoding = { name: 'utf8', bom: new Uint8Array(0) };
  let content = input.content;
  let existed = false;
  let before: string | null = null;
  try {
    const st = await fs.stat(abs);
    if (st.isDirectory()) return fail(`${abs} is a directory; give a file path.`);
    existed = true;
    const stale = staleReadMessage(ctx, abs, st.mtimeMs);
    const old = await readTextFile(abs).catch((err: unknown) => {
      if (err instanceof NotTextError) return undefined;
      throw err;
    });
    // Read refuses binary files, so "read it first" would send the model in a circle.
    if (!old) return fail(`${abs} is an existing binary file; Write does not replace binary files. Remove it first (e.g. with Bash) if that is intended.`);
    if (stale) return fail(stale);
    encoding = old.encoding;
    before = old.text;
    // A CRLF file stays CRLF when the model writes it back with plain newlines.
    if (old.eol === '\r\n' && detectEol(content) === '\n') content = content.replace(/\r?\n/g, '\r\n');
  } catch (err) {
    if (errnoCode(err) === 'ENOTDIR') return fail(`A parent of ${abs} is a file, not a directory.`);
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    const mtime = await writeTextFile(abs, content, encoding);
    ctx.readFiles.set(abs, mtime);
  } catch (err) {
    if (err instanceof NotTextError) return fail(err.message);
    if (errnoCode(err) === 'EACCES' || errnoCode(err) === 'EPERM') return fail(`Permission denied writing ${abs}.`);
    if (errnoCode(err) === 'ENOTDIR' || errnoCode(err) === 'EEXIST') return fail(`Cannot create ${abs}: a parent path is a file, not a directory.`);
    throw err;
  }
  const lines = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  const verb = existed ? 'Updated' : 'Created';
  const data = { type: existed ? 'update' : 'create', filePath: abs, content, structuredPatch: before === null ? [] : patchHunks(before, content), originalFile: before, userModified: false };
  return { ...ok(`${verb} ${abs} (${plural(lines, 'line')}).`, `${verb} ${path.basename(abs)} (${plural(lines, 'line')})`), data };
}
