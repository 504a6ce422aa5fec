/**
 * What the session engine needs from the extensions, in one place so the engine's own edits stay
 * small: the tool definitions (the Skill tool and the agent list join only when there is something
 * to list, so a session without skills or agents sends the very same bytes), the tools' code,
 * the sub-agent profiles, and the Read rules for the skills' folders.
 */
import type { ToolSpec } from '../bedrock/anthropic.js';
import type { Config } from '../config/types.js';
import type { AnyTool } from '../tools/types.js';
import { GENERAL_PURPOSE } from './agents/discover.js';
import { makeSubAgentProfiles, taskSpecWithAgents, type SubAgentProfile } from './agents/profile.js';
import type { Extensions, SkillDefinition } from './index.js';

export interface ExtensionSetup {
  toolSpecs(builtin: ToolSpec[]): Promise<ToolSpec[]>;
  /** The extension tools' code (loaded with the built-in tools). */
  tools(onSkill: (skill: SkillDefinition) => void): Promise<AnyTool[]>;
  subAgent?: (type: string, currentModelId: string) => SubAgentProfile;
  /** Reading a skill's bundled files needs no approval (deny rules still apply). */
  allowRules: string[];
  /** Names for the front ends (stream-json `system/init`). */
  advertised: { slashCommands: string[]; agents: string[]; skills: string[] };
}

export function extensionSetup(ext: Extensions, config: Config): ExtensionSetup {
  return {
    async toolSpecs(builtin) {
      let specs = ext.agents.length === 0 ? builtin : builtin.map((s) => (s.name === 'Task' ? taskSpecWithAgents(s, ext.agents) : s));
      if (ext.skills.length > 0) {
        const { skillToolSpec } = await import('./skills/tool.js');
        specs = [...specs, skillToolSpec(ext.skills)];
      }
      return specs;
    },
    async tools(onSkill) {
      if (ext.skills.length === 0) return [];
      const { createSkillTool } = await import('./skills/tool.js');
      return [createSkillTool(ext.skills, onSkill)];
    },
    subAgent: ext.agents.length > 0 ? makeSubAgentProfiles(ext.agents, config) : undefined,
    // `//` makes the rule's path absolute (src/permissions/rules.ts).
    allowRules: ext.skills.map((s) => `Read(/${s.dir}/**)`),
    advertised: {
      slashCommands: ext.commands.map((c) => c.name),
      agents: [GENERAL_PURPOSE, ...ext.agents.map((a) => a.name).filter((n) => n !== GENERAL_PURPOSE)],
      skills: ext.skills.map((s) => s.name),
    },
  };
}
