import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../../src/emulator/types.js';
import { fillTemplate, SMALL_MODEL, type Agent } from './agents.js';
import type { BenchOptions } from './options.js';
import type { AnyTool } from '../../src/tools/types.js';
import type { Piece, StartEmulator } from './pieces.js';

/** What every figure that runs an agent needs. */
export interface AgentContext {
  root: string;
  options: BenchOptions;
  startEmulator: StartEmulator;
  bcode: Agent;
  peer?: Agent;
  /** The built tools, for replaying the session's tool calls (tool run time). */
  tools: Piece<Map<string, AnyTool>>;
  /** A private HOME per agent, kept for the whole bench run (first-run set-up happens in warm-ups). */
  homeOf(agent: Agent): string;
}

/**
 * The `realistic` profile: first byte after 600 ms and 5 ms between chunks, about what a
 * Sonnet-class model on Bedrock shows for short replies. `zero` leaves the scenario alone.
 */
export function withLatency(scenario: Scenario, profile: BenchOptions['latency']): Scenario {
  if (profile === 'zero') return scenario;
  const delay = { kind: 'delay' as const, firstByteMs: 600, betweenChunksMs: 5 };
  const slow = (turns: Scenario['turns']) => turns.map((t) => ({ ...t, faults: [...(t.faults ?? []), delay] }));
  return { ...scenario, turns: slow(scenario.turns), side: scenario.side ? slow(scenario.side) : undefined };
}

export function loadScenario(root: string, file: string, vars: Record<string, string>, profile: BenchOptions['latency']): Scenario {
  const raw = JSON.parse(readFileSync(path.join(root, 'bench', 'fixtures', file), 'utf8')) as Scenario;
  return withLatency(fillTemplate(raw, { smallModel: SMALL_MODEL, ...vars }), profile);
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/** Keeps a failed run's output for a look, and says where. */
export function keepFailure(label: string, what: string, stdout: string, stderr: string): string {
  const dir = path.join(tmpdir(), 'bcode-bench-failures');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label}-${what}.log`);
  writeFileSync(file, `--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
  return file;
}
