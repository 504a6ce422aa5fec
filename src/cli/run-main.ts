import { applySettingsEnv } from '../config/apply-env.js';
import { loadConfig } from '../config/load.js';
import { registerEnvSecrets } from '../util/redact.js';
import { UsageError } from '../errors.js';
import { NO_PROMPT_HINT, runPrint } from './print.js';

const INTERACTIVE_HINT = 'give it a task: bcode -p "fix the failing test" (or pipe one in: echo "fix the failing test" | bcode -p); bcode --help lists the options';
import type { MainOptions } from './program.js';

/**
 * The main command: resolve configuration (all validation errors surface here, before any
 * request), then print the config or run print mode.
 */
export async function runMain(prompt: string, opts: MainOptions): Promise<number> {
  // Plain `bcode` in a terminal: say what to do instead, before any configuration is needed.
  if (prompt.trim() === '' && !opts.printConfig && process.stdin.isTTY) {
    if (!opts.print) throw new UsageError('there is no interactive mode yet: bcode runs one task per command and prints the answer', { hint: INTERACTIVE_HINT });
    throw new UsageError('no prompt given', { hint: NO_PROMPT_HINT });
  }
  const cwd = opts.cwd ?? process.cwd();
  const { config, warnings } = await loadConfig({
    cwd,
    env: process.env,
    // --print-config shows everything it can; a missing region is one line of it.
    tolerateMissingRegion: opts.printConfig === true,
    flags: {
      settings: opts.settings,
      model: opts.model,
      permissionMode: opts.permissionMode,
      allowedTools: opts.allowedTools,
      disallowedTools: opts.disallowedTools,
      verbose: opts.verbose,
      debug: opts.debug,
    },
  });
  // Settings `env` (e.g. AWS_PROFILE) must reach the AWS SDK's credential chain, which reads
  // process.env itself; shell values are left as they are.
  applySettingsEnv(config);
  registerEnvSecrets(config.env);
  if (opts.printConfig) {
    const { printConfig } = await import('./print-config.js');
    return printConfig(config, warnings);
  }
  return runPrint(prompt, opts, config, warnings);
}
