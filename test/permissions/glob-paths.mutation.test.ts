/**
 * The matchers under every path and command rule (glob.ts), the spellings a path is judged by
 * (paths.ts) and the rule offered for "always allow" (suggest.ts), pinned in-process. A
 * matcher that matches too little is a way past a deny rule; one that matches too much lets an
 * allow rule cover what it should not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCommandGlob, compilePathGlob, globToRegexSource } from '../../src/permissions/glob.js';
import { expandHome, isWithin, pathCandidates, realBase, realpathKernel, realpathLoose } from '../../src/permissions/paths.js';
import { suggestBashRule, suggestPathRule } from '../../src/permissions/suggest.js';
import type { ShellWord, SubCommand } from '../../src/permissions/shell.js';
import { makeTempDir } from '../helpers/temp.js';

describe('path globs', () => {
  const m = (glob: string, p: string, ci = false) => compilePathGlob(glob, ci).test(p);

  it('every regex metacharacter in a name is literal', () => {
    for (const ch of ['\\', '^', '$', '.', '+', '(', ')', '{', '}', '|']) {
      const name = `/p/a${ch}b`;
      expect(m(`/p/a\\${ch}b`, name), `escaped ${ch}`).toBe(true);
      if (ch !== '\\') expect(m(name, name), ch).toBe(true);
    }
    expect(m('/p/a.b', '/p/axb')).toBe(false);
    expect(m('/p/a+', '/p/aa')).toBe(false);
    expect(m('/p/(a)', '/p/a')).toBe(false);
    expect(m('/p/a{2}', '/p/aa')).toBe(false);
    expect(m('/p/a|b', '/p/b')).toBe(false);
    expect(m('/p/$a', '/p/$a')).toBe(true);
    expect(m('/p/^a', '/p/^a')).toBe(true);
    expect(globToRegexSource('/a/b')).toBe('\\/a\\/b');
    expect(globToRegexSource('ab_-~')).toBe('ab_-~');
  });

  it('* and ? stay inside one segment; ** spans directories', () => {
    expect(m('/p/*.env', '/p/x.env')).toBe(true);
    expect(m('/p/*.env', '/p/d/x.env')).toBe(false);
    expect(m('/p/*.env', '/p/xenv')).toBe(false);
    expect(m('/p/*/', '/p/a/b/c')).toBe(true);
    expect(m('/p/*/x', '/p/a/b/x')).toBe(false);
    expect(m('/p/?.env', '/p/x.env')).toBe(true);
    expect(m('/p/?.env', '/p/xy.env')).toBe(false);
    expect(m('/p/?.env', '/p//.env')).toBe(false);
    expect(m('/p/**/x', '/p/x')).toBe(true);
    expect(m('/p/**/x', '/p/a/b/x')).toBe(true);
    expect(m('/p/**/x', '/p/ax')).toBe(false);
    expect(m('/p/**/x', '/q/p/a/x')).toBe(false);
    expect(m('/p/a**b', '/p/a/b')).toBe(false);
    expect(m('/p/a**b', '/p/axxb')).toBe(true);
    expect(m('/p/a**', '/p/a/b/c')).toBe(true);
    expect(m('/p/a**', '/p/ab')).toBe(true);
    expect(globToRegexSource('**/x')).toBe('(?:.*/)?x');
    expect(globToRegexSource('/p/**')).toBe('\\/p\\/.*');
    expect(globToRegexSource('/p/**x')).toBe('\\/p\\/[^/]*x');
    expect(globToRegexSource('/p/x**')).toBe('\\/p\\/x[^/]*');
    expect(globToRegexSource('/p/x**/y')).toBe('\\/p\\/x[^/]*\\/y');
    expect(globToRegexSource('/p/*')).toBe('\\/p\\/[^/]*');
    expect(globToRegexSource('/p/?')).toBe('\\/p\\/[^/]');
  });

  it('character classes, negated with !, and a lone [ is literal', () => {
    expect(m('/p/[ab].env', '/p/a.env')).toBe(true);
    expect(m('/p/[ab].env', '/p/c.env')).toBe(false);
    expect(m('/p/[!ab].env', '/p/c.env')).toBe(true);
    expect(m('/p/[!ab].env', '/p/a.env')).toBe(false);
    expect(m('/p/[x', '/p/[x')).toBe(true);
    expect(m('/p/[x', '/p/x')).toBe(false);
    // `]` right after `[` belongs to the class.
    expect(m('/p/[]a]', '/p/]')).toBe(true);
    expect(globToRegexSource('[]a]')).toBe('[\\]a]');
    expect(m('/p/[!]a]', '/p/]')).toBe(false);
    expect(m('/p/[!]a]', '/p/b')).toBe(true);
    expect(m('/p/[!a]', '/p/b')).toBe(true);
    expect(globToRegexSource('[!]')).toBe('\\[!\\]');
    expect(globToRegexSource('[!a]')).toBe('[^a]');
    expect(globToRegexSource('[a\\b]')).toBe('[a\\\\b]');
    expect(globToRegexSource('[a]b]')).toBe('[a]b\\]');
  });

  it('a backslash escapes the next character; a trailing one is literal', () => {
    expect(m('/p/\\*', '/p/*')).toBe(true);
    expect(m('/p/\\*', '/p/x')).toBe(false);
    expect(globToRegexSource('a\\*')).toBe('a\\*');
    expect(globToRegexSource('a\\')).toBe('a\\\\');
    expect(globToRegexSource('a\\?b')).toBe('a\\?b');
  });

  it('a directory pattern covers everything below it, and dir/** covers dir', () => {
    expect(m('/p/secrets', '/p/secrets/key.pem')).toBe(true);
    expect(m('/p/secrets/', '/p/secrets/key.pem')).toBe(true);
    expect(m('/p/secrets//', '/p/secrets')).toBe(true);
    expect(m('/p/secrets', '/p/secretsx')).toBe(false);
    expect(m('/p/secrets/**', '/p/secrets')).toBe(true);
    expect(m('/p/secrets/**/**', '/p/secrets')).toBe(true);
    expect(m('/p/secrets/**', '/p/secretsx')).toBe(false);
    expect(m('/', '/etc/passwd')).toBe(true);
    expect(m('/**', '/etc/passwd')).toBe(true);
    expect(m('//', '/etc')).toBe(true);
    expect(compilePathGlob('/').source).toBe('^\\/.*$');
    // `/**` is every absolute path, and only those.
    expect(compilePathGlob('/**').test('/x')).toBe(true);
    expect(compilePathGlob('/**').test('')).toBe(false);
    expect(compilePathGlob('/**').test('x')).toBe(false);
    // Anchored at both ends.
    expect(m('/p/x', '/q/p/x')).toBe(false);
  });

  it('a file name with a newline is still matched (dotAll)', () => {
    expect(m('/p/secrets', '/p/secrets/a\nb')).toBe(true);
    expect(m('/p/**', '/p/a\nb')).toBe(true);
    expect(m('/', '/a\nb')).toBe(true);
  });

  it('letter case is ignored only when asked', () => {
    expect(m('/p/.env', '/p/.ENV')).toBe(false);
    expect(m('/p/.env', '/p/.ENV', true)).toBe(true);
    expect(m('/p/.env', '/p/.ENV/x\ny', true)).toBe(true);
    expect(compilePathGlob('/p/.env').test('/p/.ENV')).toBe(false);
  });
});

