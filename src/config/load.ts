import { ConfigError } from '../errors.js';
import type { Config } from './types.js';

export interface ConfigFlags {
  settings?: string;
  model?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  verbose?: boolean;
  debug?: boolean;
}

export interface LoadOptions {
  cwd: string;
  /** The process environment (shell variables win over settings `env`). */
  env: Record<string, string | undefined>;
  flags: ConfigFlags;
  /** Defaults to os.homedir(); tests pass a temporary HOME through the env instead. */
  homeDir?: string;
  /** Managed settings directory; default /etc/claude-code, overridable by BCODE_MANAGED_SETTINGS_DIR. */
  managedDir?: string;
}

export interface LoadResult {
  config: Config;
  /** One line each: unknown keys, ignored settings. Shown once (all of them with --verbose). */
  warnings: string[];
}

/** Finds, parses, validates and merges settings, applies `env`, and resolves the frozen Config. */
export async function loadConfig(_options: LoadOptions): Promise<LoadResult> {
  throw new ConfigError('configuration loading is not built yet');
}
