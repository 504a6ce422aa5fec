import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backgroundShellsFor, disposeBackgroundShells } from '../../src/tools/background-shells.js';
import { bashOutputTool } from '../../src/tools/bash-output.js';
import { bashTool, createBashTool } from '../../src/tools/bash.js';
import { killShellTool } from '../../src/tools/kill-shell.js';
import { validateToolInput } from '../../src/tools/registry.js';
import { call, makeCtx, tempDir, text } from './helpers.js';
import { isRunning as alive } from '../helpers/process.js';

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Bash', () => {
  it('runs a command and reports a non-zero exit code', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    const okRun = await call(bashTool, { command: 'echo hello' }, ctx);
    expect(text(okRun)).toBe('hello');
    expect(okRun.isError).toBeUndefined();
    const bad = await call(bashTool, { command: 'echo out; echo err >&2; exit 3' }, ctx);
    expect(text(bad)).toBe('out\nerr\n[Exit code 3]');
    expect(bad.isError).toBe(true);
    expect(text(await call(bashTool, { command: 'true' }, ctx))).toBe('(no output)');
  });

  it('keeps the working directory between calls, out of band', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    const ctx = makeCtx(dir);
    expect(text(await call(bashTool, { command: 'cd sub/deeper' }, ctx))).toBe('(no output)');
    expect(ctx.shell.cwd).toBe(path.join(dir, 'sub', 'deeper'));
    expect(text(await call(bashTool, { command: 'pwd' }, ctx))).toBe(path.join(dir, 'sub', 'deeper'));
    // Also after a failing command.
    await call(bashTool, { command: 'cd ..; false' }, ctx);
    expect(ctx.shell.cwd).toBe(path.join(dir, 'sub'));
  });

  it('falls back to the session directory when the shell directory was removed', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'gone'));
    const ctx = makeCtx(dir);
    await call(bashTool, { command: 'cd gone' }, ctx);
    rmSync(path.join(dir, 'gone'), { recursive: true });
    const r = text(await call(bashTool, { command: 'pwd' }, ctx));
    expect(r).toContain('no longer exists');
    expect(r.endsWith(dir)).toBe(true);
  });

  it('gives the child exactly ctx.childEnv and no stdin', async () => {
    const dir = tempDir();
    process.env.BCODE_TEST_LEAK = 'leaked';
    try {
      const ctx = makeCtx(dir, { childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY_THIS: 'yes' } });
      const r = await call(bashTool, { command: 'echo "${BCODE_TEST_LEAK:-absent} $ONLY_THIS"; cat; echo after-cat' }, ctx);
      expect(text(r)).toBe('absent yes\nafter-cat');
    } finally {
      delete process.env.BCODE_TEST_LEAK;
    }
  });

  it('kills the whole process group on timeout', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    const r = await call(bashTool, { command: 'sleep 30 & echo $! > child.pid; wait', timeout: 300 }, ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('[Timed out after 300 ms');
    const pid = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    await until(() => !alive(pid), 'the child sleep to die');
  });

  it('stops on abort and reports the interruption', async () => {
    const dir = tempDir();
    const ac = new AbortController();
    const ctx = makeCtx(dir, { signal: ac.signal });
    const pending = call(bashTool, { command: 'echo started; sleep 30 & echo $! > child.pid; wait' }, ctx);
    const pid = await until(() => {
      const f = path.join(dir, 'child.pid');
      return existsSync(f) && readFileSync(f, 'utf8').trim() ? Number(readFileSync(f, 'utf8')) : undefined;
    }, 'the child pid');
    ac.abort();
    const r = await pending;
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('started\n[Interrupted by the user; the command and its child processes were stopped]');
    await until(() => !alive(pid), 'the child sleep to die');
    const again = await call(bashTool, { command: 'echo never' }, ctx);
    expect(text(again)).toContain('Interrupted before');
  });

  it('an interrupt that comes while the command is being prepared stops it before it starts', async () => {
    const dir = tempDir();
    const ac = new AbortController();
    // The interrupt lands during the sandbox's preparation (an await between the first check and the spawn).
    const sandbox = { prepare: async (_c: string, _g: unknown, _cwd: string, env: Record<string, string>) => (ac.abort(), { env, prelude: '', explain: () => undefined }) };
    const ctx = makeCtx(dir, { signal: ac.signal, sandbox });
    const t0 = Date.now();
    const r = await call(bashTool, { command: 'touch ran.flag; sleep 30' }, ctx);
    expect(text(r)).toContain('Interrupted before the command started');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(existsSync(path.join(dir, 'ran.flag'))).toBe(false);
  });

  it('caps long output to head and tail and saves the full output', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    const r = text(await call(bashTool, { command: 'seq 1 100000' }, ctx));
    expect(r.length).toBeLessThan(31_000);
    expect(r.startsWith('1\n2\n3\n')).toBe(true);
    expect(r).toContain('99999\n100000');
    expect(r).toContain('bytes omitted');
    const file = /the full output is in (\S+)\]/.exec(r)?.[1];
    expect(file && file.startsWith(ctx.scratchDir)).toBe(true);
    const full = readFileSync(file as string, 'utf8').split('\n');
    expect(full[0]).toBe('1');
    expect(full[99_999]).toBe('100000');
  });

  it('stops a command whose output runs away', async () => {
    const dir = tempDir();
    const tool = createBashTool({ maxOutputFileBytes: 200_000, checkEveryMs: 20 });
    const r = await call(tool, { command: 'while :; do echo runaway; done' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('[Stopped: the command printed more than 200000 bytes]');
    expect(text(r)).toContain('the full output is in');
  });

  it('leaves no file behind for short output, and makes the scratch directory when missing', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    expect(existsSync(ctx.scratchDir)).toBe(false);
    await call(bashTool, { command: 'echo hi; cd /' }, ctx);
    expect(readdirSync(ctx.scratchDir)).toEqual([]);
  });

  it('rejects a timeout over the maximum at validation', () => {
    const v = validateToolInput(bashTool, { command: 'ls', timeout: 700_000 });
    expect(v).toEqual({ ok: false, message: 'Invalid input for Bash: timeout must be at most 600000' });
  });
});

