import type { Message, StreamEvent } from './anthropic.js';
import { MalformedStreamError } from './errors.js';

/**
 * Turns the payload of one Bedrock `chunk` event (one Anthropic stream event as JSON bytes) into
 * a typed StreamEvent. The binary event-stream framing is decoded by the AWS SDK; this checks
 * what the SDK cannot: that the payload is JSON of a shape the agent can rely on (R5).
 */

const decoder = new TextDecoder();

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(what: string): MalformedStreamError {
  return new MalformedStreamError(`Bedrock sent a malformed stream event: ${what}`, { kind: 'malformed_stream', retryable: false }, {
    hint: 'the endpoint did not send valid Anthropic stream events; if you use ANTHROPIC_BEDROCK_BASE_URL, check the gateway; otherwise retry',
  });
}

function need(cond: boolean, what: string): void {
  if (!cond) throw malformed(what);
}

const DELTA_FIELD: Record<string, string> = {
  text_delta: 'text',
  input_json_delta: 'partial_json',
  thinking_delta: 'thinking',
  signature_delta: 'signature',
};

export function validateMessage(m: unknown, where: string): asserts m is Message {
  need(isObj(m), `${where} is not an object`);
  const msg = m as Record<string, unknown>;
  need(Array.isArray(msg.content), `${where}.content is not an array`);
  need(isObj(msg.usage), `${where}.usage is missing`);
  for (const [i, block] of (msg.content as unknown[]).entries()) {
    need(isObj(block) && typeof block.type === 'string', `${where}.content[${i}] has no type`);
  }
}

export function validateStreamEvent(value: unknown): StreamEvent {
  need(isObj(value), 'event is not a JSON object');
  const ev = value as Record<string, unknown>;
  need(typeof ev.type === 'string', 'event has no "type"');
  switch (ev.type) {
    case 'message_start':
      validateMessage(ev.message, 'message_start.message');
      break;
    case 'content_block_start':
      need(typeof ev.index === 'number', 'content_block_start has no index');
      need(isObj(ev.content_block) && typeof ev.content_block.type === 'string', 'content_block_start has no content_block');
      break;
    case 'content_block_delta': {
      need(typeof ev.index === 'number', 'content_block_delta has no index');
      need(isObj(ev.delta) && typeof ev.delta.type === 'string', 'content_block_delta has no delta');
      const delta = ev.delta as Record<string, unknown>;
      const field = DELTA_FIELD[delta.type as string];
      if (field) need(typeof delta[field] === 'string', `${String(delta.type)} has no string "${field}"`);
      break;
    }
    case 'content_block_stop':
      need(typeof ev.index === 'number', 'content_block_stop has no index');
      break;
    case 'message_delta':
      need(isObj(ev.delta), 'message_delta has no delta');
      need(isObj(ev.usage) && typeof ev.usage.output_tokens === 'number', 'message_delta has no usage.output_tokens');
      break;
    case 'message_stop':
    case 'ping':
      break;
    case 'error':
      need(isObj(ev.error), 'error event has no error');
      break;
    default:
      // Unknown event types are allowed by Anthropic's versioning policy; the agent ignores them.
      break;
  }
  return ev as unknown as StreamEvent;
}

export function decodeChunk(bytes: Uint8Array | undefined): StreamEvent {
  need(bytes instanceof Uint8Array, 'chunk without bytes');
  const text = decoder.decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(`chunk is not JSON (${text.length} bytes)`);
  }
  return validateStreamEvent(parsed);
}

export function decodeMessage(bytes: Uint8Array | undefined): Message {
  need(bytes instanceof Uint8Array, 'response without body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch {
    throw malformed('InvokeModel response is not JSON');
  }
  validateMessage(parsed, 'response');
  return parsed;
}

/** Bedrock Guardrails mark an intervention in the response body (B14). */
export function guardrailIntervened(value: unknown): boolean {
  return isObj(value) && value['amazon-bedrock-guardrailAction'] === 'INTERVENED';
}
