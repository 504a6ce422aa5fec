/** Command-line options of `npm run bench -- …`. */
export interface BenchOptions {
  runs: number;
  warmup: number;
  latency: 'zero' | 'realistic';
  /** A smaller generated tree (figure 6) for a quick look. */
  small: boolean;
  /** Tiny sizes, one run, no warm-up: the CI smoke test. */
  smoke: boolean;
  peer?: string;
  out: string;
  /** Figures to run (1–13); all when empty. */
  only: Set<number>;
  treeDir?: string;
  help: boolean;
}

export class BenchUsageError extends Error {}

const USAGE = `usage: npm run bench -- [options]
  --runs <n>             measured runs per figure (default 5, minimum 1)
  --warmup <n>           warm-up runs before measuring (default 1)
  --latency <profile>    zero (default) or realistic (the emulator delays first byte and chunks)
  --small                smaller generated tree for figure 6 (5,000 files, 50 MB), 60 turns for figure 12
  --smoke                tiny sizes, one run, no warm-up (used by the CI smoke test)
  --peer "<command>"     another agent CLI honouring ANTHROPIC_BEDROCK_BASE_URL, run on figures 2-5 and 12
  --only <list>          only these figures, e.g. --only 1,2,6
  --tree-dir <dir>       where to keep the generated tree (default: os.tmpdir()/bcode-bench-tree-<version>)
  --out <file>           results file (default bench/results/latest.json)`;

export function usage(): string {
  return USAGE;
}

function int(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) throw new BenchUsageError(`${name} needs a whole number ≥ ${min}, got '${value ?? ''}'`);
  return n;
}

export function parseOptions(argv: string[], defaultOut: string): BenchOptions {
  const o: BenchOptions = { runs: 5, warmup: 1, latency: 'zero', small: false, smoke: false, out: defaultOut, only: new Set(), help: false };
  let runsGiven = false;
  let warmupGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case '--runs': o.runs = int('--runs', next(), 1); runsGiven = true; break;
      case '--warmup': o.warmup = int('--warmup', next(), 0); warmupGiven = true; break;
      case '--latency': {
        const v = next();
        if (v !== 'zero' && v !== 'realistic') throw new BenchUsageError(`--latency must be 'zero' or 'realistic', got '${v ?? ''}'`);
        o.latency = v;
        break;
      }
      case '--small': o.small = true; break;
      case '--smoke': o.smoke = true; break;
      case '--peer': {
        const v = next();
        if (!v || !v.trim()) throw new BenchUsageError('--peer needs a command, e.g. --peer "/tmp/peer/node_modules/.bin/claude"');
        o.peer = v;
        break;
      }
      case '--only': {
        const v = next() ?? '';
        for (const part of v.split(',')) o.only.add(int('--only', part.trim(), 1));
        break;
      }
      case '--tree-dir': o.treeDir = next(); if (!o.treeDir) throw new BenchUsageError('--tree-dir needs a directory'); break;
      case '--out': { const v = next(); if (!v) throw new BenchUsageError('--out needs a file'); o.out = v; break; }
      case '-h': case '--help': o.help = true; break;
      default: throw new BenchUsageError(`unknown option '${a}' (see npm run bench -- --help)`);
    }
  }
  if (o.smoke) {
    if (!runsGiven) o.runs = 1;
    if (!warmupGiven) o.warmup = 0;
  }
  return o;
}

export function wants(o: BenchOptions, figure: number): boolean {
  return o.only.size === 0 || o.only.has(figure);
}
