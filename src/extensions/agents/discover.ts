/**
 * Custom sub-agents: `<.claude>/agents/*.md` (header `name`, `description`, `tools`, `model`;
 * the body is the sub-agent's system prompt) and `--agents '<json>'`. The Task tool runs them
 * by `subagent_type`.
 */
import { UsageError } from '../../errors.js';
import { FrontmatterError, parseFrontmatter, splitToolList, textField, toolListField, warnUnknownFields } from '../frontmatter.js';
import { byNameLastWins, markdownFiles, type ExtensionSource, type SourceDir, type WarnFn } from '../sources.js';

export interface AgentDefinition {
  name: string;
  description: string;
  /** The sub-agent's system prompt. */
  prompt: string;
  /** Tool names it may use; undefined = every tool the session has (except Task). */
  tools?: string[];
  /** `sonnet` / `opus` / `haiku` / `inherit` or a model id, as written; undefined = inherit. */
  model?: string;
  source: ExtensionSource;
  /** The file it came from (absent for --agents). */
  file?: string;
}

/** The built-in sub-agent type the Task tool uses when none is named. */
export const GENERAL_PURPOSE = 'general-purpose';
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export async function discoverAgents(dirs: readonly SourceDir[], warn: WarnFn, fromCli: readonly AgentDefinition[] = []): Promise<AgentDefinition[]> {
  const found: AgentDefinition[] = [];
  for (const { dir, source } of dirs) {
    for (const md of await markdownFiles(`${dir}/agents`, false)) {
      try {
        const { data, body } = await parseFrontmatter(md.text, md.file);
        // `color` only tints the agent's name in the reference's UI.
        warnUnknownFields(data, ['name', 'description', 'tools', 'model', 'color'], md.file, warn);
        const name = textField(data, 'name', md.file) || md.relName;
        if (!AGENT_NAME.test(name)) throw new FrontmatterError(`${md.file}: the agent name '${name}' is not valid`, { hint: 'use letters, digits, - and _ (e.g. code-reviewer)' });
        const description = textField(data, 'description', md.file);
        if (!description) throw new FrontmatterError(`${md.file}: the header has no description`, { hint: 'add description: <when to use this agent>; the model picks agents by it' });
        const prompt = body.trim();
        if (!prompt) throw new FrontmatterError(`${md.file}: the file has no system prompt below its header`, { hint: 'write the sub-agent\'s instructions below the --- line' });
        found.push({ name, description: description.replace(/\s+/g, ' '), prompt, tools: toolListField(data, 'tools', md.file), model: textField(data, 'model', md.file) || undefined, source, file: md.file });
      } catch (err) {
        if (!(err instanceof FrontmatterError)) throw err;
        warn(`skipped the agent ${md.file}: ${err.message.slice(md.file.length + 2)} (${err.hint ?? ''})`);
      }
    }
  }
  return byNameLastWins([...found, ...fromCli]);
}

/**
 * `--agents '{"reviewer": {"description": "…", "prompt": "…", "tools": ["Read"], "model": "haiku"}}'`.
 * A bad value stops bcode before anything runs (exit 2).
 */
export function parseAgentsJson(raw: string): AgentDefinition[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--agents is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { hint: AGENTS_HINT });
  }
  return parseAgentDefinitions(value, '--agents');
}

const AGENTS_HINT = `give a JSON object: --agents '{"reviewer": {"description": "Reviews code", "prompt": "You are a code reviewer", "tools": ["Read", "Grep"], "model": "haiku"}}'`;

/** `{"name": {description, prompt, tools?, model?}}` from --agents or the Agent SDK's `agents` option (`label` names it). */
export function parseAgentDefinitions(value: unknown, label: string): AgentDefinition[] {
  const hint = AGENTS_HINT;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${label} must be a JSON object of agent name → definition`, { hint });
  const out: AgentDefinition[] = [];
  for (const [name, def] of Object.entries(value as Record<string, unknown>)) {
    if (!AGENT_NAME.test(name)) throw new UsageError(`${label}: '${name}' is not a valid agent name`, { hint: 'use letters, digits, - and _ (e.g. code-reviewer)' });
    if (!def || typeof def !== 'object' || Array.isArray(def)) throw new UsageError(`${label}: the definition of '${name}' must be an object`, { hint });
    const d = def as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!['description', 'prompt', 'tools', 'model'].includes(key)) throw new UsageError(`${label}: '${name}' has the field '${key}', which bcode does not support`, { hint: 'the fields are description, prompt, tools and model' });
    }
    if (typeof d.description !== 'string' || d.description.trim() === '') throw new UsageError(`${label}: '${name}' needs a description`, { hint });
    if (typeof d.prompt !== 'string' || d.prompt.trim() === '') throw new UsageError(`${label}: '${name}' needs a prompt (its system prompt)`, { hint });
    let tools: string[] | undefined;
    if (typeof d.tools === 'string') tools = splitToolList(d.tools);
    else if (Array.isArray(d.tools) && d.tools.every((t) => typeof t === 'string')) tools = d.tools.map((t: string) => t.trim()).filter((t) => t !== '');
    else if (d.tools !== undefined) throw new UsageError(`${label}: the tools of '${name}' must be a list of tool names`, { hint: '"tools": ["Read", "Grep"]' });
    if (d.model !== undefined && typeof d.model !== 'string') throw new UsageError(`${label}: the model of '${name}' must be text`, { hint: '"model": "haiku" (or sonnet, opus, inherit, a model id)' });
    out.push({ name, description: d.description.trim().replace(/\s+/g, ' '), prompt: d.prompt.trim(), tools, model: (d.model as string | undefined)?.trim() || undefined, source: 'cli' });
  }
  return out;
}
