/**
 * The sandbox's small modules called in-process (issue 20: the end-to-end tests run the built
 * bundle, which mutation testing does not rebuild): the settings defaults, the read-only
 * environment, the credential stores and glob expansion, the availability probe (with stand-in
 * `bwrap` programs, so the failure paths run on any machine) and the runner built for a config.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import type { PermissionPolicy } from '../../src/permissions/types.js';
import { findOnPath, resetSandboxAvailability, sandboxAvailability } from '../../src/sandbox/availability.js';
import { sandboxRunnerFor } from '../../src/sandbox/for-config.js';
import { CREDENTIAL_STORES, credentialStores, expandMatchers, withRealPath, type PathMatcher } from '../../src/sandbox/masks.js';
import { READ_ONLY_GIT_PRELUDE, readOnlyEnv } from '../../src/sandbox/read-only-git.js';
import type { SandboxRunnerOptions } from '../../src/sandbox/runner.js';
import { resolveSandboxSettings } from '../../src/sandbox/settings.js';
import { makeTempDir } from '../helpers/temp.js';

const DEFAULTS = { enabled: true, failIfUnavailable: false, excludedCommands: [], allowWrite: [], denyWrite: [], denyRead: [], allowAllUnixSockets: false };

describe('resolveSandboxSettings', () => {
  it('fills in the defaults for a missing, null or non-object value (and for null sub-objects)', () => {
    for (const raw of [undefined, null, 'on', 3, { network: null, filesystem: null }, { network: 'x', filesystem: 7 }]) {
      const s = resolveSandboxSettings(raw);
      expect(s, JSON.stringify(raw)).toEqual(DEFAULTS);
      expect('allowedDomains' in s).toBe(false);
    }
  });

  it('takes each key from where the reference product puts it', () => {
    const s = resolveSandboxSettings({
      enabled: false,
      failIfUnavailable: true,
      excludedCommands: ['docker', 7, 'git'],
      filesystem: { allowWrite: ['~/out'], denyWrite: ['./locked'], denyRead: ['//etc/secret', null] },
      network: { allowedDomains: ['example.com', false], allowAllUnixSockets: true },
    });
    expect(s).toEqual({
      enabled: false,
      failIfUnavailable: true,
      excludedCommands: ['docker', 'git'],
      allowWrite: ['~/out'],
      denyWrite: ['./locked'],
      denyRead: ['//etc/secret'],
      allowedDomains: ['example.com'],
      allowAllUnixSockets: true,
    });
  });

  it('a value of the wrong type keeps the default; an empty domain list is a list (no network)', () => {
    const s = resolveSandboxSettings({ enabled: 'false', failIfUnavailable: 1, excludedCommands: 'docker', network: { allowedDomains: [], allowAllUnixSockets: 'yes' }, filesystem: { allowWrite: '/x' } });
    expect(s).toEqual({ ...DEFAULTS, allowedDomains: [] });
    expect(resolveSandboxSettings({ network: { allowedDomains: 'example.com' } })).toEqual(DEFAULTS);
    // The keys at the top level are not the nested ones.
    expect(resolveSandboxSettings({ allowWrite: ['/x'], allowAllUnixSockets: true, allowedDomains: ['a'] })).toEqual(DEFAULTS);
  });
});

describe('readOnlyEnv', () => {
  it('sets the pagers to cat and drops every variable that names a program to run, keeping the rest', () => {
    const dropped = ['GIT_EXTERNAL_DIFF', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'LESSOPEN', 'LESSCLOSE', 'BASH_ENV', 'ENV'];
    const input: Record<string, string> = { PATH: '/bin', HOME: '/h', PAGER: 'less', GIT_PAGER: 'delta', GIT_DIR: '.git' };
    for (const k of dropped) input[k] = 'evil';
    const before = { ...input };
    const out = readOnlyEnv(input);
    expect(out).toEqual({ PATH: '/bin', HOME: '/h', PAGER: 'cat', GIT_PAGER: 'cat', GIT_DIR: '.git' });
    expect(input).toEqual(before);
  });
});

describe('the read-only git prelude, in bash', () => {
  /** Runs `script` in bash after the prelude, in a repository whose configuration runs `marker` programs. */
  function repo(): { dir: string; marker: string; git: (script: string) => string } {
    const dir = makeTempDir('bcode-rogit-');
    const marker = path.join(dir, 'ran');
    const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    g('init', '-q');
    g('config', 'user.email', 't@example.com');
    g('config', 'user.name', 't');
    writeFileSync(path.join(dir, '.gitattributes'), '*.txt diff=tx filter=fx\n');
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    g('add', '.');
    g('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'c1');
    writeFileSync(path.join(dir, 'a.txt'), 'two\n');
    const touch = (what: string) => `sh -c 'echo ${what} >> ${marker}; cat'`;
    g('config', 'diff.tx.textconv', touch('textconv'));
    g('config', 'filter.fx.clean', touch('clean'));
    g('config', 'core.pager', touch('pager'));
    g('config', 'core.fsmonitor', `echo fsmonitor >> ${marker}; false`);
    mkdirSync(path.join(dir, 'hooks'));
    g('config', 'core.hooksPath', path.join(dir, 'hooks'));
    const script = path.join(dir, 'hooks', 'post-checkout');
    writeFileSync(script, `#!/bin/sh\necho hook >> ${marker}\n`);
    chmodSync(script, 0o755);
    const git = (s: string) => {
      execFileSync('bash', ['-c', `${READ_ONLY_GIT_PRELUDE}\n${s}`], { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_PAGER: '', PAGER: '' } });
      try {
        return readFileSync(marker, 'utf8');
      } catch {
        return '';
      }
    };
    return { dir, marker, git };
  }

  it('reading commands run none of the repository’s programs: textconv, clean filters, pager', () => {
    const { git } = repo();
    expect(git('git status --short >/dev/null; git diff >/dev/null; git log -p >/dev/null; git show >/dev/null')).toBe('');
    expect(git('git grep -q one HEAD -- a.txt; git blame a.txt >/dev/null; git ls-files >/dev/null; git rev-parse HEAD >/dev/null')).toBe('');
    // Through a terminal-less pipe the pager is not used anyway; `git -p` forces it.
    expect(git('git diff --stat | cat >/dev/null')).toBe('');
  });

  it('the same commands without the prelude do run them (the fixture is real)', () => {
    const { dir, marker } = repo();
    execFileSync('bash', ['-c', 'git diff >/dev/null; git status --short >/dev/null'], { cwd: dir, stdio: 'pipe' });
    expect(readFileSync(marker, 'utf8')).toMatch(/textconv|clean/);
  });

  it('other git commands run as git runs them for the user, hooks included, and keep their exit status', () => {
    const { git, dir } = repo();
    expect(git('git checkout -q -b other')).toContain('hook');
    expect(() => execFileSync('bash', ['-c', `${READ_ONLY_GIT_PRELUDE}\ngit no-such-command`], { cwd: dir, stdio: 'pipe' })).toThrow();
    expect(execFileSync('bash', ['-c', `${READ_ONLY_GIT_PRELUDE}\ngit rev-parse --is-inside-work-tree`], { cwd: dir, encoding: 'utf8' })).toBe('true\n');
  });

  it('the function leaves the command’s own shell variables alone', () => {
    const { dir } = repo();
    const out = execFileSync('bash', ['-c', `${READ_ONLY_GIT_PRELUDE}\nk=mine; sub=also-mine; safe=x; git status >/dev/null; echo "$k $sub $safe"`], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('mine also-mine x\n');
  });
});