describe('background shells', () => {
  it('runs in the background; BashOutput returns only new output; KillShell stops the group', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    const started = text(await call(bashTool, { command: 'echo one; echo two; echo $$ > shell.pid; sleep 30 & echo $! > child.pid; wait', run_in_background: true }, ctx));
    const id = /background shell (bash_\d+)/.exec(started)?.[1] as string;
    expect(id).toBe('bash_1');
    const childPid = await until(() => {
      const f = path.join(dir, 'child.pid');
      return existsSync(f) && readFileSync(f, 'utf8').trim() ? Number(readFileSync(f, 'utf8')) : undefined;
    }, 'the child pid');

    const first = text(await call(bashOutputTool, { bash_id: id }, ctx));
    expect(first).toBe(`[${id}: running]\none\ntwo`);
    expect(text(await call(bashOutputTool, { bash_id: id }, ctx))).toBe(`[${id}: running]\n(no new output)`);

    const killed = await call(killShellTool, { shell_id: id }, ctx);
    expect(text(killed)).toBe(`Killed ${id}.`);
    await until(() => !alive(childPid), 'the background child to die');
    expect(text(await call(bashOutputTool, { bash_id: id }, ctx))).toContain(`[${id}: killed]`);
    expect(text(await call(killShellTool, { shell_id: id }, ctx))).toContain('not running');
  });

  it('filters output and reports the exit code of a finished shell', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    await call(bashTool, { command: 'echo ok 1; echo error A; echo ok 2; echo error B; exit 4', run_in_background: true }, ctx);
    // Wait without reading: each BashOutput call consumes what it returns.
    await until(() => backgroundShellsFor(ctx).get('bash_1')?.status === 'exited', 'the shell to exit');
    const out = text(await call(bashOutputTool, { bash_id: 'bash_1', filter: '^error' }, makeCtxShared(ctx)));
    expect(out).toContain('[bash_1: exited with code 4]');
    expect(out).toContain('error A\nerror B');
    expect(out).not.toContain('ok 1');
  });

  it('disposeBackgroundShells stops every shell of the session', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    await call(bashTool, { command: 'sleep 30 & echo $! > a.pid; wait', run_in_background: true }, ctx);
    const pid = await until(() => {
      const f = path.join(dir, 'a.pid');
      return existsSync(f) && readFileSync(f, 'utf8').trim() ? Number(readFileSync(f, 'utf8')) : undefined;
    }, 'the child pid');
    await disposeBackgroundShells(ctx);
    await until(() => !alive(pid), 'the background child to die');
    expect((await call(bashOutputTool, { bash_id: 'bash_1' }, ctx)).isError).toBe(true);
  });

  it('keeps one registry per session', async () => {
    const a = makeCtx(tempDir());
    const b = makeCtx(tempDir());
    await call(bashTool, { command: 'sleep 30', run_in_background: true }, a);
    const r = await call(bashOutputTool, { bash_id: 'bash_1' }, b);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('None has been started');
  });
});

/** The same session with a new signal, as the agent builds per call; the registry must follow. */
function makeCtxShared(ctx: ReturnType<typeof makeCtx>) {
  return { ...ctx, signal: new AbortController().signal };
}
