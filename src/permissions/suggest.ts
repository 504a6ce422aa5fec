/**
 * The rule offered for "always allow": narrow enough to be safe, wide enough to stop the
 * same question coming back (`npm run test -- --watch` → `Bash(npm run test:*)`).
 */
import path from 'node:path';
import { isWithin } from './paths.js';
import type { SubCommand } from './shell.js';

/** Commands whose every use is consequential: only the exact command is ever suggested. */
const EXACT_ONLY = new Set(['rm', 'rmdir', 'sudo', 'su', 'doas', 'dd', 'mkfs', 'chmod', 'chown', 'curl', 'wget', 'sh', 'bash', 'zsh', 'eval', 'exec', 'xargs', 'env', 'kill', 'pkill', 'killall', 'shutdown', 'reboot', 'ssh', 'scp']);
/** Second words after which the third word names the thing run (`npm run test`). */
const RUNNERS: ReadonlySet<string | undefined> = new Set(['run', 'run-script', 'exec', 'x', 'dlx']);

export function suggestBashRule(cmd: SubCommand): string | undefined {
  if (cmd.kind !== 'call' || cmd.assigns.length > 0) return undefined;
  const values = cmd.words.map((w) => w.value);
  if (values[0] === undefined) return undefined;
  const allStatic = values.every((v) => v !== undefined);
  if (EXACT_ONLY.has(path.basename(values[0]))) return allStatic ? `Bash(${cmd.text})` : undefined;
  const max = RUNNERS.has(values[1]) ? 3 : 2;
  const prefix: string[] = [];
  for (const v of values) {
    if (prefix.length >= max || v === undefined || v.startsWith('-') || /[/=.$'"\s\\]/.test(v) || v === '') break;
    prefix.push(v);
  }
  if (prefix.length === 0) return undefined;
  if (prefix.length === values.length) return `Bash(${prefix.join(' ')})`;
  return `Bash(${prefix.join(' ')}:*)`;
}

/** `Edit(/src/**)` inside the project (a `/` rule is relative to the project root), `Edit(//abs/dir/**)` outside. */
export function suggestPathRule(tool: 'Read' | 'Edit', absolute: string, projectRoot: string, isDirectory = false): string {
  const dir = isDirectory ? absolute : path.dirname(absolute);
  if (isWithin(dir, projectRoot)) {
    const rel = path.relative(projectRoot, dir).split(path.sep).join('/');
    return rel === '' ? `${tool}(/**)` : `${tool}(/${rel}/**)`;
  }
  return dir === '/' ? `${tool}(//**)` : `${tool}(/${dir}/**)`;
}
