/**
 * Markdown files with a YAML header (`---` … `---`): skills, sub-agents and custom commands all
 * use this shape. The YAML parser (`yaml`, ~40 ms to load) is imported only when a file has a
 * header, so sessions without such files never pay for it.
 */
import { BcodeError } from '../errors.js';

export interface MarkdownWithFrontmatter {
  /** The header's fields; {} when the file has no header. */
  data: Record<string, unknown>;
  /** Everything after the header. */
  body: string;
}

/** A header that is not valid YAML or not a mapping. The message names the file. */
export class FrontmatterError extends BcodeError {}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

export async function parseFrontmatter(text: string, file: string): Promise<MarkdownWithFrontmatter> {
  const open = OPENING.exec(text);
  if (!open) return { data: {}, body: text };
  const rest = text.slice(open[0].length);
  const close = CLOSING.exec(rest);
  if (!close) throw new FrontmatterError(`${file}: the header opened with --- is never closed`, { hint: 'end the YAML header with a line holding only ---' });
  const header = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  const { parse } = await import('yaml');
  let data: unknown;
  try {
    data = parse(header, { prettyErrors: false });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new FrontmatterError(`${file}: the YAML header is not valid (${reason})`, { hint: 'fix the header between the --- lines (key: value per line; quote values holding ": ")' });
  }
  if (data === null || data === undefined) return { data: {}, body };
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontmatterError(`${file}: the YAML header is not a list of key: value fields`, { hint: 'write one key: value per line between the --- lines' });
  return { data: data as Record<string, unknown>, body };
}

/** A header field that must be text when present. */
export function textField(data: Record<string, unknown>, key: string, file: string): string | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FrontmatterError(`${file}: '${key}' must be text`, { hint: `write ${key}: <text> in the header` });
}

/**
 * Tool lists are written either as a comma-separated line (`Read, Grep, Bash(git log:*)`) or as
 * a YAML list. Commas inside parentheses belong to the rule, not the list.
 */
export function toolListField(data: Record<string, unknown>, key: string, file: string): string[] | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    if (!v.every((x) => typeof x === 'string')) throw new FrontmatterError(`${file}: '${key}' must list tool names`, { hint: `write ${key}: Read, Grep, Bash(git status:*)` });
    return v.map((x: string) => x.trim()).filter((x) => x !== '');
  }
  if (typeof v !== 'string') throw new FrontmatterError(`${file}: '${key}' must list tool names`, { hint: `write ${key}: Read, Grep, Bash(git status:*)` });
  return splitToolList(v);
}

export function splitToolList(line: string): string[] {
  // Commas separate entries (the reference's commands and agents); a list without a comma at the
  // top level is split on spaces (the Agent Skills format). Parentheses hold one rule each.
  const topLevel = (sep: (ch: string) => boolean): string[] => {
    const out: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of line) {
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      if (depth === 0 && sep(ch)) {
        out.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    out.push(cur.trim());
    return out.filter((x) => x !== '');
  };
  const byComma = topLevel((ch) => ch === ',');
  return byComma.length > 1 ? byComma : topLevel((ch) => /\s/.test(ch));
}

/**
 * Header fields bcode does not act on are named in one warning per file (the definition still
 * loads): a field that changes behaviour elsewhere must not be dropped without a word.
 */
export function warnUnknownFields(data: Record<string, unknown>, known: readonly string[], file: string, warn: (text: string) => void): void {
  const unknown = Object.keys(data).filter((k) => !known.includes(k));
  if (unknown.length > 0) warn(`${file}: bcode does not act on the header field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (ignored; see docs/extensions.md)`);
}
