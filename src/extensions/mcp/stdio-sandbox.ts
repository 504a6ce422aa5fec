/**
 * A stdio MCP server's command line inside the command sandbox (bubblewrap), where it is on:
 * the same wrapper hooks get, with the `workspace` grant (the project writable, the rest of the
 * file system read-only, credential stores hidden) and the network (a server usually talks to
 * some service). With the sandbox off or unavailable the command runs as configured.
 */
import type { CommandSandbox } from '../../tools/types.js';

export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Quotes a word for the sandbox's excluded-command check (which reads a shell command line). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line to spawn. The SDK's transport gives the child only stdin, stdout and stderr,
 * while the sandbox reads its seccomp filter from descriptor 4: a small `sh` opens the filter
 * file there and execs bubblewrap, so nothing stays between bcode and the server.
 * Throws (with the sandbox's reason) when the sandbox is required but cannot start.
 */
export async function sandboxedLaunch(launch: StdioLaunch, sandbox: CommandSandbox | undefined, cwd: string, notice?: (text: string) => void): Promise<StdioLaunch> {
  if (!sandbox) return launch;
  const line = [launch.command, ...launch.args].map(shellWord).join(' ');
  const prepared = await sandbox.prepare(line, 'workspace', cwd, launch.env, notice);
  if (prepared.refusal) throw new Error(`not started: ${prepared.refusal}`);
  if (!prepared.wrap) return { ...launch, env: prepared.env };
  const inner = [...prepared.wrap, launch.command, ...launch.args];
  if (!prepared.fd4File) return { command: inner[0]!, args: inner.slice(1), env: prepared.env };
  return { command: '/bin/sh', args: ['-c', 'f=$1; shift; exec "$@" 4<"$f"', 'sh', prepared.fd4File, ...inner], env: prepared.env };
}
