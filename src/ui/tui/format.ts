/**
 * How tool calls, edits and outputs look: one compact line per call (`Read src/a.ts`,
 * `Bash npm test → exit 1`), an edit as a small coloured diff, long outputs folded to a few
 * lines. Pure functions of the event data; every string shown passes the redaction layer.
 */
import path from 'node:path';
import { redact } from '../../util/redact.js';
import type { Style } from './style.js';
import { truncate, wrapLines } from './text.js';

const SUBJECT_FIELDS = ['file_path', 'notebook_path', 'command', 'pattern', 'path', 'url', 'description'];

/** `Read src/a.ts`, `Bash npm test`, `Grep TODO`: the tool and what it acts on, paths relative to the working dir. */
export function toolTitle(name: string, input: unknown, cwd: string): string {
  if (!input || typeof input !== 'object') return name;
  const obj = input as Record<string, unknown>;
  for (const f of SUBJECT_FIELDS) {
    const v = obj[f];
    if (typeof v !== 'string' || v === '') continue;
    let subject = v.replace(/\s+/g, ' ').trim();
    if ((f === 'file_path' || f === 'notebook_path' || f === 'path') && path.isAbsolute(subject)) {
      const rel = path.relative(cwd, subject);
      if (rel !== '' && !rel.startsWith('..')) subject = rel;
    }
    return redact(`${name} ${subject}`);
  }
  return name;
}

/** What follows the arrow once a call finished: `exit 1`, `error: …`, or a short result; '' when the title says enough. */
export function toolOutcome(name: string, display: string, isError: boolean): string {
  const text = redact(display.split('\n')[0] ?? '').trim();
  if (name === 'Bash') {
    // The Bash tool's display is `<description>: <how it ended>`.
    const ending = text.slice(text.lastIndexOf(': ') + 2);
    const code = /^exit code (\d+)/.exec(ending);
    if (code) return `exit ${code[1]}`;
    return ending === 'done' ? '' : ending;
  }
  if (isError) return `error: ${text}`;
  if (name === 'Read' || name === 'Edit' || name === 'MultiEdit' || name === 'Write') return name === 'Read' && text.startsWith('Read image') ? text : '';
  return text;
}

export function toolLine(title: string, outcome: string, state: 'running' | 'ok' | 'error', width: number, style: Style): string {
  const mark = state === 'running' ? style.dim('○') : state === 'ok' ? style.green('●') : style.red('●');
  const tail = outcome ? ` → ${outcome}` : '';
  const line = truncate(`${title}${tail}`, Math.max(4, width - 2));
  const arrow = line.indexOf(' → ');
  const body = arrow < 0 ? style.bold(line) : `${style.bold(line.slice(0, arrow))}${state === 'error' ? style.red(line.slice(arrow)) : style.dim(line.slice(arrow))}`;
  return `${mark} ${body}`;
}

/** An Edit / MultiEdit / Write input as diff lines: removed in red, added in green, at most `maxLines` (the rest counted). */
export function editDiff(name: string, input: unknown, width: number, style: Style, maxLines = 12): string[] {
  if (!input || typeof input !== 'object') return [];
  const obj = input as Record<string, unknown>;
  const pairs: Array<[string, string]> = [];
  if (name === 'Edit' && typeof obj.old_string === 'string' && typeof obj.new_string === 'string') pairs.push([obj.old_string, obj.new_string]);
  else if (name === 'MultiEdit' && Array.isArray(obj.edits)) {
    for (const e of obj.edits as Array<Record<string, unknown>>) if (typeof e?.old_string === 'string' && typeof e?.new_string === 'string') pairs.push([e.old_string, e.new_string]);
  } else if (name === 'Write' && typeof obj.content === 'string') pairs.push(['', obj.content]);
  const lines: string[] = [];
  for (const [before, after] of pairs) {
    const a = before === '' ? [] : before.split('\n');
    const b = after === '' ? [] : after.split('\n');
    // Lines both sides share at the start and end are context, not shown: the change stays small.
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    for (const l of a.slice(head, a.length - tail)) lines.push(style.red(truncate(`- ${redact(l)}`, width - 4)));
    for (const l of b.slice(head, b.length - tail)) lines.push(style.green(truncate(`+ ${redact(l)}`, width - 4)));
  }
  return underCall(fold(lines, maxLines, style), style);
}

/** Lines that belong to the call above: the first hooked to it (⎿), the others aligned. */
function underCall(lines: string[], style: Style): string[] {
  return lines.map((l, i) => `${i === 0 ? `  ${style.dim('⎿')} ` : '    '}${l}`);
}

/** The first `max` lines, then one line saying how many more there are. */
export function fold(lines: string[], max: number, style: Style): string[] {
  if (lines.length <= max) return lines;
  const more = lines.length - (max - 1);
  return [...lines.slice(0, max - 1), style.dim(`… +${more} lines`)];
}

/** A command's output under its line: a few lines, indented, dimmed, the rest folded. */
export function outputPreview(text: string, width: number, style: Style, maxLines = 4): string[] {
  const trimmed = redact(text).replace(/\n+$/, '');
  if (trimmed === '' || trimmed === '(no output)') return [];
  const lines = trimmed.split('\n').flatMap((l) => wrapLines(l.replace(/\t/g, '  '), width - 4, true));
  return underCall(fold(lines, maxLines, style).map((l) => style.dim(l)), style);
}
