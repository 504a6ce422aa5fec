#!/usr/bin/env node
// `npm run mutate [-- stryker options]`: Stryker over the safety-critical modules listed in
// stryker.config.mjs (incremental: unchanged code and tests are not re-tested), then one score per
// module — a directory for src/permissions and src/sandbox, a file for the others.
//   npm run mutate                                        all modules (slow; not in CI)
//   npm run mutate -- --mutate src/util/atomic-write.ts  one module
//   npm run mutate -- --concurrency 2                     more test runners
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const report = path.join(root, 'reports', 'mutation', 'mutation.json');

const run = spawnSync(process.execPath, [path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (run.status !== 0 || !existsSync(report)) process.exit(run.status || 1);

const moduleOf = (file) => (/^src\/(permissions|sandbox)\//.test(file) ? file.split('/').slice(0, 2).join('/') : file);
const rows = new Map();
for (const [file, { mutants }] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files)) {
  const r = rows.get(moduleOf(file)) ?? { killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') r.killed++;
    else if (m.status === 'Timeout') r.timeout++;
    else if (m.status === 'Survived') r.survived++;
    else if (m.status === 'NoCoverage') r.noCoverage++;
    else r.errors++;
  }
  rows.set(moduleOf(file), r);
}
const score = (r) => {
  const valid = r.killed + r.timeout + r.survived + r.noCoverage;
  return valid ? (((r.killed + r.timeout) / valid) * 100).toFixed(1) : 'n/a';
};
console.log('\nmutation score per module (killed+timeout / killed+timeout+survived+no coverage; compile errors not counted)');
const width = Math.max(...[...rows.keys()].map((k) => k.length), 6);
console.log(`${'module'.padEnd(width)}  score  killed  survived  no-cov  timeout  errors`);
for (const [mod, r] of [...rows].sort()) {
  console.log(`${mod.padEnd(width)}  ${String(score(r)).padStart(5)}  ${String(r.killed).padStart(6)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(6)}  ${String(r.timeout).padStart(7)}  ${String(r.errors).padStart(6)}`);
}
console.log(`details: ${path.relative(root, path.join(root, 'reports', 'mutation', 'index.html'))}`);
