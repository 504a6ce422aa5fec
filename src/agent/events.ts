import type { ContentBlock, Message, StreamEvent, Usage } from '../bedrock/anthropic.js';
import type { RetryNotice } from '../bedrock/types.js';
import type { TodoItem } from '../tools/types.js';

/**
 * What the core tells a front end. Print mode and the interactive UI consume the same stream;
 * `--output-format stream-json` is derived from it.
 */
export type AgentEvent =
  | { type: 'session_start'; sessionId: string; model: string; cwd: string; tools: string[]; permissionMode: string; slashCommands?: string[]; agents?: string[]; skills?: string[]; /** Configured MCP servers and their state (system/init `mcp_servers`). */ mcpServers?: Array<{ name: string; status: string }> }
  | { type: 'stream_event'; event: StreamEvent }
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'assistant_message'; message: Message }
  | { type: 'tool_started'; id: string; name: string; input: unknown; description: string }
  | { type: 'tool_finished'; id: string; name: string; display: string; isError: boolean; durationMs: number }
  | {
      type: 'tool_results';
      content: ContentBlock[];
      /** Wall time of running this message's tool calls. */
      durationMs?: number;
      /** Each call's answer as data, by tool_use id (stream-json `tool_use_result`); not what the model reads. */
      toolUseResults?: ReadonlyMap<string, unknown>;
    }
  /** A model request is about to go out (stream-json `system/status`, time to first token). */
  | { type: 'requesting' }
  | {
      type: 'permission_denied';
      id: string;
      name: string;
      input: unknown;
      reason: string;
      /** The rules that would allow the call (`Bash(npm test:*)`), when a rule can. */
      suggestedRules?: string[];
      /** True when the call needed approval (and nobody could give it), false when a rule or the mode denied it. */
      asked?: boolean;
    }
  | { type: 'todos'; todos: TodoItem[] }
  | { type: 'usage'; model: string; usage: Usage; costUsd: number }
  | { type: 'retrying'; notice: RetryNotice }
  | { type: 'notice'; text: string }
  /**
   * A notice that stream-json carries as its own `system` line (`subtype`, plus `data`): the
   * session moved to another model (B24) or a guardrail blocked a turn (B26). Other front ends
   * show `text` like a notice.
   */
  | { type: 'system_notice'; subtype: 'model_failover' | 'guardrail_intervened'; text: string; data: Record<string, unknown> }
  | { type: 'error'; message: string; hint?: string }
  | { type: 'done'; result: RunResult };

export type RunSubtype = 'success' | 'error_max_turns' | 'error_max_budget_usd' | 'error_max_structured_output_retries' | 'error_during_execution' | 'interrupted';

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  /** Cache writes with a 5-minute / 1-hour lifetime (inside cacheCreationInputTokens), when Bedrock reported them. */
  cacheCreationEphemeral5mInputTokens?: number;
  cacheCreationEphemeral1hInputTokens?: number;
  /** bcode has no server-side web search: always 0 (the field SDK apps read). */
  webSearchRequests: number;
  costUSD: number;
  /** The model's context window and output limit, from the capability table (0 for a model it does not know). */
  contextWindow: number;
  maxOutputTokens: number;
}

export interface RunResult {
  subtype: RunSubtype;
  isError: boolean;
  result: string;
  numTurns: number;
  durationMs: number;
  durationApiMs: number;
  totalCostUsd: number;
  usage: Usage;
  modelUsage: Record<string, ModelUsage>;
  sessionId: string;
  stopReason: string | null;
  permissionDenials: Array<{ tool_name: string; tool_use_id: string; tool_input: unknown }>;
  errors?: string[];
  /** `--json-schema`: the answer the model gave through the StructuredOutput tool. */
  structuredOutput?: unknown;
  /** The HTTP status of the Bedrock error that ended the turn, when one did. */
  apiErrorStatus?: number;
}

/** The result of a turn that never ran (refused before its first request, or abandoned). */
export function failedBeforeStart(sessionId: string, errors: string[] = []): RunResult {
  return {
    subtype: 'error_during_execution',
    isError: true,
    result: '',
    numTurns: 0,
    durationMs: 0,
    durationApiMs: 0,
    totalCostUsd: 0,
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    modelUsage: {},
    sessionId,
    stopReason: null,
    permissionDenials: [],
    ...(errors.length > 0 ? { errors } : {}),
  };
}

/** Permission questions go from the core to the front end through this; print mode answers "deny". */
export interface PermissionRequest {
  toolName: string;
  /** The model's tool_use id (the Agent SDK's hosts correlate their answer with it). */
  toolUseId?: string;
  input: unknown;
  description: string;
  suggestedRule?: string;
  /** Every rule "always allow" would need when one is not enough (a chain of commands). */
  suggestedRules?: string[];
}

export type PermissionReply =
  | {
      decision: 'allow';
      remember?: boolean;
      /** The input to run the call with instead of the model's (an Agent SDK host may rewrite it); validated and checked against deny rules again. */
      updatedInput?: unknown;
    }
  | { decision: 'deny'; feedback?: string };

export interface FrontEnd {
  emit(event: AgentEvent): void;
  askPermission?(request: PermissionRequest): Promise<PermissionReply>;
}
