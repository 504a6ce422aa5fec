/**
 * Whether bubblewrap can sandbox commands here: Linux, `bwrap` on PATH, and user namespaces (or
 * root) that let it build a mount and PID namespace. Probed once per process with the same kind
 * of sandbox the commands get, so "available" means "a command will actually start in it".
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export type Availability = { ok: true; bwrap: string } | { ok: false; reason: string; hint: string };

const INSTALL_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or set "sandbox": {"enabled": false} to run commands without it';

export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

let probe: Promise<Availability> | undefined;

export function sandboxAvailability(envPath: string | undefined, platform: NodeJS.Platform = process.platform): Promise<Availability> {
  probe ??= check(envPath, platform);
  return probe;
}

/** For tests: forget the cached probe. */
export function resetSandboxAvailability(): void {
  probe = undefined;
}

async function check(envPath: string | undefined, platform: NodeJS.Platform): Promise<Availability> {
  if (platform !== 'linux') {
    return { ok: false, reason: `no sandbox on ${platform === 'darwin' ? 'macOS' : platform} yet (bcode sandboxes with bubblewrap on Linux)`, hint: 'commands run unsandboxed; the permission rules still apply' };
  }
  const bwrap = findOnPath('bwrap', envPath);
  if (!bwrap) return { ok: false, reason: 'bubblewrap (bwrap) is not installed', hint: INSTALL_HINT };
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL', '--', 'true'];
  return new Promise((resolve) => {
    execFile(bwrap, args, { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve({ ok: true, bwrap });
      const first = String(stderr).trim().split('\n')[0] || (err as Error).message;
      resolve({
        ok: false,
        reason: `bubblewrap cannot create a sandbox here (${first.slice(0, 160)})`,
        hint: 'unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap), or set "sandbox": {"enabled": false}',
      });
    });
  });
}
