/**
 * What the headless `initialize` answer lists, so that an SDK app's `supportedCommands()`,
 * `supportedAgents()` and `supportedModels()` describe what this bcode can do here:
 *
 * - commands: the custom commands (`.claude/commands`, the user's and the project's), which is
 *   what a `/name args` user message runs in headless mode;
 * - agents: the Task tool's built-in `general-purpose` type and the custom sub-agents (files,
 *   --agents and the app's own `agents` option);
 * - models: `default` and the aliases with the Bedrock ids they stand for here, then the other
 *   configured ids (main, small/fast, failover) — every value `set_model` accepts as listed.
 */
import type { Config } from '../config/types.js';
import type { AgentDefinition } from '../extensions/agents/discover.js';
import type { InitializeLists } from '../ui/headless.js';

const ALIASES = ['sonnet', 'opus', 'haiku'] as const;

export async function initializeLists(config: Config, agents: readonly AgentDefinition[]): Promise<InitializeLists> {
  const [{ loadExtensions }, { GENERAL_PURPOSE }] = await Promise.all([import('../extensions/index.js'), import('../extensions/agents/discover.js')]);
  // The session loads them again when it starts (and warns then): no warning twice.
  const ext = await loadExtensions(config, { agents, warn: () => undefined });
  const builtIn = ext.agents.some((a) => a.name === GENERAL_PURPOSE) ? [] : [{ name: GENERAL_PURPOSE, description: "The default sub-agent: the session's own tools and instructions" }];
  return {
    commands: ext.commands.map((c) => ({ name: c.name, description: c.description, argumentHint: c.argumentHint ?? '' })),
    agents: [
      ...builtIn,
      ...ext.agents.map((a) => ({ name: a.name, description: a.description, ...(a.model !== undefined ? { model: a.model } : {}) })),
    ],
    models: modelList(config),
  };
}

export function modelList(config: Pick<Config, 'models'>): InitializeLists['models'] {
  const { main, smallFast, aliases, failover } = config.models;
  const out: InitializeLists['models'] = [{ value: 'default', resolvedModel: main.id, displayName: 'Default', description: `The configured main model (${main.id})` }];
  for (const a of ALIASES) out.push({ value: a, resolvedModel: aliases[a], displayName: a[0]!.toUpperCase() + a.slice(1), description: `The ${a} alias (${aliases[a]})` });
  const listed = new Set(out.map((m) => m.value));
  const ids: Array<[string, string]> = [
    [main.id, 'The main model'],
    [smallFast.id, 'The small/fast model (titles, compaction)'],
    ...(failover?.models ?? []).map((id): [string, string] => [id, 'A failover model']),
  ];
  for (const [id, what] of ids) {
    if (listed.has(id)) continue;
    listed.add(id);
    out.push({ value: id, resolvedModel: id, displayName: id, description: what });
  }
  return out;
}
