/**
 * Hooks (A12): commands (or, for the Agent SDK's control protocol, functions) that run at fixed
 * points of a session and may block, rewrite or add to what happens there. The event names,
 * the JSON a hook reads on stdin and the JSON it may print follow the reference product's
 * public hooks documentation, so a team's existing hook scripts run unchanged.
 */

/** The events bcode runs hooks for. */
export const HOOK_EVENTS = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop', 'SubagentStop', 'SessionStart', 'SessionEnd', 'PreCompact', 'Notification'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export type HookScope = 'managed' | 'flag' | 'local' | 'project' | 'user' | 'sdk';

/**
 * What a hook prints on stdout as JSON (all optional). Field names are the reference product's.
 */
export interface HookJsonOutput {
  continue?: boolean;
  stopReason?: string;
  suppressOutput?: boolean;
  decision?: 'approve' | 'block';
  reason?: string;
  systemMessage?: string;
  hookSpecificOutput?: {
    hookEventName?: string;
    permissionDecision?: 'allow' | 'deny' | 'ask';
    permissionDecisionReason?: string;
    updatedInput?: unknown;
    additionalContext?: string;
  };
}

/** A hook given as a function (the Agent SDK's hook callbacks come through this). */
export type HookCallback = (input: Record<string, unknown>, signal: AbortSignal) => Promise<HookJsonOutput | undefined>;

export interface ConfiguredHook {
  event: HookEvent;
  /** As written; undefined, '' and '*' match everything. */
  matcher?: string;
  /** A shell command (run with bash -c) … */
  command?: string;
  /** … or a function. Exactly one of the two is set. */
  callback?: HookCallback;
  /** Seconds. */
  timeout: number;
  scope: HookScope;
  /** The settings file it came from (or `sdk`). */
  origin: string;
}

export const DEFAULT_HOOK_TIMEOUT_S = 60;

/** How one hook ended. */
export interface HookRun {
  hook: ConfiguredHook;
  /** 0 = success, 2 = blocking error, anything else (or null: killed, failed to start) = non-blocking error. */
  exitCode: number | null;
  /** Redacted. */
  stdout: string;
  /** Redacted. */
  stderr: string;
  timedOut: boolean;
  /** The parsed stdout, when it was a JSON object (callbacks always give this). */
  json?: HookJsonOutput;
  /** Why it did not run or did not finish, for the user. */
  failure?: string;
}

/** What all the hooks of one event decided together. */
export interface HookVerdict {
  /** Exit 2 or `decision: "block"` (or a PreToolUse deny): the reason, for whom the event defines. */
  block?: string;
  /** PreToolUse: the strongest permission answer of all hooks (deny > ask > allow). */
  permission?: 'allow' | 'deny' | 'ask';
  permissionReason?: string;
  /** PreToolUse: the rewritten tool input (from the first hook that gave one). */
  updatedInput?: unknown;
  /** Text for the model (UserPromptSubmit, SessionStart, PostToolUse). */
  context: string[];
  /** `continue: false`: the run stops, with this text for the user. */
  stop?: string;
  /** Lines for the user: systemMessage, failures, stderr of non-blocking events. */
  userMessages: string[];
  /** Plain stdout of successful hooks: shown only with --verbose. */
  verbose: string[];
}
