import { randomUUID } from 'node:crypto';
import type { AgentEvent, FrontEnd, RunResult } from '../agent/events.js';
import { StreamEventRedactor } from '../util/stream-redact.js';
import { denialSummary } from './denials.js';
import type { Usage } from '../bedrock/anthropic.js';
import { apiErrorText, isApiError, resultObject, writeLine, type PrintStreams } from './output.js';
import { blockMessages, RunClock, syntheticErrorMessage } from './stream-json-shapes.js';

export interface StreamJsonOptions {
  includePartialMessages: boolean;
  version: string;
  /** Print mode: after the result, stderr names the denied calls and the flags that would allow them. */
  denialSummary?: boolean;
}

const RETRY_ERRORS = new Set(['authentication_failed', 'billing_error', 'rate_limit', 'overloaded', 'invalid_request', 'model_not_found', 'server_error', 'max_output_tokens']);

/**
 * `--output-format stream-json`: the agent's events as NDJSON on stdout, in the shapes headless
 * consumers parse (bedrock-wire.md §7.7): system/init, assistant, user, stream_event (with
 * --include-partial-messages), system/api_retry, and a final result.
 */
export class StreamJsonRenderer implements FrontEnd {
  private sessionId = '';
  /** Partial messages are redacted over each block's joined text: a secret split across deltas is still masked. */
  private readonly partials = new StreamEventRedactor();
  private readonly denied: Array<Extract<AgentEvent, { type: 'permission_denied' }>> = [];
  private readonly clock = new RunClock();
  /** The usage Bedrock reported when the current message started (what per-block messages carry). */
  private startUsage: Usage | undefined;

  constructor(
    private readonly io: PrintStreams,
    private readonly options: StreamJsonOptions,
  ) {}

  /** A failed model call is also told as the assistant's answer, the way SDK apps expect it (before the result). */
  failedCallAnswer(result: RunResult): void {
    if (!isApiError(result)) return;
    this.line({
      type: 'assistant',
      message: syntheticErrorMessage(randomUUID(), apiErrorText(result)),
      parent_tool_use_id: null,
      session_id: this.sessionId,
      uuid: randomUUID(),
      error: apiErrorKind(result.apiErrorStatus),
    });
  }

  /** The current run's time to first request and to first token (result fields). */
  timings(): Record<string, number> {
    return this.clock.fields();
  }

  private line(o: Record<string, unknown>): void {
    writeLine(this.io.stdout, JSON.stringify(o));
  }

  emit(event: AgentEvent): void {
    const uuid = randomUUID();
    switch (event.type) {
      case 'session_start':
        this.sessionId = event.sessionId;
        this.clock.start();
        this.line({
          type: 'system',
          subtype: 'init',
          uuid,
          session_id: event.sessionId,
          cwd: event.cwd,
          tools: event.tools,
          mcp_servers: event.mcpServers ?? [],
          model: event.model,
          permissionMode: event.permissionMode,
          slash_commands: event.slashCommands ?? [],
          apiKeySource: 'none',
          output_style: 'default',
          // The fields the Agent SDK declares (bcode has no plugins).
          skills: event.skills ?? [],
          plugins: [],
          agents: event.agents ?? [],
          // "The version of the process that runs the turns": bcode's own (also as bcode_version).
          claude_code_version: this.options.version,
          bcode_version: this.options.version,
        });
        return;
      case 'requesting':
        this.clock.requesting();
        // Only with partial messages, as the reference product does: a live "the model is being asked".
        if (this.options.includePartialMessages) this.line({ type: 'system', subtype: 'status', status: 'requesting', uuid, session_id: this.sessionId });
        return;
      case 'stream_event':
        this.clock.streamEvent();
        if (event.event.type === 'message_start') this.startUsage = event.event.message.usage;
        if (!this.options.includePartialMessages) return;
        for (const e of this.partials.process(event.event)) this.line({ type: 'stream_event', event: e, parent_tool_use_id: null, uuid: randomUUID(), session_id: this.sessionId });
        return;
      case 'assistant_message':
        for (const message of blockMessages(event.message, this.startUsage)) this.line({ type: 'assistant', message, parent_tool_use_id: null, session_id: this.sessionId, uuid: randomUUID() });
        this.startUsage = undefined;
        return;
      case 'tool_results': {
        // One user message per tool result, each with the call's answer as data, as the reference sends them.
        const timestamp = new Date().toISOString();
        for (const [i, block] of event.content.entries()) {
          const id = block.type === 'tool_result' ? block.tool_use_id : undefined;
          this.line({
            type: 'user',
            message: { role: 'user', content: [block] },
            parent_tool_use_id: null,
            session_id: this.sessionId,
            uuid: randomUUID(),
            timestamp,
            ...(id !== undefined && event.toolUseResults?.has(id) ? { tool_use_result: event.toolUseResults.get(id) } : {}),
            // bcode addition: how long this message's tool calls took (wall time, parallel calls
            // overlap), on the first result only so that summing over messages counts it once.
            ...(event.durationMs !== undefined && i === 0 ? { duration_ms: event.durationMs } : {}),
          });
        }
        return;
      }
      case 'retrying':
        this.line({
          type: 'system',
          subtype: 'api_retry',
          attempt: event.notice.attempt,
          max_retries: event.notice.maxRetries,
          retry_delay_ms: event.notice.delayMs,
          error_status: event.notice.status ?? null,
          error: RETRY_ERRORS.has(event.notice.reason) ? event.notice.reason : 'unknown',
          message: event.notice.message,
          uuid,
          session_id: this.sessionId,
        });
        return;
      case 'notice':
        writeLine(this.io.stderr, event.text);
        return;
      case 'system_notice':
        this.line({ type: 'system', subtype: event.subtype, ...event.data, message: event.text, uuid, session_id: this.sessionId });
        return;
      case 'error':
        writeLine(this.io.stderr, `bcode: ${event.message}`);
        if (event.hint) writeLine(this.io.stderr, `  hint: ${event.hint}`);
        return;
      case 'permission_denied':
        this.denied.push(event);
        return;
      case 'done':
        // A failed model call is also told as the assistant's answer, the way SDK apps expect it.
        this.failedCallAnswer(event.result);
        this.line(resultObject(event.result, uuid, this.clock.fields()));
        if (this.options.denialSummary) for (const l of denialSummary(this.denied)) writeLine(this.io.stderr, l);
        return;
      default:
        return;
    }
  }
}

/** The SDK's SDKAssistantMessageError for a failed call's HTTP status. */
function apiErrorKind(status: number): string {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'authentication_failed';
  if (status >= 500) return 'server_error';
  return 'unknown';
}
