import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nowMs } from './stats.js';

export interface TimedRun {
  /** nowMs() taken just before spawn(). */
  startedAt: number;
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in MB, when asked for. */
  peakRssMb?: number;
}

export interface TimedRunOptions {
  env: Record<string, string>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** Measure peak RSS: with GNU time when present, else by polling /proc/<pid>/status VmHWM. */
  rss?: boolean;
}

const GNU_TIME = '/usr/bin/time';

/** How peak RSS is measured on this machine; printed in the notes. */
export function rssMethod(): string {
  if (existsSync(GNU_TIME)) return `${GNU_TIME} -f %M (max RSS of the child, kernel rusage)`;
  return 'VmHWM polled from /proc/<pid>/status every 5 ms until exit';
}

/** Runs a command to completion and times it from just before spawn to its exit. */
export function runTimed(command: string, args: string[], options: TimedRunOptions): Promise<TimedRun> {
  const useTime = options.rss === true && existsSync(GNU_TIME);
  let rssDir: string | undefined;
  let file = command;
  let argv = args;
  if (useTime) {
    rssDir = mkdtempSync(path.join(tmpdir(), 'bcode-bench-rss-'));
    file = GNU_TIME;
    argv = ['-f', '%M', '-o', path.join(rssDir, 'rss'), command, ...args];
  }
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let pollHwmKb = 0;
    const startedAt = nowMs();
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let poll: NodeJS.Timeout | undefined;
    if (options.rss && !useTime) {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) pollHwmKb = Math.max(pollHwmKb, Number(m[1]));
        } catch {
          // The process may be gone between two polls; the last value read stands.
        }
      }, 5);
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      reject(err);
    });
    // Exit, not close: the wall time ends when the process does, not when its pipes drain.
    let exitedAt: number | undefined;
    child.on('exit', () => (exitedAt = nowMs()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakRssMb: number | undefined;
      if (useTime && rssDir) {
        try {
          const kb = Number(readFileSync(path.join(rssDir, 'rss'), 'utf8').trim().split('\n').pop());
          if (Number.isFinite(kb)) peakRssMb = kb / 1024;
        } catch {
          // No file: the child failed to start; leave RSS unknown.
        }
        rmSync(rssDir, { recursive: true, force: true });
      } else if (options.rss && pollHwmKb > 0) {
        peakRssMb = pollHwmKb / 1024;
      }
      resolve({ startedAt, wallMs: (exitedAt ?? nowMs()) - startedAt, code, signal, stdout, stderr, peakRssMb });
    });
    child.stdin.end(options.input ?? '');
  });
}
