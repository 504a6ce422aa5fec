/**
 * Some agents ship without Grep or Glob (the reference's native build searches through Bash).
 * For those, the scenario's Grep/Glob calls become the equivalent grep/find commands, so every
 * agent does the same work and the `match` checks still see the same file names.
 */
import type { Scenario, ScenarioContentBlock } from '../../src/emulator/types.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function asBash(block: Extract<ScenarioContentBlock, { type: 'tool_use' }>): ScenarioContentBlock {
  const input = block.input as Record<string, unknown>;
  if (block.name === 'Grep') {
    const flags = input.output_mode === 'content' ? '-rnE' : '-rlE';
    const where = typeof input.path === 'string' ? quote(input.path) : '.';
    return { ...block, name: 'Bash', input: { command: `grep ${flags} -- ${quote(String(input.pattern))} ${where}`, description: 'Search file contents' } };
  }
  const pattern = String(input.pattern);
  const cut = pattern.indexOf('**/');
  const dir = cut > 0 ? pattern.slice(0, cut - 1) : '.';
  const name = pattern.slice(pattern.lastIndexOf('/') + 1);
  return { ...block, name: 'Bash', input: { command: `find ${quote(dir)} -name ${quote(name)}`, description: 'Find files by name' } };
}

export function adaptScenario(scenario: Scenario, agentTools: readonly string[]): { scenario: Scenario; replaced: string[] } {
  const missing = ['Grep', 'Glob'].filter((t) => !agentTools.includes(t));
  if (missing.length === 0) return { scenario, replaced: [] };
  const turns = scenario.turns.map((t) =>
    t.reply ? { ...t, reply: { ...t.reply, content: t.reply.content.map((b) => (b.type === 'tool_use' && missing.includes(b.name) ? asBash(b) : b)) } } : t,
  );
  return { scenario: { ...scenario, turns }, replaced: missing };
}

/** Bash rules that let the adapted calls run in print mode. */
export const SEARCH_RULES = ['Bash(grep:*)', 'Bash(find:*)'];
