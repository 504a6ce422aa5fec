/**
 * The `Skill` tool: present only when the session has skills. Its description is the short list
 * of skills (name: description, sorted by name), so the cached prefix grows by that list and no
 * more; the body of a skill is read from disk when the model calls the tool.
 */
import { z } from 'zod';
import type { ToolSpec } from '../../bedrock/anthropic.js';
import type { Tool } from '../../tools/types.js';
import { loadSkillBody, type SkillDefinition } from './discover.js';

export const SKILL_TOOL = 'Skill';

/**
 * The input schema as JSON, written out so the first request needs no zod; a test checks it
 * equals what the registry would derive from `skillInputSchema`.
 */
export const SKILL_INPUT_JSON_SCHEMA = {
  type: 'object',
  properties: { skill: { type: 'string', minLength: 1, description: 'The skill name, exactly as listed' } },
  required: ['skill'],
  additionalProperties: false,
} as const;

export function skillToolDescription(skills: readonly SkillDefinition[]): string {
  return [
    'Load a skill: instructions (and bundled files) for a kind of task. When the task matches a skill below, call this first and follow what it returns; it gives the instructions and the skill\'s folder, whose other files you Read only when the instructions point to them.',
    '',
    'Skills:',
    ...skills.map((s) => `- ${s.name}: ${s.description}`),
  ].join('\n');
}

export function skillToolSpec(skills: readonly SkillDefinition[]): ToolSpec {
  return { name: SKILL_TOOL, description: skillToolDescription(skills), input_schema: structuredClone(SKILL_INPUT_JSON_SCHEMA) as unknown as ToolSpec['input_schema'] };
}

export function skillInputSchema() {
  return z.object({ skill: z.string().min(1).describe('The skill name, exactly as listed') });
}

/**
 * `onUse` is told which skill was loaded (the session grants its `allowed-tools` for the rest of
 * the turn) and may refuse by throwing (an invalid rule in allowed-tools).
 */
export function createSkillTool(skills: readonly SkillDefinition[], onUse: (skill: SkillDefinition) => void): Tool<{ skill: string }> {
  return {
    name: SKILL_TOOL,
    description: skillToolDescription(skills),
    inputSchema: skillInputSchema(),
    isReadOnly: () => true,
    async run(input) {
      const name = input.skill.trim().replace(/^\//, '');
      const skill = skills.find((s) => s.name === name);
      if (!skill) return { forModel: `Unknown skill '${input.skill}'. Available skills: ${skills.map((s) => s.name).join(', ')}.`, forDisplay: `unknown skill ${input.skill}`, isError: true };
      let body: string;
      try {
        body = await loadSkillBody(skill);
      } catch (err) {
        return { forModel: `The skill '${name}' could not be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, forDisplay: `skill ${name} failed to load`, isError: true };
      }
      try {
        onUse(skill);
      } catch (err) {
        return { forModel: `The skill '${name}' could not be activated: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, forDisplay: `skill ${name} refused`, isError: true };
      }
      const tools = skill.allowedTools?.length ? `\nTools allowed without asking while it is active: ${skill.allowedTools.join(', ')}.` : '';
      return {
        forModel: `Skill '${name}' loaded. Its folder is ${skill.dir} (relative paths in the instructions are relative to it).${tools}\n\n${body}`,
        forDisplay: `loaded skill ${name}`,
      };
    },
  };
}
