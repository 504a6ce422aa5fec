/**
 * The live region as screen lines: the unfinished answer, running tools, the approval prompt,
 * the input box, a hint and the status line. Always fewer lines than the terminal has rows:
 * ink clears the whole screen (scrollback included) when a frame is as tall as the terminal,
 * so each part is cut to fit, the streaming answer first (its head is then shown as "…").
 */
import { MAX_SHOWN } from './complete.js';
import { editDiff, toolLine } from './format.js';
import { renderMarkdown } from './markdown.js';
import type { PermissionPrompt, TuiState } from './store.js';
import type { Style } from './style.js';
import { hang, stringWidth, truncate, wrapLines } from './text.js';

const CURSOR = (s: string) => `\x1b[7m${s}\x1b[27m`;

export function liveLines(state: TuiState, style: Style): string[] {
  const width = Math.max(10, state.width - 1);
  // A frame as tall as the terminal makes ink erase the screen: one row always stays free
  // (on a tiny terminal only the bottom of the region — input and status — is shown).
  const budget = Math.max(1, state.rows - 1);

  const status = [statusLine(state, width, style)];
  const hint = state.hint ? [style.yellow(truncate(state.hint, width))] : [];
  const prompt = state.permission
    ? permissionLines(state.permission, width, style, Math.max(4, Math.floor(budget / 2)))
    : [...queuedLines(state, width, style), ...(state.search ? searchLines(state.search, width, style) : inputLines(state, width, style, Math.max(1, Math.floor(budget / 3)))), ...completionLines(state, width, style)];

  const tools = state.tools.map((t) => toolLine(t.title, t.outcome, t.state === 'running' ? 'running' : t.state, width, style));
  let answer: string[] = [];
  if (state.streaming.trim() !== '') answer = renderMarkdown(state.streaming, { width, style });
  else if (state.busy && state.tools.length === 0 && !state.permission) answer = [style.dim(state.thinking ? '✻ thinking… (Esc to interrupt)' : '✻ working… (Esc to interrupt)')];

  const fixed = status.length + hint.length + prompt.length + 1;
  let room = budget - fixed;
  const toolsShown = cutHead(tools, Math.min(tools.length, Math.max(0, room - (answer.length > 0 ? 1 : 0))), style);
  room -= toolsShown.length;
  const answerShown = cutHead(answer, Math.max(0, room), style);
  const out = [...answerShown, ...toolsShown, ...(answerShown.length + toolsShown.length > 0 ? [''] : []), ...prompt, ...hint, ...status];
  return out.slice(-budget);
}

/** The last `max` lines, the first of them replaced by "…" when lines were cut. */
function cutHead(lines: string[], max: number, style: Style): string[] {
  if (lines.length <= max) return lines;
  if (max <= 0) return [];
  return [style.dim('…'), ...lines.slice(lines.length - max + 1)];
}

function inputLines(state: TuiState, width: number, style: Style, max: number): string[] {
  const { text, cursor } = state.input;
  // The cursor is drawn as an inverse cell over the character it is on (a space at a line end).
  const before = text.slice(0, cursor);
  const at = text.slice(cursor, cursor + 1);
  const after = text.slice(cursor + 1);
  const withCursor = at === '' || at === '\n' ? `${before}${CURSOR(' ')}${at}${after}` : `${before}${CURSOR(at)}${after}`;
  const lines = withCursor.split('\n').flatMap((l, i) => hang(l, width, i === 0 ? style.bold('> ') : '  ', '  ', true));
  if (lines.length <= max) return lines;
  // Keep the cursor's line in view.
  const cursorLine = lines.findIndex((l) => l.includes('\x1b[7m'));
  const start = Math.max(0, Math.min(cursorLine - max + 1, lines.length - max));
  return lines.slice(start, start + max);
}

/** Prompts waiting for the running turn, one line each (the newest three). */
function queuedLines(state: TuiState, width: number, style: Style): string[] {
  if (state.queued.length === 0) return [];
  const shown = state.queued.slice(-3).map((q) => style.dim(truncate(`queued: ${q.replace(/\s+/g, ' ')}`, width)));
  return state.queued.length > 3 ? [style.dim(`… ${state.queued.length - 3} more queued`), ...shown] : shown;
}

