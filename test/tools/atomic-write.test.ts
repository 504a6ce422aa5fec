import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, promises as fsPromises, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { atomicWriteFile } from '../../src/util/atomic-write.js';
import { tempDir } from './helpers.js';

describe('atomicWriteFile', () => {
  it('creates a file and leaves no temp files', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    await atomicWriteFile(f, 'hello');
    expect(readFileSync(f, 'utf8')).toBe('hello');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('keeps the mode of the file it replaces', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'run.sh');
    writeFileSync(f, '#!/bin/sh\n');
    chmodSync(f, 0o751);
    await atomicWriteFile(f, '#!/bin/sh\necho hi\n');
    expect(statSync(f).mode & 0o7777).toBe(0o751);
    expect(readFileSync(f, 'utf8')).toContain('echo hi');
    expect(readdirSync(dir)).toEqual(['run.sh']);
  });

  it('writes through a symlink, keeping the link', async () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.txt');
    const link = path.join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await atomicWriteFile(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('fails cleanly, leaving nothing behind, when the directory is missing', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'missing-dir', 'x.txt');
    await expect(atomicWriteFile(f, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('temp files of killed writers', () => {
  it('the next write of the same file removes the temp files of writers no longer running, and only those', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, 'old');
    const child = spawnSync(process.execPath, ['-e', '0']);
    const dead = child.pid!;
    const leftovers = {
      deadWriter: `.a.txt.${dead}-0123abcd.tmp`,
      liveWriter: `.a.txt.${process.ppid}-0123abcd.tmp`,
      thisProcess: `.a.txt.${process.pid}-4567cdef.tmp`,
      otherFile: `.b.txt.${dead}-0123abcd.tmp`,
      notOurs: `.a.txt.${dead}-backup.tmp`,
    };
    for (const name of Object.values(leftovers)) writeFileSync(path.join(dir, name), 'partial');
    await atomicWriteFile(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', leftovers.notOurs, leftovers.liveWriter, leftovers.thisProcess, leftovers.otherFile].sort());
  });
});

describe('durability and failures', () => {
  it('syncs the new content before the rename and the directory after it (a power cut keeps old or new)', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, 'old');
    const events: string[] = [];
    const realOpen = fsPromises.open.bind(fsPromises);
    const realRename = fsPromises.rename.bind(fsPromises);
    const open = vi.spyOn(fsPromises, 'open').mockImplementation(async (p, flags, mode) => {
      const h = await realOpen(p, flags, mode);
      const name = p === dir ? 'dir' : path.basename(String(p)).startsWith('.a.txt.') ? 'tmp' : String(p);
      events.push(`open ${name}`);
      const sync = h.sync.bind(h);
      h.sync = async () => {
        events.push(`sync ${name}`);
        return sync();
      };
      return h;
    });
    const rename = vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      events.push('rename');
      return realRename(from, to);
    });
    try {
      await atomicWriteFile(f, 'new');
    } finally {
      open.mockRestore();
      rename.mockRestore();
    }
    expect(events).toEqual(['open tmp', 'sync tmp', 'rename', 'open dir', 'sync dir']);
    expect(readFileSync(f, 'utf8')).toBe('new');
  });

  it('removes its temp file when the rename fails (the target is a directory)', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'sub');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    await expect(atomicWriteFile(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['sub']);
  });

  it('refuses a symlink loop instead of replacing the link with a file', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a');
    symlinkSync(path.join(dir, 'b'), a);
    symlinkSync(a, path.join(dir, 'b'));
    await expect(atomicWriteFile(a, 'x')).rejects.toThrow(/ELOOP/);
    expect(lstatSync(a).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('leaves names that only look like its temp files, and those of a live writer of another user', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const lookalikes = [`.a.txt.x${dead}-0123abcd.tmp`, `.a.txt.${dead}-0123abcd.tmp.bak`, `.a.txt.${dead}-0123abcde.tmp`, `.a.txt.1-0123abcd.tmp`];
    for (const name of lookalikes) writeFileSync(path.join(dir, name), 'partial');
    await atomicWriteFile(f, 'new');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', ...lookalikes].sort());
  });
});
