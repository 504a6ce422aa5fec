import type { ToolContext } from './types.js';

/**
 * Write and Edit act only on files the model has seen: read in this session and unchanged on
 * disk since (another process, or the user, may have changed it meanwhile).
 */
export function staleReadMessage(ctx: ToolContext, abs: string, mtimeMs: number): string | undefined {
  const seen = ctx.readFiles.get(abs);
  if (seen === undefined) return `${abs} has not been read in this session. Read it first, then change it.`;
  if (Math.abs(seen - mtimeMs) > 0.5) return `${abs} changed on disk since it was last read. Read it again before changing it.`;
  return undefined;
}
