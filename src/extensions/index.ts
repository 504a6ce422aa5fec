/**
 * Skills, custom sub-agents and custom commands of one session: found once at start-up (a few
 * directory reads; the YAML parser loads only when a file has a header) and handed to the
 * session engine, which offers them to the model and the front ends.
 */
import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { discoverAgents, type AgentDefinition } from './agents/discover.js';
import { resolveAgentModel } from './agents/model.js';
import { discoverCommands, type CommandDefinition } from './commands/discover.js';
import { discoverSkills, type SkillDefinition } from './skills/discover.js';
import { extensionDirs, type WarnFn } from './sources.js';

export type { AgentDefinition, CommandDefinition, SkillDefinition };

export interface Extensions {
  skills: SkillDefinition[];
  agents: AgentDefinition[];
  commands: CommandDefinition[];
}

export interface LoadExtensionsOptions {
  /** `--agents`, already parsed (highest priority). */
  agents?: readonly AgentDefinition[];
  warn: WarnFn;
}

export async function loadExtensions(config: Config, options: LoadExtensionsOptions): Promise<Extensions> {
  const dirs = extensionDirs(config.env, config.cwd, config.projectRoot);
  const [skills, agentsFound, commands] = await Promise.all([discoverSkills(dirs, options.warn), discoverAgents(dirs, options.warn, options.agents), discoverCommands(dirs, options.warn)]);
  const agents: AgentDefinition[] = [];
  for (const agent of agentsFound) {
    try {
      // Checked now, so a bad value is reported at start-up and not when the model picks the agent.
      resolveAgentModel(agent.model, agentLabel(agent), config.models.aliases, config.models.main.id);
      agents.push(agent);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      if (agent.source === 'cli') throw err;
      options.warn(`skipped the agent ${agent.file ?? agent.name}: ${err.message}`);
    }
  }
  return { skills, agents, commands };
}

export function agentLabel(agent: AgentDefinition): string {
  return agent.source === 'cli' ? `--agents ${agent.name}: model` : `the model of agent ${agent.name} (${agent.file})`;
}
