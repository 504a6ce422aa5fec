/**
 * SandboxRunner.prepare in-process, with a stand-in `bwrap` on PATH (issue 20): the sandbox's
 * command line is checked as data, so every branch runs on any machine and fast. What the real
 * bubblewrap then does with such a command line is in runner.test.ts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxGrant, SandboxPaths } from '../../src/permissions/types.js';
import { resetSandboxAvailability } from '../../src/sandbox/availability.js';
import { READ_ONLY_GIT_PRELUDE } from '../../src/sandbox/read-only-git.js';
import { explainFailure, SandboxRunner } from '../../src/sandbox/runner.js';
import { noUnixSocketsFilter } from '../../src/sandbox/seccomp.js';
import { resolveSandboxSettings } from '../../src/sandbox/settings.js';
import { makeTempDir } from '../helpers/temp.js';

const INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or set "sandbox": {"enabled": false} to run commands without it';
const PROTECTED = ['.claude', '.mcp.json', '.git/config', '.git/hooks', '.git/info', '.husky', '.envrc'];

let root: string;
let project: string;
let home: string;
let scratch: string;
let fakeBin: string;
beforeEach(() => {
  resetSandboxAvailability();
  root = makeTempDir('bcode-prepare-');
  project = path.join(root, 'project');
  home = path.join(root, 'home');
  scratch = path.join(root, 'scratch');
  fakeBin = path.join(root, 'bin');
  for (const d of [project, home, fakeBin]) mkdirSync(d);
  writeFileSync(path.join(fakeBin, 'bwrap'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
});

function runner(settings: Record<string, unknown> = {}, more: { paths?: Partial<SandboxPaths>; uid?: number; envPath?: string; passAws?: boolean } = {}): SandboxRunner {
  return new SandboxRunner({
    settings: resolveSandboxSettings(settings),
    policy: { sandboxPaths: () => ({ writableRoots: [project], denyRead: [], denyWrite: [], ...more.paths }) },
    home,
    projectRoot: project,
    passAwsCredentials: more.passAws ?? false,
    scratchDir: scratch,
    envPath: more.envPath ?? fakeBin,
    uid: 'uid' in more ? more.uid : 1000,
  });
}

/** The targets of the mounts made with `flag`, in command-line order. */
function mounts(args: string[] | undefined, flag: string): string[] {
  const out: string[] = [];
  (args ?? []).forEach((a, i) => a === flag && out.push(args![i + 2]));
  return out;
}

const ENV = { PATH: '/usr/bin:/bin', HOME: '/h', PAGER: 'less', GIT_SSH: 'evil' };

describe('prepare: sandbox off or unavailable', () => {
  it('disabled: no wrap; read-only runs still get the safe environment; every run gets the git prelude', async () => {
    const r = runner({ enabled: false });
    const ro = await r.prepare('ls', 'read-only', project, ENV);
    expect(ro.wrap).toBeUndefined();
    expect(ro.refusal).toBeUndefined();
    expect(ro.fd4File).toBeUndefined();
    expect(ro.env).toEqual({ PATH: '/usr/bin:/bin', HOME: '/h', PAGER: 'cat', GIT_PAGER: 'cat' });
    expect(ro.prelude).toBe(READ_ONLY_GIT_PRELUDE);
    expect(ro.explain('Read-only file system')).toBeUndefined();
    const ws = await r.prepare('ls', 'workspace', project, ENV);
    expect(ws.env).toEqual(ENV);
    expect(ws.prelude).toBe(READ_ONLY_GIT_PRELUDE);
    expect(existsSync(scratch)).toBe(false);
  });

  it('unavailable and required: refused, with the reason and how to fix it', async () => {
    const r = runner({ failIfUnavailable: true }, { envPath: makeTempDir('bcode-nobwrap-') });
    const notes: string[] = [];
    const p = await r.prepare('ls', 'workspace', project, ENV, (t) => notes.push(t));
    expect(p.refusal).toBe(`the sandbox is required (sandbox.failIfUnavailable) but bubblewrap (bwrap) is not installed; ${INSTALL_HINT}`);
    expect(p.wrap).toBeUndefined();
    expect(notes).toEqual([]);
  });

  it('unavailable: runs unsandboxed and says so once per runner', async () => {
    const r = runner({}, { envPath: makeTempDir('bcode-nobwrap-') });
    const notes: string[] = [];
    const p = await r.prepare('ls', 'read-only', project, ENV, (t) => notes.push(t));
    await r.prepare('ls', 'workspace', project, ENV, (t) => notes.push(t));
    expect(p.wrap).toBeUndefined();
    expect(p.refusal).toBeUndefined();
    expect(p.env.PAGER).toBe('cat');
    expect(notes).toEqual([`bcode: warning: the Bash sandbox is off: bubblewrap (bwrap) is not installed — commands run without it, under the permission rules only (${INSTALL_HINT})`]);
    // Without a notice callback nothing breaks.
    await expect(runner({}, { envPath: makeTempDir('bcode-nobwrap-') }).prepare('ls', 'workspace', project, ENV)).resolves.toBeDefined();
  });
});

