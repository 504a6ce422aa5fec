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
