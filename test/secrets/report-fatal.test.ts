/**
 * Both entry points (the ES-module build's main.ts and print mode's print-world.ts) report an
 * error that escapes everything else through `reportFatal`, which passes it through the
 * redaction layer like every other output path.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BcodeError, reportFatal } from '../../src/errors.js';
import { addSecret } from '../../src/util/redact.js';

const SECRET = 'fatal-registered-secret-0001';

const failure = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock('../../src/cli/run-main.js', () => ({
  runMain: async () => {
    throw failure.error;
  },
}));
vi.mock('../../src/cli/program.js', () => ({
  buildProgram: () => ({
    run: async () => {
      throw failure.error;
    },
  }),
}));

let stderr: string[];
beforeEach(() => {
  addSecret(SECRET);
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('reportFatal', () => {
  it('masks a registered secret in an unexpected error and exits 1', () => {
    reportFatal(new Error(`request failed: token=${SECRET}`));
    expect(stderr.join('')).toBe('bcode: unexpected error: request failed: token=[REDACTED]\n  hint: run again with --debug for details, and report it if it repeats\n');
    expect(process.exitCode).toBe(1);
  });

  it("masks secrets in a BcodeError's message and hint, and exits with its code", () => {
    reportFatal(new BcodeError(`bad key ${SECRET}`, { hint: `unset ${SECRET}; also AKIAIOSFODNN7EXAMPLE`, exitCode: 2 }));
    const out = stderr.join('');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).toBe('bcode: bad key [REDACTED]\n  hint: unset [REDACTED]; also [REDACTED]\n');
    expect(process.exitCode).toBe(2);
  });

  it('handles thrown non-errors', () => {
    reportFatal(`plain ${SECRET}`);
    expect(stderr.join('')).toContain('bcode: unexpected error: plain [REDACTED]');
    expect(process.exitCode).toBe(1);
    reportFatal(null);
    expect(process.exitCode).toBe(1);
  });
});

describe('the entry points report fatal errors redacted', () => {
  it("print mode's bundle entry (print-world.ts)", async () => {
    failure.error = new BcodeError(`Bedrock refused ${SECRET}`, { exitCode: 3 });
    const { main } = await import('../../src/cli/print-world.js');
    await main('hi', {} as never);
    expect(stderr.join('')).toBe('bcode: Bedrock refused [REDACTED]\n');
    expect(process.exitCode).toBe(3);
  });

  it("the ES-module build's entry (main.ts)", async () => {
    failure.error = new Error(`boom ${SECRET}`);
    const argv = process.argv;
    process.argv = [argv[0], 'bcode', 'doctor'];
    try {
      await import('../../src/cli/main.js');
      await vi.waitFor(() => expect(stderr.join('')).toContain('bcode: unexpected error: boom [REDACTED]\n'));
    } finally {
      process.argv = argv;
    }
    expect(stderr.join('')).not.toContain(SECRET);
    expect(process.exitCode).toBe(1);
  });
});
