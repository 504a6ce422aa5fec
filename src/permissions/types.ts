/** What the agent asks before every tool call (A6). */
export type PermissionBehavior = 'allow' | 'ask' | 'deny';

/**
 * Where an allowed Bash command may write (R6), carried by the decision to the sandbox:
 * - `read-only`: allowed on bcode's own judgement (a read-only command) or in plan mode — the
 *   whole file system is read-only and there is no network, so a misjudged command fails harmlessly;
 * - `workspace`: allowed by a rule or by the user — writes in the working directories and a
 *   private temp dir only;
 * - `unrestricted`: bypassPermissions — no file-system limit (masked paths stay masked).
 */
export type SandboxGrant = 'read-only' | 'workspace' | 'unrestricted';

export interface PermissionDecision {
  behavior: PermissionBehavior;
  /** One line, for the model (on deny) and the user. */
  reason: string;
  /** The rule that decided, e.g. `Bash(npm run test:*)`, when one did. */
  rule?: string;
  /** What "always allow" would save, e.g. `Bash(npm run test:*)`. */
  suggestedRule?: string;
  /** Every rule "always allow" would need when one is not enough (a chain of several commands). */
  suggestedRules?: string[];
  /** Bash only: how the command may run when allowed (absent on ask: a user's yes grants `workspace`). */
  sandbox?: SandboxGrant;
}

export type PermissionMode = 'default' | 'acceptEdits' | 'plan' | 'bypassPermissions';

/** One decision, as kept for /permissions, transcripts and telemetry. */
export interface DecisionRecord {
  tool: string;
  input: unknown;
  behavior: PermissionBehavior;
  reason: string;
  rule?: string;
  /** ms since epoch. */
  at: number;
}

/** Optional facts about the call that the input alone does not carry. */
export interface DecideContext {
  /** The Bash tool's current directory (it persists `cd` between calls); default: the session cwd. */
  shellCwd?: string;
}

export interface PermissionPolicy {
  readonly mode: PermissionMode;
  decide(toolName: string, input: unknown, context?: DecideContext): Promise<PermissionDecision>;
  /** Persists an "always allow" answer (to .claude/settings.local.json) and applies it now. */
  rememberAllow(rule: string): Promise<void>;
  /** Every decision made so far, oldest first. */
  readonly decisions: readonly DecisionRecord[];
  /**
   * Whether a deny rule covers this path for this tool (e.g. `Read(./.env)` for `Grep`), so
   * search tools can drop denied files from results of a search rooted above them.
   */
  isDenied?(toolName: string, absolutePath: string): boolean;
  /** Adds, removes or replaces rules of one list for the rest of the session (in memory); throws ConfigError on a bad rule. */
  changeRules?(list: 'allow' | 'ask' | 'deny', op: 'add' | 'remove' | 'replace', rules: readonly string[]): void;
  /** More working directories for the rest of the session (in memory). */
  addDirectories?(dirs: readonly string[]): void;
  /** Switches mode mid-session (Shift-Tab); throws ConfigError where the mode is refused (bypass as root). */
  setMode?(mode: PermissionMode): void;
  /**
   * What the sandbox needs from the policy: the directories an allowed command may write, and
   * the paths whose content must not be readable (Read deny rules) or writable (Edit deny rules).
   */
  sandboxPaths?(): SandboxPaths;
  /** The rules in force, as written, for /permissions. */
  listRules?(): { allow: string[]; ask: string[]; deny: string[]; additionalDirectories: string[] };
  /** /permissions: a rule in force from now on (throws ConfigError for an invalid one); false if it already was. */
  addRule?(list: 'allow' | 'ask' | 'deny', rule: string): boolean;
  /** /permissions remove: the rule no longer applies from now on; false if it was not in that list. */
  removeRule?(list: 'allow' | 'ask' | 'deny', rule: string): boolean;
}

export interface SandboxPaths {
  /** The working directory and permissions.additionalDirectories, absolute (as given and resolved). */
  writableRoots: string[];
  /** Read deny rules compiled to matchers over absolute paths; `fixed` is the part before any wildcard. */
  denyRead: Array<{ source: string; fixed: string; test(absolutePath: string): boolean }>;
  /** Edit deny rules, same shape. */
  denyWrite: Array<{ source: string; fixed: string; test(absolutePath: string): boolean }>;
}
