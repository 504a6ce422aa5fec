/**
 * What the Task tool's `subagent_type` selects: the sub-agent's system prompt, model and tools.
 * The built-in `general-purpose` type is the session's own set-up (unless a custom agent takes
 * that name). An unknown type is refused with the list of known ones.
 */
import type { TextBlock, ToolSpec } from '../../bedrock/anthropic.js';
import type { Config } from '../../config/types.js';
import { agentLabel } from '../index.js';
import { GENERAL_PURPOSE, type AgentDefinition } from './discover.js';
import { resolveAgentModel } from './model.js';

export interface SubAgentProfile {
  /** Replaces the session's system prompt; absent = the session's. */
  system?: TextBlock[];
  modelId: string;
  /** Tool names the sub-agent gets; absent = all the session's tools (without Task). */
  toolNames?: readonly string[];
}

export function makeSubAgentProfiles(agents: readonly AgentDefinition[], config: Config): (type: string, currentModelId: string) => SubAgentProfile {
  return (type, currentModelId) => {
    const agent = agents.find((a) => a.name === type);
    if (!agent) {
      if (type === GENERAL_PURPOSE) return { modelId: currentModelId };
      throw new Error(`unknown subagent_type '${type}'; the available agent types are: ${[GENERAL_PURPOSE, ...agents.map((a) => a.name).filter((n) => n !== GENERAL_PURPOSE)].join(', ')}`);
    }
    const modelId = resolveAgentModel(agent.model, agentLabel(agent), config.models.aliases, currentModelId);
    // Tool entries may carry a rule in parentheses (`Bash(git:*)`): the tool is what counts here.
    const toolNames = agent.tools?.map((t) => t.replace(/\(.*$/s, '').trim()).filter((t) => t !== '');
    const system: TextBlock[] = [{ type: 'text', text: `${agent.prompt}\n\nWorking directory: ${config.cwd}\nWhen you are done, answer with the result the task asked for: it is all the caller sees.` }];
    return { system, modelId, toolNames };
  };
}

/** The Task tool's description, with the agent types listed when there are custom ones (unchanged otherwise). */
export function taskSpecWithAgents(spec: ToolSpec, agents: readonly AgentDefinition[]): ToolSpec {
  if (agents.length === 0) return spec;
  const builtIn = agents.some((a) => a.name === GENERAL_PURPOSE) ? [] : [`- ${GENERAL_PURPOSE}: the default; the session's own tools and instructions`];
  const lines = [...builtIn, ...agents.map((a) => `- ${a.name}: ${a.description}${a.tools ? ` (tools: ${a.tools.join(', ')})` : ''}`)];
  return { ...spec, description: `${spec.description}\n\nAgent types for subagent_type:\n${lines.join('\n')}` };
}
