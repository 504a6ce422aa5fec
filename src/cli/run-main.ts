import { applySettingsEnv } from '../config/apply-env.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { registerEnvSecrets } from '../util/redact.js';
import { runPrint } from './print.js';
import type { Config } from '../config/types.js';
import type { MainOptions } from './program.js';

/** Runs the interactive UI; given by the ES-module build only (print.cjs never bundles the UI). */
export type InteractiveRunner = (config: Config, warnings: string[]) => Promise<number>;

/**
 * The main command: resolve configuration (all validation errors surface here, before any
 * request), then print the config, open the interactive UI, or run print mode.
 */
export async function runMain(prompt: string, opts: MainOptions, interactive?: InteractiveRunner): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  const { config, warnings } = await loadConfig({
    cwd,
    env: process.env,
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
  if (interactive) return interactive(config, warnings);
  // `bcode > file` with nothing to do: the UI cannot draw into a file.
  if (!opts.print && prompt.trim() === '' && process.stdin.isTTY && !process.stdout.isTTY) {
    throw new UsageError('the interactive UI needs a terminal on stdout', { hint: 'run bcode without redirecting its output, or give a task in print mode: bcode -p "…" > out.txt' });
  }
  return runPrint(prompt, opts, config, warnings);
}
