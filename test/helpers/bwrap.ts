import { execFileSync } from 'node:child_process';

/** Whether bubblewrap can build the sandbox bcode uses here (installed, and namespaces allowed). */
export function bwrapWorks(): boolean {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--proc', '/proc', '--dev', '/dev', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sandbox tests fail rather than skip in CI, where .ci/run installs bubblewrap. */
export function requireBwrapInCi(what: string): boolean {
  const ok = bwrapWorks();
  if (!ok && process.env.CI) throw new Error(`bubblewrap is required in CI (.ci/run installs it): ${what} must not be skipped`);
  if (!ok) console.warn(`${what}: bubblewrap unavailable here, skipped (apt-get install bubblewrap)`);
  return ok;
}
