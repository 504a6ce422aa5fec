/** What the agent asks before every tool call (A6). */
export type PermissionBehavior = 'allow' | 'ask' | 'deny';

export interface PermissionDecision {
  behavior: PermissionBehavior;
  /** One line, for the model (on deny) and the user. */
  reason: string;
  /** The rule that decided, e.g. `Bash(npm run test:*)`, when one did. */
  rule?: string;
  /** What "always allow" would save, e.g. `Bash(npm run test:*)`. */
  suggestedRule?: string;
}

export type PermissionMode = 'default' | 'acceptEdits' | 'plan' | 'bypassPermissions';

export interface PermissionPolicy {
  readonly mode: PermissionMode;
  decide(toolName: string, input: unknown): Promise<PermissionDecision>;
  /** Persists an "always allow" answer (to .claude/settings.local.json) and applies it now. */
  rememberAllow(rule: string): Promise<void>;
}
