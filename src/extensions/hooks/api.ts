/**
 * What the session engine sees of hooks (types only: src/agent and src/session import this
 * without loading the hooks' code, which is loaded only when some settings file has hooks).
 */
import type { ConfiguredHook, HookEvent, HookVerdict } from './types.js';

export type { HookVerdict } from './types.js';

/** Fields every event's JSON carries. */
export interface BaseFields {
  session_id: string;
  transcript_path: string;
  cwd: string;
  permission_mode: string;
}

export interface ToolCallInfo {
  toolName: string;
  toolUseId: string;
  input: unknown;
}

export type SessionStartSource = 'startup' | 'resume' | 'clear' | 'compact';
export type SessionEndReason = 'clear' | 'logout' | 'prompt_input_exit' | 'other';

export interface AgentHooks {
  /** The hooks this session runs (snapshotted at its start), for `/hooks`. */
  readonly configured: readonly ConfiguredHook[];
  has(event: HookEvent): boolean;
  preToolUse(call: ToolCallInfo, signal?: AbortSignal): Promise<HookVerdict>;
  postToolUse(call: ToolCallInfo & { response: unknown }, signal?: AbortSignal): Promise<HookVerdict>;
  /** Its context also carries what SessionStart hooks gave since the last prompt. */
  userPromptSubmit(prompt: string, signal?: AbortSignal): Promise<HookVerdict>;
  stop(subagent: boolean, stopHookActive: boolean, lastMessage: string | undefined, signal?: AbortSignal): Promise<HookVerdict>;
  preCompact(trigger: 'manual' | 'auto', customInstructions: string | null, signal?: AbortSignal): Promise<void>;
  /** Fire and forget: a notification never waits for its hooks. */
  notification(message: string, type: string): void;
  sessionStart(source: SessionStartSource): Promise<void>;
  sessionEnd(reason: SessionEndReason): Promise<void>;
}
