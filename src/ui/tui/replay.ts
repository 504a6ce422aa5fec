/**
 * A resumed session's earlier messages, as scrollback lines (issue 12): prompts as typed, answers
 * as Markdown, each tool call as its one-line title. Written once, before the first new turn.
 * A long session shows its last REPLAY_MESSAGES messages, with a line saying how many came before.
 */
import type { MessageParam } from '../../bedrock/anthropic.js';
import { SUMMARY_HEADING } from '../../agent/compaction.js';
import { redact } from '../../util/redact.js';
import { toolLine, toolTitle } from './format.js';
import { renderMarkdown } from './markdown.js';
import type { Style } from './style.js';
import { hang } from './text.js';

export const REPLAY_MESSAGES = 200;

/** Blocks of lines, one per message shown (each becomes one scrollback item). */
export function replayBlocks(messages: readonly MessageParam[], o: { width: number; style: Style; cwd: string }): string[][] {
  const s = o.style;
  const w = Math.max(10, o.width - 1);
  const out: string[][] = [];
  const from = Math.max(0, messages.length - REPLAY_MESSAGES);
  if (from > 0) out.push([s.dim(`… ${from} earlier message${from === 1 ? '' : 's'} not shown`)]);
  for (const m of messages.slice(from)) {
    const blocks = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
    if (m.role === 'user') {
      const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
      if (text.startsWith(SUMMARY_HEADING)) {
        out.push([s.dim('(the conversation before this point was compacted into a summary)')]);
        continue;
      }
      // Tool results are summed up by their call's line; only what the person typed is shown.
      if (text.trim() === '' || blocks.some((b) => b.type === 'tool_result')) continue;
      out.push(['', ...redact(text).split('\n').flatMap((l, i) => hang(l, w, i === 0 ? s.bold('> ') : '  ').map((x) => s.bold(x)))]);
      continue;
    }
    const lines: string[] = [];
    for (const b of blocks) {
      if (b.type === 'text' && b.text.trim() !== '') lines.push(...renderMarkdown(redact(b.text), { width: w, style: s }));
      else if (b.type === 'tool_use') lines.push(toolLine(toolTitle(b.name, b.input, o.cwd), '', 'ok', w + 1, s));
    }
    if (lines.length > 0) out.push(['', ...lines]);
  }
  return out;
}
