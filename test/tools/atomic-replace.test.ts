/**
 * R4: Write, Edit and MultiEdit replace a file by renaming a finished copy over it, never by
 * overwriting it in place. Observable from outside: the path gets a new inode, and whoever still
 * holds the old one — a hard link, an open descriptor (an editor, a running program) — keeps
 * seeing the old content in full, not a half-written mix.
 */
import { linkSync, openSync, closeSync, readFileSync, readSync, readdirSync, statSync, writeFileSync, fstatSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editTool } from '../../src/tools/edit.js';
import { multiEditTool } from '../../src/tools/multi-edit.js';
import { readTool } from '../../src/tools/read.js';
import { writeTool } from '../../src/tools/write.js';
import { atomicWriteFile } from '../../src/util/atomic-write.js';
import type { ToolContext } from '../../src/tools/types.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

const OLD = 'alpha\nbeta\ngamma\n'.repeat(200);
const fds: number[] = [];
afterEach(() => {
  while (fds.length) closeSync(fds.pop()!);
});

function readFd(fd: number): string {
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let at = 0;
  while (at < size) at += readSync(fd, buf, at, size - at, at);
  return buf.toString('utf8');
}

/** A file with OLD content, a hard link to it and an open descriptor on it. */
function watched(dir: string) {
  const file = path.join(dir, 'notes.txt');
  writeFileSync(file, OLD);
  const link = path.join(dir, 'hard-link-to-old');
  linkSync(file, link);
  const fd = openSync(file, 'r');
  fds.push(fd);
  return { file, link, fd, inode: statSync(file).ino };
}

function expectReplacedByRename(w: ReturnType<typeof watched>, expected: string) {
  expect(readFileSync(w.file, 'utf8')).toBe(expected);
  expect(statSync(w.file).ino, 'the path must point to a new inode (rename), not the old one rewritten').not.toBe(w.inode);
  expect(statSync(w.file).nlink).toBe(1);
  // The old inode is untouched: the link and the descriptor still see every byte of the old text.
  expect(readFileSync(w.link, 'utf8')).toBe(OLD);
  expect(statSync(w.link).ino).toBe(w.inode);
  expect(readFd(w.fd)).toBe(OLD);
  // Nothing but the file and the link: no temp file left beside them.
  expect(readdirSync(path.dirname(w.file)).sort()).toEqual(['hard-link-to-old', 'notes.txt']);
}

async function readFirst(ctx: ToolContext, f: string) {
  const r = await call(readTool, { file_path: f }, ctx);
  expect(r.isError).toBeUndefined();
}

describe('files are replaced by rename (R4)', () => {
  it('atomicWriteFile', async () => {
    const w = watched(tempDir());
    await atomicWriteFile(w.file, 'new\n');
    expectReplacedByRename(w, 'new\n');
  });

  it('Write', async () => {
    const dir = tempDir();
    const w = watched(dir);
    const ctx = makeCtx(dir);
    await readFirst(ctx, w.file);
    const r = await call(writeTool, { file_path: w.file, content: 'rewritten\n' }, ctx);
    expect(text(r)).toContain('Updated');
    expectReplacedByRename(w, 'rewritten\n');
  });

  it('Edit', async () => {
    const dir = tempDir();
    const w = watched(dir);
    const ctx = makeCtx(dir);
    await readFirst(ctx, w.file);
    const r = await call(editTool, { file_path: w.file, old_string: 'beta', new_string: 'BETA', replace_all: true }, ctx);
    expect(r.isError).toBeUndefined();
    expectReplacedByRename(w, OLD.replaceAll('beta', 'BETA'));
  });

  it('MultiEdit', async () => {
    const dir = tempDir();
    const w = watched(dir);
    const ctx = makeCtx(dir);
    await readFirst(ctx, w.file);
    const r = await call(multiEditTool, { file_path: w.file, edits: [{ old_string: 'alpha', new_string: 'ALPHA', replace_all: true }, { old_string: 'gamma', new_string: 'GAMMA', replace_all: true }] }, ctx);
    expect(r.isError).toBeUndefined();
    expectReplacedByRename(w, OLD.replaceAll('alpha', 'ALPHA').replaceAll('gamma', 'GAMMA'));
  });
});
