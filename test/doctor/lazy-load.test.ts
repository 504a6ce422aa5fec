/**
 * doctor and iam-policy must not cost the other commands anything: none of their code may be
 * reachable through static imports from the entry point, the program (--help) or print mode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';

const DIST = path.dirname(CLI_PATH);
const CHUNKS = path.join(DIST, 'chunks');

/** Files reachable from `start` through static `import … from "…"` / `import "…"` only. */
function staticClosure(start: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?:[^'"()]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["'];?$/gm)) {
      queue.push(path.resolve(path.dirname(file), m[1]));
    }
  }
  return seen;
}

function chunk(prefix: string): string {
  const name = readdirSync(CHUNKS).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  if (!name) throw new Error(`no ${prefix} chunk in dist/chunks`);
  return path.join(CHUNKS, name);
}

describe('doctor and iam-policy load lazily', () => {
  it('stay out of the start-up path of --version, --help and print mode', () => {
    const closure = staticClosure([CLI_PATH, chunk('program'), chunk('run-main'), chunk('print')]);
    expect(closure.size).toBeGreaterThan(3);
    for (const file of closure) {
      const text = readFileSync(file, 'utf8');
      for (const marker of ['function runDoctorCommand', 'function runDoctor', 'function runIamPolicyCommand', 'function buildIamPolicy', 'GetCallerIdentity', 'BcodeMarketplaceSubscribe']) {
        expect(text.includes(marker), `${path.basename(file)} contains ${marker}`).toBe(false);
      }
    }
    // …while the program still knows where to find them.
    const program = readFileSync(chunk('program'), 'utf8');
    expect(program).toMatch(/import\("\.\/doctor-command-[A-Z0-9]+\.js"\)/);
    expect(program).toMatch(/import\("\.\/iam-policy-command-[A-Z0-9]+\.js"\)/);
  });

  it('do not load zod: their few option checks are plain code', () => {
    const closure = staticClosure([chunk('doctor-command'), chunk('iam-policy-command')]);
    for (const file of closure) expect(readFileSync(file, 'utf8').includes('ZodError'), `${path.basename(file)} contains zod`).toBe(false);
  });

  it('--help lists both commands', async () => {
    const { runCli } = await import('../helpers/run-cli.js');
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}doctor \[options\] +check the Bedrock setup/m);
    expect(r.stdout).toMatch(/^ {2}iam-policy \[options\] +print the least-privilege IAM policy/m);
  });
});
