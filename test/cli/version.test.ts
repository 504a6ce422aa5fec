import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('bcode entry point', () => {
  it('prints the version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+ \(bcode\)\n$/);
    expect(r.stderr).toBe('');
  });

  it('rejects an unknown option with exit 2 and no stack trace', async () => {
    const r = await runCli(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
