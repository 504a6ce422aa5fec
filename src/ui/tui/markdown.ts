/**
 * A small Markdown renderer for the terminal: headings, paragraphs, lists (nested, ordered,
 * task items), fenced code, block quotes, rules, and inline code / bold / italic / links.
 * Tables and HTML pass through as written. Output is screen lines already wrapped to `width`,
 * so the UI can count them (the live region must stay shorter than the terminal).
 *
 * Our own rather than a package: it is ~200 lines, starts in no time, and a streamed answer is
 * re-rendered up to 30 times a second, so it only has to be fast on one paragraph at a time.
 */
import type { Style } from './style.js';
import { hang, stringWidth, wrapLines } from './text.js';

export interface MarkdownOptions {
  width: number;
  style: Style;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_ROW = /^\s*\|/;

export function renderMarkdown(src: string, options: MarkdownOptions): string[] {
  const { style } = options;
  const width = Math.max(10, options.width);
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const blank = () => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  const flushPara = () => {
    if (para.length === 0) return;
    out.push(...wrapLines(renderInline(para.join(' '), style), width));
    para = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flushPara();
      const marker = fence[2];
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(marker)) code.push(lines[i++]);
      // Code keeps its spacing: cut (not re-flowed) at the width, indented by two.
      for (const c of code) {
        const expanded = c.replace(/\t/g, '  ');
        for (const piece of wrapLines(expanded, width - 2, true)) out.push(`  ${style.yellow(piece)}`);
      }
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      blank();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushPara();
      const text = renderInline(heading[2], style);
      const styled = heading[1].length === 1 ? style.bold(style.underline(text)) : style.bold(text);
      out.push(...wrapLines(styled, width));
      continue;
    }
    if (RULE.test(line) && para.length === 0) {
      out.push(style.dim('─'.repeat(Math.min(width, 40))));
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flushPara();
      // Continuation lines: indented further and not a new item or block.
      let text = item[3];
      while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]) && !LIST_ITEM.test(lines[i + 1]) && !FENCE.test(lines[i + 1])) text += ` ${lines[++i].trim()}`;
      const depth = Math.floor(item[1].replace(/\t/g, '  ').length / 2);
      const indent = '  '.repeat(depth);
      let bullet = /\d/.test(item[2]) ? `${item[2]} ` : depth % 2 === 0 ? '• ' : '◦ ';
      const task = /^\[([ xX])\]\s+(.*)$/.exec(text);
      if (task) {
        bullet = task[1] === ' ' ? '☐ ' : '☑ ';
        text = task[2];
      }
      out.push(...hang(renderInline(text, style), width, indent + bullet));
      continue;
    }
    if (QUOTE.test(line)) {
      flushPara();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) quoted.push(QUOTE.exec(lines[i++])![1]);
      i--;
      for (const q of renderMarkdown(quoted.join('\n'), { width: width - 2, style })) out.push(`${style.dim('│')} ${style.italic(q)}`);
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flushPara();
      out.push(...wrapLines(line, width));
      continue;
    }
    para.push(line.trim());
  }
  flushPara();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  while (out.length > 0 && out[0] === '') out.shift();
  return out;
}

/** Inline spans: `code` first (nothing inside it is styled), then links, bold, italic. */
export function renderInline(text: string, style: Style): string {
  const parts = text.split(/(`+[^`]*?`+)/);
  // `**`code`**`: the bold markers sit in the text around the code span; they pair across it.
  const boldCode = new Set<number>();
  for (let i = 1; i < parts.length - 1; i += 2) {
    if (/(^|[^*])\*\*$/.test(parts[i - 1]) && /^\*\*([^*]|$)/.test(parts[i + 1])) {
      boldCode.add(i);
      parts[i - 1] = parts[i - 1].slice(0, -2);
      parts[i + 1] = parts[i + 1].slice(2);
    }
  }
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const code = style.cyan(part.replace(/^`+\s?|\s?`+$/g, ''));
        return boldCode.has(i) ? style.bold(code) : code;
      }
      return part
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => (label === url ? style.underline(url) : `${style.underline(label)} ${style.dim(`(${url})`)}`))
        .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__/g, (_m, a: string | undefined, b: string | undefined) => style.bold(a ?? b ?? ''))
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)|(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, (_m, p1: string | undefined, a: string | undefined, p2: string | undefined, b: string | undefined) =>
          `${p1 ?? p2 ?? ''}${style.italic(a ?? b ?? '')}`,
        );
    })
    .join('');
}

/**
 * Splits streamed Markdown where the part before is made of finished blocks: at the last blank
 * line outside a code fence that has text before it. The finished part can go to the scrollback
 * for good; only the rest is redrawn while the answer streams.
 */
export function splitFinished(text: string): { finished: string; rest: string } {
  const lines = text.split('\n');
  let inFence: string | undefined;
  let cut = -1;
  let seenText = false;
  // The last line may still be growing: only complete lines count.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      if (inFence === undefined) inFence = fence[2];
      else if (line.trimStart().startsWith(inFence)) inFence = undefined;
      seenText = true;
      continue;
    }
    if (inFence !== undefined) continue;
    if (line.trim() === '') {
      if (seenText) cut = i;
    } else {
      seenText = true;
    }
  }
  if (cut < 0) return { finished: '', rest: text };
  return { finished: lines.slice(0, cut).join('\n'), rest: lines.slice(cut + 1).join('\n') };
}

/** Visible width of the widest line (for tests and layout). */
export function widest(lines: string[]): number {
  return lines.reduce((m, l) => Math.max(m, stringWidth(l)), 0);
}
