import type { MessagesRequest } from './anthropic.js';

export const ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** Recursively drops every `cache_control` key (B12). Returns new objects; the input is untouched. */
export function stripCacheControl<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripCacheControl(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'cache_control') continue;
      // Tool input schemas and tool_use inputs are the model's data, not markers: leave them be.
      out[k] = k === 'input_schema' || k === 'input' ? v : stripCacheControl(v);
    }
    return out as T;
  }
  return value;
}

/**
 * The JSON body Bedrock's InvokeModel APIs take for Anthropic models (B15): the Messages request
 * plus `anthropic_version`; betas as an `anthropic_beta` array; never `model` or `stream`
 * (Bedrock rejects both as extraneous keys). With caching off, no `cache_control` survives even
 * if a caller placed one.
 */
export function buildRequestBody(request: MessagesRequest, promptCaching: boolean): Record<string, unknown> {
  const source = promptCaching ? request : stripCacheControl(request);
  const { anthropic_beta: betas, ...rest } = source as MessagesRequest & { model?: unknown; stream?: unknown };
  const body: Record<string, unknown> = { anthropic_version: ANTHROPIC_VERSION, ...rest };
  delete body.model;
  delete body.stream;
  if (betas && betas.length > 0) body.anthropic_beta = [...new Set(betas)];
  return body;
}
