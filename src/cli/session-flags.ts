import { UsageError } from '../errors.js';
import type { MainOptions } from './program.js';

/** `--fork-session` means something only with a session to fork. */
export function checkForkSession(opts: MainOptions): boolean | undefined {
  if (!opts.forkSession) return undefined;
  if (!opts.continue && opts.resume === undefined) throw new UsageError('--fork-session needs --resume <id> or --continue', { hint: 'e.g. bcode --continue --fork-session "try another way"' });
  return true;
}
