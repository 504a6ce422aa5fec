/**
 * The `sandbox` settings, with the reference product's key names and meanings (docs/permissions.md
 * lists which are implemented). Types are checked per settings file by settings-schema.ts; this
 * only fills in bcode's defaults.
 */
export interface SandboxSettings {
  /** bcode sandboxes Bash wherever bubblewrap works unless this is `false`. */
  enabled: boolean;
  /** Refuse to run Bash at all when the sandbox cannot start (for managed deployments). */
  failIfUnavailable: boolean;
  /** Programs that run outside the sandbox when a rule or the user allowed the command. */
  excludedCommands: string[];
  /** Extra paths sandboxed commands may write / may not write / may not read. */
  allowWrite: string[];
  denyWrite: string[];
  denyRead: string[];
  /**
   * `network.allowedDomains` when set. bcode cannot yet filter a sandbox's traffic by domain, so a
   * list (even one naming domains) means no network for sandboxed commands: closed, not open.
   */
  allowedDomains?: string[];
  /** `network.allowAllUnixSockets`: let sandboxed commands open Unix sockets (docker, ssh-agent …). */
  allowAllUnixSockets: boolean;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function resolveSandboxSettings(raw: unknown): SandboxSettings {
  const s = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const net = (s.network !== null && typeof s.network === 'object' ? s.network : {}) as Record<string, unknown>;
  const fsKeys = (s.filesystem !== null && typeof s.filesystem === 'object' ? s.filesystem : {}) as Record<string, unknown>;
  return {
    enabled: bool(s.enabled, true),
    failIfUnavailable: bool(s.failIfUnavailable, false),
    excludedCommands: strings(s.excludedCommands),
    allowWrite: strings(fsKeys.allowWrite),
    denyWrite: strings(fsKeys.denyWrite),
    denyRead: strings(fsKeys.denyRead),
    allowAllUnixSockets: bool(net.allowAllUnixSockets, false),
    ...(Array.isArray(net.allowedDomains) ? { allowedDomains: strings(net.allowedDomains) } : {}),
  };
}
