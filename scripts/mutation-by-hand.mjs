// Stryker's vitest runner here never activates "static" mutants (module-level constants): every
// one is reported Survived, even where a test asserts the constant. This applies each surviving
// static mutant of a report to the source by hand, runs the given test files, and restores it.
//   node scripts/mutation-by-hand.mjs <report.json> <src file> <test files...>
// (FILTER=<test name part> narrows the tests; LINES=12,34 picks mutants by line; RUNTIME=1 the non-static ones.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
const [report, file, ...tests] = process.argv.slice(2);
const only = process.env.LINES ? process.env.LINES.split(',').map(Number) : undefined;
const r = JSON.parse(readFileSync(report, 'utf8'));
const original = readFileSync(file, 'utf8');
const lines = original.split('\n');
const offset = (loc) => lines.slice(0, loc.line - 1).reduce((n, l) => n + l.length + 1, 0) + loc.column - 1;
let killed = 0, survived = 0;
try {
  for (const m of r.files[file].mutants.filter((m) => (process.env.RUNTIME ? !m.static : only ? only.includes(m.location.start.line) : m.static) && m.status !== 'Killed' && m.status !== 'CompileError')) {
    const a = offset(m.location.start), b = offset(m.location.end);
    writeFileSync(file, original.slice(0, a) + m.replacement + original.slice(b));
    const run = spawnSync('npx', ['vitest', 'run', ...tests, ...(process.env.FILTER ? ['-t', process.env.FILTER] : [])], { encoding: 'utf8' });
    const ok = run.status !== 0;
    if (ok) killed++;
    else survived++;
    console.log(`${ok ? 'killed  ' : 'SURVIVED'} L${m.location.start.line} ${m.mutatorName} ${JSON.stringify(m.replacement).slice(0, 60)}`);
  }
} finally {
  writeFileSync(file, original);
}
console.log(`static mutants by hand: ${killed} killed, ${survived} survived`);
