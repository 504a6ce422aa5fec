/**
 * Turns a custom command and its arguments into the prompt sent to the model:
 * `$ARGUMENTS` (all of them) and `$1`…`$9` (one each, quotes group words) are filled in, each
 * !`command` is run (through the permission engine and the Bash tool, by the host) and replaced
 * by its output, and each `@path` naming a file is followed by the file's content.
 */
import { BcodeError } from '../../errors.js';
import type { CommandDefinition } from './discover.js';

/** A `!` line the permission engine refused, or an @file the user may not read. */
export class CommandRefusedError extends BcodeError {}

export interface ExpandHost {
  /** Runs one command as the Bash tool would; throws CommandRefusedError when it may not run. */
  runShell(command: string): Promise<string>;
  /** The text of a file named by `@path` (relative to the session's directory), or undefined when there is none. */
  readFile(relativePath: string): Promise<string | undefined>;
}

/** `a "b c" d` → ['a', 'b c', 'd']. */
export function splitArguments(args: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(args); m; m = re.exec(args)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return out;
}

export function substituteArguments(body: string, args: string): string {
  const positional = splitArguments(args);
  let used = false;
  const out = body.replace(/\$ARGUMENTS\b|\$([1-9])(?![0-9])/g, (match, n: string | undefined) => {
    used = true;
    if (n === undefined) return args;
    return positional[Number(n) - 1] ?? '';
  });
  // The model should see what the user typed even when the template has no placeholder for it.
  return !used && args.trim() !== '' ? `${out.replace(/\s+$/, '')}\n\nARGUMENTS: ${args}` : out;
}

const SHELL = /!`([^`\n]+)`/g;
const FILE_REF = /(^|[\s(])@([^\s`'")]+)/g;

export async function expandCommand(def: CommandDefinition, args: string, host: ExpandHost): Promise<string> {
  let text = substituteArguments(def.body, args.trim());
  // Commands run one after another, in the order written (a later one may rely on an earlier one).
  const shells = [...text.matchAll(SHELL)].map((m) => m[1]!.trim());
  const outputs: string[] = [];
  for (const command of shells) outputs.push((await host.runShell(command)).replace(/\s+$/, ''));
  let i = 0;
  text = text.replace(SHELL, () => outputs[i++] ?? '');

  const attached: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(FILE_REF)) {
    const ref = m[2]!.replace(/[.,;:!?]+$/, '');
    if (seen.has(ref)) continue;
    seen.add(ref);
    const content = await host.readFile(ref);
    if (content !== undefined) attached.push(`<file path="${ref}">\n${content.replace(/\s+$/, '')}\n</file>`);
  }
  return attached.length > 0 ? `${text.replace(/\s+$/, '')}\n\n${attached.join('\n\n')}` : text.trim();
}

/** `/name args` → the command and its arguments, when `name` is a custom command. */
export function matchCustomCommand(line: string, commands: readonly CommandDefinition[]): { command: CommandDefinition; args: string } | undefined {
  const m = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(line.trim());
  if (!m) return undefined;
  const command = commands.find((c) => c.name === m[1]);
  return command ? { command, args: m[2] ?? '' } : undefined;
}
