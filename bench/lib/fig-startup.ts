/** Figure 1: `bcode --version` and `bcode --help` against `node -e 0`, interleaved run by run. */
import type { Agent } from './agents.js';
import type { BenchOptions } from './options.js';
import { na, ratioOf, type Row } from './results.js';
import { runTimed } from './spawn-timed.js';
import { median } from './stats.js';

export async function figureStartup(bcode: Agent, env: Record<string, string>, o: BenchOptions): Promise<Row[]> {
  const cases = [
    { key: 'version', args: ['--version'], expect: /\d+\.\d+\.\d+/ },
    { key: 'help', args: ['--help'], expect: /Usage:/ },
  ];
  const samples: Record<string, number[]> = { node: [], version: [], help: [] };
  const failures: Record<string, string> = {};
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const measured = i >= o.warmup;
    const n = await runTimed(process.execPath, ['-e', '0'], { env });
    if (measured) samples.node.push(n.wallMs);
    for (const c of cases) {
      const r = await runTimed(bcode.command, [...bcode.args, ...c.args], { env });
      if (r.code !== 0 || !c.expect.test(r.stdout)) failures[c.key] = `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
      else if (measured) samples[c.key].push(r.wallMs);
    }
  }
  const base = median(samples.node);
  return cases.map((c) => {
    const figure = c.key === 'version' ? '1a' : '1b';
    const what = `start-up: bcode ${c.args[0]}`;
    if (failures[c.key]) return na(figure, what, 'ms', `bcode ${c.args[0]} failed, ${failures[c.key]}`);
    const v = median(samples[c.key]);
    return {
      figure,
      what,
      unit: 'ms',
      bcode: v,
      baselineLabel: 'node -e 0',
      baseline: base,
      ratio: ratioOf(v, base),
      note: c.key === 'version' ? 'no numeric target in the issue; the start-up convention is that nothing heavy loads before it is needed' : undefined,
      samples: { bcode: samples[c.key], baseline: samples.node },
    };
  });
}
