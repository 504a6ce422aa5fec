/**
 * Structured output (`--json-schema`, the Agent SDK's `outputFormat: {type: 'json_schema'}`):
 * the model gives its final answer by calling one more tool whose input schema is the caller's
 * schema. The input is validated against that schema (zod built from the JSON Schema) before it
 * counts; an invalid one goes back to the model as an error result, to be corrected. The turn
 * ends at the first valid call, and the result carries the value as `structured_output`.
 */
import { z } from 'zod';
import type { ToolSpec } from '../bedrock/anthropic.js';
import { UsageError } from '../errors.js';
import type { AnyTool } from '../tools/types.js';
import { STRUCTURED_OUTPUT_TOOL } from './structured-output-names.js';

export { STRUCTURED_OUTPUT_INSTRUCTION, STRUCTURED_OUTPUT_TOOL } from './structured-output-names.js';

export interface StructuredOutput {
  tool: AnyTool;
  spec: ToolSpec;
}

/** `--json-schema <json>`: a JSON Schema for an object (the input of a tool is always an object). */
export function parseJsonSchemaFlag(text: string): Record<string, unknown> {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new UsageError('--json-schema is not valid JSON', { hint: `give a JSON Schema object, e.g. --json-schema '{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}'` });
  }
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw new UsageError('--json-schema must be a JSON Schema object', { hint: `e.g. --json-schema '{"type":"object","properties":{"answer":{"type":"string"}}}'` });
  const type = (schema as { type?: unknown }).type;
  if (type !== undefined && type !== 'object') {
    throw new UsageError(`--json-schema must describe an object (its "type" is ${JSON.stringify(type)})`, { hint: 'wrap the value in an object: {"type":"object","properties":{"result": <your schema>},"required":["result"]}' });
  }
  return schema as Record<string, unknown>;
}

export function structuredOutputTool(schema: Record<string, unknown>): StructuredOutput {
  let inputSchema: z.ZodType;
  try {
    inputSchema = z.fromJSONSchema({ type: 'object', ...schema } as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (err) {
    throw new UsageError(`--json-schema cannot be used: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { hint: 'use the JSON Schema keywords of draft 2020-12 / draft-07 (type, properties, required, items, enum …)' });
  }
  const description = 'Give the final answer as data matching this schema. Call it once, when the task is done.';
  const tool: AnyTool = {
    name: STRUCTURED_OUTPUT_TOOL,
    description,
    inputSchema,
    isReadOnly: () => true,
    run: async () => ({ forModel: 'The answer was recorded.', forDisplay: 'structured output recorded' }),
  };
  // `$schema` says which draft the caller wrote; the API's tool schema has no use for it.
  const inputJson: Record<string, unknown> = { type: 'object', ...schema };
  delete inputJson.$schema;
  return { tool, spec: { name: STRUCTURED_OUTPUT_TOOL, description, input_schema: inputJson } };
}
