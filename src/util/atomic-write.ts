import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Replaces a file so that a crash or kill at any moment leaves either the old content or the new,
 * never a torn mix (R4): write a temp file beside the target, fsync it, rename it over the target,
 * then fsync the directory so the rename itself survives a power cut.
 *
 * An existing file keeps its permission bits; a symlink keeps pointing where it did (the file it
 * points to is the one replaced).
 *
 * A process killed between the temp file's creation and the rename (SIGKILL, a crash) leaves its
 * temp file behind — nothing can remove it then. The next write to the same file removes the temp
 * files of writers that are no longer running, so at most one killed write's leftover exists.
 */
export async function atomicWriteFile(file: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const target = await resolveSymlink(path.resolve(file));
  const dir = path.dirname(target);
  let mode = options.mode;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await removeStaleTemps(dir, path.basename(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', mode ?? 0o666);
  try {
    try {
      await handle.writeFile(data);
      // open() applies the umask; an existing file's exact bits are restored here.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Temp files `.<name>.<pid>-<8 hex>.tmp` of writers whose process is gone. */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return; // the open below reports a missing directory
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]{8}\.tmp$/.exec(entry.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    await fs.rm(path.join(dir, entry), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user holds that id — alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function resolveSymlink(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Best effort: some filesystems refuse fsync on a directory handle; the rename already happened.
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* ignored on purpose */
  }
}
