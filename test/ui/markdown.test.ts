/** The terminal Markdown renderer: what each block becomes, wrapping, colour on and off, and where a streamed answer may be cut. */
import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown, splitFinished, widest } from '../../src/ui/tui/markdown.js';
import { makeStyle } from '../../src/ui/tui/style.js';

const plain = makeStyle(false);
const color = makeStyle(true);
const md = (s: string, width = 80) => renderMarkdown(s, { width, style: plain });

describe('renderMarkdown', () => {
  it('renders headings without their hashes, and paragraphs joined and wrapped to the width', () => {
    expect(md('# Title\n\nsome text\nthat goes on\n\n## Part')).toEqual(['Title', '', 'some text that goes on', '', 'Part']);
    const lines = md('word '.repeat(30).trim(), 40);
    expect(widest(lines)).toBeLessThanOrEqual(40);
    expect(lines.join(' ')).toBe('word '.repeat(30).trim());
  });

  it('renders lists with bullets, numbers, nesting, task boxes and a hanging indent', () => {
    expect(md('- one\n- two\n  - inner\n1. first\n2) second\n- [ ] todo\n- [x] done')).toEqual([
      '• one',
      '• two',
      '  ◦ inner',
      '1. first',
      '2) second',
      '☐ todo',
      '☑ done',
    ]);
    const wrapped = md(`- ${'long '.repeat(12).trim()}`, 24);
    expect(wrapped[0].startsWith('• long')).toBe(true);
    expect(wrapped.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
  });

  it('keeps code blocks as written (indented, nothing inside styled as Markdown), cut at the width', () => {
    expect(md('before\n\n```ts\nconst a = **b**;\n  indented\n```\nafter')).toEqual(['before', '', '  const a = **b**;', '    indented', 'after']);
    const long = md(`\`\`\`\n${'x'.repeat(50)}\n\`\`\``, 20);
    expect(long).toHaveLength(3);
    expect(widest(long)).toBeLessThanOrEqual(20);
  });

  it('renders quotes, rules and inline spans', () => {
    expect(md('> quoted\n> text\n\n---')).toEqual(['│ quoted text', '', '─'.repeat(40)]);
    expect(renderInline('use `a*b*c` and **bold**, *it* or [docs](https://x.y)', plain)).toBe('use a*b*c and bold, it or docs (https://x.y)');
    expect(renderInline('snake_case_name stays', plain)).toBe('snake_case_name stays');
    // Bold around a code span: the markers pair across it (and code keeps its own style).
    expect(renderInline('returns **`a - b`** here', plain)).toBe('returns a - b here');
    expect(renderInline('**`x`**', color)).toBe('\x1b[1m\x1b[36mx\x1b[39m\x1b[22m');
    expect(renderInline('a ** `b` ** c', plain)).toBe('a ** b ** c');
  });

  it('styles with ANSI colour only when colour is on', () => {
    const on = renderMarkdown('# H\n\n**b** `c`', { width: 80, style: color }).join('\n');
    expect(on).toContain('\x1b[1m');
    expect(on).toContain('\x1b[36mc\x1b[39m');
    expect(md('# H\n\n**b** `c`').join('\n')).not.toContain('\x1b');
  });
});

describe('splitFinished', () => {
  it('cuts at the last blank line outside a code fence', () => {
    expect(splitFinished('para one\n\npara two\n\npara thr')).toEqual({ finished: 'para one\n\npara two', rest: 'para thr' });
    expect(splitFinished('no blank line yet')).toEqual({ finished: '', rest: 'no blank line yet' });
    // A blank line inside an open fence is not a block boundary.
    expect(splitFinished('text\n\n```\ncode\n\nmore code\n')).toEqual({ finished: 'text', rest: '```\ncode\n\nmore code\n' });
    // Once the fence closes, the blank line after it is.
    expect(splitFinished('```\na\n\nb\n```\n\nnext')).toEqual({ finished: '```\na\n\nb\n```', rest: 'next' });
  });
});
