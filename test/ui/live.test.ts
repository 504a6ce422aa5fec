/**
 * The live region and the store without a terminal: the region always fits (ink erases the
 * whole screen when a frame is as tall as the terminal), stream events are batched into frames,
 * finished blocks leave the live region for the scrollback, and each tool call is one line.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toolLine, toolOutcome, toolTitle } from '../../src/ui/tui/format.js';
import { liveLines, shortModel } from '../../src/ui/tui/live.js';
import { FRAME_MS, TuiStore, type TuiState } from '../../src/ui/tui/store.js';
import { makeStyle } from '../../src/ui/tui/style.js';
import { stringWidth } from '../../src/ui/tui/text.js';

const style = makeStyle(false);
const usage = () => ({ totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } });
const store = (width = 80, rows = 24) => new TuiStore(style, '/work/p', usage, { model: 'm', region: 'us-east-1', mode: 'default' }, { width, rows }, 0);

afterEach(() => {
  vi.useRealTimers();
});

describe('the live region', () => {
  it('is always shorter than the terminal and no wider than it, whatever it holds', () => {
    const code = `\`\`\`\n${Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 90)}`).join('\n')}`;
    for (const [width, rows] of [
      [80, 24],
      [40, 24],
      [40, 8],
      [120, 5],
      [60, 2],
    ]) {
      const base = store(width, rows).current;
      const states: TuiState[] = [
        { ...base, busy: true, streaming: code },
        { ...base, busy: true, streaming: 'word '.repeat(2000), tools: Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, name: 'Read', input: {}, title: `Read f${i}.ts`, state: 'running' as const, outcome: '' })) },
        {
          ...base,
          busy: true,
          permission: { request: { toolName: 'Bash', input: { command: 'echo hi\n'.repeat(100) }, description: 'Bash', suggestedRule: 'Bash(echo:*)' }, stage: 'choose', feedback: '' },
        },
        { ...base, input: { text: 'typed\n'.repeat(60), cursor: 3, historyIndex: 0, draft: '' }, hint: 'a hint' },
      ];
      for (const s of states) {
        const lines = liveLines(s, style);
        expect(lines.length, `${width}x${rows}`).toBeLessThan(rows);
        for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('keeps the approval choices and the status line in view when the command is long', () => {
    const s = store(40, 12).current;
    const lines = liveLines({ ...s, busy: true, permission: { request: { toolName: 'Bash', input: { command: 'x '.repeat(500) }, description: 'Bash', suggestedRule: 'Bash(x:*)' }, stage: 'choose', feedback: '' } }, style);
    const text = lines.join('\n');
    expect(text).toMatch(/1 allow once/);
    expect(text).toMatch(/2 always allow Bash\(x:\*\)/);
    expect(text).toMatch(/3 deny and tell the model why/);
    expect(lines[lines.length - 1]).toMatch(/^m · default · \$0\.0000/);
  });
});

describe('the store', () => {
  it('batches stream deltas into one frame per FRAME_MS and moves finished paragraphs to the scrollback', () => {
    vi.useFakeTimers();
    const s = store();
    let frames = 0;
    s.subscribe(() => frames++);
    for (let i = 0; i < 100; i++) s.emit({ type: 'text_delta', text: `w${i} ` });
    expect(frames).toBe(0);
    vi.advanceTimersByTime(FRAME_MS);
    expect(frames).toBe(1);
    expect(s.getSnapshot().streaming).toContain('w98');
    s.emit({ type: 'text_delta', text: '\n\nsecond paragraph ' });
    vi.advanceTimersByTime(FRAME_MS);
    // The first paragraph is final: it went to the scrollback (its full lines already in the first
    // frame, the rest now); only the second is live.
    const committed = s.getSnapshot().items.flatMap((it) => it.lines).join(' ');
    expect(committed).toContain('w0 w1');
    expect(committed).toContain('w98 w99');
    expect(s.getSnapshot().streaming).toBe('second paragraph ');
  });

  it('shows each tool call as one line, with the outcome after an arrow', () => {
    expect(toolTitle('Read', { file_path: '/work/p/src/a.ts' }, '/work/p')).toBe('Read src/a.ts');
    expect(toolTitle('Bash', { command: 'npm   test' }, '/work/p')).toBe('Bash npm test');
    expect(toolOutcome('Bash', 'npm test: exit code 1', true)).toBe('exit 1');
    expect(toolOutcome('Bash', 'ls: done', false)).toBe('');
    expect(toolOutcome('Read', 'line one of the file', false)).toBe('');
    expect(toolLine('Bash npm test', 'exit 1', 'error', 80, style)).toBe('● Bash npm test → exit 1');
    expect(shortModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5');
    expect(shortModel('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123')).toBe('abc123');
  });
});
