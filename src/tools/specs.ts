import type { ToolSpec } from '../bedrock/anthropic.js';

/**
 * The built-in tools' definitions as sent to the model. The build computes them once from the
 * registry (scripts/build.mjs) and inlines the JSON, so the first request needs neither zod nor
 * the tools' code; run from source (tests), they are computed from the registry as usual.
 */
declare const BCODE_TOOL_SPECS_JSON: string | undefined;

export async function builtinToolSpecs(): Promise<ToolSpec[]> {
  if (typeof BCODE_TOOL_SPECS_JSON === 'string') return JSON.parse(BCODE_TOOL_SPECS_JSON) as ToolSpec[];
  const registry = await import('./registry.js');
  return registry.toolSpecs(registry.builtinTools());
}
