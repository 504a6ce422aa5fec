/**
 * An MCP server's tool as one of the session's tools: named `mcp__<server>__<tool>`, sent with
 * the server's own JSON Schema, checked only loosely here (an object with the required fields:
 * the server validates the rest), never read-only (what a server's tool does is its own
 * business, so it always goes through the permission rules).
 */
import { z } from 'zod';
import type { ToolSpec } from '../../bedrock/anthropic.js';
import type { AnyTool, ToolResult } from '../../tools/types.js';
import type { McpConnection, McpToolInfo } from './connection.js';
import { toToolResult } from './result.js';
import { mcpToolName } from './server-config.js';

/** Descriptions are paid on every uncached request; servers sometimes ship pages of them. */
const MAX_DESCRIPTION_CHARS = 2048;

export interface AdaptedTool {
  tool: AnyTool;
  spec: ToolSpec;
}

/** The input schema as sent: always an object schema (the API requires `type: object`). */
export function specSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return schema.type === 'object' ? schema : { ...schema, type: 'object' };
}

function looseInput(schema: Record<string, unknown>) {
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  return z.record(z.string(), z.unknown(), { error: 'the input must be an object' }).superRefine((value, ctx) => {
    for (const key of required) {
      if (value[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required` });
    }
  });
}

export function adaptTool(connection: McpConnection, info: McpToolInfo, options: { maxChars: number }): AdaptedTool {
  const name = mcpToolName(connection.name, info.name);
  const raw = info.description?.trim() || `Tool ${info.name} of the MCP server ${connection.name}.`;
  const description = raw.length > MAX_DESCRIPTION_CHARS ? `${raw.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : raw;
  const tool: AnyTool = {
    name,
    description,
    inputSchema: looseInput(info.inputSchema),
    isReadOnly: () => false,
    async run(input: unknown, ctx): Promise<ToolResult> {
      const result = await connection.callTool(info.name, input, ctx.signal);
      return toToolResult(name, result, { maxChars: options.maxChars, scratchDir: ctx.scratchDir });
    },
  };
  return { tool, spec: { name, description, input_schema: specSchema(info.inputSchema) } };
}
