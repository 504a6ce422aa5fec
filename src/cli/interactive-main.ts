/**
 * `bcode` / `bcode "task"` in a terminal as one CommonJS bundle (dist/tui.cjs), run by the
 * launcher (launch.ts) through V8's code cache when its quick reading of the command line
 * (fast-args.ts) understood it: the configuration is loaded and the UI opens without commander,
 * the program's other commands or an ES module being loaded first. Other command lines that open
 * the UI (`-r`, …) reach the same code through commander in the ES-module build.
 */
import { reportFatal } from '../errors.js';
import type { MainOptions } from './program.js';
import { runMain } from './run-main.js';
import type { EarlyInput } from '../ui/tui/early-box.js';

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

/**
 * `started`: called once the UI is up and idle (the launcher saves the code cache then).
 * `early`: the input box the launcher drew (src/ui/tui/early-box.ts), handed to the UI's first
 * frame, or erased before an error is reported.
 */
export async function main(prompt: string, opts: MainOptions, started?: () => void, early?: EarlyInput): Promise<void> {
  // Keys typed while bcode starts must reach the UI as keys: in the terminal's line mode they
  // would be echoed where the UI draws, and Enter would end a line instead of submitting.
  const raw = process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  try {
    process.exitCode = await runMain(prompt, opts, async (_prompt, _opts, config, warnings) => (await import('./interactive.js')).runInteractive(prompt, opts, config, warnings, version, started, early));
  } catch (err) {
    early?.cancel();
    reportFatal(err);
  } finally {
    early?.cancel();
    if (raw) process.stdin.setRawMode(false);
  }
}
