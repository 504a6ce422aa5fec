import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { backgroundShellsFor } from './background-shells.js';
import { fail } from './result.js';
import { groupAlive, readCapped, startShell, stopGroup, trackGroup } from './shell-process.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
export const BASH_MAX_TIMEOUT_MS = 600_000;
export const BASH_MAX_OUTPUT_CHARS = 30_000;

export interface BashLimits {
  /** A command printing more than this to its output file is stopped (a runaway `yes`, a log loop). */
  maxOutputFileBytes: number;
  /** How often the output file's size is checked. */
  checkEveryMs: number;
}
export const BASH_LIMITS: BashLimits = { maxOutputFileBytes: 256 * 1024 * 1024, checkEveryMs: 1000 };

const inputSchema = z.object({
  command: z.string().min(1),
  timeout: z.number().int().min(1).max(BASH_MAX_TIMEOUT_MS).optional().describe('ms'),
  description: z.string().optional().describe('5-10 word summary'),
  run_in_background: z.boolean().optional(),
});
type Input = z.infer<typeof inputSchema>;

export function createBashTool(limits: BashLimits = BASH_LIMITS): Tool<Input> {
  return {
    name: 'Bash',
    description:
      `Run a command with bash. The working directory carries over between calls; variables and other shell state do not. No stdin. ` +
      `Timeout ${BASH_DEFAULT_TIMEOUT_MS / 60_000} min by default, at most ${BASH_MAX_TIMEOUT_MS / 60_000}. Output over ${BASH_MAX_OUTPUT_CHARS} chars keeps its start and end; the full text is saved to a file you can Read. ` +
      'Use run_in_background for servers and watchers, then BashOutput/KillShell. Prefer Read, Edit, Grep and Glob to cat, sed, grep and find.',
    inputSchema,
    isReadOnly: () => false,
    run: (input, ctx) => runBash(input, ctx, limits),
  };
}

export const bashTool = createBashTool();

async function runBash(input: Input, ctx: ToolContext, limits: BashLimits): Promise<ToolResult> {
  if (ctx.signal.aborted) return fail('Interrupted before the command started.');
  let cwdNote = '';
  if (!(await isDirectory(ctx.shell.cwd))) {
    cwdNote = `(The shell's directory ${ctx.shell.cwd} no longer exists; ran in ${ctx.cwd}.)\n`;
    ctx.shell.cwd = ctx.cwd;
  }
  // Without a decision (a direct call) the safest grant applies: nothing may be written.
  const prepared = ctx.sandbox ? await ctx.sandbox.prepare(input.command, ctx.sandboxGrant ?? 'read-only', ctx.shell.cwd, ctx.childEnv, ctx.notice) : undefined;
  if (prepared?.refusal) return fail(`The command was not run: ${prepared.refusal}`);
  // The checks above take a moment (the sandbox's first preparation more): an interrupt may have come meanwhile.
  if (ctx.signal.aborted) return fail('Interrupted before the command started.');
  const options = { cwd: ctx.shell.cwd, env: prepared?.env ?? ctx.childEnv, scratchDir: ctx.scratchDir, wrap: prepared?.wrap, prelude: prepared?.prelude, fd4File: prepared?.fd4File };

  if (input.run_in_background) {
    const shell = await backgroundShellsFor(ctx).start(input.command, options);
    return {
      forModel: `${cwdNote}Started background shell ${shell.id}. Read its output with BashOutput (bash_id "${shell.id}"); stop it with KillShell.`,
      forDisplay: `Started ${shell.id} in the background`,
      data: { stdout: '', stderr: '', interrupted: false, isImage: false, noOutputExpected: false, backgroundTaskId: shell.id },
    };
  }

  const run = await startShell(input.command, options);
  const timeoutMs = input.timeout ?? BASH_DEFAULT_TIMEOUT_MS;
  let ending: 'timeout' | 'abort' | 'flood' | undefined;
  const stop = (why: 'timeout' | 'abort' | 'flood') => {
    if (ending) return;
    ending = why;
    void stopGroup(run);
  };
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const watchdog = setInterval(() => {
    fs.stat(run.outFile).then(
      (st) => st.size > limits.maxOutputFileBytes && stop('flood'),
      () => undefined,
    );
  }, limits.checkEveryMs);
  const onAbort = () => stop('abort');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  // An abort while the shell was being started fired no event for this listener.
  if (ctx.signal.aborted) onAbort();
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    result = await run.exited;
    if (ending) await stopGroup(run, 0);
    // `server &` keeps running after the command returns, as it would in a terminal, until bcode exits.
    else if (groupAlive(run.child.pid)) trackGroup(run.child.pid);
  } finally {
    clearTimeout(timer);
    clearInterval(watchdog);
    ctx.signal.removeEventListener('abort', onAbort);
  }

  const newCwd = (await fs.readFile(run.pwdFile, 'utf8').catch(() => '')).replace(/\n$/, '');
  await fs.rm(run.pwdFile, { force: true });
  if (newCwd && (await isDirectory(newCwd))) ctx.shell.cwd = newCwd;

  const out = await readCapped(run.outFile, 0, BASH_MAX_OUTPUT_CHARS);
  if (!out.truncated) await fs.rm(run.outFile, { force: true });
  const code = result.code ?? (result.signal ? 128 : 1);

  const parts: string[] = [];
  if (cwdNote) parts.push(cwdNote.trimEnd());
  const text = out.text.replace(/\n$/, '');
  if (text) parts.push(text);
  if (out.truncated) parts.push(`[Output was ${out.bytes} bytes; the full output is in ${run.outFile}]`);
  if (ending === 'timeout') parts.push(`[Timed out after ${timeoutMs} ms; the command and its child processes were stopped]`);
  else if (ending === 'flood') parts.push(`[Stopped: the command printed more than ${limits.maxOutputFileBytes} bytes]`);
  else if (ending === 'abort') parts.push('[Interrupted by the user; the command and its child processes were stopped]');
  else if (code !== 0) parts.push(`[Exit code ${code}${result.signal ? ` (${result.signal})` : ''}]`);
  const blocked = code !== 0 && ending === undefined ? prepared?.explain(out.text) : undefined;
  if (blocked) parts.push(blocked);
  if (parts.length === 0) parts.push('(no output)');
  const isError = ending !== undefined || code !== 0;
  const display = ending === 'timeout' ? 'timed out' : ending === 'flood' ? 'too much output' : ending === 'abort' ? 'interrupted' : code !== 0 ? `exit code ${code}` : 'done';
  // The shell writes stdout and stderr to one file (their order kept), so all of it is `stdout`.
  const data = { stdout: text, stderr: '', interrupted: ending === 'abort' || ending === 'timeout', isImage: false, noOutputExpected: false };
  return { forModel: parts.join('\n'), forDisplay: `${input.description ?? firstWords(input.command)}: ${display}`, ...(isError ? { isError } : {}), data };
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function firstWords(command: string): string {
  const line = command.split('\n', 1)[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
