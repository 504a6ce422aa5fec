import { spawnSync } from 'node:child_process';

/** Whether the tests run as root (bcode refuses some things as root, e.g. bypassPermissions). */
export const IS_ROOT = process.getuid?.() === 0;

/** The unprivileged user root runs a command as (nobody). */
export const NOBODY = { uid: 65534, gid: 65534 };

const haveSetpriv = IS_ROOT && spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * How to run a command as an unprivileged user: as root, `setpriv` to nobody (files it must
 * write have to be given to NOBODY first); as anyone else, directly ([]). Undefined when root
 * has no setpriv.
 */
export function asUnprivileged(): string[] | undefined {
  if (!IS_ROOT) return [];
  return haveSetpriv ? ['setpriv', `--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', '--'] : undefined;
}

/** Says on the test output why a test does not run here, instead of skipping (or passing) silently. */
export function whySkipped(test: string, reason: string): void {
  console.warn(`skipped here: ${test} — ${reason}`);
}
