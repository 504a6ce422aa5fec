/**
 * bcode's entry point. `--version` answers before anything is imported; every command's code
 * is loaded on demand so start-up never pays for what the command does not use.
 */
import { formatError } from '../errors.js';
import { fastParseMain } from './fast-args.js';

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
    process.stdout.write(`${version} (bcode)\n`);
    return 0;
  }
  // The usual print-mode command line skips commander (see fast-args.ts); anything else, and
  // every error message, is commander's.
  const fast = fastParseMain(argv);
  if (fast) {
    const { runMain } = await import('./run-main.js');
    return runMain(fast.prompt, fast.opts);
  }
  const { buildProgram } = await import('./program.js');
  return buildProgram(version).run(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${formatError(err)}\n`);
    process.exitCode = typeof (err as { exitCode?: unknown })?.exitCode === 'number' ? (err as { exitCode: number }).exitCode : 1;
  },
);
