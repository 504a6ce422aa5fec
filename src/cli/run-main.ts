import { loadConfig } from '../config/load.js';
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
  if (opts.printConfig) {
    const { printConfig } = await import('./print-config.js');
    return printConfig(config, warnings);
  }
  const { runPrint } = await import('./print.js');
  return runPrint(prompt, opts, config, warnings);
}
