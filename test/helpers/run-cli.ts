import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  /** Replace the environment entirely instead of extending a minimal one. */
  cleanEnv?: boolean;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** A command the CLI runs under, e.g. `setpriv --reuid=… --` (test/helpers/privileges.ts). */
  prefix?: string[];
  /** Called once the child is running (e.g. to send it a signal later). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/**
 * Runs the built CLI as a user would. The environment starts minimal (PATH, HOME, TMPDIR given) so
 * that nothing from the developer's shell — AWS keys above all — leaks into a test.
 */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  // TMPDIR: the run's own temp dir (test/global-setup.ts), so a scratch dir the CLI leaves is seen.
  const base: Record<string, string | undefined> = options.cleanEnv ? {} : { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', TMPDIR: process.env.TMPDIR };
  const env = Object.fromEntries(Object.entries({ ...base, ...options.env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const [command, ...pre] = [...(options.prefix ?? []), process.execPath];
    const child = spawn(command, [...pre, CLI_PATH, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
