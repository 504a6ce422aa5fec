/**
 * bcode's entry point (dist/cli.js, CommonJS). `--version` answers at once. A print-mode
 * command line (fast-args.ts; not one that opens the interactive UI) runs print mode from its own CommonJS bundle through V8's code
 * cache (compile-cache.ts): no ES module loader, no compile on warm starts, so the first
 * request leaves as early as possible. Everything else — help, subcommands, every argument
 * error — goes to the ES-module build (dist/chunks/main.js), where commander reads the command
 * line and each command's code loads on demand.
 */
import path from 'node:path';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';
import { fastParseMain } from './fast-args.js';
import type { MainOptions } from './program.js';

declare const BCODE_VERSION: string;
/** sha256 of dist/print.cjs, from the build (names its code cache). */
declare const BCODE_PRINT_HASH: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

async function launch(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
    process.stdout.write(`${version} (bcode)\n`);
    return;
  }
  const fast = fastParseMain(argv);
  // `bcode "task"` in a terminal opens the interactive UI, which lives in the ES-module build.
  if (fast && !opensInteractive(fast.opts)) {
    const { loadBundleTree } = await import('./compile-cache.js');
    // This file's own require resolves from dist/, where print.cjs lives (no node:module needed).
    const bundle = loadBundleTree(path.join(__dirname, 'print.cjs'), typeof BCODE_PRINT_HASH === 'string' ? BCODE_PRINT_HASH : 'dev', process.env, require);
    const main = bundle.exports.main as (prompt: string, opts: MainOptions) => Promise<void>;
    await main(fast.prompt, fast.opts);
    bundle.saveAll();
    if (process.env.BCODE_DEBUG_CODE_CACHE === '1') {
      process.stderr.write(`bcode: code cache: ${bundle.caches().map((c) => `${path.relative(__dirname, c.file)} ${c.cache}`).join(', ')}\n`);
    }
    return;
  }
  await import(pathToFileURL(path.join(__dirname, 'chunks', 'main.js')).href);
}

/** No -p, and both ends are a terminal: the interactive UI (program.ts decides the same way). */
function opensInteractive(opts: MainOptions): boolean {
  return !opts.print && !opts.printConfig && opts.outputFormat === 'text' && isatty(0) && isatty(1);
}

launch(process.argv.slice(2)).catch((err: unknown) => {
  // Only a broken installation gets here: both worlds report their own errors.
  process.stderr.write(`bcode: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
