/** Custom command templates: arguments, !`…` lines (in order, through the host) and @files. */
import { describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../../src/extensions/commands/discover.js';
import { CommandRefusedError, expandCommand, matchCustomCommand, splitArguments, substituteArguments } from '../../src/extensions/commands/expand.js';

const def = (body: string): CommandDefinition => ({ name: 'x', description: 'd', body, file: '/x.md', source: 'project' });

describe('custom command expansion', () => {
  it('fills $ARGUMENTS and $1…$9; quotes group words; missing ones are empty', () => {
    expect(splitArguments(`a "b c" 'd e' f\\ g`)).toEqual(['a', 'b c', 'd e', 'f\\', 'g']);
    expect(substituteArguments('[$1][$2][$3][$ARGUMENTS]', 'one "two words"')).toBe('[one][two words][][one "two words"]');
    // $10 is not $1 followed by 0.
    expect(substituteArguments('$10 $1', 'a')).toBe('$10 a');
    // Without a placeholder the arguments still reach the model.
    expect(substituteArguments('Review the diff.', 'carefully')).toBe('Review the diff.\n\nARGUMENTS: carefully');
    expect(substituteArguments('Review the diff.', '')).toBe('Review the diff.');
  });

  it('runs !`…` lines in order and puts their output in place; attaches existing @files once', async () => {
    const ran: string[] = [];
    const text = await expandCommand(def('Status: !`git status`\nLog: !`git log -1 $1`\nSee @a.md and @a.md, not @missing.md or me@example.com'), 'HEAD', {
      runShell: async (c) => {
        ran.push(c);
        return `out of ${c}\n`;
      },
      readFile: async (p) => (p === 'a.md' ? 'A content\n' : undefined),
    });
    expect(ran).toEqual(['git status', 'git log -1 HEAD']);
    expect(text).toBe('Status: out of git status\nLog: out of git log -1 HEAD\nSee @a.md and @a.md, not @missing.md or me@example.com\n\n<file path="a.md">\nA content\n</file>');
  });

  it('stops at the first refused line: later lines never run', async () => {
    const ran: string[] = [];
    const run = expandCommand(def('!`one`\n!`two`\n!`three`'), '', {
      runShell: async (c) => {
        if (c === 'two') throw new CommandRefusedError('two is denied');
        ran.push(c);
        return '';
      },
      readFile: async () => undefined,
    });
    await expect(run).rejects.toThrow('two is denied');
    expect(ran).toEqual(['one']);
  });

  it('matches /name args only for known custom commands', () => {
    const commands = [def('x'), { ...def('y'), name: 'frontend:component' }];
    expect(matchCustomCommand('/frontend:component Button', commands)).toMatchObject({ command: { name: 'frontend:component' }, args: 'Button' });
    expect(matchCustomCommand('/x', commands)).toMatchObject({ command: { name: 'x' }, args: '' });
    expect(matchCustomCommand('/help', commands)).toBeUndefined();
    expect(matchCustomCommand('/usr/bin/ls', commands)).toBeUndefined();
  });
});
