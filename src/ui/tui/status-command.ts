/**
 * The `statusLine` setting (`{"type": "command", "command": "…"}`): a command of the user's
 * that gets the session as JSON on stdin and prints the status line. Its first line replaces
 * bcode's own; it runs at most every 300 ms, only when what it is told changed, never two at a
 * time; a failing, silent or slow command (2 s) brings back the built-in line.
 */
import { spawn } from 'node:child_process';
import { redact } from '../../util/redact.js';

export const STATUS_MIN_INTERVAL_MS = 300;
const STATUS_TIMEOUT_MS = 2000;

export interface StatusCommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** What the command is told; compared as JSON to decide whether to run again. */
  input: () => Record<string, unknown>;
  /** The line to show, or undefined for the built-in one. */
  onLine: (line: string | undefined) => void;
}

export class StatusCommand {
  private last = '';
  private running = false;
  private pending = false;
  private lastRun = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: StatusCommandOptions) {}

  /** Something may have changed: run again if the input did (now, or when the interval allows). */
  poke(): void {
    if (this.closed) return;
    const json = JSON.stringify(this.o.input());
    if (json === this.last && !this.pending) return;
    this.pending = true;
    if (this.running || this.timer) return;
    const wait = Math.max(0, this.lastRun + STATUS_MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    if (this.closed) return;
    this.pending = false;
    this.running = true;
    this.lastRun = Date.now();
    const json = JSON.stringify(this.o.input());
    this.last = json;
    try {
      this.o.onLine(await this.exec(json));
    } finally {
      this.running = false;
      if (this.pending) this.poke();
    }
  }

  private exec(stdin: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const child = spawn('bash', ['-c', this.o.command], { cwd: this.o.cwd, env: this.o.env, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), STATUS_TIMEOUT_MS);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', () => resolve(undefined));
      child.on('close', (code) => {
        clearTimeout(timer);
        const first = out.split('\n')[0]?.replace(/\r$/, '') ?? '';
        resolve(code === 0 && first.trim() !== '' ? redact(first) : undefined);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    });
  }
}
