import os from 'node:os';
import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { RulePolicy } from './policy.js';
import type { PermissionMode, PermissionPolicy } from './types.js';

export type { DecideContext, DecisionRecord, PermissionBehavior, PermissionDecision, PermissionMode, PermissionPolicy } from './types.js';

const MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];

export interface PermissionPolicyOptions {
  cwd: string;
  /** `--permission-mode`; else `permissions.defaultMode`; else `default`. */
  mode?: PermissionMode;
  /** Extra rules (e.g. `--allowedTools` / `--disallowedTools` when the config does not carry them). */
  allow?: readonly string[];
  deny?: readonly string[];
  ask?: readonly string[];
  /** For tests: the user id that bypassPermissions checks (default: the process's). */
  uid?: number;
  /** For tests: the home directory `~/` rules refer to (default: HOME from the config env, else os.homedir()). */
  home?: string;
  now?: () => number;
  /** For tests: whether deny and ask path rules ignore letter case (default: by platform). */
  caseInsensitivePaths?: boolean;
}

function isSandboxed(env: Record<string, string | undefined>): boolean {
  const v = env.IS_SANDBOX?.trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

/** The deny and ask rules of the managed settings layer (config.mcp.layers keeps every layer's data by scope). */
function managedRules(config: Config): { deny: string[]; ask: string[] } {
  const out = { deny: [] as string[], ask: [] as string[] };
  const layers = config.mcp?.layers;
  if (!layers) return out;
  for (const layer of layers) {
    if (layer.scope !== 'managed') continue;
    // Any value may stand there: a missing, null, string or number one has no lists (`?.` and
    // property access on a primitive give undefined).
    const perms = layer.data.permissions as Record<string, unknown> | null | undefined;
    for (const list of ['deny', 'ask'] as const) {
      const rules = perms?.[list];
      if (Array.isArray(rules)) for (const r of rules) if (typeof r === 'string') out[list].push(r);
    }
  }
  return out;
}

/**
 * Builds the session's permission policy from the merged settings and the CLI's choices.
 * Throws ConfigError for an invalid rule or mode, and for bypassPermissions as root outside a
 * sandbox (set IS_SANDBOX=1 to say the machine is a disposable sandbox).
 */
export function createPermissionPolicy(config: Config, options: PermissionPolicyOptions): PermissionPolicy {
  const mode = options.mode ?? config.permissions.defaultMode ?? 'default';
  // config.env is already the effective environment (process env over settings `env`).
  const env: Record<string, string | undefined> = config.env ?? {};
  const checkMode = (m: PermissionMode) => {
    if (!MODES.includes(m)) throw new ConfigError(`unknown permission mode '${String(m)}'`, { hint: `use one of: ${MODES.join(', ')}` });
    if (m !== 'bypassPermissions') return;
    const uid = options.uid ?? (typeof process.getuid === 'function' ? process.getuid() : -1);
    if (uid === 0 && !isSandboxed(env)) {
      throw new ConfigError('bypassPermissions is refused when running as root, because every command would run unchecked with full rights', {
        hint: 'run as a normal user, or set IS_SANDBOX=1 if this is a disposable sandbox or container',
      });
    }
  };
  checkMode(mode);
  const perms = config.permissions;
  return new RulePolicy({
    cwd: options.cwd,
    projectRoot: config.projectRoot || options.cwd,
    home: options.home ?? (env.HOME || os.homedir()),
    mode,
    allow: [...(perms.allow ?? []), ...(options.allow ?? [])],
    ask: [...(perms.ask ?? []), ...(options.ask ?? [])],
    deny: [...(perms.deny ?? []), ...(options.deny ?? [])],
    additionalDirectories: perms.additionalDirectories ?? [],
    now: options.now,
    checkMode,
    caseInsensitivePaths: options.caseInsensitivePaths,
    managed: managedRules(config),
  });
}
