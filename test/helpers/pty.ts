/**
 * The built CLI in a pseudo-terminal, as a person runs it: node-pty gives the terminal,
 * @xterm/headless decodes what bcode draws into a screen the test reads. Every byte bcode
 * writes is kept too (`raw`), to check what it must never send (full-screen clears).
 * Waits are for screen content, never fixed sleeps.
 */
import { mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type IPty } from '@lydell/node-pty';
import { expect } from 'vitest';
import xterm from '@xterm/headless';
import { CLI_PATH } from './run-cli.js';

export interface PtyOptions {
  cwd: string;
  env: Record<string, string>;
  args?: string[];
  cols?: number;
  rows?: number;
}

export class PtyCli {
  readonly pty: IPty;
  readonly term: InstanceType<typeof xterm.Terminal>;
  raw = '';
  exitCode: number | undefined;
  readonly exited: Promise<number>;
  private pending = Promise.resolve();
  private killedByTest = false;

  constructor(o: PtyOptions) {
    const cols = o.cols ?? 80;
    const rows = o.rows ?? 24;
    this.term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
    // A minimal environment (no CI: ink draws nothing live under CI), so nothing from the developer's shell leaks in.
    // A temp dir of this run's own unless the test gives one: a test that ends with bcode still
    // running kills it (SIGKILL: no clean-up possible), and what it had made goes with this dir.
    const ownTmp = o.env.TMPDIR ? undefined : mkdtempSync(path.join(os.tmpdir(), 'bcpty-'));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', TERM: 'xterm-256color', ...(ownTmp ? { TMPDIR: ownTmp } : {}), ...o.env };
    this.pty = spawn(process.execPath, [CLI_PATH, ...(o.args ?? [])], { name: 'xterm-256color', cols, rows, cwd: o.cwd, env });
    this.pty.onData((d) => {
      this.raw += d;
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(d, resolve)));
    });
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        // After a kill its leftovers are expected; after an exit of its own, bcode must have
        // removed its scratch dir: a non-empty dir stays for the run's temp-dir check to name.
        if (ownTmp && this.killedByTest) rmSync(ownTmp, { recursive: true, force: true });
        else if (ownTmp) {
          try {
            rmdirSync(ownTmp);
          } catch {
            /* not empty: reported by test/global-setup.ts */
          }
        }
        resolve(exitCode);
      }),
    );
  }

  /** The visible screen, one string per row, right-trimmed. */
  screen(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return out;
  }

  /** Scrollback and screen together: everything still in the terminal. */
  all(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  write(data: string): void {
    this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Resolves once `test` holds for the decoded terminal (screen + scrollback); fails with the screen after `timeoutMs`. */
  async waitFor(test: RegExp | ((all: string) => boolean), timeoutMs = 20_000, what?: string): Promise<void> {
    const ok = () => (typeof test === 'function' ? test(this.all()) : test.test(this.all()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pending;
      if (ok()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what ?? String(test)}; screen:\n${this.screen().join('\n')}`);
      if (this.exitCode !== undefined) throw new Error(`bcode exited (${this.exitCode}) while waiting for ${what ?? String(test)}; screen:\n${this.screen().join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Like waitFor, on the visible screen only (what the live region shows now). */
  async waitForScreen(test: RegExp, timeoutMs = 20_000): Promise<void> {
    await this.waitFor(() => test.test(this.screen().join('\n')), timeoutMs, `screen ${String(test)}`);
  }

  /** The exit code, once bcode exited; fails with the screen after `timeoutMs`. */
  async waitExit(timeoutMs = 20_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`bcode did not exit; screen:\n${this.screen().join('\n')}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends bcode (SIGKILL) if it still runs; resolves once it has exited and its temp dir is gone. */
  async kill(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.killedByTest = true;
    this.pty.kill('SIGKILL');
    await this.exited;
  }
}

/** ESC[2J (erase screen) or ESC[3J (erase scrollback): a UI that writes history once must never send them. */
export function fullScreenClears(raw: string): number {
  // eslint-disable-next-line no-control-regex -- the escape character is what is looked for
  return (raw.match(/\x1b\[[23]J/g) ?? []).length;
}

/** The end of a UI test: bcode never erased the screen or the scrollback, and it is stopped (its temp dir with it). */
export async function endUiRun(cli: PtyCli | undefined): Promise<void> {
  if (!cli) return;
  expect(fullScreenClears(cli.raw)).toBe(0);
  await cli.kill();
}

/** Types a line and sends Enter as its own key (as a person does: a pasted line ending is text). */
export async function typeLine(c: PtyCli, text: string): Promise<void> {
  c.write(text);
  await c.waitForScreen(new RegExp(`> ${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  c.write('\r');
}

/**
 * The environment of a UI run against the emulator: an isolated HOME and managed-settings dir,
 * the emulator's first test key pair, the model; no background title request (scenarios script
 * exactly the calls they answer) unless `extra` says otherwise.
 */
export function ptyBedrockEnv(emulatorUrl: string, home: string, managedDir: string, credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    BCODE_MANAGED_SETTINGS_DIR: managedDir,
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ANTHROPIC_BEDROCK_BASE_URL: emulatorUrl,
    ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: '1',
    ...extra,
  };
}
