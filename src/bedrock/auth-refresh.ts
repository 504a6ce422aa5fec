/**
 * `awsAuthRefresh` (B5): a shell command that refreshes files under ~/.aws, typically
 * `aws sso login --profile p`. It may print a URL or a device code, so its output is shown as
 * it comes (line by line, through the redaction layer); it gets no input (stdin closed) and
 * the full environment (it needs AWS_PROFILE and friends).
 */
import { AuthRefreshError, quoteCommand } from './credential-errors.js';
import { formatDuration } from './credential-export.js';
import { describeExit, runShellCommand } from './shell-command.js';
import { redact } from '../util/redact.js';

export const DEFAULT_AUTH_REFRESH_TIMEOUT_MS = 5 * 60_000;
export const AUTH_REFRESH_TIMEOUT_SETTING = 'awsAuthRefreshTimeoutMs';

export interface AuthRefreshOptions {
  command: string;
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** One call per output line, as lines complete. */
  onNotice?: (text: string) => void;
  /** Kills the command when aborted. */
  signal?: AbortSignal;
}

export async function runAuthRefresh(options: AuthRefreshOptions): Promise<void> {
  const name = `awsAuthRefresh ${quoteCommand(options.command)}`;
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const emit = (line: string): void => {
    const clean = line.replace(/\r$/, '');
    if (clean.trim()) options.onNotice?.(redact(clean));
  };
  const result = await runShellCommand({
    command: options.command,
    env: options.env,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onOutput: (chunk, stream) => {
      const lines = (pending[stream] + chunk).split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
  });
  emit(pending.stdout);
  emit(pending.stderr);
  if (result.timedOut) {
    throw new AuthRefreshError(`${name} timed out after ${formatDuration(options.timeoutMs)}`, {
      hint: `finish signing in sooner, or raise "${AUTH_REFRESH_TIMEOUT_SETTING}" in settings`,
    });
  }
  if (result.spawnError || result.code !== 0) {
    throw new AuthRefreshError(`${name} failed: it ${describeExit(result)}`, {
      hint: 'its output is shown above; run it in a terminal to sign in, then try again',
    });
  }
}