function searchLines(search: NonNullable<TuiState['search']>, width: number, style: Style): string[] {
  const label = search.match === undefined && search.query !== '' ? 'failing reverse-i-search' : 'reverse-i-search';
  const match = (search.match ?? '').replace(/\n/g, ' ⏎ ');
  return [truncate(`${style.dim(`(${label})`)}\`${search.query}${CURSOR(' ')}': ${match}`, width)];
}

function completionLines(state: TuiState, width: number, style: Style): string[] {
  const { items, selected } = state.completions;
  if (items.length === 0 || state.permission || state.search) return [];
  const shown = items.slice(0, MAX_SHOWN).map((item, i) => truncate(`  ${i === selected ? style.bold(`▸ ${item}`) : style.dim(`  ${item}`)}`, width));
  return items.length > MAX_SHOWN ? [...shown, style.dim(`    … ${items.length - MAX_SHOWN} more (type more letters)`)] : shown;
}

function permissionLines(p: PermissionPrompt, width: number, style: Style, max: number): string[] {
  const r = p.request;
  const input = (r.input && typeof r.input === 'object' ? r.input : {}) as Record<string, unknown>;
  const bar = style.yellow('│ ');
  const inner = width - 2;
  let head: string;
  let subject: string[];
  if (r.toolName === 'Bash' && typeof input.command === 'string') {
    head = 'Run this command?';
    subject = wrapLines(input.command, inner, true).map((l) => style.bold(l));
  } else if (typeof input.file_path === 'string') {
    head = `${r.toolName === 'Read' ? 'Read' : r.toolName === 'Write' ? 'Write' : 'Edit'} this file?`;
    subject = [style.bold(truncate(input.file_path, inner)), ...editDiff(r.toolName, r.input, inner, style, 6)];
  } else if (typeof input.url === 'string') {
    head = 'Fetch this URL?';
    subject = [style.bold(truncate(input.url, inner))];
  } else {
    head = `Allow ${r.toolName}?`;
    subject = wrapLines(r.description, inner);
  }
  const options =
    p.stage === 'feedback'
      ? [truncate('Tell the model why (Enter: deny; Esc: back)', inner), ...hang(`${p.feedback}${CURSOR(' ')}`, inner, '> ', '  ', true)]
      : [
          `${style.bold('1')} allow once`,
          ...(r.suggestedRule ? [`${style.bold('2')} ${truncate(`always allow ${r.suggestedRule}`, inner - 2)}`] : []),
          `${style.bold('3')} deny and tell the model why`,
        ];
  const room = Math.max(1, max - options.length - 1);
  const shown = subject.length > room ? [...subject.slice(0, room - 1), style.dim(`… +${subject.length - room + 1} lines`)] : subject;
  return [style.yellow(`╭ ${r.toolName}: ${head}`), ...shown.map((l) => bar + l), ...options.map((l) => bar + l)];
}

function statusLine(state: TuiState, width: number, style: Style): string {
  const s = state.status;
  if (s.custom !== undefined) return truncate(s.custom, width);
  // Most telling first: a narrow terminal cuts the end of the line.
  const parts = [shortModel(s.model), s.mode, `$${s.costUsd.toFixed(s.costUsd < 1 ? 4 : 2)}`];
  if (s.cacheShare !== undefined) parts.push(`cache ${Math.round(s.cacheShare * 100)}%`);
  parts.push(s.region);
  const text = truncate(parts.join(' · '), width);
  if (s.mode === 'default' || stringWidth(text) < stringWidth(parts.join(' · '))) return style.dim(text);
  // A mode that changes what runs without asking stands out.
  return text
    .split(' · ')
    .map((p) => (p === s.mode ? style.yellow(p) : style.dim(p)))
    .join(style.dim(' · '));
}

/** `us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5`; an ARN → its last part. */
export function shortModel(id: string): string {
  if (id.startsWith('arn:')) return id.slice(id.lastIndexOf('/') + 1);
  return id
    .replace(/^(us-gov|us|eu|apac|jp|au|global)\./, '')
    .replace(/^anthropic\./, '')
    .replace(/-\d{8}(-v\d+(:\d+)?)?$/, '');
}
