import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

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
  stdout: string;
  stderr: string;
  /** stdout stopped at maxBytes (ripgrep was stopped). */
  truncated: boolean;
}

/** Runs ripgrep to completion (or maxBytes of output), stoppable through the signal. */
export async function runRipgrep(args: string[], options: { cwd: string; signal: AbortSignal; maxBytes?: number; env?: Record<string, string> }): Promise<RgResult> {
  const bin = await ripgrepPath();
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  return new Promise<RgResult>((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      // No user ripgrep config: its flags would change what the tools return.
      env: { ...(options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }), RIPGREP_CONFIG_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let truncated = false;
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      if (truncated) return;
      out.push(b);
      outBytes += b.length;
      if (outBytes >= maxBytes) {
        truncated = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 8192) stderr += b.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new RipgrepMissingError('ripgrep is not available: the bundled @vscode/ripgrep binary is missing and `rg` is not on PATH. Reinstall bcode or install ripgrep.'));
      else reject(err);
    });
    child.once('close', (code) => {
      resolve({ code: truncated ? 0 : (code ?? 2), stdout: Buffer.concat(out).toString('utf8'), stderr, truncated });
    });
  });
}

/** Flags both Glob and Grep use: hidden files included, .git skipped, .gitignore honoured everywhere. */
export const COMMON_RG_FLAGS = ['--no-config', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'];
