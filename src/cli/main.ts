/**
 * The ES-module build's entry point (dist/chunks/main.js), which the launcher (launch.ts) loads
 * for everything but `--version` and the print-mode command lines it runs itself: commander
 * reads the command line, and every command's code is loaded on demand so start-up never pays
 * for what the command does not use.
 */
import { reportFatal } from '../errors.js';

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
    process.stdout.write(`${version} (bcode)\n`);
    return 0;
  }
  const { buildProgram } = await import('./program.js');
  return buildProgram(version).run(argv);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, reportFatal);