describe('credential stores and glob expansion', () => {
  it('every known credential store that exists under home is listed; ~/.aws is left out only when AWS credentials are passed', () => {
    const home = makeTempDir('bcode-stores-');
    expect(credentialStores(home, false)).toEqual([]);
    for (const rel of CREDENTIAL_STORES) {
      mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
      writeFileSync(path.join(home, rel), '');
    }
    const all = CREDENTIAL_STORES.map((rel) => path.join(home, rel));
    expect(credentialStores(home, false)).toEqual(all);
    expect(credentialStores(home, true)).toEqual(all.filter((p) => p !== path.join(home, '.aws')));
    expect(CREDENTIAL_STORES).toEqual(['.aws', '.ssh', '.gnupg', '.config/gcloud', '.azure', '.docker/config.json', '.kube', '.netrc', '.git-credentials', '.config/gh', '.pypirc', '.vault-token', '.terraform.d/credentials.tfrc.json']);
  });

  it('a dangling symlink counts as existing (lstat), so it is masked too', () => {
    const home = makeTempDir('bcode-stores-');
    symlinkSync(path.join(home, 'nowhere'), path.join(home, '.netrc'));
    expect(credentialStores(home, false)).toEqual([path.join(home, '.netrc')]);
  });

  it('withRealPath: a symlink and its target, a plain path once, a missing path as it is', () => {
    const dir = makeTempDir('bcode-real-');
    writeFileSync(path.join(dir, 'target'), '');
    symlinkSync(path.join(dir, 'target'), path.join(dir, 'link'));
    const realDir = execFileSync('realpath', [dir], { encoding: 'utf8' }).trim();
    expect(withRealPath(path.join(dir, 'link'))).toEqual([path.join(dir, 'link'), path.join(realDir, 'target')]);
    expect(withRealPath(path.join(realDir, 'target'))).toEqual([path.join(realDir, 'target')]);
    expect(withRealPath(path.join(dir, 'missing'))).toEqual([path.join(dir, 'missing')]);
  });

  const exact = (p: string): PathMatcher => ({ source: `Read(${p})`, fixed: p, test: (x) => x === p || x.startsWith(`${p}/`) });

  it('a rule naming a path itself gives that path when it exists, and nothing (not "incomplete") when it does not', () => {
    const dir = makeTempDir('bcode-expand-');
    mkdirSync(path.join(dir, 'secret'));
    writeFileSync(path.join(dir, 'secret', 'inner'), '');
    expect(expandMatchers([exact(path.join(dir, 'secret')), exact(path.join(dir, 'gone'))])).toEqual({ paths: [path.join(dir, 'secret')], incomplete: [] });
  });

  it('a glob rooted at / is incomplete; one under a missing directory is simply empty', () => {
    const rooted: PathMatcher = { source: 'Read(/**/.env)', fixed: '/', test: (x) => x.endsWith('/.env') };
    const missing: PathMatcher = { source: 'Read(/nope/**)', fixed: '/nonexistent-bcode-dir', test: (x) => x.startsWith('/nonexistent-bcode-dir/') };
    expect(expandMatchers([rooted, missing])).toEqual({ paths: [], incomplete: ['Read(/**/.env)'] });
    // Not walked at all, not even a little: /etc would be among the first entries of a walk.
    const etc: PathMatcher = { source: 'Read(/e*)', fixed: '/', test: (x) => x === '/etc' };
    expect(expandMatchers([etc], 100)).toEqual({ paths: [], incomplete: ['Read(/e*)'] });
  });

  it('a matching directory is returned whole, not walked into; .git and node_modules are not walked', () => {
    const dir = makeTempDir('bcode-expand-');
    for (const d of ['keys/deeper', '.git/keys', 'node_modules/keys', 'src']) mkdirSync(path.join(dir, d), { recursive: true });
    writeFileSync(path.join(dir, 'keys', 'deeper', 'x'), '');
    const seen: string[] = [];
    const m: PathMatcher = {
      source: 'Read(**/keys)',
      fixed: dir,
      test: (x) => {
        seen.push(x);
        return path.basename(x) === 'keys';
      },
    };
    expect(expandMatchers([m])).toEqual({ paths: [path.join(dir, 'keys')], incomplete: [] });
    // Not looked into: below the matched directory, and inside .git / node_modules.
    expect(seen.filter((p) => p.includes('deeper') || p.includes('.git/') || p.includes('node_modules/'))).toEqual([]);
    // Both were looked at themselves, only not entered.
    expect(seen).toEqual(expect.arrayContaining([path.join(dir, '.git'), path.join(dir, 'node_modules')]));
  });

  it('the walk budget is shared by all rules: what one uses, the next has no more', () => {
    const dir = makeTempDir('bcode-expand-');
    for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, `f${i}`), '');
    const m = (name: string): PathMatcher => ({ source: name, fixed: dir, test: () => false });
    expect(expandMatchers([m('first'), m('second')], 6)).toEqual({ paths: [], incomplete: ['second'] });
    expect(expandMatchers([m('first'), m('second')], 10)).toEqual({ paths: [], incomplete: [] });
    expect(expandMatchers([m('first')], 4)).toEqual({ paths: [], incomplete: ['first'] });
  });
});

