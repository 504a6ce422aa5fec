/**
 * Print mode as one CommonJS bundle (dist/print.cjs), loaded by the launcher (launch.ts) with
 * V8's code cache. It holds everything a print-mode run uses — bcode's own modules are all
 * bundled in, so no module is ever loaded twice; heavy packages (zod, the AWS SDK's credential
 * chain) are separate files required on first use.
 */
import { reportFatal } from '../errors.js';
import type { MainOptions } from './program.js';
import { runMain } from './run-main.js';

export async function main(prompt: string, opts: MainOptions): Promise<void> {
  try {
    process.exitCode = await runMain(prompt, opts);
  } catch (err) {
    reportFatal(err);
  }
}