describe('command globs', () => {
  const c = (pattern: string, command: string) => compileCommandGlob(pattern).test(command);
  it('literal apart from *, whitespace normalized', () => {
    expect(c('npm run build', 'npm run build')).toBe(true);
    expect(c('  npm   run\tbuild ', 'npm run build')).toBe(true);
    expect(c('npm run build', 'npm run builds')).toBe(false);
    expect(c('npm run build', 'xnpm run build')).toBe(false);
    expect(c('a.b', 'axb')).toBe(false);
    for (const ch of ['\\', '^', '$', '.', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']) expect(c(`a${ch}b`, `a${ch}b`), ch).toBe(true);
    expect(c('a?', 'a')).toBe(false);
    expect(c('a+', 'aa')).toBe(false);
  });
  it('* matches any run of characters, newlines included; a trailing " *" also matches nothing', () => {
    expect(c('git * main', 'git push origin main')).toBe(true);
    expect(c('echo *', 'echo "a\nb"')).toBe(true);
    expect(c('echo *', 'echo')).toBe(true);
    expect(c('echo *', 'echoes')).toBe(false);
    expect(c('echo*', 'echoes')).toBe(true);
    expect(c('echo a*', 'echo a\nb')).toBe(true);
    expect(compileCommandGlob('ls *').source).toBe('^ls(?: .*)?$');
    expect(compileCommandGlob('ls').source).toBe('^ls$');
  });
});

describe('path spellings', () => {
  const root = fs.realpathSync(makeTempDir('bcode-mut-paths-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const p = (...s: string[]) => path.join(root, ...s);
  fs.mkdirSync(p('real', 'deep'), { recursive: true });
  fs.mkdirSync(p('proj'));
  fs.symlinkSync(p('real', 'deep'), p('proj', 'link'));
  fs.writeFileSync(p('real', 'secret'), 's');

  it('realpathLoose resolves the nearest existing ancestor and keeps the missing tail', () => {
    expect(realpathLoose(p('proj', 'link'))).toBe(p('real', 'deep'));
    expect(realpathLoose(p('proj', 'link', 'new', 'file'))).toBe(p('real', 'deep', 'new', 'file'));
    expect(realpathLoose(p('proj', 'link', 'x', '..', 'y'))).toBe(p('real', 'deep', 'y'));
    expect(realpathLoose(p('proj'))).toBe(p('proj'));
  });

  it('realpathKernel follows a symlink before a later `..`', () => {
    // proj/link/../secret is real/secret to the kernel, proj/secret lexically.
    expect(realpathKernel(p('proj'), 'link/../secret')).toBe(p('real', 'secret'));
    expect(realpathKernel('/', `${p('proj')}/link/../secret`)).toBe(p('real', 'secret'));
    expect(realpathKernel(p('proj'), './link/./../secret')).toBe(p('real', 'secret'));
    expect(realpathKernel(p('proj'), 'link//x')).toBe(p('real', 'deep', 'x'));
    // Past a missing component nothing is resolved any more.
    expect(realpathKernel(p('proj'), 'missing/../link')).toBe(p('proj', 'link'));
    expect(realpathKernel(p('proj'), 'missing/link')).toBe(p('proj', 'missing', 'link'));
    // The start directory itself is resolved.
    expect(realpathKernel(p('proj', 'link'), '../secret')).toBe(p('real', 'secret'));
  });

  it('realBase, expandHome', () => {
    expect(realBase(p('proj', 'link'))).toBe(p('real', 'deep'));
    expect(realBase(p('nope'))).toBe(p('nope'));
    expect(expandHome('~', '/h')).toBe('/h');
    expect(expandHome('~/x', '/h')).toBe('/h/x');
    expect(expandHome('~x', '/h')).toBe('~x');
    expect(expandHome('a/~/x', '/h')).toBe('a/~/x');
    expect(expandHome('~')).toBe(os.homedir());
  });

  it('pathCandidates: as written, resolved after normalizing, and resolved like the kernel, without duplicates', () => {
    expect(pathCandidates('link/../secret', p('proj'), '/h')).toEqual([p('proj', 'secret'), p('real', 'secret')]);
    expect(pathCandidates('plain', p('proj'), '/h')).toEqual([p('proj', 'plain')]);
    expect(pathCandidates('~/x', p('proj'), p('proj'))).toEqual([p('proj', 'x')]);
    expect(pathCandidates('link/a', p('proj'), '/h')).toEqual([p('proj', 'link', 'a'), p('real', 'deep', 'a')]);
  });

  it('isWithin', () => {
    expect(isWithin('/a/b', '/a')).toBe(true);
    expect(isWithin('/a', '/a')).toBe(true);
    expect(isWithin('/ab', '/a')).toBe(false);
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/x/..a', '/x')).toBe(true);
    expect(isWithin('/', '/a')).toBe(false);
    expect(isWithin('/a/b', '/')).toBe(true);
    expect(isWithin('/a/', '/a')).toBe(true);
    expect(isWithin('/a', '/a/')).toBe(true);
    expect(isWithin('/a/..', '/a')).toBe(false);
    expect(isWithin('/a/../b', '/a')).toBe(false);
  });
});

describe('suggested rules', () => {
  const lit = (t: string): ShellWord => ({ raw: t, value: t });
  const cmd = (words: Array<string | ShellWord>, extra: Partial<SubCommand> = {}): SubCommand => {
    const ws = words.map((x) => (typeof x === 'string' ? lit(x) : x));
    return { kind: 'call', assigns: [], words: ws, text: ws.map((x) => x.raw).join(' '), ...extra };
  };

  it('a prefix of at most two words, three after a runner', () => {
    expect(suggestBashRule(cmd(['cargo', 'build', '--release']))).toBe('Bash(cargo build:*)');
    expect(suggestBashRule(cmd(['cargo', 'build']))).toBe('Bash(cargo build)');
    expect(suggestBashRule(cmd(['cargo', 'build', 'x', 'y']))).toBe('Bash(cargo build:*)');
    for (const r of ['run', 'run-script', 'exec', 'x', 'dlx']) expect(suggestBashRule(cmd(['npm', r, 'test', '--', '--watch']))).toBe(`Bash(npm ${r} test:*)`);
    expect(suggestBashRule(cmd(['npm', 'run', 'test']))).toBe('Bash(npm run test)');
    expect(suggestBashRule(cmd(['npm']))).toBe('Bash(npm)');
  });

  it('the prefix stops at an option, a path, an assignment, a quote, an expansion or an empty word', () => {
    for (const stop of ['-x', 'a/b', 'a=b', 'a.b', '$x', "a'b", 'a"b', 'a b', 'a\\b', '']) {
      expect(suggestBashRule(cmd(['tool', stop, 'z'])), JSON.stringify(stop)).toBe('Bash(tool:*)');
    }
    expect(suggestBashRule(cmd(['tool', { raw: '$X' }]))).toBe('Bash(tool:*)');
    expect(suggestBashRule(cmd(['./run.sh', 'x']))).toBeUndefined();
    expect(suggestBashRule(cmd(['-x']))).toBeUndefined();
  });

  it('consequential programs are only suggested exactly, and only when fully literal', () => {
    for (const name of ['rm', 'rmdir', 'sudo', 'su', 'doas', 'dd', 'mkfs', 'chmod', 'chown', 'curl', 'wget', 'sh', 'bash', 'zsh', 'eval', 'exec', 'xargs', 'env', 'kill', 'pkill', 'killall', 'shutdown', 'reboot', 'ssh', 'scp']) {
      expect(suggestBashRule(cmd([name, 'a', 'b'])), name).toBe(`Bash(${name} a b)`);
      expect(suggestBashRule(cmd([name, { raw: '$X' }])), name).toBeUndefined();
    }
    expect(suggestBashRule(cmd(['/bin/rm', 'a']))).toBe('Bash(/bin/rm a)');
  });

  it('nothing for assignments, non-calls or a non-literal program', () => {
    expect(suggestBashRule(cmd(['make'], { assigns: ['A=1'] }))).toBeUndefined();
    expect(suggestBashRule(cmd(['make'], { kind: 'test' }))).toBeUndefined();
    expect(suggestBashRule(cmd([{ raw: '$P' }, 'x']))).toBeUndefined();
  });

  it('path rules: the directory, relative to the project when inside it', () => {
    expect(suggestPathRule('Edit', '/p/src/a.ts', '/p')).toBe('Edit(/src/**)');
    expect(suggestPathRule('Edit', '/p/a.ts', '/p')).toBe('Edit(/**)');
    expect(suggestPathRule('Edit', '/p/src/lib/a.ts', '/p')).toBe('Edit(/src/lib/**)');
    expect(suggestPathRule('Read', '/p/src', '/p', true)).toBe('Read(/src/**)');
    expect(suggestPathRule('Read', '/p', '/p', true)).toBe('Read(/**)');
    expect(suggestPathRule('Read', '/etc/hosts', '/p')).toBe('Read(//etc/**)');
    expect(suggestPathRule('Read', '/hosts', '/p')).toBe('Read(//**)');
    expect(suggestPathRule('Read', '/etc', '/p', true)).toBe('Read(//etc/**)');
  });
});
