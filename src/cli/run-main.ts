import { applySettingsEnv } from '../config/apply-env.js';
import { loadConfig } from '../config/load.js';
import { registerEnvSecrets } from '../util/redact.js';
import { runPrint } from './print.js';
import type { MainOptions } from './program.js';

/**
 * The main command: resolve configuration (all validation errors surface here, before any
 * request), then print the config or run print mode.
 */
export async function runMain(prompt: string, opts: MainOptions): Promise<number> {
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
