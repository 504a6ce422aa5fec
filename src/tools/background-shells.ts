import { promises as fs } from 'node:fs';
import { groupAlive, readCapped, startShell, stopGroup, trackGroup, untrackGroup, type ShellOptions, type ShellRun } from './shell-process.js';
import type { ToolContext } from './types.js';

export interface BackgroundShell {
  id: string;
  command: string;
  run: ShellRun;
  /** Bytes of output already handed to the model. */
  readOffset: number;
  status: 'running' | 'exited' | 'killed';
  exitCode: number | null;
}

/** The background shells of one session; BashOutput and KillShell find them by id. */
export class BackgroundShells {
  private readonly shells = new Map<string, BackgroundShell>();
  private next = 1;

  async start(command: string, options: ShellOptions): Promise<BackgroundShell> {
    const run = await startShell(command, options);
    const shell: BackgroundShell = { id: `bash_${this.next++}`, command, run, readOffset: 0, status: 'running', exitCode: null };
    this.shells.set(shell.id, shell);
    trackGroup(run.child.pid);
    void run.exited.then(({ code, signal }) => {
      if (shell.status === 'running') {
        shell.status = 'exited';
        shell.exitCode = code ?? (signal ? 128 : null);
      }
    });
    return shell;
  }

  get(id: string): BackgroundShell | undefined {
    return this.shells.get(id);
  }

  ids(): string[] {
    return [...this.shells.keys()];
  }

  async kill(id: string): Promise<boolean> {
    const shell = this.shells.get(id);
    if (!shell) return false;
    const wasRunning = shell.status === 'running';
    if (wasRunning) shell.status = 'killed';
    // Also when the shell itself has exited: processes it left behind share its group.
    if (wasRunning || groupAlive(shell.run.child.pid)) await stopGroup(shell.run);
    untrackGroup(shell.run.child.pid);
    return wasRunning;
  }

  /** Ends every shell and removes their output files; for the end of a session. */
  async dispose(): Promise<void> {
    await Promise.all([...this.shells.keys()].map((id) => this.kill(id)));
    await Promise.all([...this.shells.values()].map((s) => Promise.all([fs.rm(s.run.outFile, { force: true }), fs.rm(s.run.pwdFile, { force: true })])));
    this.shells.clear();
  }

  /** New output since the last call, capped; advances the read position. */
  async readNew(shell: BackgroundShell, maxChars: number): Promise<{ text: string; truncated: boolean }> {
    const { text, bytes, truncated } = await readCapped(shell.run.outFile, shell.readOffset, maxChars);
    shell.readOffset += bytes;
    return { text, truncated };
  }
}

// Keyed on the session's shell state so each session (and each test) has its own registry.
const registries = new WeakMap<object, BackgroundShells>();

export function backgroundShellsFor(ctx: Pick<ToolContext, 'shell'>): BackgroundShells {
  let reg = registries.get(ctx.shell);
  if (!reg) {
    reg = new BackgroundShells();
    registries.set(ctx.shell, reg);
  }
  return reg;
}

/** For the agent at the end of a session: stop the session's background shells. */
export async function disposeBackgroundShells(ctx: Pick<ToolContext, 'shell'>): Promise<void> {
  await registries.get(ctx.shell)?.dispose();
}

