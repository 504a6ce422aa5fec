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

export { validateToolInput, type ValidationResult } from './validate.js';
