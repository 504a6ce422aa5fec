/**
 * Matchers, as the reference product documents them: empty, absent or `*` matches everything; a
 * plain name (letters, digits, `_`, `-`) or a `|` list of names matches those names exactly; anything
 * else is a regular expression that must match the whole name (`Notebook.*`, `mcp__github__.*`).
 * Tools match on their name (MCP tools as `mcp__<server>__<tool>`), SessionStart on its source,
 * PreCompact on its trigger, Notification on its type.
 */

const NAME_LIST = /^[\w-]+(\|[\w-]+)*$/;

export type CompiledMatcher = (value: string) => boolean;

/** A compiled matcher, or an error message for an invalid regular expression. */
export function compileMatcher(matcher: string | undefined): CompiledMatcher | { error: string } {
  const m = matcher?.trim() ?? '';
  if (m === '' || m === '*') return () => true;
  if (NAME_LIST.test(m)) {
    const names = new Set(m.split('|'));
    return (value) => names.has(value);
  }
  try {
    const re = new RegExp(`^(?:${m})$`, 'u');
    return (value) => re.test(value);
  } catch (err) {
    return { error: `matcher '${m}' is not a valid regular expression (${err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err)})` };
  }
}
