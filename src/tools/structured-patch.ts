import { structuredPatch } from 'diff';

/** One hunk of a change, in the shape the Agent SDK's hosts read from Edit and Write results. */
export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/**
 * Above this many characters (old + new) no patch is computed: the hunks are a report for SDK
 * hosts, and a line diff of a multi-megabyte file can take minutes while the edit itself took
 * milliseconds.
 */
const MAX_PATCH_CHARS = 1_000_000;
/** The same reasoning for a diff that turns out expensive below that size (many scattered changes). */
const PATCH_TIMEOUT_MS = 250;

/**
 * The hunks that turn `before` into `after` (3 lines of context), for `tool_use_result`; an
 * empty list when the change is too large to diff cheaply.
 */
export function patchHunks(before: string, after: string): PatchHunk[] {
  if (before.length + after.length > MAX_PATCH_CHARS) return [];
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 3, timeout: PATCH_TIMEOUT_MS });
  if (!patch) return [];
  return patch.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines }));
}
