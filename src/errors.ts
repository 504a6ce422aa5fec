/**
 * Every error bcode shows a user is a BcodeError: one line saying what is wrong, plus a hint
 * saying how to fix it. The CLI prints `bcode: <message>` and, when present, `  hint: <hint>`,
 * then exits with `exitCode` — never a stack trace (R5).
 */
import { debugError } from './util/debug.js';
import { redact } from './util/redact.js';

export interface BcodeErrorOptions {
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

export class BcodeError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: BcodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad settings, environment values or model ids: found before any request, exit 2. */
export class ConfigError extends BcodeError {
  constructor(message: string, options: Omit<BcodeErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** Bad command-line usage: exit 2. */
export class UsageError extends BcodeError {
  constructor(message: string, options: Omit<BcodeErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** The run was interrupted by the user (SIGINT / Esc): exit 130. */
export class InterruptedError extends BcodeError {
  constructor(message = 'interrupted') {
    super(message, { exitCode: 130 });
  }
}

/** Formats any thrown value as the lines the CLI prints; unknown errors get no stack either. */
export function formatError(err: unknown): string {
  if (err instanceof BcodeError) {
    return err.hint ? `bcode: ${err.message}\n  hint: ${err.hint}` : `bcode: ${err.message}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `bcode: unexpected error: ${message.split('\n')[0]}\n  hint: run again with --debug for details, and report it if it repeats`;
}

/**
 * The last resort of each entry point (the ES-module build's `main`, print mode's bundle): prints
 * the error as `formatError` does, through the redaction layer, and sets the exit code — the
 * error's own, else 1.
 */
export function reportFatal(err: unknown): void {
  debugError('error', err);
  process.stderr.write(`${redact(formatError(err))}\n`);
  const code = (err as { exitCode?: unknown } | null | undefined)?.exitCode;
  process.exitCode = typeof code === 'number' ? code : 1;
}
