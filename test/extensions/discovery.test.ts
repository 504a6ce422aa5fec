/**
 * Finding skills, sub-agents and custom commands in the user's and the project's `.claude`:
 * precedence, namespacing, header parsing, and one warning per broken file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExtensions } from '../../src/extensions/index.js';
import { parseAgentsJson } from '../../src/extensions/agents/discover.js';
import { resolveAgentModel } from '../../src/extensions/agents/model.js';
import { splitToolList } from '../../src/extensions/frontmatter.js';
import { SKILL_INPUT_JSON_SCHEMA, skillInputSchema } from '../../src/extensions/skills/tool.js';
import { toolSpecs } from '../../src/tools/registry.js';
import type { AnyTool } from '../../src/tools/types.js';
import { makeTempDir } from '../helpers/temp.js';
import { sessionConfig } from '../session/fixture.js';

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function setup(files: Record<string, string>, env: Record<string, string> = {}) {
  const root = makeTempDir('bcode-ext-');
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  const config = await sessionConfig(root, 'http://127.0.0.1:9', env);
  const warnings: string[] = [];
  const ext = await loadExtensions(config, { warn: (w) => warnings.push(w) });
  return { root, ext, warnings, config };
}

describe('discovery', () => {
  it('finds user and project definitions; the project wins by name; everything sorted by name', async () => {
    const { ext, warnings, root } = await setup({
      '.claude/skills/shared/SKILL.md': '---\nname: shared\ndescription: user version\n---\nU\n',
      '.claude/skills/only-user/SKILL.md': '---\ndescription: from home\n---\nU\n',
      'project/.claude/skills/shared/SKILL.md': '---\nname: shared\ndescription: project version\nallowed-tools: Read, Bash(git log:*)\n---\nP\n',
      '.claude/agents/writer.md': '---\nname: writer\ndescription: user writer\n---\nYou write.\n',
      'project/.claude/agents/writer.md': '---\nname: writer\ndescription: project writer\ntools: Read, Edit\nmodel: opus\n---\nYou write well.\n',
      '.claude/commands/deploy.md': 'user deploy\n',
      'project/.claude/commands/deploy.md': '---\ndescription: project deploy\n---\nDeploy $1\n',
      'project/.claude/commands/frontend/component.md': '---\nargument-hint: <name>\n---\n# Make a component\nMake $ARGUMENTS\n',
      'project/.claude/commands/a/b/deep.md': 'deep\n',
    });
    expect(warnings).toEqual([]);
    expect(ext.skills.map((s) => [s.name, s.source, s.description])).toEqual([
      ['only-user', 'user', 'from home'],
      ['shared', 'project', 'project version'],
    ]);
    expect(ext.skills[1]!.allowedTools).toEqual(['Read', 'Bash(git log:*)']);
    expect(ext.skills[1]!.dir).toBe(path.join(root, 'project/.claude/skills/shared'));
    expect(ext.agents).toMatchObject([{ name: 'writer', source: 'project', description: 'project writer', tools: ['Read', 'Edit'], model: 'opus', prompt: 'You write well.' }]);
    expect(ext.commands.map((c) => [c.name, c.source, c.description])).toEqual([
      ['a:b:deep', 'project', 'deep'],
      ['deploy', 'project', 'project deploy'],
      ['frontend:component', 'project', 'Make a component'],
    ]);
    expect(ext.commands[2]!.argumentHint).toBe('<name>');
  });

  it('skips each broken file with one warning naming it, and keeps the rest', async () => {
    const { ext, warnings, root } = await setup({
      'project/.claude/skills/bad-yaml/SKILL.md': '---\ndescription: [oops\n---\nx\n',
      'project/.claude/skills/no-desc/SKILL.md': '---\nname: no-desc\n---\nx\n',
      'project/.claude/skills/Bad_Name/SKILL.md': '---\ndescription: d\n---\nx\n',
      'project/.claude/skills/ok/SKILL.md': '---\ndescription: fine\n---\nx\n',
      'project/.claude/agents/unclosed.md': '---\ndescription: d\nbody without end\n',
      'project/.claude/agents/bad-model.md': '---\ndescription: d\nmodel: gpt-4\n---\nprompt\n',
      'project/.claude/agents/ok.md': '---\ndescription: fine\nmodel: inherit\n---\nprompt\n',
      'project/.claude/commands/list.md': '---\n- a\n- b\n---\nbody\n',
      'project/.claude/commands/fine.md': 'body\n',
    });
    const file = (rel: string) => path.join(root, 'project/.claude', rel);
    expect(warnings).toHaveLength(6);
    for (const rel of ['skills/bad-yaml/SKILL.md', 'skills/no-desc/SKILL.md', 'skills/Bad_Name/SKILL.md', 'agents/unclosed.md', 'agents/bad-model.md', 'commands/list.md']) {
      expect(warnings.filter((w) => w.includes(file(rel)))).toHaveLength(1);
    }
    expect(ext.skills.map((s) => s.name)).toEqual(['ok']);
    expect(ext.agents.map((a) => a.name)).toEqual(['ok']);
    expect(ext.commands.map((c) => c.name)).toEqual(['fine']);
  });

  it('names header fields bcode does not act on, once per file, and still loads the definition', async () => {
    const { ext, warnings, root } = await setup({
      'project/.claude/agents/a.md': '---\ndescription: d\ncolor: blue\nmaxTurns: 3\ndisallowedTools: Bash\n---\nprompt\n',
      'project/.claude/skills/s/SKILL.md': '---\ndescription: d\nlicense: MIT\nmetadata:\n  owner: me\n---\nbody\n',
    });
    expect(warnings).toEqual([`${path.join(root, 'project/.claude/agents/a.md')}: bcode does not act on the header fields maxTurns, disallowedTools (ignored; see docs/extensions.md)`]);
    expect(ext.agents.map((a) => a.name)).toEqual(['a']);
    expect(ext.skills.map((s) => s.name)).toEqual(['s']);
  });

  it('--agents overrides the files; its errors stop the run', async () => {
    const cli = parseAgentsJson(JSON.stringify({ writer: { description: 'cli writer', prompt: 'CLI', tools: 'Read, Grep' } }));
    const root = makeTempDir('bcode-ext-');
    write(root, 'project/.claude/agents/writer.md', '---\ndescription: file writer\n---\nFile\n');
    const config = await sessionConfig(root, 'http://127.0.0.1:9');
    const ext = await loadExtensions(config, { agents: cli, warn: () => undefined });
    expect(ext.agents).toMatchObject([{ name: 'writer', source: 'cli', prompt: 'CLI', tools: ['Read', 'Grep'] }]);
    await expect(loadExtensions(config, { agents: parseAgentsJson('{"x":{"description":"d","prompt":"p","model":"haikuu"}}'), warn: () => undefined })).rejects.toThrow(/did you mean 'haiku'/);
    expect(() => parseAgentsJson('[]')).toThrow(/must be a JSON object/);
    expect(() => parseAgentsJson('{"x":{"description":"d"}}')).toThrow(/needs a prompt/);
    expect(() => parseAgentsJson('{"x":{"description":"d","prompt":"p","color":"red"}}')).toThrow(/'color'/);
  });

  it('resolves agent models through the main resolver: aliases to the configured ids, inherit, ids and ARNs', async () => {
    const { config } = await setup({}, { ANTHROPIC_DEFAULT_HAIKU_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', ANTHROPIC_BEDROCK_REGION_PREFIX: 'eu' });
    const aliases = config.models.aliases;
    expect(resolveAgentModel('haiku', 'l', aliases, 'MAIN')).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(resolveAgentModel('opus', 'l', aliases, 'MAIN')).toBe(aliases.opus);
    expect(aliases.opus.startsWith('eu.')).toBe(true);
    expect(resolveAgentModel('inherit', 'l', aliases, 'MAIN')).toBe('MAIN');
    expect(resolveAgentModel(undefined, 'l', aliases, 'MAIN')).toBe('MAIN');
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    expect(resolveAgentModel(arn, 'l', aliases, 'MAIN')).toBe(arn);
    expect(() => resolveAgentModel('claude-sonnet', 'the model of x', aliases, 'MAIN')).toThrow(/the model of x/);
  });
});

describe('headers', () => {
  it('splits tool lists on top-level commas, else on spaces; rules keep their commas and spaces', () => {
    expect(splitToolList('Read, Grep,Bash(git log:*)')).toEqual(['Read', 'Grep', 'Bash(git log:*)']);
    expect(splitToolList('Read Grep Bash(git add:*)')).toEqual(['Read', 'Grep', 'Bash(git add:*)']);
    expect(splitToolList('Bash(a, b)')).toEqual(['Bash(a, b)']);
  });

  it('the Skill tool schema written out equals the one derived from zod', () => {
    const tool = { name: 'Skill', description: 'd', inputSchema: skillInputSchema(), isReadOnly: () => true, run: async () => ({ forModel: '', forDisplay: '' }) } as AnyTool;
    expect(toolSpecs([tool])[0]!.input_schema).toEqual(SKILL_INPUT_JSON_SCHEMA);
  });
});
