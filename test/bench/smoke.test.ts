import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'bcode-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row { figure: string; what?: string; bcode: number | null; baseline?: number | null; note?: string; met?: boolean | null }

function run(command: string, args: string[], options: { cwd: string; timeout: number; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run bench (smoke: tiny sizes, one run)', () => {
  it('prints the table and writes a results file where every figure is measured or says why not', async () => {
    const out = path.join(dir, 'latest.json');
    // The smoke tree, the bench's project copies and its failure logs go in our temp dir, so CI
    // never reuses or leaves any of them behind. Run without blocking this worker (a minute of
    // spawnSync starves vitest's own messages on a loaded machine).
    const r = await run(process.execPath, [path.join(root, 'bench', 'run.mjs'), '--smoke', '--out', out, '--tree-dir', path.join(dir, 'tree')], { cwd: root, timeout: 280_000, env: { ...process.env, TMPDIR: dir } });
    expect(r.status, r.stderr).toBe(0);
    for (const fig of ['1a', '1b', '2', '3', '4', '5', '6a', '6b', '6c', '6d', '7', '8', '9', '10', '11', '12', '13']) expect(r.stdout).toMatch(new RegExp(`^${fig}[a-z]?\\s+│`, 'm'));
    expect(r.stdout).toMatch(/machine: \d+ cpu/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { machine: { nproc: number; node: string }; rows: Row[] };
    expect(results.machine.node).toBe(process.version);
    for (const row of results.rows) {
      if (row.bcode === null) {
        if (row.figure !== '7' || row.note?.startsWith('n/a')) expect(row.note, `figure ${row.figure}`).toMatch(/^n\/a \(.+\)$/s);
      } else {
        expect(Number.isFinite(row.bcode), `figure ${row.figure}`).toBe(true);
        expect(row.bcode, `figure ${row.figure}`).toBeGreaterThanOrEqual(0);
      }
      // A verdict needs a measurement behind it.
      if (row.met === true || row.met === false) expect(row.bcode).not.toBeNull();
    }
    // Figures 1–5 come from running the built CLI (`--version`, `-p` against the emulator): "n/a"
    // there means bcode itself failed, which must fail this test, not print as a missing figure.
    const fromCli = results.rows.filter((x) => /^[1-5][a-z]?$/.test(x.figure));
    for (const row of fromCli) {
      expect(row.bcode, `figure ${row.figure} (${row.what}) must be measured: ${row.note ?? ''}`).not.toBeNull();
      expect(Number.isFinite(row.bcode), `figure ${row.figure}`).toBe(true);
    }
    for (const fig of ['1a', '1b', '2', '3a', '3b', '4a', '4b', '4c', '4d', '5a', '5b', '5e', '5i']) expect(fromCli.map((x) => x.figure)).toContain(fig);
    // Figure 12 runs the built CLI through a scripted session in stream-json mode; its window is
    // small enough under --smoke that one compaction (an `anytime` summary turn) must happen.
    const long = (fig: string) => results.rows.find((x) => x.figure === fig);
    expect(long('12a')?.bcode, long('12a')?.note).toBeGreaterThan(0);
    expect(long('12d')?.bcode, long('12a')?.note).toBeGreaterThanOrEqual(1);
    expect(long('13')?.bcode, long('13')?.note).toBeGreaterThan(0);
    const startup = results.rows.find((x) => x.figure === '1a')!;
    expect(startup.bcode).toBeGreaterThan(0);
    expect(startup.baseline).toBeGreaterThan(0);
    // Figure 9 (telemetry on vs off) adds two CLI runs: room for a loaded machine.
  }, 300_000);

  it('refuses a bad option with a one-line message and exit 2', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bench', 'run.mjs'), '--runs', '0'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("bench: --runs needs a whole number ≥ 1, got '0'");
  });
});
