import path from 'node:path';

/** A path in `tool_use_result`: relative to the working directory when it is inside it, as the reference lists them. */
export function shownPath(cwd: string, file: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
