/**
 * A session's scratch dir (full Bash outputs, the sandbox's files, cut MCP results). It goes at
 * close, and every one this process made goes again at its exit: a second Ctrl-C exits without
 * the close, and a writer that outlived the close (a tool, a server start) may have re-made it.
 * One exit listener for the process, however many sessions it runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
}

export function makeScratchDir(prefix: string): string {
  const dir = mkdtempSync(prefix);
  if (made.size === 0) process.on('exit', removeAll);
  made.add(dir);
  return dir;
}

/** Removes it now; it stays on the list for the exit (see above). */
export async function removeScratchDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

export function removeScratchDirSync(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
