import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyEdit, type EditSpec } from './edit-apply.js';
import { errnoCode, missingPathMessage, resolvePath } from './paths.js';
import { staleReadMessage } from './read-guard.js';
import { patchHunks } from './structured-patch.js';
import { fail, ok, plural } from './result.js';
import { NotTextError, readTextFile, writeTextFile } from './text-file.js';
import type { TextEncoding } from './text-encoding.js';
import type { ToolContext, ToolResult } from './types.js';

/**
 * Applies edits in order to one file, all or nothing: every edit is checked in memory first and
 * the file is replaced atomically only when all of them apply. Shared by Edit and MultiEdit.
 */
export async function editFile(ctx: ToolContext, filePath: string, edits: EditSpec[]): Promise<ToolResult> {
  const abs = resolvePath(ctx, filePath);
  let text = '';
  let encoding: TextEncoding = { name: 'utf8', bom: new Uint8Array(0) };
  let eol: '\n' | '\r\n' = '\n';
  let creating = false;
  try {
    const st = await fs.stat(abs);
    if (st.isDirectory()) return fail(`${abs} is a directory; give a file path.`);
    const stale = staleReadMessage(ctx, abs, st.mtimeMs);
    if (stale) return fail(stale);
    const file = await readTextFile(abs);
    ({ text, encoding, eol } = file);
  } catch (err) {
    if (err instanceof NotTextError) return fail(err.message);
    if (errnoCode(err) !== 'ENOENT') throw err;
    if (edits[0]?.old_string !== '') {
      return fail(`${await missingPathMessage(abs)} To create a file use Write (or Edit with an empty old_string).`);
    }
    creating = true;
  }

  const label = path.basename(abs);
  const original = text;
  let total = 0;
  const lines: number[] = [];
  for (const [i, edit] of edits.entries()) {
    const outcome = applyEdit(text, edit, eol, label);
    if (!outcome.ok) {
      const which = edits.length > 1 ? `Edit ${i + 1} of ${edits.length}: ` : '';
      const nothing = edits.length > 1 ? ' No edits were applied.' : '';
      return fail(`${which}${outcome.message}${nothing}`);
    }
    text = outcome.text;
    total += outcome.count;
    lines.push(outcome.line);
  }

  try {
    if (creating) await fs.mkdir(path.dirname(abs), { recursive: true });
    const mtime = await writeTextFile(abs, text, encoding);
    ctx.readFiles.set(abs, mtime);
  } catch (err) {
    if (err instanceof NotTextError) return fail(err.message);
    if (errnoCode(err) === 'EACCES' || errnoCode(err) === 'EPERM') return fail(`Permission denied writing ${abs}.`);
    throw err;
  }
  const where = lines.length === 1 ? ` at line ${lines[0]}` : '';
  const summary = creating ? `Created ${abs}.` : `Edited ${abs}: ${plural(total, 'replacement')}${where}.`;
  const data = { filePath: abs, originalFile: creating ? null : original, structuredPatch: patchHunks(original, text), userModified: false };
  return { ...ok(summary, creating ? `Created ${label}` : `Edited ${label} (${plural(total, 'replacement')})`), data };
}
