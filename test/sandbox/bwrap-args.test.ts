/**
 * bwrapArgs as a pure function: the order of nested mounts and the seccomp descriptor. The
 * bubblewrap runs themselves are in runner.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { bwrapArgs, type BwrapSpec } from '../../src/sandbox/bwrap-args.js';

const base: BwrapSpec = { grant: 'workspace', cwd: '/p', roots: ['/p'], tmpDir: '/s/tmp', readOnly: [], masked: [], maskFile: '/s/m', network: true, dropCaps: false };

/** The targets of the mounts made with `flag`, in command-line order. */
function targets(args: string[], flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => a === flag && out.push(args[i + 2]));
  return out;
}

describe('bwrapArgs', () => {
  it('mounts a parent before its children whatever order they were given in, each once', () => {
    const args = bwrapArgs({ ...base, roots: ['/p/a/b', '/p', '/p/a', '/p/a/b'], tmpDir: '/p/a/tmp', readOnly: ['/p/a/.git/config', '/p/a/.git'] });
    expect(targets(args, '--bind')).toEqual(['/p', '/p/a', '/p/a/b', '/p/a/tmp']);
    expect(targets(args, '--ro-bind')).toEqual(['/', '/p/a/.git', '/p/a/.git/config']);
  });

  it('a child given before its parent still comes after it (two entries)', () => {
    expect(targets(bwrapArgs({ ...base, roots: ['/w/x/y'], tmpDir: '/w' }), '--bind')).toEqual(['/w', '/w/x/y']);
  });

  it('passes the seccomp descriptor only when there is one', () => {
    const without = bwrapArgs(base);
    expect(without).not.toContain('--seccomp');
    expect(without.join(' ')).not.toContain('undefined');
    const withFd = bwrapArgs({ ...base, seccompFd: 7 });
    expect(withFd[withFd.indexOf('--seccomp') + 1]).toBe('7');
    // The descriptor goes before --chdir, the last option.
    expect(withFd.slice(-2)).toEqual(['--chdir', '/p']);
  });

  it('drops capabilities only when asked (bcode running as root), and closes the network only without it', () => {
    expect(bwrapArgs(base)).not.toContain('--cap-drop');
    const root = bwrapArgs({ ...base, dropCaps: true, network: false });
    expect(root[root.indexOf('--cap-drop') + 1]).toBe('ALL');
    expect(root).toContain('--unshare-net');
    expect(bwrapArgs(base)).not.toContain('--unshare-net');
  });
});
