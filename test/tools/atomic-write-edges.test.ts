/**
 * atomicWriteFile's edges (R4) that the main tests do not reach: the temp file is created with
 * the final permission bits (a 0600 secret is never readable by others, not even for a moment),
 * bits the umask would strip are restored, no file descriptor is leaked, a missing directory is
 * reported as such, a leftover removed by a concurrent writer between listing and removal is no error,
 * and a temp file whose writer belongs to another user (EPERM) is left alone.
 */
import { chmodSync, closeSync, openSync, promises as fsPromises, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { atomicWriteFile } from '../../src/util/atomic-write.js';
import { tempDir } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('atomicWriteFile: permissions', () => {
  it('the temp file is opened with the final mode: a new 0600 file is never created readable by others first', async () => {
    const dir = tempDir();
    const open = vi.spyOn(fsPromises, 'open');
    await atomicWriteFile(path.join(dir, 'secret.json'), '{"k":1}', { mode: 0o600 });
    const tmpOpen = open.mock.calls.find(([p]) => String(p).endsWith('.tmp'));
    expect(tmpOpen?.[1]).toBe('wx');
    expect(tmpOpen?.[2]).toBe(0o600);
    expect(statSync(path.join(dir, 'secret.json')).mode & 0o777).toBe(0o600);
  });

  it('a replaced file is opened with its own mode, and a new one without a mode with 0666 (less the umask)', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'private.txt');
    writeFileSync(f, 'old');
    chmodSync(f, 0o640);
    const open = vi.spyOn(fsPromises, 'open');
    await atomicWriteFile(f, 'new');
    await atomicWriteFile(path.join(dir, 'fresh.txt'), 'x');
    const modes = open.mock.calls.filter(([p]) => String(p).endsWith('.tmp')).map((c) => c[2]);
    expect(modes).toEqual([0o640, 0o666]);
  });

  // process.umask(mask) cannot be called in a worker thread (Stryker's runner uses them), so the
  // process's umask is found by creating a file, and the test needs one that strips something.
  const umaskStrips = (() => {
    const probe = path.join(tempDir(), 'probe');
    closeSync(openSync(probe, 'wx', 0o666));
    return 0o666 & ~(statSync(probe).mode & 0o777);
  })();
  it.skipIf(umaskStrips === 0)('restores permission bits of the replaced file that the umask would strip (skipped when the umask is 0)', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'shared.txt');
    writeFileSync(f, 'old');
    chmodSync(f, 0o666);
    await atomicWriteFile(f, 'new');
    expect(statSync(f).mode & 0o7777).toBe(0o666);
    expect(readFileSync(f, 'utf8')).toBe('new');
  });
});

describe('atomicWriteFile: resources and errors', () => {
  it.skipIf(!existsSync('/proc/self/fd'))('leaves no file descriptor open, after success or failure', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    await atomicWriteFile(f, 'warm-up');
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) await atomicWriteFile(f, `v${i}`);
    // The rename fails (the target is a non-empty directory): the temp file's handle is closed too.
    const sub = path.join(dir, 'sub');
    writeFileSync(path.join(dir, 'x'), '');
    await fsPromises.mkdir(path.join(sub, 'inside'), { recursive: true });
    for (let i = 0; i < 5; i++) await expect(atomicWriteFile(sub, 'x')).rejects.toThrow();
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  it('a missing directory is reported as ENOENT, naming the path', async () => {
    const dir = tempDir();
    const err = await atomicWriteFile(path.join(dir, 'nope', 'x.txt'), 'x').then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).toBe('ENOENT');
    expect(err?.message).toContain(path.join(dir, 'nope'));
  });

  it('a leftover another writer removed between the listing and the removal is no error', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, 'old');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(path.join(dir, `.a.txt.${dead}-00000001.tmp`), 'partial');
    // The listing still names a leftover that a concurrent writer has just removed.
    const realReaddir = fsPromises.readdir.bind(fsPromises);
    vi.spyOn(fsPromises, 'readdir').mockImplementation((async (p: string) => [`.a.txt.${dead}-00000000.tmp`, ...(await realReaddir(p))]) as unknown as typeof fsPromises.readdir);
    await atomicWriteFile(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
});

describe('atomicWriteFile: temp files of other writers', () => {
  it('a writer process bcode may not signal (EPERM: another user) counts as alive; one that is gone (ESRCH) does not', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, 'old');
    const [otherUser, gone] = [4_000_001, 4_000_002];
    const realKill = process.kill.bind(process);
    vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
      if (pid === otherUser) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      if (pid === gone) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      return realKill(pid, signal);
    });
    writeFileSync(path.join(dir, `.a.txt.${otherUser}-0123abcd.tmp`), 'partial');
    writeFileSync(path.join(dir, `.a.txt.${gone}-0123abcd.tmp`), 'partial');
    await atomicWriteFile(f, 'new');
    expect(readdirSync(dir).sort()).toEqual([`.a.txt.${otherUser}-0123abcd.tmp`, 'a.txt']);
  });
});
