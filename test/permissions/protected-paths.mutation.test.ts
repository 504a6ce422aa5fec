/**
 * Protected paths (protected-paths.ts), in-process: every entry by a path it must catch and one
 * it must not, what a rule must spell to name one, hard links to one, and a tree with one below.
 * A protected file missed here is one acceptEdits or a broad allow rule lets the model rewrite —
 * a git hook, a shell start-up file, the settings that decide what is allowed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hardLinkedProtected, protectedBelow, protectedPath, ruleNamesProtected } from '../../src/permissions/protected-paths.js';
import { makeTempDir } from '../helpers/temp.js';

const H = '/nx/home';
const hit = (p: string, home = H) => protectedPath([p], home);

const SHELL = ['.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout', '.kshrc', '.mkshrc', '.cshrc', '.tcshrc', '.inputrc'];
const GIT = 'git runs the programs its configuration names';
const SHELL_WHY = 'shell start-up files run in every new shell';

describe('each protected entry', () => {
  it.each<[string, string, string[]]>([
    ['/p/.git/config', 'git runs the programs its configuration and hooks name', ['.git']],
    ['/p/sub/.GIT/hooks/pre-commit', 'git runs the programs its configuration and hooks name', ['.git']],
    ['/p/.gitattributes', 'git attributes choose the filters and diff programs git runs', ['.gitattributes', 'attributes']],
    ['/p/.gitmodules', 'submodule definitions choose what git fetches and runs', ['.gitmodules']],
    ['/p/.claude/settings.json', "bcode's and the reference product's settings, commands, agents and hooks decide what runs and what is allowed", ['.claude']],
    ['/p/.mcp.json', 'MCP server definitions start programs', ['.mcp.json']],
    ['/p/.envrc', 'direnv runs it on entering the directory', ['.envrc']],
    ['/p/.npmrc', 'package-manager settings choose the shell and programs scripts run with', ['.npmrc', '.yarnrc', '.yarnrc.yml']],
    ['/p/.yarnrc', 'package-manager settings choose the shell and programs scripts run with', ['.npmrc', '.yarnrc', '.yarnrc.yml']],
    ['/p/.yarnrc.yml', 'package-manager settings choose the shell and programs scripts run with', ['.npmrc', '.yarnrc', '.yarnrc.yml']],
    ['/p/.husky/pre-commit', 'husky installs these as git hooks', ['.husky']],
    ['/p/.pre-commit-config.yaml', 'pre-commit runs the hooks it lists', ['.pre-commit-config.yaml']],
    ['/p/.vscode/tasks.json', 'the editor runs the tasks and programs they name', ['tasks.json', 'settings.json', '.vscode']],
    ['/p/.vscode/settings.json', 'the editor runs the tasks and programs they name', ['tasks.json', 'settings.json', '.vscode']],
    [`${H}/.config/fish/config.fish`, SHELL_WHY, ['fish']],
    [`${H}/.ssh/authorized_keys`, 'ssh keys and configuration (which can run programs) live there', ['.ssh']],
    [`${H}/.aws/credentials`, 'AWS credentials and configuration (which can run programs) live there', ['.aws']],
    [`${H}/.gitconfig`, GIT, ['.gitconfig']],
    [`${H}/.config/git/config`, GIT, ['git']],
    ['/etc/claude-code/managed-settings.json', 'managed settings decide what is allowed', ['claude-code']],
    ['/Library/Application Support/ClaudeCode/managed-settings.json', 'managed settings decide what is allowed', ['claudecode']],
    ['/etc/profile', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/bash.bashrc', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/profile.d/x.sh', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/zshrc', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/zprofile', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/zshenv', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
    ['/etc/zsh/zshrc', 'system shell start-up files run in every new shell', ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv']],
  ])('%s', (p, why, names) => {
    expect(hit(p)).toEqual({ path: p, why, names });
  });

  it.each(SHELL)('~/%s is a shell start-up file; the same name elsewhere is not', (name) => {
    expect(hit(`${H}/${name}`)).toEqual({ path: `${H}/${name}`, why: SHELL_WHY, names: SHELL });
    expect(hit(`${H}/sub/${name}`)).toBeUndefined();
    expect(hit(`/p/${name}`)).toBeUndefined();
  });

  it('look-alikes are not protected', () => {
    for (const p of [
      '/p/git/config',
      '/p/x.git',
      '/p/.gitattributes.bak',
      '/p/attributes',
      '/p/.mcp.json/x',
      '/p/vscode/tasks.json',
      '/p/.vscode/launch.json',
      '/p/tasks.json',
      '/p/.vscode',
      `${H}/fish/config.fish`,
      `${H}/.config/fishy`,
      `${H}/.config/gitx/config`,
      `${H}/.sshx/config`,
      '/p/.ssh/config',
      '/p/.aws/credentials',
      '/p/.gitconfig',
      `${H}/x/.gitconfig`,
      '/etc/claude-codex/x',
      '/x/etc/claude-code/x',
      '/x/claude-code/x',
      '/Library/X/ClaudeCode/x',
      '/X/Application Support/ClaudeCode/x',
      '/a/b/claudecode/x',
      '/x/profile',
      '/x/zsh/zshrc',
      '/',
      '/Library/Application Support/ClaudeCodex',
      '/Library/Application Support',
      '/Library/ClaudeCode',
      '/x/Library/Application Support/ClaudeCode',
      '/etc/hosts',
      '/etc',
      '/x/etc/profile',
      H,
    ]) {
      expect(hit(p), p).toBeUndefined();
    }
    expect(protectedPath([], H)).toBeUndefined();
  });

  it('the first spelling that falls under an entry is reported', () => {
    expect(protectedPath(['/p/a', '/p/.envrc', '/p/.mcp.json'], H)?.path).toBe('/p/.envrc');
  });

  it('home entries also match under the home directory resolved', () => {
    const root = fs.realpathSync(makeTempDir('bcode-mut-prot-'));
    fs.mkdirSync(path.join(root, 'real-home'));
    fs.symlinkSync(path.join(root, 'real-home'), path.join(root, 'home'));
    expect(protectedPath([path.join(root, 'real-home', '.bashrc')], path.join(root, 'home'))?.why).toBe(SHELL_WHY);
    expect(protectedPath([path.join(root, 'home', '.bashrc')], path.join(root, 'home'))?.why).toBe(SHELL_WHY);
    // A missing home is compared as given.
    expect(protectedPath([path.join(root, 'gone', '.bashrc')], path.join(root, 'gone'))?.why).toBe(SHELL_WHY);
  });
});

describe('ruleNamesProtected: a rule must spell the protected name, not reach it by a wildcard', () => {
  const git = hit('/p/.git/config')!;
  const shell = hit(`${H}/.bashrc`)!;
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['.git/**', true],
    ['./.git/hooks/**', true],
    ['/src/.GIT/x', true],
    ['**', false],
    ['.gi?/**', false],
    ['x.git/**', false],
    ['.gitx/**', false],
    ['git commit:*', false],
    ['git -C .git config x', true],
    ['cat .git:*', true],
    ['x .git)', true],
    ['(.git)', false],
    ['..git', false],
  ])('%j names .git: %s', (spec, want) => {
    expect(ruleNamesProtected(spec, git)).toBe(want);
  });
  it('any of the entry names counts', () => {
    expect(ruleNamesProtected('~/.zshrc', shell)).toBe(true);
    expect(ruleNamesProtected('~/.bashrc', shell)).toBe(true);
    expect(ruleNamesProtected('~/.bashrcx', shell)).toBe(false);
    // The dot in a name is literal.
    expect(ruleNamesProtected('~/xbashrc', shell)).toBe(false);
  });
});

describe('hard links and trees', () => {
  const root = fs.realpathSync(makeTempDir('bcode-mut-prot-links-'));
  const proj = path.join(root, 'proj');
  const home = path.join(root, 'home');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(proj, '.git', 'hooks'), { recursive: true });
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.mkdirSync(path.join(proj, '.claude'), { recursive: true });
  const files = ['.git/config', '.git/config.worktree', '.gitattributes', '.gitmodules', '.mcp.json', '.envrc', '.npmrc', '.claude/settings.json', '.claude/settings.local.json', '.git/hooks/pre-push'];
  fs.mkdirSync(path.join(proj, '.git', 'info'));
  files.push('.git/info/attributes');
  for (const f of files) fs.writeFileSync(path.join(proj, f), 'x');
  const homeFiles = ['.bashrc', '.profile', '.gitconfig', '.ssh/config', '.ssh/authorized_keys', '.aws/config', '.aws/credentials', '.claude/settings.json', '.npmrc', '.inputrc'];
  fs.mkdirSync(path.join(home, '.aws'));
  fs.mkdirSync(path.join(home, '.claude'));
  for (const f of homeFiles) fs.writeFileSync(path.join(home, f), 'x');
  let n = 0;

  it.each(files)('a hard link to <project>/%s is protected', (f) => {
    const link = path.join(proj, `link${n++}`);
    fs.linkSync(path.join(proj, f), link);
    const h = hardLinkedProtected(link, [proj], home);
    expect(h?.path).toBe(path.join(proj, f));
    expect(h?.why).toBe(protectedPath([path.join(proj, f)], home)!.why);
    fs.rmSync(link);
  });
  it.each(homeFiles)('a hard link to ~/%s is protected', (f) => {
    const link = path.join(proj, `link${n++}`);
    fs.linkSync(path.join(home, f), link);
    expect(hardLinkedProtected(link, [proj], home)?.path).toBe(path.join(home, f));
    fs.rmSync(link);
  });
  it('a file with one name, a directory, a missing path, or a link to an ordinary file is not', () => {
    fs.writeFileSync(path.join(proj, 'plain'), 'x');
    expect(hardLinkedProtected(path.join(proj, 'plain'), [proj], home)).toBeUndefined();
    expect(hardLinkedProtected(path.join(proj, '.git'), [proj], home)).toBeUndefined();
    expect(hardLinkedProtected(path.join(proj, 'missing'), [proj], home)).toBeUndefined();
    // A protected file with its one name is not a hard link to itself (the path check covers it).
    expect(fs.statSync(path.join(home, '.inputrc')).nlink).toBe(1);
    expect(hardLinkedProtected(path.join(home, '.inputrc'), [proj], home)).toBeUndefined();
    fs.linkSync(path.join(proj, 'plain'), path.join(proj, 'plain2'));
    expect(hardLinkedProtected(path.join(proj, 'plain2'), [proj], home)).toBeUndefined();
    // Only the roots given are looked in.
    fs.linkSync(path.join(proj, '.envrc'), path.join(proj, 'envlink'));
    expect(hardLinkedProtected(path.join(proj, 'envlink'), [], path.join(root, 'nohome'))).toBeUndefined();
    expect(hardLinkedProtected(path.join(proj, 'envlink'), [proj], path.join(root, 'nohome'))?.path).toBe(path.join(proj, '.envrc'));
  });

  it('protectedBelow: the directory itself, a home inside it, or an entry found by walking', () => {
    expect(protectedBelow(path.join(proj, '.git'), home)?.path).toBe(path.join(proj, '.git'));
    expect(protectedBelow(root, home)).toEqual({ path: path.join(home, '.ssh'), why: 'ssh keys and configuration (which can run programs) live there', names: ['.ssh'] });
    const found = protectedBelow(proj, path.join(root, 'nohome'));
    expect(found).toBeDefined();
    expect(found!.path.startsWith(proj + path.sep)).toBe(true);
    fs.mkdirSync(path.join(root, 'clean', 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'clean', 'a', 'f'), 'x');
    expect(protectedBelow(path.join(root, 'clean'), home)).toBeUndefined();
    // The walk is bounded: with no budget nothing below is looked at.
    fs.mkdirSync(path.join(root, 'deep', 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'deep', 'a', '.envrc'), 'x');
    expect(protectedBelow(path.join(root, 'deep'), home)?.path).toBe(path.join(root, 'deep', 'a', '.envrc'));
    expect(protectedBelow(path.join(root, 'deep'), home, 1)).toBeUndefined();
    // The walk stops at the first hit: entries visited after it (one level deeper) do not undo it.
    fs.mkdirSync(path.join(root, 'early', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'early', '.envrc'), 'x');
    fs.writeFileSync(path.join(root, 'early', 'sub', 'plain'), 'x');
    expect(protectedBelow(path.join(root, 'early'), home)?.path).toBe(path.join(root, 'early', '.envrc'));
  });

  it('protectedBelow sees a home directory reached through a symlink', () => {
    fs.mkdirSync(path.join(root, 'outer', 'real'), { recursive: true });
    fs.symlinkSync(path.join(root, 'outer', 'real'), path.join(root, 'home-link'));
    expect(protectedBelow(path.join(root, 'outer'), path.join(root, 'home-link'))?.path).toBe(path.join(root, 'home-link', '.ssh'));
  });
});
