import { structuredPatch } from 'diff';

/** One hunk of a change, in the shape the Agent SDK's hosts read from Edit and Write results. */
export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** The hunks that turn `before` into `after` (3 lines of context), for `tool_use_result`. */
export function patchHunks(before: string, after: string): PatchHunk[] {
  return structuredPatch('a', 'b', before, after, '', '', { context: 3 }).hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines }));
}
