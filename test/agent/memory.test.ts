/** Project memory: which files, in which order, @imports (relative, ~, depth, cycles, missing), and stable bytes. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { importsOf, loadMemory, memoryDirectories, memoryText } from '../../src/agent/memory.js';
import { buildSystemPrompt } from '../../src/agent/system-prompt.js';
import { makeTempDir } from '../helpers/temp.js';

let root: string;
let home: string;
let project: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
beforeEach(() => {
  root = makeTempDir('bcode-memory-');
  home = path.join(root, 'home');
  project = path.join(root, 'project');
  mkdirSync(path.join(project, 'pkg', 'sub'), { recursive: true });
});

it('reads user, project, .claude, AGENTS.md and local files from the root down to the working directory, in that order', () => {
  write(path.join(home, '.claude', 'CLAUDE.md'), 'USER');
  write(path.join(project, 'CLAUDE.md'), 'ROOT');
  write(path.join(project, '.claude', 'CLAUDE.md'), 'ROOT-DOTCLAUDE');
  write(path.join(project, 'AGENTS.md'), 'ROOT-AGENTS');
  write(path.join(project, 'CLAUDE.local.md'), 'ROOT-LOCAL');
  write(path.join(project, 'pkg', 'CLAUDE.md'), 'PKG');
  write(path.join(project, 'pkg', 'sub', 'AGENTS.md'), 'SUB-AGENTS');
  write(path.join(project, 'pkg', 'sibling', 'CLAUDE.md'), 'NOT-ON-THE-PATH');
  const memory = loadMemory({ cwd: path.join(project, 'pkg', 'sub'), projectRoot: project, userDir: path.join(home, '.claude'), home });
  expect(memory.files.map((f) => f.text)).toEqual(['USER', 'ROOT', 'ROOT-DOTCLAUDE', 'ROOT-AGENTS', 'ROOT-LOCAL', 'PKG', 'SUB-AGENTS']);
  expect(memory.files.map((f) => f.kind)).toEqual(['user', 'project', 'project', 'project', 'local', 'project', 'project']);
  expect(memory.warnings).toEqual([]);
  expect(memoryDirectories(project, path.join(project, 'pkg', 'sub'))).toEqual([project, path.join(project, 'pkg'), path.join(project, 'pkg', 'sub')]);
});

it('an AGENTS.md that is a link to CLAUDE.md is read once', () => {
  write(path.join(project, 'CLAUDE.md'), 'SAME');
  symlinkSync('CLAUDE.md', path.join(project, 'AGENTS.md'));
  expect(loadMemory({ cwd: project, projectRoot: project }).files.map((f) => f.text)).toEqual(['SAME']);
});

it('follows @imports: relative and ~, each file once, after its importer', () => {
  write(path.join(project, 'CLAUDE.md'), 'ROOT see @docs/style.md and @~/.shared/prefs.md. Mail a@b.com, ping @alice, not `@code/span.md`.\n```\n@fenced/block.md\n```\n');
  write(path.join(project, 'docs', 'style.md'), 'STYLE, also @../docs/extra.md');
  write(path.join(project, 'docs', 'extra.md'), 'EXTRA');
  write(path.join(home, '.shared', 'prefs.md'), 'PREFS and again @' + path.join(project, 'docs', 'extra.md'));
  const memory = loadMemory({ cwd: project, projectRoot: project, home });
  expect(memory.files.map((f) => f.text.split(' ')[0])).toEqual(['ROOT', 'STYLE,', 'EXTRA', 'PREFS']);
  expect(memory.files[1]!.importedBy).toBe(path.join(project, 'CLAUDE.md'));
  expect(memory.warnings).toEqual([]);
  expect(importsOf('x @a/b.md, y')).toEqual(['a/b.md']);
});

it('names a cycle and a missing file in warnings, and stops 5 imports deep', () => {
  write(path.join(project, 'CLAUDE.md'), '@a.md @missing.md');
  write(path.join(project, 'a.md'), 'A @b.md');
  write(path.join(project, 'b.md'), 'B @a.md');
  let memory = loadMemory({ cwd: project, projectRoot: project });
  expect(memory.files.map((f) => f.text.split(' ')[0])).toEqual(['@a.md', 'A', 'B']);
  expect(memory.warnings).toEqual([
    `memory: import cycle ${path.join(project, 'a.md')} → ${path.join(project, 'b.md')} → ${path.join(project, 'a.md')} (the repeated import is skipped)`,
    `memory: ${path.join(project, 'CLAUDE.md')} imports missing.md, which does not exist or cannot be read (${path.join(project, 'missing.md')})`,
  ]);

  // CLAUDE.md → d1 → … → d6: the sixth level is not read.
  write(path.join(project, 'CLAUDE.md'), 'TOP @d1.md');
  for (let i = 1; i <= 6; i++) write(path.join(project, `d${i}.md`), `D${i} @d${i + 1}.md`);
  memory = loadMemory({ cwd: project, projectRoot: project });
  expect(memory.files.map((f) => f.text.split(' ')[0])).toEqual(['TOP', 'D1', 'D2', 'D3', 'D4', 'D5']);
  expect(memory.warnings).toEqual([`memory: ${path.join(project, 'd5.md')} imports d6.md, deeper than 5 levels of imports (skipped)`]);
});

it('the same files give byte-identical system blocks; memory follows the environment facts', async () => {
  write(path.join(project, 'CLAUDE.md'), 'Run `make check`. @docs/style.md');
  write(path.join(project, 'docs', 'style.md'), 'Use tabs.');
  write(path.join(home, '.claude', 'CLAUDE.md'), 'Be brief.');
  const now = () => new Date('2026-03-04T05:06:07Z');
  const warnings: string[] = [];
  const build = () => buildSystemPrompt({ cwd: project, projectRoot: project, modelId: 'm', now, userDir: path.join(home, '.claude'), home, onWarning: (w) => warnings.push(w) });
  const a = await build();
  expect(JSON.stringify(await build())).toBe(JSON.stringify(a));
  const text = a[1]!.text;
  expect(text.indexOf('# Environment')).toBe(0);
  expect(text.indexOf('Be brief.')).toBeLessThan(text.indexOf('Run `make check`.'));
  expect(text.indexOf('Run `make check`.')).toBeLessThan(text.indexOf('Use tabs.'));
  expect(warnings).toEqual([]);
  expect(memoryText({ files: [], warnings: [] })).toBe('');
});
