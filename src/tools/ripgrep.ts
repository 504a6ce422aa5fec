import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export class RipgrepMissingError extends Error {}

let cached: string | undefined;

/** The bundled ripgrep binary, else `rg` on PATH (checked when run). */
export async function ripgrepPath(): Promise<string> {
  if (cached) return cached;
  try {
    // Dynamic: the package throws at import time when its platform binary was not installed.
    const mod = (await import('@vscode/ripgrep')) as { rgPath?: string };
    if (mod.rgPath && existsSync(mod.rgPath)) return (cached = mod.rgPath);
  } catch {
    /* fall back to PATH */
  }
  return (cached = 'rg');
}

export interface RgResult {
  code: number;
  /** All of stdout; empty when the lines went to `onLine` instead. */
  stdout: string;
  stderr: string;
  /** Output stopped at maxBytes (ripgrep was stopped). */
  truncated: boolean;
}

export interface RgOptions {
  cwd: string;
  signal: AbortSignal;
  maxBytes?: number;
  env?: Record<string, string>;
  /**
   * Takes each line of stdout (without its newline) as ripgrep prints it, instead of keeping
   * stdout, so callers can work while ripgrep is still searching.
   */
  onLine?: (line: string) => void;
}

/** Runs ripgrep to completion (or maxBytes of output), stoppable through the signal. */
export async function runRipgrep(args: string[], options: RgOptions): Promise<RgResult> {
  const bin = await ripgrepPath();
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const onLine = options.onLine;
  return new Promise<RgResult>((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      // No user ripgrep config: its flags would change what the tools return.
      env: { ...(options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }), RIPGREP_CONFIG_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const out: Buffer[] = [];
    const decoder = new StringDecoder('utf8');
    let partial = '';
    let outBytes = 0;
    let truncated = false;
    let stderr = '';
    const emit = (text: string) => {
      if (!onLine) return;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      partial = text.slice(start);
    };
    child.stdout.on('data', (b: Buffer) => {
      if (truncated) return;
      outBytes += b.length;
      if (outBytes >= maxBytes) {
        truncated = true;
        child.kill('SIGTERM');
        // Whole lines only: a cut one would be half a path or half a match.
        if (onLine) b = b.subarray(0, b.lastIndexOf(10, maxBytes - (outBytes - b.length) - 1) + 1);
      }
      if (onLine) emit(partial + decoder.write(b));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 8192) stderr += b.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new RipgrepMissingError('ripgrep is not available: the bundled @vscode/ripgrep binary is missing and `rg` is not on PATH. Reinstall bcode or install ripgrep.'));
      else reject(err);
    });
    child.once('close', (code) => {
      if (onLine && !truncated) {
        const last = partial + decoder.end();
        if (last) onLine(last);
      }
      let stdout = onLine ? undefined : Buffer.concat(out);
      if (stdout && truncated) stdout = stdout.subarray(0, stdout.lastIndexOf(10, maxBytes - 1) + 1);
      resolve({ code: truncated ? 0 : (code ?? 2), stdout: stdout ? stdout.toString('utf8') : '', stderr, truncated });
    });
  });
}

/** Flags both Glob and Grep use: hidden files included, .git skipped, .gitignore honoured everywhere. */
export const COMMON_RG_FLAGS = ['--no-config', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'];

/**
 * The order of `rg --sort path`: each directory's entries by name, so paths compare component
 * by component ("a/b" before "a.txt"). Names compare as ripgrep's bytes do: by code point.
 */
export function comparePathsLikeRg(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === 47) return -1;
    if (y === 47) return 1;
    return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}

/** UTF-16 units reordered so that surrogates (characters past U+FFFF) sort after U+E000–U+FFFF. */
function codePointKey(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