describe('prepare: the command line', () => {
  it('starts with bwrap, ends with --, and runs in the session TMPDIR (made private)', async () => {
    const p = await runner().prepare('ls', 'workspace', project, ENV);
    expect(p.wrap?.[0]).toBe(path.join(fakeBin, 'bwrap'));
    expect(p.wrap?.at(-1)).toBe('--');
    expect(p.wrap?.slice(-3, -1)).toEqual(['--chdir', project]);
    expect(p.env).toEqual({ ...ENV, TMPDIR: path.join(scratch, 'tmp') });
    expect(statSync(path.join(scratch, 'tmp')).mode & 0o777).toBe(0o700);
    expect(mounts(p.wrap, '--bind')).toEqual([project, path.join(scratch, 'tmp')]);
    expect(p.prelude).toBe(READ_ONLY_GIT_PRELUDE);
    const ro = await runner().prepare('ls', 'read-only', project, ENV);
    expect(ro.env).toEqual({ PATH: '/usr/bin:/bin', HOME: '/h', PAGER: 'cat', GIT_PAGER: 'cat', TMPDIR: path.join(scratch, 'tmp') });
  });

  it('allowWrite paths: //absolute, ~ and ~/home-relative, /project-relative and relative; missing ones and other grants left out', async () => {
    const abs = path.join(root, 'abs');
    for (const d of [abs, path.join(home, 'out'), path.join(project, 'pr'), path.join(project, 'rel')]) mkdirSync(d, { recursive: true });
    const settings = { filesystem: { allowWrite: [`/${abs}`, '~/out', '~', '/pr', 'rel', 'missing', project] } };
    const ws = await runner(settings).prepare('ls', 'workspace', project, ENV);
    expect(mounts(ws.wrap, '--bind').sort()).toEqual([abs, home, path.join(home, 'out'), project, path.join(project, 'pr'), path.join(project, 'rel'), path.join(scratch, 'tmp')].sort());
    const unrestricted = await runner(settings).prepare('ls', 'unrestricted', project, ENV);
    expect(unrestricted.wrap?.slice(1, 4)).toEqual(['--bind', '/', '/']);
    const ro = await runner(settings).prepare('ls', 'read-only', project, ENV);
    expect(mounts(ro.wrap, '--bind')).toEqual([]);
  });

  it('inside writable roots the files that decide later runs stay read-only — for the workspace and unrestricted grants', async () => {
    for (const rel of PROTECTED) {
      const p = path.join(project, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, '');
    }
    const other = path.join(root, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    writeFileSync(path.join(other, '.git', 'config'), '');
    const expected = PROTECTED.map((rel) => path.join(project, rel));
    const ws = await runner({ filesystem: { allowWrite: [`/${other}`] } }).prepare('ls', 'workspace', project, ENV);
    expect(mounts(ws.wrap, '--ro-bind').filter((t) => t !== '/').sort()).toEqual([...expected, path.join(other, '.git', 'config')].sort());
    // An allowWrite root is a root only for the workspace grant.
    const un = await runner({ filesystem: { allowWrite: [`/${other}`] } }).prepare('ls', 'unrestricted', project, ENV);
    expect(mounts(un.wrap, '--ro-bind').sort()).toEqual(expected.sort());
    const ro = await runner().prepare('ls', 'read-only', project, ENV);
    expect(mounts(ro.wrap, '--ro-bind')).toEqual(['/']);
  });

  it('denyWrite (settings and Edit rules) become read-only overlays; denyRead and credential stores are masked', async () => {
    for (const f of ['locked.txt', 'rule-locked.txt', 'secret.txt', 'rule-secret.txt']) writeFileSync(path.join(project, f), '');
    mkdirSync(path.join(home, '.ssh'));
    writeFileSync(path.join(home, '.netrc'), '');
    mkdirSync(path.join(home, '.aws'));
    const m = (name: string) => ({ source: name, fixed: path.join(project, name), test: (x: string) => x === path.join(project, name) });
    const paths = { denyWrite: [m('rule-locked.txt')], denyRead: [m('rule-secret.txt')] };
    const settings = { filesystem: { denyWrite: ['locked.txt'], denyRead: ['secret.txt', 'missing.txt'] } };
    const p = await runner(settings, { paths }).prepare('ls', 'workspace', project, ENV);
    const maskFile = path.join(scratch, '.sandbox-masked');
    const args = p.wrap!.join(' ');
    expect(args).toContain(`--ro-bind ${path.join(project, 'locked.txt')} ${path.join(project, 'locked.txt')}`);
    expect(args).toContain(`--ro-bind ${path.join(project, 'rule-locked.txt')} ${path.join(project, 'rule-locked.txt')}`);
    expect(args).toContain(`--ro-bind ${maskFile} ${path.join(project, 'secret.txt')}`);
    expect(args).toContain(`--ro-bind ${maskFile} ${path.join(project, 'rule-secret.txt')}`);
    expect(args).toContain(`--ro-bind ${maskFile} ${path.join(home, '.netrc')}`);
    expect(args).toContain(`--tmpfs ${path.join(home, '.ssh')}`);
    expect(args).toContain(`--tmpfs ${path.join(home, '.aws')}`);
    expect(args).not.toContain('missing.txt');
    // A read-only run cannot write anyway: no overlays, but the masks all the same.
    const ro = await runner(settings, { paths }).prepare('ls', 'read-only', project, ENV);
    expect(ro.wrap!.join(' ')).not.toContain(`--ro-bind ${path.join(project, 'locked.txt')}`);
    expect(ro.wrap!.join(' ')).toContain(`--ro-bind ${maskFile} ${path.join(project, 'secret.txt')}`);
    // passAwsCredentialsToTools uncovers ~/.aws only.
    const passed = await runner(settings, { paths, passAws: true }).prepare('ls', 'workspace', project, ENV);
    expect(passed.wrap!.join(' ')).not.toContain(path.join(home, '.aws'));
    expect(passed.wrap!.join(' ')).toContain(`--tmpfs ${path.join(home, '.ssh')}`);
  });

  it('a masked symlink is masked at its target too', async () => {
    const target = path.join(root, 'real-netrc');
    writeFileSync(target, '');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(target, path.join(home, '.netrc'));
    const p = await runner().prepare('ls', 'workspace', project, ENV);
    const maskFile = path.join(scratch, '.sandbox-masked');
    expect(p.wrap!.join(' ')).toContain(`--ro-bind ${maskFile} ${path.join(home, '.netrc')}`);
    expect(p.wrap!.join(' ')).toContain(`--ro-bind ${maskFile} ${target}`);
  });

  it('network: off for read-only runs, on for the others unless allowedDomains is set (said once, for non-read-only runs)', async () => {
    expect((await runner().prepare('ls', 'read-only', project, ENV)).wrap).toContain('--unshare-net');
    expect((await runner().prepare('ls', 'workspace', project, ENV)).wrap).not.toContain('--unshare-net');
    expect((await runner().prepare('ls', 'unrestricted', project, ENV)).wrap).not.toContain('--unshare-net');
    const notes: string[] = [];
    const r = runner({ network: { allowedDomains: ['example.com'] } });
    expect((await r.prepare('ls', 'read-only', project, ENV, (t) => notes.push(t))).wrap).toContain('--unshare-net');
    expect(notes).toEqual([]);
    expect((await r.prepare('ls', 'workspace', project, ENV, (t) => notes.push(t))).wrap).toContain('--unshare-net');
    await r.prepare('ls', 'unrestricted', project, ENV, (t) => notes.push(t));
    expect(notes).toEqual([
      'bcode: warning: sandbox.network.allowedDomains is set, and bcode cannot yet let a sandbox reach only some domains: sandboxed commands get no network at all (list the command in sandbox.excludedCommands to give it the network)',
    ]);
  });

  it('without a notice callback the warning is skipped, and a policy without sandbox paths gives no roots or masks of its own', async () => {
    const r = runner({ network: { allowedDomains: ['example.com'] } });
    expect((await r.prepare('ls', 'workspace', project, ENV)).wrap).toContain('--unshare-net');
    const bare = new SandboxRunner({ settings: resolveSandboxSettings({}), policy: {}, home, projectRoot: project, passAwsCredentials: false, scratchDir: scratch, envPath: fakeBin, uid: 1000 });
    const p = await bare.prepare('ls', 'workspace', project, ENV);
    expect(mounts(p.wrap, '--bind')).toEqual([path.join(scratch, 'tmp')]);
  });

  it('capabilities are dropped when bcode runs as root (by default: the real uid)', async () => {
    expect((await runner({}, { uid: 0 }).prepare('ls', 'workspace', project, ENV)).wrap!.join(' ')).toContain('--cap-drop ALL');
    expect((await runner({}, { uid: 1000 }).prepare('ls', 'workspace', project, ENV)).wrap).not.toContain('--cap-drop');
    const real = (await runner({}, { uid: undefined }).prepare('ls', 'workspace', project, ENV)).wrap!;
    expect(real.includes('--cap-drop')).toBe(process.getuid!() === 0);
  });

  it('the seccomp filter file (descriptor 4) and the mask file are written once per runner, private', async () => {
    const r = runner();
    const p = await r.prepare('ls', 'workspace', project, ENV);
    const seccomp = path.join(scratch, '.sandbox-seccomp.bpf');
    const mask = path.join(scratch, '.sandbox-masked');
    expect(p.fd4File).toBe(seccomp);
    expect(p.wrap!.join(' ')).toContain('--seccomp 4');
    expect(readFileSync(seccomp)).toEqual(noUnixSocketsFilter());
    expect(statSync(seccomp).mode & 0o777).toBe(0o600);
    expect(statSync(mask).mode & 0o777).toBe(0);
    expect(statSync(mask).size).toBe(0);
    rmSync(seccomp);
    chmodSync(mask, 0o644);
    const again = await r.prepare('ls', 'read-only', project, ENV);
    expect(again.fd4File).toBe(seccomp);
    expect(existsSync(seccomp)).toBe(false);
    expect(statSync(mask).mode & 0o777).toBe(0o644);
  });

  it('allowAllUnixSockets: no filter at all', async () => {
    const p = await runner({ network: { allowAllUnixSockets: true } }).prepare('ls', 'workspace', project, ENV);
    expect(p.fd4File).toBeUndefined();
    expect(p.wrap).not.toContain('--seccomp');
    expect(existsSync(path.join(scratch, '.sandbox-seccomp.bpf'))).toBe(false);
  });
});

describe('prepare: excludedCommands', () => {
  const wrapped = async (settings: Record<string, unknown>, command: string, grant: SandboxGrant = 'workspace') => (await runner(settings).prepare(command, grant, project, ENV)).wrap !== undefined;

  it('unsandboxed only when every program of the command is excluded (by name, whatever its directory), and never for read-only runs', async () => {
    const s = { excludedCommands: ['docker', 'touch'] };
    expect(await wrapped(s, 'docker ps')).toBe(false);
    expect(await wrapped(s, '/usr/bin/docker ps && touch x')).toBe(false);
    expect(await wrapped(s, 'docker ps', 'unrestricted')).toBe(false);
    expect(await wrapped(s, 'docker ps; rm -rf x')).toBe(true);
    expect(await wrapped(s, 'dockerx ps')).toBe(true);
    expect(await wrapped(s, 'docker ps', 'read-only')).toBe(true);
    expect(await wrapped(s, 'X=1')).toBe(true);
    // Only the programs count: an assignment-only part next to an excluded program changes nothing.
    expect(await wrapped(s, 'X=1; docker ps')).toBe(false);
    expect(await wrapped({}, 'docker ps')).toBe(true);
    expect(await wrapped(s, 'docker "unclosed')).toBe(true);
  });
});

describe('explainFailure', () => {
  const masked = ['/h/.ssh', '/p/.env'];
  it('a read-only file system: why, by grant', () => {
    expect(explainFailure('touch: cannot touch x: Read-only file system', 'read-only', masked)).toBe(
      '[blocked by the sandbox: this command was allowed as read-only, so it cannot write files. If it must write, ask the user to allow it (a permission rule or --allowedTools).]',
    );
    expect(explainFailure('Read-only file system', 'workspace', masked)).toBe(
      '[blocked by the sandbox: write outside the working directory (or to a protected file such as .git/config, .git/hooks or .claude/) is not allowed.]',
    );
  });

  it('a hidden path named with "Permission denied"', () => {
    expect(explainFailure('cat: /p/.env: Permission denied', 'workspace', masked)).toBe('[blocked by the sandbox: /p/.env is hidden from commands (a credential store or a path a deny rule protects).]');
    expect(explainFailure('cat: /p/.env: No such file', 'workspace', masked)).toBeUndefined();
    expect(explainFailure('cat: /p/other: Permission denied', 'workspace', masked)).toBeUndefined();
  });

  it('network errors only explain read-only runs', () => {
    for (const e of ['curl: (6) Could not resolve host: x', 'Temporary failure in name resolution', 'connect: Network is unreachable', 'Name or service not known', 'getaddrinfo ENOTFOUND x', 'getaddrinfo EAI_AGAIN x', 'No address associated with hostname', 'could not resolve HOST']) {
      expect(explainFailure(e, 'read-only', masked), e).toBe('[blocked by the sandbox: commands allowed as read-only have no network. If it needs the network, ask the user to allow it.]');
      expect(explainFailure(e, 'workspace', masked), e).toBeUndefined();
    }
    expect(explainFailure('getaddrinfo EOTHER', 'read-only', masked)).toBeUndefined();
    expect(explainFailure('all fine', 'read-only', masked)).toBeUndefined();
  });

  it('a prepared run explains with its own grant and masks', async () => {
    mkdirSync(path.join(home, '.ssh'));
    const p = await runner().prepare('ls', 'read-only', project, ENV);
    expect(p.explain(`cat: ${path.join(home, '.ssh')}/id: Permission denied`)).toContain(`${path.join(home, '.ssh')} is hidden`);
    expect(p.explain('Read-only file system')).toContain('allowed as read-only');
    expect(p.explain('Could not resolve host')).toContain('no network');
  });
});
