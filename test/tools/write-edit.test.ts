import { chmodSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editTool } from '../../src/tools/edit.js';
import { multiEditTool } from '../../src/tools/multi-edit.js';
import { readTool } from '../../src/tools/read.js';
import { writeTool } from '../../src/tools/write.js';
import type { ToolContext } from '../../src/tools/types.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

async function readFirst(ctx: ToolContext, f: string) {
  const r = await call(readTool, { file_path: f }, ctx);
  expect(r.isError).toBeUndefined();
}

describe('Write', () => {
  it('creates a new file and its parent directories', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a', 'b', 'new.txt');
    const ctx = makeCtx(dir);
    const r = await call(writeTool, { file_path: f, content: 'x\ny\n' }, ctx);
    expect(text(r)).toBe(`Created ${f} (2 lines).`);
    expect(readFileSync(f, 'utf8')).toBe('x\ny\n');
    // A file bcode wrote counts as seen: it may be edited next without a Read.
    expect(ctx.readFiles.has(f)).toBe(true);
  });

  it('refuses to overwrite a file that was not read', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'keep.txt');
    writeFileSync(f, 'precious');
    const r = await call(writeTool, { file_path: f, content: 'oops' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('has not been read in this session');
    expect(readFileSync(f, 'utf8')).toBe('precious');
  });

  it('refuses when the file changed on disk after it was read', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'k.txt');
    writeFileSync(f, 'v1');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    writeFileSync(f, 'v2 by someone else');
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    const r = await call(writeTool, { file_path: f, content: 'v3' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('changed on disk');
    expect(readFileSync(f, 'utf8')).toBe('v2 by someone else');
  });

  it('overwrites a read file atomically, keeping mode, CRLF and leaving no temp files', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'run.cmd');
    writeFileSync(f, 'a\r\nb\r\n');
    chmodSync(f, 0o740);
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(writeTool, { file_path: f, content: 'c\nd\n' }, ctx);
    expect(text(r)).toBe(`Updated ${f} (2 lines).`);
    expect(readFileSync(f, 'utf8')).toBe('c\r\nd\r\n');
    expect(statSync(f).mode & 0o777).toBe(0o740);
    expect(readdirSync(dir)).toEqual(['run.cmd']);
  });

  it('does not replace a binary file', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'img.bin');
    writeFileSync(f, Buffer.from([0, 1, 2, 3]));
    const r = await call(writeTool, { file_path: f, content: 'text' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('existing binary file');
    expect(readFileSync(f)).toEqual(Buffer.from([0, 1, 2, 3]));
  });

  it('refuses a directory path', async () => {
    const dir = tempDir();
    const r = await call(writeTool, { file_path: dir, content: 'x' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('is a directory');
  });
});

