/**
 * The command sandbox for a configuration: one construction for the session (its Bash, hooks and
 * stdio MCP servers) and for `bcode mcp list|get`, which start servers as a session would.
 * Loaded lazily by both callers (src/sandbox is off the first request's path).
 */
import os from 'node:os';
import type { Config } from '../config/types.js';
import type { PermissionPolicy } from '../permissions/types.js';
import { passesAwsCredentials } from '../util/child-env.js';
import { SandboxRunner } from './runner.js';
import { resolveSandboxSettings } from './settings.js';

export function sandboxRunnerFor(config: Config, policy: PermissionPolicy, scratchDir: string): SandboxRunner {
  return new SandboxRunner({
    settings: resolveSandboxSettings(config.settings.sandbox),
    policy,
    home: config.env.HOME || os.homedir(),
    projectRoot: config.projectRoot || config.cwd,
    passAwsCredentials: passesAwsCredentials(config),
    scratchDir,
    envPath: config.env.PATH,
  });
}
