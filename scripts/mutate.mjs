#!/usr/bin/env node
// `npm run mutate [-- modules…] [-- stryker options]`: Stryker over each safety-critical module of
// scripts/mutation-plan.mjs in turn, with that module's own test files, then one score per module
// against the target. Slow: not in CI.
//   npm run mutate                                   every module (an hour or more on two cores)
//   npm run mutate -- redact stream-redact           the modules whose path contains a word
//   npm run mutate -- shell.ts --typecheck           with the TypeScript checker (much slower)
//   npm run mutate -- --report                       the table of the last saved results only
// Incremental: each module keeps reports/mutation/<module>.incremental.json, so a re-run after a
// change re-tests only what changed (Stryker cannot see that a new test kills an old static
// survivor: --force re-tests everything). The last result of each module is kept in
// reports/mutation/<module>.json; the table covers every module with a saved result.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULES, TARGET } from './mutation-plan.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'reports', 'mutation');
const slug = (file) => file.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '--');

const args = process.argv.slice(2);
const words = [];
const passOn = [];
let reportOnly = false;
// The TypeScript checker takes about a minute to start and seconds per mutant on two cores: hours
// over the whole plan. Without it, a mutant that would not compile is run like any other (almost
// always killed: the program misbehaves), so the scores count a few mutants the checker would drop.
let typecheck = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--report') reportOnly = true;
  else if (a === '--typecheck') typecheck = true;
  else if (a.startsWith('--')) {
    passOn.push(a);
    // An option's value follows it unless given as --name=value or the option is a plain switch.
    if (!a.includes('=') && i + 1 < args.length && !args[i + 1].startsWith('--') && !['--force', '--dryRunOnly'].includes(a)) passOn.push(args[++i]);
  } else words.push(a);
}
const chosen = words.length ? MODULES.filter((m) => words.some((w) => m.file.includes(w))) : MODULES;
if (words.length && !chosen.length) {
  console.error(`mutate: no module of scripts/mutation-plan.mjs matches ${words.join(', ')}`);
  console.error('hint: give part of a path, e.g. `npm run mutate -- redact`; the modules are listed in scripts/mutation-plan.mjs');
  process.exit(2);
}

mkdirSync(dir, { recursive: true });
const failed = [];
if (!reportOnly) {
  for (const [i, m] of chosen.entries()) {
    console.log(`\n== ${i + 1}/${chosen.length} ${m.file} (${m.tests.length} test files)`);
    // A temp dir for the run, removed after it: Stryker ends its test runners without vitest's
    // global teardown, which would otherwise leave the test run's own temp dir (and vite's) behind.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'bcode-mutate-'));
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'),
        'run',
        '--mutate', m.file,
        '--testFiles', m.tests.join(','),
        '--incrementalFile', path.join('reports', 'mutation', `${slug(m.file)}.incremental.json`),
        '--reporters', 'progress,json,html',
        ...(typecheck ? [] : ['--checkers', '']),
        ...passOn,
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, TMPDIR: tmp } },
    );
    rmSync(tmp, { recursive: true, force: true });
    const out = path.join(dir, 'mutation.json');
    if (run.status !== 0 || !existsSync(out)) {
      failed.push(m.file);
      continue;
    }
    copyFileSync(out, path.join(dir, `${slug(m.file)}.json`));
    copyFileSync(path.join(dir, 'index.html'), path.join(dir, `${slug(m.file)}.html`));
  }
}

// One row per module with a saved result: (killed + timeout) / (killed + timeout + survived + no
// coverage); mutants the TypeScript checker rejects (compile errors) are not counted.
const rows = [];
for (const m of MODULES) {
  const saved = path.join(dir, `${slug(m.file)}.json`);
  if (!existsSync(saved)) continue;
  const r = { file: m.file, killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0, when: statSync(saved).mtime };
  for (const mutant of JSON.parse(readFileSync(saved, 'utf8')).files[m.file]?.mutants ?? []) {
    if (mutant.status === 'Killed') r.killed++;
    else if (mutant.status === 'Timeout') r.timeout++;
    else if (mutant.status === 'Survived') r.survived++;
    else if (mutant.status === 'NoCoverage') r.noCoverage++;
    else r.other++;
  }
  const valid = r.killed + r.timeout + r.survived + r.noCoverage;
  r.score = valid ? ((r.killed + r.timeout) / valid) * 100 : 100;
  rows.push(r);
}
const width = Math.max(6, ...rows.map((r) => r.file.length));
console.log(`\nmutation score per module (target ${TARGET} %; killed+timeout / killed+timeout+survived+no coverage; compile errors not counted)`);
console.log(`${'module'.padEnd(width)}  score  killed  timeout  survived  no-cov  not-counted  measured`);
for (const r of rows) {
  const mark = r.score >= TARGET ? '' : `  below ${TARGET}`;
  console.log(
    `${r.file.padEnd(width)}  ${r.score.toFixed(1).padStart(5)}  ${String(r.killed).padStart(6)}  ${String(r.timeout).padStart(7)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(6)}  ${String(r.other).padStart(11)}  ${r.when.toISOString().slice(0, 16)}${mark}`,
  );
}
const missing = MODULES.filter((m) => !rows.some((r) => r.file === m.file)).map((m) => m.file);
if (missing.length) console.log(`not measured yet: ${missing.join(', ')}`);
if (failed.length) console.log(`Stryker failed for: ${failed.join(', ')} (its output is above)`);
console.log(`details: reports/mutation/<module>.html`);
const below = rows.filter((r) => r.score < TARGET && chosen.some((m) => m.file === r.file));
process.exit(failed.length || below.length ? 1 : 0);