describe('Edit', () => {
  it('requires a prior Read', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.ts');
    writeFileSync(f, 'const a = 1;\n');
    const r = await call(editTool, { file_path: f, old_string: 'a = 1', new_string: 'a = 2' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Read it first');
  });

  it('replaces a unique string, keeping mode and leaving no temp files', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.sh');
    writeFileSync(f, '#!/bin/sh\necho one\necho two\n');
    chmodSync(f, 0o755);
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'echo two', new_string: 'echo 2' }, ctx);
    expect(r.isError).toBeUndefined();
    expect(text(r)).toBe(`Edited ${f}: 1 replacement at line 3.`);
    expect(readFileSync(f, 'utf8')).toBe('#!/bin/sh\necho one\necho 2\n');
    expect(statSync(f).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(['a.sh']);
    // A second edit right after works: the tool's own write refreshed the recorded mtime.
    const again = await call(editTool, { file_path: f, old_string: 'echo one', new_string: 'echo 1' }, ctx);
    expect(again.isError).toBeUndefined();
  });

  it('says how often a non-unique string occurs, and replace_all changes all', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'x.py');
    writeFileSync(f, 'x = 1\nx = 1\nx = 1\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'x = 1', new_string: 'x = 2' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('occurs 3 times');
    expect(text(r)).toContain('replace_all');
    const all = await call(editTool, { file_path: f, old_string: 'x = 1', new_string: 'x = 2', replace_all: true }, ctx);
    expect(text(all)).toContain('3 replacements');
    expect(readFileSync(f, 'utf8')).toBe('x = 2\nx = 2\nx = 2\n');
  });

  it('finds what was meant when indentation differs', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'f.js');
    writeFileSync(f, 'function f() {\n    return 1;\n}\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'function f() {\n  return 1;\n}', new_string: 'x' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('not found');
    expect(text(r)).toContain('Lines 1-3 match apart from whitespace/indentation');
    expect(text(r)).toContain('    return 1;');
  });

  it('reports a missing old_string plainly', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'f.txt');
    writeFileSync(f, 'alpha\nbeta\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'gamma', new_string: 'delta' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^old_string was not found in f\.txt\./);
  });

  it('points at the line where a partly matching old_string starts', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'f.txt');
    writeFileSync(f, 'a\nstart here\nmiddle\nend\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'start here\nMIDDLE', new_string: 'x' }, ctx);
    expect(text(r)).toContain('Its first line appears at line 2');
  });

  it('refuses identical old and new strings', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'f.txt');
    writeFileSync(f, 'a\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'a', new_string: 'a' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('identical');
  });

  it('matches LF text against a CRLF file and keeps it CRLF', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'win.txt');
    writeFileSync(f, 'one\r\ntwo\r\nthree\r\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(editTool, { file_path: f, old_string: 'one\ntwo', new_string: 'uno\ndos\nextra' }, ctx);
    expect(r.isError).toBeUndefined();
    expect(readFileSync(f, 'utf8')).toBe('uno\r\ndos\r\nextra\r\nthree\r\n');
  });

  it('keeps a UTF-8 BOM and a Latin-1 encoding', async () => {
    const dir = tempDir();
    const bom = path.join(dir, 'bom.txt');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo\n')]));
    const lat = path.join(dir, 'lat.txt');
    writeFileSync(lat, Buffer.from('caf\xe9 noir\n', 'latin1'));
    const ctx = makeCtx(dir);
    await readFirst(ctx, bom);
    await readFirst(ctx, lat);
    await call(editTool, { file_path: bom, old_string: 'héllo', new_string: 'hällo' }, ctx);
    expect(readFileSync(bom)).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hällo\n')]));
    await call(editTool, { file_path: lat, old_string: 'noir', new_string: 'crème' }, ctx);
    expect(readFileSync(lat)).toEqual(Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
    const r = await call(editTool, { file_path: lat, old_string: 'crème', new_string: 'crème ☕' }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Latin-1');
  });

  it('creates a missing file only with an empty old_string', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'new.txt');
    const ctx = makeCtx(dir);
    const missing = await call(editTool, { file_path: f, old_string: 'x', new_string: 'y' }, ctx);
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('does not exist');
    const created = await call(editTool, { file_path: f, old_string: '', new_string: 'hello\n' }, ctx);
    expect(created.isError).toBeUndefined();
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
  });
});

describe('MultiEdit', () => {
  it('applies edits in order, each on the result of the last', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'm.txt');
    writeFileSync(f, 'a b c\n');
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(multiEditTool, { file_path: f, edits: [{ old_string: 'a', new_string: 'x' }, { old_string: 'x b', new_string: 'y' }] }, ctx);
    expect(r.isError).toBeUndefined();
    expect(readFileSync(f, 'utf8')).toBe('y c\n');
  });

  it('applies nothing when one edit fails', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'm.txt');
    writeFileSync(f, 'a b c\n');
    const before = statSync(f).mtimeMs;
    const ctx = makeCtx(dir);
    await readFirst(ctx, f);
    const r = await call(multiEditTool, { file_path: f, edits: [{ old_string: 'a', new_string: 'x' }, { old_string: 'zzz', new_string: 'y' }] }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Edit 2 of 2: old_string was not found/);
    expect(text(r)).toContain('No edits were applied');
    expect(readFileSync(f, 'utf8')).toBe('a b c\n');
    expect(statSync(f).mtimeMs).toBe(before);
  });
});
