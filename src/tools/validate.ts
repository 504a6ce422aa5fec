import type { z } from 'zod';
import type { AnyTool } from './types.js';

/*
 * Input checks for tool calls. Kept apart from the registry so that the agent loop can load
 * without the tools themselves (they arrive while the first answer streams in).
 */

export type ValidationResult<T = unknown> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Checks a tool call's input before it runs (R5). The message is one line the model can act
 * on, naming each bad field, e.g. `Invalid input for Read: file_path is required`.
 */
export function validateToolInput(tool: AnyTool, input: unknown): ValidationResult {
  const parsed = tool.inputSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.slice(0, 4).map((issue) => describeIssue(issue, input));
  const more = parsed.error.issues.length > 4 ? `; and ${parsed.error.issues.length - 4} more` : '';
  return { ok: false, message: `Invalid input for ${tool.name}: ${problems.join('; ')}${more}` };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.length ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') : 'input';
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), input);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field} is required`;
      return `${field} must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}, got ${describeValue(value)}`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`;
    case 'too_small':
      if (issue.origin === 'string') return `${field} must not be empty`;
      if (issue.origin === 'array') return `${field} needs at least ${String(issue.minimum)} item(s)`;
      return `${field} must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${field} must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return `${field}: ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