describe('sandboxAvailability, with stand-in bwrap programs', () => {
  afterEach(() => resetSandboxAvailability());

  function fakeBwrap(body: string): { dir: string; log: string } {
    const dir = makeTempDir('bcode-fakebwrap-');
    const log = path.join(dir, 'args');
    writeFileSync(path.join(dir, 'bwrap'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\n${body}\n`, { mode: 0o755 });
    return { dir, log };
  }

  it('findOnPath: the first executable candidate, skipping empty entries and files that cannot run', () => {
    const a = makeTempDir('bcode-path-');
    const b = makeTempDir('bcode-path-');
    writeFileSync(path.join(a, 'tool'), 'not executable', { mode: 0o644 });
    writeFileSync(path.join(b, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findOnPath('tool', `${path.delimiter}${a}${path.delimiter}${b}`)).toBe(path.join(b, 'tool'));
    expect(findOnPath('tool', `${b}${path.delimiter}${a}`)).toBe(path.join(b, 'tool'));
    expect(findOnPath('tool', a)).toBeUndefined();
    expect(findOnPath('tool', undefined)).toBeUndefined();
    // An empty entry is not the current directory, even where the current directory has the
    // program. (A name relative to the current directory stands in for a chdir, which vitest's
    // worker threads — the pool Stryker runs — do not allow.)
    const here = path.relative(process.cwd(), path.join(b, 'tool'));
    expect(existsSync(here)).toBe(true);
    expect(findOnPath(here, '')).toBeUndefined();
    expect(findOnPath(here, path.delimiter)).toBeUndefined();
  });

  it('not Linux: no sandbox yet, macOS named as such', async () => {
    expect(await sandboxAvailability('/usr/bin', 'darwin')).toEqual({ ok: false, reason: 'no sandbox on macOS yet (bcode sandboxes with bubblewrap on Linux)', hint: 'commands run unsandboxed; the permission rules still apply' });
    resetSandboxAvailability();
    expect(await sandboxAvailability('/usr/bin', 'win32')).toMatchObject({ ok: false, reason: 'no sandbox on win32 yet (bcode sandboxes with bubblewrap on Linux)' });
  });

  it('no bwrap on PATH: says so, with how to install it', async () => {
    expect(await sandboxAvailability(makeTempDir('bcode-empty-path-'), 'linux')).toEqual({
      ok: false,
      reason: 'bubblewrap (bwrap) is not installed',
      hint: 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or set "sandbox": {"enabled": false} to run commands without it',
    });
  });

  it('probes with the kind of sandbox commands get, and a bwrap that works is available', async () => {
    const { dir, log } = fakeBwrap('exit 0');
    expect(await sandboxAvailability(dir, 'linux')).toEqual({ ok: true, bwrap: path.join(dir, 'bwrap') });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL', '--', 'true']);
  });

  it('a bwrap that cannot build the sandbox: its first stderr line (at most 160 characters) is the reason', async () => {
    const long = 'x'.repeat(200);
    const { dir } = fakeBwrap(`echo "bwrap: setting up uid map: Permission denied ${long}" >&2; echo second line >&2; exit 1`);
    const a = await sandboxAvailability(dir, 'linux');
    expect(a.ok).toBe(false);
    if (a.ok) return;
    expect(a.reason).toBe(`bubblewrap cannot create a sandbox here (${`bwrap: setting up uid map: Permission denied ${long}`.slice(0, 160)})`);
    expect(a.hint).toBe('unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap), or set "sandbox": {"enabled": false}');
  });

  it('blank lines before bwrap’s message are skipped', async () => {
    const { dir } = fakeBwrap(`printf '\\n  \\n  bwrap: No permissions to create new namespace\\n' >&2; exit 1`);
    expect(await sandboxAvailability(dir, 'linux')).toMatchObject({ ok: false, reason: 'bubblewrap cannot create a sandbox here (bwrap: No permissions to create new namespace)' });
  });

  it('a bwrap that fails silently: the exit is the reason', async () => {
    const { dir } = fakeBwrap('exit 3');
    const a = await sandboxAvailability(dir, 'linux');
    expect(a).toMatchObject({ ok: false, reason: expect.stringMatching(/^bubblewrap cannot create a sandbox here \(Command failed: .*bwrap/) });
  });

  it('probes once per process, until reset', async () => {
    const { dir, log } = fakeBwrap('exit 0');
    const first = sandboxAvailability(dir, 'linux');
    expect(sandboxAvailability(makeTempDir('bcode-empty-path-'), 'linux')).toBe(first);
    expect((await first).ok).toBe(true);
    writeFileSync(log, '');
    resetSandboxAvailability();
    expect(await sandboxAvailability(makeTempDir('bcode-empty-path-'), 'linux')).toMatchObject({ ok: false, reason: 'bubblewrap (bwrap) is not installed' });
  });
});

describe('sandboxRunnerFor', () => {
  const policy = {} as PermissionPolicy;
  const optionsOf = (config: object): SandboxRunnerOptions =>
    // The options are private to the runner; reading them is the point of this test.
    (sandboxRunnerFor(config as Config, policy, '/scratch') as unknown as { o: SandboxRunnerOptions }).o;

  it('builds the runner from the configuration: sandbox settings, home, project root, AWS pass-through, PATH', () => {
    const o = optionsOf({ settings: { sandbox: { enabled: false, excludedCommands: ['docker'] }, passAwsCredentialsToTools: true }, env: { HOME: '/home/u', PATH: '/bin:/usr/bin' }, projectRoot: '/proj', cwd: '/proj/sub' });
    expect(o).toEqual({ settings: { ...DEFAULTS, enabled: false, excludedCommands: ['docker'] }, policy, home: '/home/u', projectRoot: '/proj', passAwsCredentials: true, scratchDir: '/scratch', envPath: '/bin:/usr/bin' });
  });

  it('falls back to the OS home and to the working directory', () => {
    const o = optionsOf({ settings: {}, env: { HOME: '' }, projectRoot: '', cwd: '/work/here' });
    expect(o).toMatchObject({ settings: DEFAULTS, home: os.homedir(), projectRoot: '/work/here', passAwsCredentials: false, envPath: undefined });
  });
});
