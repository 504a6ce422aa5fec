/**
 * Temp-dir hygiene for the whole run. The run gets a temp directory of its own (TMPDIR, which
 * `os.tmpdir()` reads, for the test workers and every process they start that keeps the
 * variable); at the end every entry still in it is a leak: a test that made a directory and did
 * not remove it, or a spawned bcode that left its scratch directory. The run then fails, naming
 * the leftovers grouped by prefix, and removes them so they do not pile up.
 *
 * Processes started with an environment of their own may still use the system temp dir; new
 * `bcode-*` entries there are reported as a warning only, since other runs on the same machine
 * (other worktrees) create them too.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const systemTmp = os.tmpdir();
let runTmp: string | undefined;
let systemBefore = new Set<string>();
let startedAt = 0;

const bcodeEntries = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('bcode-'));

/** `bcode-e2e-AbC123` → `bcode-e2e-`, `bcode-1a2b3c4d-xYz` → `bcode-<session>-`: what made it. */
export function prefixOf(name: string): string {
  const m = /^(.*?[-_.])(?=[^-_.]*$)/.exec(name);
  const prefix = m ? m[1] : name;
  return prefix.replace(/^bcode-[0-9a-f]{8}-$/, 'bcode-<session id>-');
}

export function describeLeftovers(dir: string, names: string[]): string {
  const byPrefix = new Map<string, string[]>();
  for (const n of names.sort()) byPrefix.set(prefixOf(n), [...(byPrefix.get(prefixOf(n)) ?? []), n]);
  const lines = [...byPrefix].map(([prefix, list]) => `  ${prefix}* ×${list.length}: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}`);
  return `${names.length} entr${names.length === 1 ? 'y' : 'ies'} left in ${dir} after the test run (a test or a process it started did not clean up):\n${lines.join('\n')}`;
}

export function setup(): void {
  startedAt = Date.now();
  systemBefore = new Set(bcodeEntries(systemTmp));
  // Short on purpose: paths under it reach the model in tool results, and test/e2e/cache.test.ts
  // measures cache shares only just above its 98% bound (see test/e2e/harness.ts).
  runTmp = mkdtempSync(path.join(systemTmp, 'bc'));
  // Others may pass through (not list): tests that run the CLI as an unprivileged user need it.
  chmodSync(runTmp, 0o711);
  process.env.TMPDIR = runTmp;
}

export function teardown(): void {
  process.env.TMPDIR = systemTmp;
  const systemNew = bcodeEntries(systemTmp).filter((n) => !systemBefore.has(n) && safeMtime(path.join(systemTmp, n)) >= startedAt);
  if (systemNew.length) console.warn(`warning: ${describeLeftovers(systemTmp, systemNew)}\n  (possibly from another run on this machine; not removed)`);
  if (!runTmp) return;
  const left = readdirSync(runTmp);
  rmSync(runTmp, { recursive: true, force: true });
  if (left.length) throw new Error(`${describeLeftovers(runTmp, left)}\n(removed now; fix the test that leaks them)`);
}

function safeMtime(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}
