/**
 * `/context` (B22): how the model's context window is spent — system prompt, tools, memory
 * files, messages, free space. The total comes from the usage Bedrock returned for the last
 * response (plus an estimate of what came after it) when there is one; the parts are estimates,
 * with the messages taking whatever of the measured total the fixed parts do not explain.
 */
import type { MessageParam, TextBlock, ToolSpec } from '../bedrock/anthropic.js';
import { estimateTokens } from './compaction.js';
import type { Conversation } from './conversation.js';
import { MEMORY_HEADING } from './memory.js';

export interface ContextBreakdown {
  modelId: string;
  window: number;
  /** Tokens the next request starts with. */
  used: number;
  /** True when `used` rests on Bedrock's measured usage, false when it is all estimate. */
  measured: boolean;
  parts: { system: number; tools: number; memory: number; messages: number; free: number };
}

function splitMemory(system: readonly TextBlock[]): { system: string[]; memory: string } {
  const rest: string[] = [];
  let memory = '';
  for (const b of system) {
    const at = b.text.indexOf(MEMORY_HEADING);
    if (at < 0) rest.push(b.text);
    else {
      rest.push(b.text.slice(0, at));
      memory += b.text.slice(at);
    }
  }
  return { system: rest, memory };
}

export function contextBreakdown(input: { modelId: string; window: number; system: readonly TextBlock[]; tools: readonly ToolSpec[]; conversation: Conversation }): ContextBreakdown {
  const split = splitMemory(input.system);
  const system = split.system.reduce((n, t) => n + (t ? estimateTokens(t) : 0), 0);
  const memory = split.memory ? estimateTokens(split.memory) : 0;
  const tools = input.tools.length ? estimateTokens(input.tools) : 0;
  const messages: readonly MessageParam[] = input.conversation.messages;
  const mark = input.conversation.usageMark;
  const measured = mark !== undefined && mark.length <= messages.length;
  const estimatedMessages = messages.reduce((n, m) => n + estimateTokens(m), 0);
  const used = measured ? mark.tokens + messages.slice(mark.length).reduce((n, m) => n + estimateTokens(m), 0) : system + memory + tools + estimatedMessages;
  const fixed = system + memory + tools;
  const messageTokens = measured ? Math.max(0, used - fixed) : estimatedMessages;
  return { modelId: input.modelId, window: input.window, used, measured, parts: { system, tools, memory, messages: messageTokens, free: Math.max(0, input.window - used) } };
}

const pct = (n: number, of: number) => `${((n / of) * 100).toFixed(1)}%`;

/** The lines `/context` prints. */
export function formatBreakdown(b: ContextBreakdown): string[] {
  const rows: Array<[string, number]> = [
    ['system prompt', b.parts.system],
    ['tools', b.parts.tools],
    ['memory files', b.parts.memory],
    ['messages', b.parts.messages],
    ['free space', b.parts.free],
  ];
  const width = Math.max(...rows.map(([n]) => n.length));
  return [
    `context: ${b.used.toLocaleString('en-US')} of ${b.window.toLocaleString('en-US')} tokens (${pct(b.used, b.window)}) · ${b.modelId}`,
    ...rows.map(([name, n]) => `  ${name.padEnd(width)}  ${n.toLocaleString('en-US').padStart(9)}  ${pct(n, b.window).padStart(6)}`),
    b.measured ? '  (total from the usage Bedrock reported; parts estimated)' : '  (estimated: no response measured yet)',
  ];
}
