/**
 * The PreToolUse / PostToolUse rules the dispatcher applies, kept here so that dispatch.ts only
 * calls in. bcode's deny rules stay authoritative: a hook's `allow` only answers a question
 * nobody else answered (no rule, no mode), it never overrides a deny or an explicit ask rule; an
 * `updatedInput` is validated against the tool's schema and decided again like the model's own.
 */
import type { ImageBlock, TextBlock } from '../../bedrock/anthropic.js';
import type { PermissionDecision } from '../../permissions/types.js';
import type { ToolResult } from '../../tools/types.js';
import type { HookVerdict } from './types.js';

/** The permission decision after the PreToolUse hooks had their say (the hooks' deny is handled before). */
export function applyHookPermission(decision: PermissionDecision, verdict: HookVerdict | undefined): PermissionDecision {
  if (!verdict?.permission) return decision;
  if (verdict.permission === 'allow' && decision.behavior === 'ask' && decision.rule === undefined) {
    // Like a user's yes: the command may change things in the workspace.
    return { behavior: 'allow', reason: verdict.permissionReason ?? 'allowed by a PreToolUse hook', sandbox: 'workspace' };
  }
  if (verdict.permission === 'ask' && decision.behavior === 'allow') {
    return { behavior: 'ask', reason: verdict.permissionReason ?? 'a PreToolUse hook asks for confirmation' };
  }
  return decision;
}

/** Why a PreToolUse hook stopped the call (exit 2, or deny), for the model; undefined when it did not. */
export function preToolRefusal(verdict: HookVerdict | undefined): string | undefined {
  if (!verdict) return undefined;
  if (verdict.block !== undefined) return `Blocked by a PreToolUse hook: ${verdict.block}`;
  if (verdict.permission === 'deny') return `Blocked by a PreToolUse hook: ${verdict.permissionReason ?? 'the hook denied this call'}`;
  return undefined;
}

/**
 * The tool's answer as PostToolUse hooks get it (`tool_response`): the tool's own data (Write's
 * filePath and content, Bash's stdout …), the same object stream-json's `tool_use_result` carries;
 * for a tool without data, its text.
 */
export function toolResponse(result: ToolResult): unknown {
  if (result.data !== undefined && !result.isError) return result.data;
  const text = typeof result.forModel === 'string' ? result.forModel : result.forModel.map((b) => (b.type === 'text' ? b.text : '[image]')).join('\n');
  return result.isError ? { output: text, is_error: true } : { output: text };
}

/** The result with PostToolUse feedback (exit 2 stderr, decision block reason, additionalContext) appended for the model. */
export function withHookFeedback(result: ToolResult, verdict: HookVerdict): ToolResult {
  const parts = [...(verdict.block !== undefined ? [`PostToolUse hook feedback: ${verdict.block}`] : []), ...verdict.context.map((c) => `PostToolUse hook context: ${c}`)];
  if (parts.length === 0) return result;
  const text = parts.join('\n');
  if (typeof result.forModel === 'string') return { ...result, forModel: result.forModel ? `${result.forModel}\n\n${text}` : text };
  const blocks: Array<TextBlock | ImageBlock> = [...result.forModel, { type: 'text', text }];
  return { ...result, forModel: blocks };
}
