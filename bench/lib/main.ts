/** `npm run bench`: runs every figure of issue 8 and prints them beside their baselines. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bcodeAgent, peerAgent, type Agent } from './agents.js';
import type { AgentContext } from './context.js';
import { watchServer } from './emulator-timing.js';
import { figureLongSession, figureRewind } from './fig-long-session.js';
import { figurePrint } from './fig-print.js';
import { figureProxy } from './fig-proxy.js';
import { figureSandbox } from './fig-sandbox.js';
import { figureSession } from './fig-session.js';
import { figureStartup } from './fig-startup.js';
import { figureTelemetry } from './fig-telemetry.js';
import { figureTree } from './fig-tree.js';
import { figureTui } from './fig-tui.js';
import { BenchUsageError, parseOptions, usage, wants, type BenchOptions } from './options.js';
import { cleanPieces, loadEmulator, loadTools } from './pieces.js';
import { na, renderTable, type Row } from './results.js';

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
}

function machine(): Machine {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

function peerVersion(peer: Agent, home: string): string {
  const r = spawnSync(peer.command, [...peer.args, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 30_000 });
  return r.error ? `cannot run: ${r.error.message}` : (r.stdout || r.stderr).trim().split('\n')[0] ?? '';
}

export async function main(argv: string[], root: string): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseOptions(argv, path.join(root, 'bench', 'results', 'latest.json'));
  } catch (err) {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (o.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
    process.stderr.write('bench: dist/cli.js is missing; run it as `npm run bench` (which builds first)\n');
    return 2;
  }
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const m = machine();
  log(`${m.date} · ${m.nproc} cpu · ${m.cpu} · node ${m.node} · runs ${o.runs}, warm-up ${o.warmup}, latency ${o.latency}`);
  const homes = path.join(os.tmpdir(), `bcode-bench-home-${process.pid}`);
  const bcode = bcodeAgent(root);
  let peer: Agent | undefined;
  let peerInfo: string | undefined;
  const rows: Row[] = [];
  try {
    if (o.peer) {
      peer = peerAgent(o.peer);
      peerInfo = `${o.peer} → ${peerVersion(peer, path.join(homes, 'peer'))}`;
      log(`peer: ${peerInfo}`);
    }
    watchServer();
    if (wants(o, 1)) {
      log('figure 1: start-up');
      rows.push(...(await figureStartup(bcode, { PATH: process.env.PATH ?? '', HOME: path.join(homes, 'startup'), LANG: 'C.UTF-8' }, o)));
    }
    const needsAgents = [2, 3, 4, 5, 7, 9, 10, 11, 12].some((f) => wants(o, f));
    const emulator = needsAgents ? await loadEmulator(root) : undefined;
    const tools = [4, 6, 7].some((f) => wants(o, f)) ? await loadTools(root) : ({ ok: false, reason: 'not needed' } as const);
    if (emulator && !emulator.ok) {
      rows.push(na('2', 'time to first request', 'ms', emulator.reason, '≤ 1.6× node -e 0'));
      rows.push(na('3', '-p "say hi" wall and peak RSS', 'ms', emulator.reason, '≤ 0.4× reference; ≤ 100 MB'));
      rows.push(na('4', '20-tool-call session', 'ms', emulator.reason, '≤ 5 ms/turn; ≤ 100 MB'));
      rows.push(na('5', 'tokens and cost', '', emulator.reason, 'prefix ≤ 50%; cache reads ≥ 98%; cost ≤ 50/60%'));
    } else if (emulator?.ok) {
      const ctx: AgentContext = { root, options: o, startEmulator: emulator.value, bcode, peer, tools, homeOf: (a) => path.join(homes, a.label) };
      if (wants(o, 2) || wants(o, 3) || wants(o, 7)) {
        log('figures 2-3: -p "say hi"');
        rows.push(...(await figurePrint(ctx)));
      }
      if (wants(o, 4) || wants(o, 5) || wants(o, 7)) {
        log('figures 4-5: 20-tool-call session');
        rows.push(...(await figureSession(ctx)));
      }
      if (wants(o, 9)) {
        log('figure 9: the terminal UI');
        rows.push(...(await figureTui(ctx)));
      }
      if (wants(o, 10)) {
        log('figure 10: request overhead through a loopback proxy');
        rows.push(...(await figureProxy(ctx)));
      }
      if (wants(o, 11)) {
        log('figure 11: first request with OpenTelemetry on');
        rows.push(...(await figureTelemetry(ctx)));
      }
      if (wants(o, 12)) {
        log('figure 12: a long session with compaction');
        rows.push(...(await figureLongSession(ctx)));
      }
    }
    if (wants(o, 6)) {
      log('figure 6: tools on a large tree');
      rows.push(...(await figureTree(tools.ok ? tools.value : tools.reason, o, version, log)));
    }
    if (wants(o, 8)) {
      log('figure 8: the Bash sandbox');
      rows.push(...(await figureSandbox(o)));
    }
    if (wants(o, 13)) {
      log('figure 13: rewind of a 100-file checkpoint');
      rows.push(...(await figureRewind(o)));
    }
    if (wants(o, 7)) {
      rows.push(peer ? { figure: '7', what: 'peer', unit: '', bcode: null, note: `peer columns above: ${peerInfo}` } : na('7', 'peer comparison', '', 'no --peer given'));
    }
  } finally {
    cleanPieces(root);
    rmSync(homes, { recursive: true, force: true });
  }
  process.stdout.write(`\n${renderTable(rows)}\n\n`);
  process.stdout.write(`machine: ${m.nproc} cpu, ${m.cpu}, ${m.memoryGb} GB, node ${m.node}, ${m.platform}; ${m.date}\n`);
  mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  const { only, ...rest } = o;
  writeFileSync(o.out, `${JSON.stringify({ machine: m, options: { ...rest, only: [...only] }, peer: peerInfo, rows }, null, 2)}\n`);
  log(`results written to ${path.relative(process.cwd(), path.resolve(o.out)) || o.out}`);
  return 0;
}
