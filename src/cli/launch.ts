/**
 * bcode's entry point (dist/cli.js, CommonJS). `--version` answers at once. A print-mode
 * command line (fast-args.ts) runs print mode from its own CommonJS bundle through V8's code
 * cache (compile-cache.ts), and one that opens the interactive UI runs the UI's bundle (tui.cjs)
 * the same way: no ES module loader, no compile on warm starts, so the first
 * request leaves as early as possible. Everything else — help, subcommands, every argument
 * error — goes to the ES-module build (dist/chunks/main.js), where commander reads the command
 * line and each command's code loads on demand.
 */
import path from 'node:path';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';
import { fastParseMain } from './fast-args.js';
import { openEarlyBox } from '../ui/tui/early-box.js';
import type { MainOptions } from './program.js';

declare const BCODE_VERSION: string;
/** sha256 of dist/print.cjs and dist/tui.cjs, from the build (names their code caches). */
declare const BCODE_PRINT_HASH: string;
declare const BCODE_TUI_HASH: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

async function launch(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
    process.stdout.write(`${version} (bcode)\n`);
    return;
  }
  const fast = fastParseMain(argv);
  // `bcode` / `bcode "task"` in a terminal: the interactive UI, from its own bundle through the
  // code cache too. Its run lasts until the person quits (or the terminal goes), so the cache is
  // written once the UI has started, not at the end.
  // (A bare `bcode` is left to commander by fast-args, for the cases where it does not open the UI.)
  const ui = fast ?? (argv.length === 0 ? { prompt: '', opts: { outputFormat: 'text' } as MainOptions } : undefined);
  if (ui && opensInteractive(ui.opts)) {
    // The input box first, keys read into it, while the UI's bundle loads (src/ui/tui/early-box.ts).
    // Not with --debug: its lines on stderr would land among the box's rows, which the UI erases by position.
    const early = ui.opts.debug ? undefined : openEarlyBox({
      stdin: process.stdin,
      stdout: process.stdout,
      env: process.env,
      version,
      cwd: path.resolve(ui.opts.cwd ?? process.cwd()),
      quit: () => {
        process.stdin.setRawMode(false);
        process.exit(130);
      },
    });
    // One turn of the event loop: keys typed before the box was drawn show in it now, not after the bundle has loaded.
    if (early) await new Promise((resolve) => setImmediate(resolve));
    const { loadBundleTree } = await import('./compile-cache.js');
    const bundle = loadBundleTree(path.join(__dirname, 'tui.cjs'), typeof BCODE_TUI_HASH === 'string' ? BCODE_TUI_HASH : 'dev', process.env, require);
    // And keys typed while it loaded, before the configuration is read.
    if (early) await new Promise((resolve) => setImmediate(resolve));
    const main = bundle.exports.main as (prompt: string, opts: MainOptions, started: () => void, early?: ReturnType<typeof openEarlyBox>) => Promise<void>;
    await main(ui.prompt, ui.opts, () => bundle.saveAll(), early);
    if (process.env.BCODE_DEBUG_CODE_CACHE === '1') process.stderr.write(`bcode: code cache: ${bundle.caches().map((c) => `${path.relative(__dirname, c.file)} ${c.cache}`).join(', ')}\n`);
    return;
  }
  if (fast) {
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
