import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_PROMPT, buildSystemPrompt, gitSummary } from '../../src/agent/system-prompt.js';
import { makeTempDir } from '../helpers/temp.js';

const now = () => new Date('2026-03-04T05:06:07Z');

describe('system prompt', () => {
  it('puts the stable guidance first, then environment facts and project memory', async () => {
    const dir = makeTempDir('bcode-sp-');
    writeFileSync(path.join(dir, 'CLAUDE.md'), 'Always run `make check`.\n');
    writeFileSync(path.join(dir, 'AGENTS.md'), 'Use tabs.\n');
    const blocks = await buildSystemPrompt({ cwd: dir, projectRoot: dir, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', now });
    expect(blocks).toHaveLength(2);
    expect(blocks[0].text).toBe(BASE_PROMPT);
    const env = blocks[1].text;
    expect(env).toContain(`Working directory: ${dir}`);
    expect(env).toContain('Git: not a git repository');
    expect(env).toContain('Date: 2026-03-04');
    expect(env).toContain('Model: us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(env).toContain(`Platform: ${process.platform}`);
    expect(env.indexOf('Always run `make check`.')).toBeLessThan(env.indexOf('Use tabs.'));
    // Built twice, byte-identical: the cached prefix stays valid.
    expect(JSON.stringify(await buildSystemPrompt({ cwd: dir, projectRoot: dir, modelId: 'm', now }))).toBe(JSON.stringify(await buildSystemPrompt({ cwd: dir, projectRoot: dir, modelId: 'm', now })));
  });

  it('--system-prompt replaces everything; --append-system-prompt adds a last block', async () => {
    const dir = makeTempDir('bcode-sp-');
    expect(await buildSystemPrompt({ cwd: dir, projectRoot: dir, modelId: 'm', replace: 'You are terse.', append: 'Answer in French.' })).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    const appended = await buildSystemPrompt({ cwd: dir, projectRoot: dir, modelId: 'm', append: 'Answer in French.' });
    expect(appended.map((b) => b.text.slice(0, 10))).toEqual([BASE_PROMPT.slice(0, 10), '# Environm', 'Answer in ']);
  });

  it('summarises git status as branch and change count', async () => {
    const dir = makeTempDir('bcode-git-');
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'work');
    expect(await gitSummary(dir)).toBe('branch work, clean');
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    writeFileSync(path.join(dir, 'b.txt'), 'b');
    expect(await gitSummary(dir)).toBe('branch work, 2 changed files');
  });
});
