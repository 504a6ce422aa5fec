/**
 * The TUI's side of skills, sub-agents and custom commands: the `/agents` and `/skills` listings
 * and the custom commands' part of /help (controller.ts completes and runs them).
 */
import type { Extensions } from '../../extensions/index.js';

const SOURCE: Record<string, string> = { user: 'user', project: 'project', cli: '--agents' };

export function agentsText(ext: Extensions): string {
  const lines = ['Agent types (the Task tool\'s subagent_type):', `  general-purpose  built-in · the session's own tools and instructions`];
  for (const a of ext.agents) {
    const extra = [a.model ? `model ${a.model}` : undefined, a.tools ? `tools ${a.tools.join(', ')}` : undefined].filter(Boolean).join(' · ');
    lines.push(`  ${a.name}  ${SOURCE[a.source]} · ${a.description}${extra ? ` (${extra})` : ''}`);
  }
  if (ext.agents.length === 0) lines.push('No custom agents: add .claude/agents/<name>.md (project) or ~/.claude/agents/<name>.md, or pass --agents.');
  return lines.join('\n');
}

export function skillsText(ext: Extensions): string {
  if (ext.skills.length === 0) return 'No skills: add .claude/skills/<name>/SKILL.md (project) or ~/.claude/skills/<name>/SKILL.md.';
  return ['Skills (the model loads one with the Skill tool when a task matches it):', ...ext.skills.map((s) => `  ${s.name}  ${SOURCE[s.source]} · ${s.description}${s.allowedTools ? ` (allowed-tools ${s.allowedTools.join(', ')})` : ''}`)].join('\n');
}

export function customCommandsHelp(ext: Extensions): string[] {
  if (ext.commands.length === 0) return [];
  const heads = ext.commands.map((c) => `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  return ['', 'Custom commands:', ...ext.commands.map((c, i) => `${heads[i]!.padEnd(width + 2)}${c.description} (${SOURCE[c.source]})`)];
}
