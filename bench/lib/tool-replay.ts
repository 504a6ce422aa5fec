/**
 * Tool run time of the session, measured by replaying the scenario's 20 tool calls through the
 * tools' own run() in-process (same code bcode runs, same inputs, same fixture at the same
 * path): read-only calls of one turn together, as the agent runs them, the rest in order.
 * The same replayed time is subtracted for bcode and for a peer, so the two overheads compare
 * like for like (bcode's stream-json reports `duration_ms` per tool batch; a peer's need not).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../../src/emulator/types.js';
import type { AnyTool, ToolContext } from '../../src/tools/types.js';
import { median, nowMs } from './stats.js';

export type Replay = { ok: true; medianMs: number; samples: number[] } | { ok: false; reason: string };

async function once(root: string, projectDir: string, tools: Map<string, AnyTool>, scenario: Scenario): Promise<number> {
  rmSync(projectDir, { recursive: true, force: true });
  cpSync(path.join(root, 'bench', 'fixtures', 'project'), projectDir, { recursive: true });
  const scratch = mkdtempSync(path.join(tmpdir(), 'bcode-bench-replay-'));
  const ctx: ToolContext = {
    cwd: projectDir,
    signal: new AbortController().signal,
    childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, LANG: 'C.UTF-8' },
    readFiles: new Map(),
    scratchDir: scratch,
    shell: { cwd: projectDir },
  };
  const call = async (name: string, input: unknown) => {
    const tool = tools.get(name);
    if (!tool) throw new Error(`no ${name} tool exported from src/tools`);
    const parsed: unknown = tool.inputSchema.parse(input);
    const r = await tool.run(parsed, ctx);
    // A failing test run is part of the script (Bash reports it as an error); anything else is a divergence.
    if (r.isError && name !== 'Bash') throw new Error(`${name} answered an error in the replay: ${String(typeof r.forModel === 'string' ? r.forModel : r.forDisplay).split('\n')[0].slice(0, 160)}`);
  };
  let total = 0;
  try {
    for (const turn of scenario.turns) {
      const uses = (turn.reply?.content ?? []).flatMap((b) => (b.type === 'tool_use' ? [{ name: b.name, input: b.input }] : []));
      if (uses.length === 0) continue;
      const parallel = uses.every((u) => {
        const tool = tools.get(u.name);
        return tool !== undefined && tool.isReadOnly(tool.inputSchema.parse(u.input));
      });
      const t0 = nowMs();
      if (parallel) await Promise.all(uses.map((u) => call(u.name, u.input)));
      else for (const u of uses) await call(u.name, u.input);
      total += nowMs() - t0;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return total;
}

export async function replayTools(root: string, projectDir: string, tools: Map<string, AnyTool>, scenario: Scenario, runs: number): Promise<Replay> {
  const samples: number[] = [];
  try {
    await once(root, projectDir, tools, scenario); // warm-up: first Bash start, file cache
    for (let i = 0; i < runs; i++) samples.push(await once(root, projectDir, tools, scenario));
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
  return { ok: true, medianMs: median(samples), samples };
}
