import type { ContentBlock, MessageParam } from '../bedrock/anthropic.js';

/**
 * The messages of one session, in API form. Append-only: a message is added once it is complete
 * (an assistant message after its stream ended, a user message with all its tool results);
 * only compaction replaces the older part with a summary.
 */
export class Conversation {
  private readonly list: MessageParam[] = [];

  constructor(initial: MessageParam[] = []) {
    this.list.push(...initial);
  }

  get messages(): readonly MessageParam[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  push(message: MessageParam): void {
    this.list.push(message);
  }

  /**
   * The prompt size the API measured for the last response (input, cache reads and writes, plus
   * the answer) and how many messages the conversation had then; the compaction threshold
   * builds on it.
   */
  usageMark: { tokens: number; length: number } | undefined;

  /**
   * B26: the last `count` messages (a turn a guardrail blocked, and its canned reply) leave the
   * conversation sent to the model; the transcript keeps them, with a marker saying so.
   */
  exclude(count: number): void {
    this.list.splice(Math.max(0, this.list.length - count), count);
    this.usageMark = undefined;
  }

  /** Compaction: a summary and the kept messages replace the history (the only non-append change). */
  replace(messages: MessageParam[]): void {
    this.list.splice(0, this.list.length, ...messages);
    this.usageMark = undefined;
  }

  /** The tool_use ids of an assistant message that have no tool_result in the message after it. */
  static unanswered(assistant: MessageParam, next: MessageParam | undefined): string[] {
    const uses = blocks(assistant).filter((b) => b.type === 'tool_use').map((b) => (b as { id: string }).id);
    const answered = new Set(blocks(next).filter((b) => b.type === 'tool_result').map((b) => (b as { tool_use_id: string }).tool_use_id));
    return uses.filter((id) => !answered.has(id));
  }
}

function blocks(m: MessageParam | undefined): ContentBlock[] {
  if (!m || typeof m.content === 'string') return [];
  return m.content;
}
