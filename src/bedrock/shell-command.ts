/**
 * Runs a settings-provided shell command (`awsAuthRefresh`, `awsCredentialExport`) with stdin
 * closed and a hard timeout. The command runs in its own process group so that a timeout ends
 * everything it started (`sh -c 'sleep 600'` would otherwise keep the pipes open).
 */

export interface ShellCommandOptions {
  command: string;
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** Receives output as it arrives. When absent, output is only collected (stdout) or dropped (stderr). */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Collect stdout into the result (for commands whose output is data). */
  captureStdout?: boolean;
  /** Stop collecting beyond this many bytes and report `overflow`. */
  maxStdoutBytes?: number;
  /** Ends the command (its whole process group) when aborted, like a timeout but without `timedOut`. */
  signal?: AbortSignal;
  /**
   * With captureStdout: once the command itself has exited, the output so far is the whole
   * answer when this says so — bcode stops waiting for the pipes to close, which a background
   * process the command started (and left holding stdout) would keep open until the timeout.
   */
  completeOnExit?: (stdout: string) => boolean;
}

export interface ShellCommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  overflow: boolean;
  /** Only when captureStdout. */
  stdout: string;
  /** The shell could not be started at all. */
  spawnError?: Error;
}

/** How long to wait for the pipes to close after the process group was killed. */
const KILL_GRACE_MS = 2000;

export async function runShellCommand(options: ShellCommandOptions): Promise<ShellCommandResult> {
  // Loaded on first use: most sessions never run awsAuthRefresh / awsCredentialExport.
  const { spawn } = await import('node:child_process');
  if (options.signal?.aborted) return { code: null, signal: null, timedOut: false, overflow: false, stdout: '', spawnError: new Error('cancelled before it started') };
  return new Promise((resolve) => {
    const maxBytes = options.maxStdoutBytes ?? 1024 * 1024;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let overflow = false;
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(options.command, {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    const finish = (result: Omit<ShellCommandResult, 'stdout' | 'timedOut' | 'overflow'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = options.captureStdout ? Buffer.concat(chunks).toString('utf8') : '';
      chunks.length = 0;
      resolve({ ...result, stdout, timedOut, overflow });
    };

    const killGroup = (): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone: nothing left to kill.
      }
    };

    const stop = (): void => {
      killGroup();
      // A descendant that left the group could hold the pipes open; do not wait for it forever.
      killTimer ??= setTimeout(() => finish({ code: null, signal: 'SIGKILL' }), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finishIfComplete = (): void => {
      if (!exited || !options.completeOnExit || overflow || !options.captureStdout) return;
      if (!options.completeOnExit(Buffer.concat(chunks).toString('utf8'))) return;
      const { code, signal } = exited;
      finish({ code, signal });
      // Whatever still holds the pipes is not waited for (nor killed: it is the command's own business).
      child.stdout.destroy();
      child.stderr.destroy();
    };
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      finishIfComplete();
    });

    child.stdout.on('data', (chunk: Buffer) => {
      if (options.captureStdout && !overflow) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          overflow = true;
          chunks.length = 0;
          killGroup();
        } else {
          chunks.push(chunk);
        }
      }
      options.onOutput?.(chunk.toString('utf8'), 'stdout');
      finishIfComplete();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      options.onOutput?.(chunk.toString('utf8'), 'stderr');
    });
    child.on('error', (err) => finish({ code: null, signal: null, spawnError: err }));
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/** Short description of how a command ended, e.g. `exited with code 3`. */
export function describeExit(result: ShellCommandResult): string {
  if (result.spawnError) return `could not be started (${result.spawnError.message.split('\n')[0]})`;
  if (result.signal) return `was killed by signal ${result.signal}`;
  return `exited with code ${result.code ?? 'unknown'}`;
}
