/**
 * The pieces of stream-json / json output whose shape follows the reference product message for
 * message (docs/agent.md, "reference vs bcode"): the usage object as SDK apps read it, the
 * synthetic answer of a failed model call, per-block assistant messages, and the timings of a run.
 */
import type { Message, Usage } from '../bedrock/anthropic.js';

/** The `usage` of a result: every field the Anthropic usage object has, none left out. */
export function resultUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    output_tokens: usage.output_tokens,
    // bcode calls no server-side tools.
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: usage.service_tier ?? 'standard',
    cache_creation: { ephemeral_1h_input_tokens: usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, ephemeral_5m_input_tokens: usage.cache_creation?.ephemeral_5m_input_tokens ?? 0 },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
  };
}

/** The assistant message that tells a failed model call (no tokens were used). */
export function syntheticErrorMessage(id: string, text: string): Record<string, unknown> {
  return {
    id,
    container: null,
    model: '<synthetic>',
    role: 'assistant',
    stop_details: null,
    stop_reason: 'stop_sequence',
    stop_sequence: '',
    type: 'message',
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: null,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
      inference_geo: null,
      iterations: null,
      speed: null,
    },
    content: [{ type: 'text', text }],
    context_management: null,
  };
}

/**
 * One message per content block, as the reference product streams them: the same id, the
 * usage Bedrock reported when the message started, and `stop_reason: null` (the stop reason is
 * in the result). bcode sends them once the whole message has arrived, in block order: a
 * response that breaks off and is asked again never leaves half a message behind.
 */
export function blockMessages(message: Message, startUsage: Usage | undefined): Array<Record<string, unknown>> {
  const usage = startUsage ?? message.usage;
  return message.content.map((block) => ({
    id: message.id,
    type: 'message',
    role: 'assistant',
    model: message.model,
    content: [block],
    stop_reason: null,
    stop_sequence: null,
    usage,
    context_management: null,
  }));
}

/** Timings of one run, as a front end sees its events: to the first request, and to the first token. */
export class RunClock {
  private started = 0;
  private requested: number | undefined;
  private firstToken: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  start(): void {
    this.started = this.now();
    this.requested = undefined;
    this.firstToken = undefined;
  }

  requesting(): void {
    this.requested ??= this.now();
  }

  streamEvent(): void {
    if (this.requested !== undefined) this.firstToken ??= this.now();
  }

  /** `ttft_ms` (request sent → first event of the answer) and `time_to_request_ms` (run start → first request). */
  fields(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.requested !== undefined && this.started > 0) out.time_to_request_ms = this.requested - this.started;
    if (this.requested !== undefined && this.firstToken !== undefined) out.ttft_ms = this.firstToken - this.requested;
    return out;
  }
}
