/**
 * Runs the hooks of one event: the matching ones, each identical command once, all in parallel,
 * each with its own time limit. A command hook runs as `bash -c <command>` in the session's
 * directory with the event JSON on stdin, the scrubbed child environment (R3) plus
 * CLAUDE_PROJECT_DIR, and — where bubblewrap works — inside the session's sandbox with the
 * workspace grant (it may change files in the project, as a formatter must, but not elsewhere).
 * Whatever a hook prints is redacted before anything else sees it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { CommandSandbox } from '../../tools/types.js';
import { redact } from '../../util/redact.js';
import { compileMatcher } from './matcher.js';
import type { ConfiguredHook, HookJsonOutput, HookRun } from './types.js';

/** A hook printing more than this is cut (the rest is read and dropped). */
const MAX_OUTPUT = 256 * 1024;

export interface RunnerOptions {
  cwd: string;
  projectDir: string;
  /** Already scrubbed of bcode's secrets. */
  env: Record<string, string>;
  sandbox?: CommandSandbox;
  notice?: (text: string) => void;
}

export function matchingHooks(hooks: readonly ConfiguredHook[], event: string, value: string | undefined): ConfiguredHook[] {
  const seen = new Set<string>();
  const out: ConfiguredHook[] = [];
  for (const h of hooks) {
    if (h.event !== event) continue;
    if (value !== undefined) {
      const m = compileMatcher(h.matcher);
      if ('error' in m || !m(value)) continue;
    }
    // The same command listed twice (in two files, or two groups that both match) runs once.
    if (h.command !== undefined) {
      if (seen.has(h.command)) continue;
      seen.add(h.command);
    }
    out.push(h);
  }
  return out;
}

export async function runHooks(hooks: readonly ConfiguredHook[], input: Record<string, unknown>, options: RunnerOptions, signal?: AbortSignal): Promise<HookRun[]> {
  return Promise.all(hooks.map((h) => (h.callback ? runCallback(h, input, signal) : runCommand(h, input, options, signal))));
}

async function runCallback(hook: ConfiguredHook, input: Record<string, unknown>, outer?: AbortSignal): Promise<HookRun> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), hook.timeout * 1000);
  const onAbort = () => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  try {
    const json = await Promise.race([
      hook.callback!(input, controller.signal),
      new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true })),
    ]);
    return { hook, exitCode: 0, stdout: '', stderr: '', timedOut: false, ...(json ? { json: JSON.parse(redact(JSON.stringify(json))) as HookJsonOutput } : {}) };
  } catch (err) {
    const timedOut = controller.signal.aborted && !outer?.aborted;
    return { hook, exitCode: null, stdout: '', stderr: '', timedOut, failure: timedOut ? `timed out after ${hook.timeout} s` : redact(err instanceof Error ? err.message : String(err)) };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

async function runCommand(hook: ConfiguredHook, input: Record<string, unknown>, o: RunnerOptions, signal?: AbortSignal): Promise<HookRun> {
  const command = hook.command!;
  const env = { ...o.env, CLAUDE_PROJECT_DIR: o.projectDir };
  let prepared: Awaited<ReturnType<CommandSandbox['prepare']>> | undefined;
  if (o.sandbox) {
    try {
      prepared = await o.sandbox.prepare(command, 'workspace', o.cwd, env, o.notice);
    } catch (err) {
      return { hook, exitCode: null, stdout: '', stderr: '', timedOut: false, failure: `the sandbox could not be prepared: ${redact(err instanceof Error ? err.message : String(err))}` };
    }
    if (prepared.refusal) return { hook, exitCode: null, stdout: '', stderr: '', timedOut: false, failure: `not run: ${prepared.refusal}` };
  }
  const script = prepared ? `${prepared.prelude}\n${command}` : command;
  const [file, ...args] = prepared?.wrap ? [...prepared.wrap, 'bash', '-c', script] : ['bash', '-c', script];
  const fd4 = prepared?.fd4File ? openSync(prepared.fd4File, 'r') : undefined;
  return new Promise<HookRun>((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(file!, args, {
      cwd: o.cwd,
      env: prepared?.env ?? env,
      // Its own process group, so a time-out ends the hook's children too.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', ...(fd4 === undefined ? [] : (['ignore', fd4] as const))],
    });
    if (fd4 !== undefined) closeSync(fd4);
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, hook.timeout * 1000);
    const onAbort = () => killGroup();
    signal?.addEventListener('abort', onAbort, { once: true });
    const take = (chunk: string, into: string) => (into.length >= MAX_OUTPUT ? into : into + chunk.slice(0, MAX_OUTPUT - into.length));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout = take(d, stdout)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = take(d, stderr)));
    const finish = (code: number | null, failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const out = redact(stdout);
      const run: HookRun = { hook, exitCode: timedOut ? null : code, stdout: out, stderr: redact(stderr), timedOut };
      if (timedOut) run.failure = `timed out after ${hook.timeout} s`;
      else if (failure) run.failure = failure;
      const json = code === 0 && !timedOut ? parseJsonOutput(out) : undefined;
      if (json) run.json = json;
      resolve(run);
    };
    child.on('error', (err) => finish(null, `could not start: ${redact(err.message)}`));
    child.on('close', (code, sig) => finish(code, code === null && sig ? `ended by ${sig}` : undefined));
    // A hook that does not read its input must not fail with EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(JSON.stringify(input));
  });
}

/** stdout as the hook's JSON answer, when it is one JSON object. */
export function parseJsonOutput(stdout: string): HookJsonOutput | undefined {
  const text = stdout.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as HookJsonOutput) : undefined;
  } catch {
    return undefined;
  }
}
