import { applySettingsEnv } from '../config/apply-env.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { configureNetwork } from '../net/state.js';
import { registerEnvSecrets } from '../util/redact.js';

/**
 * The configuration of a subcommand that talks to the network (`doctor`, `models`, `mcp`): the
 * settings files, their `env` applied, its secrets registered for redaction, and the proxy and
 * extra CAs (B27) settled before any connection. A missing region is left for the command to
 * report in its own way.
 */
export async function loadCommandConfig(opts: { cwd?: string; settings?: string; model?: string }): Promise<{ config: Config; warnings: string[] }> {
  const loaded = await loadConfig({
    cwd: opts.cwd ?? process.cwd(),
    env: process.env,
    tolerateMissingRegion: true,
    flags: { settings: opts.settings, model: opts.model },
  });
  applySettingsEnv(loaded.config);
  registerEnvSecrets(loaded.config.env);
  await configureNetwork(loaded.config.env);
  return loaded;
}
