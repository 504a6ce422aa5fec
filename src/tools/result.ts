import type { ToolResult } from './types.js';

export function ok(forModel: string, forDisplay: string = firstLine(forModel)): ToolResult {
  return { forModel, forDisplay };
}

/** A failed call: the model reads the message and can correct itself. */
export function fail(message: string, forDisplay: string = firstLine(message)): ToolResult {
  return { forModel: message, forDisplay, isError: true };
}

export function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : /(s|ch|sh|x)$/.test(word) ? 'es' : 's'}`;
}
