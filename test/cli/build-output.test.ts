/**
 * What `npm run build` (scripts/build.mjs, run before the tests) leaves behind: no temporary
 * files of its own, and an output that does not depend on the build's process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';

const DIST = path.dirname(CLI_PATH);
const BUILD_CACHE = path.resolve(DIST, '..', 'node_modules', '.cache', 'bcode-build');

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('the build', () => {
  it('leaves no temporary files once it is over (only a build still running has some)', () => {
    let names: string[];
    try {
      names = readdirSync(BUILD_CACHE);
    } catch {
      names = [];
    }
    const leftovers = names.filter((n) => {
      const m = /-(\d+)(\.mjs)?$/.exec(n);
      return m !== null && !running(Number(m[1]));
    });
    expect(leftovers).toEqual([]);
  });

  it('names no temporary file in its output, which is thus the same from one build to the next', () => {
    const chunks = path.join(DIST, 'chunks');
    const files = [CLI_PATH, path.join(DIST, 'print.cjs'), ...readdirSync(chunks).filter((f) => f.endsWith('.js')).map((f) => path.join(chunks, f))];
    for (const file of files) {
      expect(readFileSync(file, 'utf8'), path.basename(file)).not.toMatch(/bcode-build|\b(signer|event-streams)-\d+/);
    }
    expect(readFileSync(path.join(DIST, 'print.cjs'), 'utf8')).toContain('// vendored:signer.mjs');
  });
});
