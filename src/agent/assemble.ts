import type { ContentBlock, Message, StreamEvent, ToolUseBlock, Usage } from '../bedrock/anthropic.js';
import { BcodeError } from '../errors.js';

/** The model's stream ended before `message_stop`: the turn may be retried (nothing was committed). */
export class IncompleteStreamError extends BcodeError {
  constructor(message = 'the response stream ended before the message was complete') {
    super(message, { hint: 'a network problem cut the response short; run the task again' });
  }
}

/** The model sent an `error` event in the middle of its stream. */
export class ModelStreamError extends BcodeError {
  constructor(readonly errorType: string, message: string) {
    super(`model stream error (${errorType}): ${message}`, { hint: 'run the task again; if it repeats, check the model id and quotas' });
  }
}

export interface AssembledMessage {
  message: Message;
  /** tool_use id → why its input JSON could not be used (the call gets an error result). */
  inputErrors: Map<string, string>;
}

interface OpenBlock {
  block: ContentBlock;
  json: string;
}

/**
 * Folds Anthropic stream events into one assistant Message. Thinking blocks keep their text and
 * signature exactly as streamed, and redacted thinking its opaque data, because the API checks
 * them byte for byte when they are sent back.
 */
export class StreamAssembler {
  private message: Message | undefined;
  private readonly open = new Map<number, OpenBlock>();
  private readonly done = new Map<number, ContentBlock>();
  private readonly inputErrors = new Map<string, string>();
  private usage: Usage = { input_tokens: 0, output_tokens: 0 };
  private stopped = false;
  private sawOutput = false;

  /** True once any content arrived: a failure after this point cannot be retried invisibly. */
  get hasOutput(): boolean {
    return this.sawOutput;
  }

  get complete(): boolean {
    return this.stopped;
  }

  handle(event: StreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.message = { ...event.message, content: [] };
        this.usage = { ...event.message.usage };
        return;
      case 'content_block_start':
        this.sawOutput = true;
        this.open.set(event.index, { block: structuredClone(event.content_block), json: '' });
        return;
      case 'content_block_delta': {
        this.sawOutput = true;
        const open = this.open.get(event.index);
        if (!open) return;
        const d = event.delta;
        const b = open.block;
        if (d.type === 'text_delta' && b.type === 'text') b.text += d.text;
        else if (d.type === 'input_json_delta' && b.type === 'tool_use') open.json += d.partial_json;
        else if (d.type === 'thinking_delta' && b.type === 'thinking') b.thinking += d.thinking;
        else if (d.type === 'signature_delta' && b.type === 'thinking') b.signature = (b.signature ?? '') + d.signature;
        return;
      }
      case 'content_block_stop': {
        const open = this.open.get(event.index);
        if (!open) return;
        this.open.delete(event.index);
        if (open.block.type === 'tool_use') this.finishToolUse(open.block, open.json);
        this.done.set(event.index, open.block);
        return;
      }
      case 'message_delta':
        if (this.message) {
          this.message.stop_reason = event.delta.stop_reason;
          this.message.stop_sequence = event.delta.stop_sequence;
        }
        // message_delta carries cumulative counts; keep the start's input figures where absent.
        this.usage = { ...this.usage, ...definedOnly(event.usage) };
        return;
      case 'message_stop':
        this.stopped = true;
        return;
      case 'error':
        throw new ModelStreamError(event.error.type, event.error.message);
      default:
        return;
    }
  }

  /** The assembled message; throws IncompleteStreamError when the stream did not finish. */
  finish(): AssembledMessage {
    if (!this.message || !this.stopped) throw new IncompleteStreamError();
    // Blocks the stream opened but never closed are finished as they stand.
    for (const [index, open] of this.open) {
      if (open.block.type === 'tool_use') this.finishToolUse(open.block, open.json);
      this.done.set(index, open.block);
    }
    this.open.clear();
    const content = [...this.done.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    return { message: { ...this.message, content, usage: this.usage }, inputErrors: new Map(this.inputErrors) };
  }

  private finishToolUse(block: ToolUseBlock, json: string): void {
    if (json.trim() === '') {
      // No deltas: the start event carried the whole input (often `{}`).
      if (block.input === undefined || block.input === null) block.input = {};
      return;
    }
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        this.inputErrors.set(block.id, `the input must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
        block.input = {};
      } else {
        block.input = parsed;
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.inputErrors.set(block.id, `the input is not valid JSON (${reason}); received: ${truncate(json, 300)}`);
      // The API needs an object here; the error result tells the model what went wrong.
      block.input = {};
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)}…`;
}
