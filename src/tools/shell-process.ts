import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, promises as fs } from 'node:fs';
import path from 'node:path';

/** Grace between SIGTERM and SIGKILL when stopping a command's process group. */
export const KILL_GRACE_MS = 1500;

export interface ShellRun {
  child: ChildProcess;
  /** Everything the command printed, stdout and stderr interleaved as they happened. */
  outFile: string;
  /** Where the shell writes its final directory on exit (a side channel kept out of the output). */
  pwdFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function quoteForShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ShellOptions {
  cwd: string;
  env: Record<string, string>;
  scratchDir: string;
  /** A sandbox's command line that `bash -c …` is appended to (see src/sandbox). */
  wrap?: string[];
  /** Shell text run before the command (function definitions of the read-only grant). */
  prelude?: string;
  /** A file handed to the sandbox as descriptor 4 (its seccomp filter). */
  fd4File?: string;
}

/**
 * Starts `bash -c` in its own process group (detached = new session), so one signal to the group
 * stops the command and everything it started. stdin is /dev/null, so nothing can wait for input;
 * stdout and stderr go to the same file, which keeps their order and never holds output in memory.
 */
export async function startShell(command: string, options: ShellOptions): Promise<ShellRun> {
  await fs.mkdir(options.scratchDir, { recursive: true });
  const stamp = `${Date.now()}-${randomBytes(3).toString('hex')}`;
  const outFile = path.join(options.scratchDir, `bash-${stamp}.log`);
  const pwdFile = path.join(options.scratchDir, `.bash-${stamp}.pwd`);
  // The final directory goes out on descriptor 3, which works the same inside a sandbox that
  // cannot write to the scratch directory.
  const script = `${options.prelude ? `${options.prelude}\n` : ''}trap 'pwd >&3 2>/dev/null' EXIT\n${command}`;
  const fd = openSync(outFile, 'a', 0o600);
  const pwdFd = openSync(pwdFile, 'w', 0o600);
  const fd4 = options.fd4File ? openSync(options.fd4File, 'r') : undefined;
  const [file, ...args] = options.wrap ? [...options.wrap, 'bash', '-c', script] : ['bash', '-c', script];
  let child: ChildProcess;
  try {
    child = spawn(file!, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', fd, fd, pwdFd, ...(fd4 === undefined ? [] : [fd4])] });
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(fd);
    closeSync(pwdFd);
    if (fd4 !== undefined) closeSync(fd4);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  return { child, outFile, pwdFile, exited };
}

/** Signals a whole process group; quiet when it is already gone. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group has already exited */
  }
}

/** SIGTERM the group, then SIGKILL whatever is left after a grace period. */
export async function stopGroup(run: Pick<ShellRun, 'child' | 'exited'>, graceMs = KILL_GRACE_MS): Promise<void> {
  const pid = run.child.pid;
  signalGroup(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      resolve();
    }, graceMs);
    // Never keep bcode alive just to finish a kill.
    timer.unref();
  });
  await Promise.race([run.exited, forced]);
  clearTimeout(timer);
  // Children that ignored SIGTERM may outlive the shell itself; they share its group.
  if (groupAlive(pid)) {
    await new Promise((r) => setTimeout(r, Math.min(graceMs, 200)));
    signalGroup(pid, 'SIGKILL');
  }
  await run.exited;
}

export function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads output for the model: whole when short, else the head and the tail around a note. */
export async function readCapped(file: string, from: number, maxChars: number): Promise<{ text: string; bytes: number; truncated: boolean }> {
  const size = (await fs.stat(file)).size;
  const bytes = Math.max(0, size - from);
  if (bytes === 0) return { text: '', bytes: 0, truncated: false };
  const h = await fs.open(file, 'r');
  try {
    const read = async (pos: number, len: number) => {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await h.read(buf, 0, len, pos);
      return buf.subarray(0, bytesRead).toString('utf8');
    };
    if (bytes <= maxChars) {
      const text = await read(from, bytes);
      if (text.length <= maxChars) return { text, bytes, truncated: false };
    }
    const half = Math.floor(maxChars / 2);
    const head = await read(from, half);
    const tail = await read(size - half, half);
    const omitted = bytes - 2 * half;
    return { text: `${head}\n\n[… ${omitted} bytes omitted …]\n\n${tail}`, bytes, truncated: true };
  } finally {
    await h.close();
  }
}

// Process groups that may outlive a tool call (background shells, `server &` in a foreground
// command) live in their own sessions; without this they would outlive bcode itself.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const g of liveGroups) signalGroup(g, 'SIGKILL');
  });
}

export function untrackGroup(pid: number | undefined): void {
  if (pid !== undefined) liveGroups.delete(pid);
}
