/**
 * The sandbox runner with real bubblewrap and real shells: what each grant lets a command do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxGrant } from '../../src/permissions/types.js';
import { bwrapArgs } from '../../src/sandbox/bwrap-args.js';
import { expandMatchers } from '../../src/sandbox/masks.js';
import { SandboxRunner } from '../../src/sandbox/runner.js';
import { resolveSandboxSettings } from '../../src/sandbox/settings.js';
import { readCapped, startShell } from '../../src/tools/shell-process.js';
import { requireBwrapInCi } from '../helpers/bwrap.js';

const HAVE_BWRAP = requireBwrapInCi('test/sandbox runner');

let root: string;
let project: string;
let home: string;
let server: net.Server;
let port: number;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-sandbox-runner-'));
  project = path.join(root, 'project');
  home = path.join(root, 'home');
  mkdirSync(project);
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  writeFileSync(path.join(home, '.aws', 'credentials'), 'CREDS\n');
  writeFileSync(path.join(project, '.env'), 'CANARY\n');
  server = net.createServer((s) => s.end('pong\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

function runner(settings: Record<string, unknown> = {}, passAws = false): SandboxRunner {
  const envRe = new RegExp(`^${project}/\\.env$`);
  return new SandboxRunner({
    settings: resolveSandboxSettings(settings),
    policy: { sandboxPaths: () => ({ writableRoots: [project], denyRead: [{ source: 'Read(./.env)', fixed: path.join(project, '.env'), test: (p) => envRe.test(p) }], denyWrite: [] }) },
    home,
    projectRoot: project,
    passAwsCredentials: passAws,
    scratchDir: path.join(root, 'scratch'),
    envPath: process.env.PATH,
  });
}

async function run(r: SandboxRunner, grant: SandboxGrant, command: string): Promise<{ code: number | null; out: string; note?: string }> {
  const prepared = await r.prepare(command, grant, project, { PATH: process.env.PATH!, HOME: home });
  const shell = await startShell(command, { cwd: project, env: prepared.env, scratchDir: path.join(root, 'scratch'), wrap: prepared.wrap, prelude: prepared.prelude, fd4File: prepared.fd4File });
  const { code } = await shell.exited;
  const out = (await readCapped(shell.outFile, 0, 10_000)).text;
  return { code, out, note: prepared.explain(out) };
}

describe.skipIf(!HAVE_BWRAP)('SandboxRunner with bubblewrap', () => {
  it('read-only: nothing can be written, not even in the project, and there is no network', async () => {
    const r = runner();
    const w = await run(r, 'read-only', 'touch made.txt');
    expect(w.code).not.toBe(0);
    expect(existsSync(path.join(project, 'made.txt'))).toBe(false);
    expect(w.note).toContain('allowed as read-only');
    const n = await run(r, 'read-only', `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`);
    expect(n.out).not.toContain('pong');
  });

  it('workspace: the project and TMPDIR are writable, the network is there, the rest is not', async () => {
    const r = runner();
    const w = await run(r, 'workspace', `touch made.txt && touch "$TMPDIR/t" && exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`);
    expect(w.out).toContain('pong');
    expect(existsSync(path.join(project, 'made.txt'))).toBe(true);
    const o = await run(r, 'workspace', `touch ${path.join(root, 'outside.txt')}`);
    expect(o.code).not.toBe(0);
    expect(o.note).toContain('write outside the working directory');
    expect(existsSync(path.join(root, 'outside.txt'))).toBe(false);
  });

  it('allowedDomains set: bcode cannot filter by domain, so the network is closed (and says so once)', async () => {
    const notes: string[] = [];
    const r = runner({ network: { allowedDomains: ['example.com'] } });
    const prepared = await r.prepare('true', 'workspace', project, { PATH: process.env.PATH! }, (t) => notes.push(t));
    await r.prepare('true', 'workspace', project, { PATH: process.env.PATH! }, (t) => notes.push(t));
    expect(prepared.wrap).toContain('--unshare-net');
    expect(notes).toHaveLength(1);
  });

  it('credential stores and denied files are unreadable; passAwsCredentialsToTools uncovers ~/.aws only', async () => {
    const hidden = await run(runner(), 'workspace', `cat ${home}/.aws/credentials; cat .env; echo END`);
    expect(hidden.out).not.toContain('CREDS');
    expect(hidden.out).not.toContain('CANARY');
    expect(hidden.out).toContain('Permission denied');
    const passed = await run(runner({}, true), 'workspace', `cat ${home}/.aws/credentials; cat .env; echo END`);
    expect(passed.out).toContain('CREDS');
    expect(passed.out).not.toContain('CANARY');
  });

  it('no Unix sockets (a door out of every namespace: docker, ssh-agent), unless allowAllUnixSockets; socket pairs still work', async () => {
    const sock = path.join(root, 'host.sock');
    const host = net.createServer((c) => c.end('host-answered\n'));
    await new Promise<void>((r) => host.listen(sock, r));
    try {
      const client = `python3 -c 'import socket; s=socket.socket(socket.AF_UNIX); s.connect("${sock}"); print(s.recv(64).decode())'`;
      for (const grant of ['read-only', 'workspace'] as const) {
        const blocked = await run(runner(), grant, `${client}; python3 -c 'import socket; a,b=socket.socketpair(); a.send(b"pair-ok"); print(b.recv(9).decode())'`);
        expect(blocked.out).not.toContain('host-answered');
        expect(blocked.out).toContain('Operation not permitted');
        expect(blocked.out).toContain('pair-ok');
      }
      const allowed = await run(runner({ network: { allowAllUnixSockets: true } }), 'workspace', client);
      expect(allowed.out).toContain('host-answered');
    } finally {
      host.close();
    }
  });

  it('excludedCommands run unsandboxed only when a rule or the user allowed them', async () => {
    const r = runner({ excludedCommands: ['touch'] });
    expect((await r.prepare(`touch ${root}/x`, 'workspace', project, {})).wrap).toBeUndefined();
    expect((await r.prepare(`touch ${root}/x; rm -rf /`, 'workspace', project, {})).wrap).toBeDefined();
    expect((await r.prepare(`touch ${root}/x`, 'read-only', project, {})).wrap).toBeDefined();
  });

  it('the git prelude keeps the repository’s programs from reading commands even without a sandbox', async () => {
    execFileSync('git', ['init', '-q'], { cwd: project });
    const marker = path.join(root, 'git-ran');
    execFileSync('git', ['config', 'core.fsmonitor', `touch ${marker}; false`], { cwd: project });
    execFileSync('git', ['config', 'diff.external', `sh -c 'touch ${marker}'`], { cwd: project });
    writeFileSync(path.join(project, 'tracked.txt'), 'a\n');
    execFileSync('git', ['-c', 'core.fsmonitor=false', 'add', 'tracked.txt'], { cwd: project });
    writeFileSync(path.join(project, 'tracked.txt'), 'b\n');
    const off = runner({ enabled: false });
    const r = await run(off, 'read-only', 'git status --short && git diff');
    expect(r.out).toContain('+b');
    expect(existsSync(marker)).toBe(false);
    // Also when a rule allowed them; a git command that is not a reading one keeps git's behaviour.
    await run(off, 'workspace', 'git diff >/dev/null; git status >/dev/null');
    expect(existsSync(marker)).toBe(false);
    await run(off, 'workspace', 'git add tracked.txt');
    expect(existsSync(marker)).toBe(true);
    rmSync(path.join(project, '.git'), { recursive: true, force: true });
  });
});

describe('bwrapArgs and masks', () => {
  it('puts writable roots before read-only overlays and masks, and each grant gets its root mount', () => {
    const spec = { cwd: '/p', roots: ['/p'], tmpDir: '/s/tmp', readOnly: ['/p/.git/config'], masked: ['/h/.netrc'], maskFile: '/s/m', network: true, dropCaps: true };
    const ws = bwrapArgs({ ...spec, grant: 'workspace' }).join(' ');
    expect(ws.indexOf('--bind /p /p')).toBeLessThan(ws.indexOf('--ro-bind /p/.git/config'));
    expect(ws.indexOf('--ro-bind /p/.git/config')).toBeLessThan(ws.indexOf('--ro-bind /s/m /h/.netrc'));
    expect(ws).toMatch(/^--ro-bind \/ \//);
    expect(ws).not.toContain('--unshare-net');
    expect(ws).toContain('--cap-drop ALL');
    const ro = bwrapArgs({ ...spec, grant: 'read-only', network: false }).join(' ');
    expect(ro).not.toContain('--bind /p');
    expect(ro).not.toContain('.git/config');
    expect(ro).toContain('--unshare-net');
    expect(bwrapArgs({ ...spec, grant: 'unrestricted' }).join(' ')).toMatch(/^--bind \/ \//);
  });

  it('expands a glob rule to the files it names, bounded by the walk limit', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bcode-masks-'));
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    for (const f of ['a/.env', 'a/b/.env', 'a/keep.txt', 'node_modules/x/.env']) writeFileSync(path.join(dir, f), '');
    const m = { source: 'Read(.env)', fixed: dir, test: (p: string) => p.endsWith('/.env') };
    expect(expandMatchers([m]).paths.sort()).toEqual([path.join(dir, 'a/.env'), path.join(dir, 'a/b/.env')]);
    expect(expandMatchers([m], 2).incomplete).toEqual(['Read(.env)']);
    rmSync(dir, { recursive: true, force: true });
  });
});
