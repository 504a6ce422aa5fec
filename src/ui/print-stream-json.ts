import { randomUUID } from 'node:crypto';
import type { AgentEvent, FrontEnd } from '../agent/events.js';
import { StreamEventRedactor } from '../util/stream-redact.js';
import { denialSummary } from './denials.js';
import { isApiError, resultObject, writeLine, type PrintStreams } from './output.js';

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

  constructor(
    private readonly io: PrintStreams,
    private readonly options: StreamJsonOptions,
  ) {}

  private line(o: Record<string, unknown>): void {
    writeLine(this.io.stdout, JSON.stringify(o));
  }

  emit(event: AgentEvent): void {
    const uuid = randomUUID();
    switch (event.type) {
      case 'session_start':
        this.sessionId = event.sessionId;
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
      case 'stream_event':
        if (!this.options.includePartialMessages) return;
        for (const e of this.partials.process(event.event)) this.line({ type: 'stream_event', event: e, parent_tool_use_id: null, uuid: randomUUID(), session_id: this.sessionId });
        return;
      case 'assistant_message':
        this.line({ type: 'assistant', message: event.message, parent_tool_use_id: null, uuid, session_id: this.sessionId });
        return;
      case 'tool_results':
        this.line({
          type: 'user',
          message: { role: 'user', content: event.content },
          parent_tool_use_id: null,
          uuid,
          session_id: this.sessionId,
          // bcode addition: how long this batch of tool calls took (wall time, parallel calls overlap).
          ...(event.durationMs !== undefined ? { duration_ms: event.durationMs } : {}),
        });
        return;
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
        if (isApiError(event.result)) {
          this.line({
            type: 'assistant',
            message: { id: `msg_${randomUUID().replace(/-/g, '')}`, type: 'message', role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: event.result.result }], stop_reason: 'stop_sequence', stop_sequence: '', usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
            parent_tool_use_id: null,
            uuid: randomUUID(),
            session_id: this.sessionId,
          });
        }
        this.line(resultObject(event.result, uuid));
        if (this.options.denialSummary) for (const l of denialSummary(this.denied)) writeLine(this.io.stderr, l);
        return;
      default:
        return;
    }
  }
}
