import { z } from 'zod';
import type { ToolSpec } from '../bedrock/anthropic.js';
import { bashOutputTool } from './bash-output.js';
import { bashTool } from './bash.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { killShellTool } from './kill-shell.js';
import { lsTool } from './ls.js';
import { multiEditTool } from './multi-edit.js';
import { readTool } from './read.js';
import { taskTool } from './task.js';
import { todoWriteTool } from './todo-write.js';
import type { AnyTool } from './types.js';
import { webFetchTool } from './web-fetch.js';
import { writeTool } from './write.js';

// A fixed order: the tools array is the first thing in every request's cached prefix.
const BUILTIN: readonly AnyTool[] = [
  taskTool,
  bashTool,
  bashOutputTool,
  killShellTool,
  globTool,
  grepTool,
  lsTool,
  readTool,
  editTool,
  multiEditTool,
  writeTool,
  webFetchTool,
  todoWriteTool,
];

export function builtinTools(): AnyTool[] {
  return [...BUILTIN];
}

export function getTool(name: string, tools: readonly AnyTool[] = BUILTIN): AnyTool | undefined {
  return tools.find((t) => t.name === name);
}

const specCache = new WeakMap<AnyTool, ToolSpec>();

/**
 * The tool definitions sent with every request. Built once per tool object, so every request
 * carries byte-identical JSON and the prompt cache keeps hitting.
 */
export function toolSpecs(tools: readonly AnyTool[]): ToolSpec[] {
  return tools.map((tool) => {
    let spec = specCache.get(tool);
    if (!spec) {
      spec = { name: tool.name, description: tool.description, input_schema: compactSchema(tool.inputSchema) };
      specCache.set(tool, spec);
    }
    // Callers add cache_control to the last spec; a copy keeps the cached one clean.
    return { ...spec };
  });
}

function compactSchema(schema: z.ZodType): Record<string, unknown> {
  // "input": optional-with-default fields are not listed as required.
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return tidy(json) as Record<string, unknown>;
}

/** Drops bounds zod adds for integers (noise the model pays for) and closes every object. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'maximum' && v === Number.MAX_SAFE_INTEGER) || (k === 'minimum' && v === Number.MIN_SAFE_INTEGER)) continue;
    out[k] = tidy(v);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

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
