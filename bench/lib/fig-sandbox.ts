/**
 * Figure 8: what the Bash sandbox costs per command. The Bash tool runs `true` through its own
 * run() three ways — unsandboxed, sandboxed read-only (an auto-allowed command) and sandboxed
 * workspace (a command a rule allowed) — so the difference is bubblewrap's start plus the
 * policy's mask computation, nothing else. Target: ≤ 15 ms extra per command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SandboxGrant } from '../../src/permissions/types.js';
import { SandboxRunner } from '../../src/sandbox/runner.js';
import { resolveSandboxSettings } from '../../src/sandbox/settings.js';
import { createBashTool } from '../../src/tools/bash.js';
import type { ToolContext } from '../../src/tools/types.js';
import type { BenchOptions } from './options.js';
import { na, type Row } from './results.js';
import { median, nowMs } from './stats.js';

export async function figureSandbox(o: BenchOptions): Promise<Row[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'bcode-bench-sandbox-'));
  try {
    const runner = new SandboxRunner({
      settings: resolveSandboxSettings({}),
      policy: { sandboxPaths: () => ({ writableRoots: [root], denyRead: [], denyWrite: [] }) },
      home: process.env.HOME ?? root,
      projectRoot: root,
      passAwsCredentials: false,
      scratchDir: path.join(root, 'scratch'),
      envPath: process.env.PATH,
    });
    const avail = await runner.availability();
    if (!avail.ok) return [na('8', 'Bash `true`, sandboxed vs not', 'ms', avail.reason, '≤ 15 ms extra')];
    const bash = createBashTool();
    const ctx = (grant?: SandboxGrant): ToolContext => ({
      cwd: root,
      signal: new AbortController().signal,
      childEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root },
      readFiles: new Map(),
      scratchDir: path.join(root, 'scratch'),
      shell: { cwd: root },
      ...(grant ? { sandbox: runner, sandboxGrant: grant } : {}),
    });
    const time = async (grant?: SandboxGrant): Promise<number[]> => {
      const samples: number[] = [];
      const runs = Math.max(o.runs, 5) * 4;
      for (let i = 0; i < o.warmup * 2 + runs; i++) {
        const t0 = nowMs();
        const r = await bash.run({ command: 'true' }, ctx(grant));
        if (r.isError) throw new Error(`Bash true failed: ${String(r.forModel)}`);
        if (i >= o.warmup * 2) samples.push(nowMs() - t0);
      }
      return samples;
    };
    const plain = await time();
    const rows: Row[] = [];
    for (const [fig, grant] of [['8a', 'read-only'], ['8b', 'workspace']] as const) {
      const boxed = await time(grant);
      const extra = median(boxed) - median(plain);
      rows.push({
        figure: fig,
        what: `Bash \`true\`, sandbox ${grant} (extra ms)`,
        unit: 'ms',
        bcode: extra,
        baselineLabel: 'unsandboxed Bash `true`',
        baseline: median(plain),
        target: '≤ 15 ms extra',
        met: extra <= 15,
        note: 'medians of the Bash tool run in-process; extra = sandboxed − unsandboxed',
        samples: { bcode: boxed, baseline: plain },
      });
    }
    return rows;
  } catch (err) {
    return [na('8', 'Bash `true`, sandboxed vs not', 'ms', err instanceof Error ? err.message : String(err), '≤ 15 ms extra')];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
