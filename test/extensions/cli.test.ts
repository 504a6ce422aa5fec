/**
 * Skills, custom sub-agents (files and --agents) and custom commands through the built CLI and
 * the emulator: what the model was offered, what each request carried and where it went.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolResultBlock, ToolSpec } from '../../src/bedrock/anthropic.js';
import type { RecordedRequest } from '../../src/emulator/index.js';
import { builtinTools, toolSpecs } from '../../src/tools/registry.js';
import { MODEL, modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';

// Not the built-in haiku target: the request must follow ANTHROPIC_DEFAULT_HAIKU_MODEL.
const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const OPUS = 'us.anthropic.claude-opus-4-1-20250805-v1:0';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

interface Body {
  tools?: ToolSpec[];
  system: Array<{ text: string }>;
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string } & Partial<ToolResultBlock>> }>;
}
const body = (r: RecordedRequest) => r.body as Body;
const toolNames = (r: RecordedRequest) => (body(r).tools ?? []).map((t) => t.name);
function lastToolResult(r: RecordedRequest): ToolResultBlock {
  const msgs = body(r).messages;
  const last = msgs[msgs.length - 1]!.content;
  const found = Array.isArray(last) ? last.find((b) => b.type === 'tool_result') : undefined;
  if (!found) throw new Error('the request carries no tool result');
  return found as ToolResultBlock;
}
const resultText = (b: ToolResultBlock) => (typeof b.content === 'string' ? b.content : JSON.stringify(b.content));
function firstUserText(r: RecordedRequest): string {
  const first = body(r).messages[0]!.content;
  return typeof first === 'string' ? first : first.map((b) => b.text ?? '').join('');
}

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const answer = (text: string) => ({ reply: { content: [{ type: 'text' as const, text }] } });

describe('skills', () => {
  const SKILL = ['---', 'name: release-notes', 'description: Writes release notes from the git log in the house style', 'allowed-tools: Bash(git log:*)', '---', '# Release notes', 'Group the changes by area. Use template.md in this folder.', ''].join('\n');

  it('offers the short list through the Skill tool and gives the body and folder only when the model uses it', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'tool_use', name: 'Skill', input: { skill: 'release-notes' } }] } }, answer('Notes written.')] });
    write(sb.project, '.claude/skills/release-notes/SKILL.md', SKILL);
    write(sb.project, '.claude/skills/release-notes/template.md', 'TEMPLATE\n');
    write(sb.home, '.claude/skills/zz-user-skill/SKILL.md', '---\ndescription: A skill of the user\n---\nUser body\n');
    const r = await sb.run(['-p', 'write the release notes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [first, second] = modelRequests(sb.emulator);
    const skillSpec = body(first!).tools!.find((t) => t.name === 'Skill')!;
    // Sorted by name, one line each; the bodies are not sent before the tool is used.
    expect(skillSpec.description).toContain('- release-notes: Writes release notes from the git log in the house style\n- zz-user-skill: A skill of the user');
    expect(toolNames(first!).at(-1)).toBe('Skill');
    expect(JSON.stringify(first!.body)).not.toContain('Group the changes by area');
    const result = lastToolResult(second!);
    expect(result.is_error).toBeFalsy();
    expect(resultText(result)).toContain('Group the changes by area. Use template.md in this folder.');
    expect(resultText(result)).toContain(path.join(sb.project, '.claude/skills/release-notes'));
  });

  it("honours allowed-tools while the skill is active, never over a deny rule", async () => {
    const turns = [
      { reply: { content: [{ type: 'tool_use' as const, name: 'Bash', input: { command: 'touch before.txt' } }] } },
      { reply: { content: [{ type: 'tool_use' as const, name: 'Skill', input: { skill: 'maker' } }] } },
      { reply: { content: [{ type: 'tool_use' as const, name: 'Bash', input: { command: 'touch after.txt' } }] } },
      { reply: { content: [{ type: 'tool_use' as const, name: 'Bash', input: { command: 'rm -f keep.txt' } }] } },
      answer('done'),
    ];
    sb = await sandbox({ turns });
    write(sb.home, '.claude/skills/maker/SKILL.md', '---\ndescription: Makes files\nallowed-tools: Bash(touch:*), Bash(rm:*)\n---\nTouch files.\n');
    write(sb.project, '.claude/settings.json', JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }));
    write(sb.project, 'keep.txt', 'keep\n');
    const r = await sb.run(['-p', 'make files']);
    expect(r.code).toBe(0);
    // Before the skill: approval needed, nobody to ask. After it: allowed. rm: denied by rule all along.
    expect(existsSync(path.join(sb.project, 'before.txt'))).toBe(false);
    expect(existsSync(path.join(sb.project, 'after.txt'))).toBe(true);
    expect(existsSync(path.join(sb.project, 'keep.txt'))).toBe(true);
    const reqs = modelRequests(sb.emulator);
    expect(lastToolResult(reqs[1]!).is_error).toBe(true);
    expect(lastToolResult(reqs[3]!).is_error).toBeFalsy();
    expect(resultText(lastToolResult(reqs[4]!))).toMatch(/denied by rule Bash\(rm:\*\)/);
  });

  it('adds nothing to the request when there are no skills or agents: the same bytes as a bare project', async () => {
    sb = await sandbox({ turns: [answer('one')], whenExhausted: 'repeat-last' });
    const bare = await sb.run(['-p', 'hello']);
    expect(bare.code).toBe(0);
    // Folders without definitions, and custom commands (which never reach the model unless used).
    mkdirSync(path.join(sb.project, '.claude/skills/not-a-skill'), { recursive: true });
    mkdirSync(path.join(sb.home, '.claude/agents'), { recursive: true });
    write(sb.project, '.claude/commands/hello.md', 'Say hello to $ARGUMENTS\n');
    const withEmpty = await sb.run(['-p', 'hello']);
    expect(withEmpty.code).toBe(0);
    const [a, b] = modelRequests(sb.emulator);
    expect(JSON.stringify(b!.body)).toBe(JSON.stringify(a!.body));
    expect(toolNames(a!)).not.toContain('Skill');
    // Exactly the built-in definitions (the last one carries the cache breakpoint).
    const sent = body(a!).tools!.map(({ cache_control: _, ...t }) => t);
    expect(sent).toEqual(toolSpecs(builtinTools()));
  });

  it('warns once, naming the file, about a skill with a broken header, and the session goes on', async () => {
    sb = await sandbox({ turns: [answer('fine')] });
    write(sb.project, '.claude/skills/broken/SKILL.md', '---\nname: broken\ndescription: [unclosed\n---\nbody\n');
    write(sb.project, '.claude/skills/good/SKILL.md', '---\ndescription: Works\n---\nbody\n');
    const r = await sb.run(['-p', 'hi']);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path.join(sb.project, '.claude/skills/broken/SKILL.md'));
    const spec = body(modelRequests(sb.emulator)[0]!).tools!.find((t) => t.name === 'Skill')!;
    expect(spec.description).toContain('- good: Works');
    expect(spec.description).not.toContain('broken');
  });
});

describe('custom sub-agents', () => {
  const REVIEWER = ['---', 'name: reviewer', 'description: Reviews a change for bugs', 'tools: Read, Grep', 'model: haiku', '---', 'You are a careful code reviewer. Report bugs only.', ''].join('\n');

  it('runs a `model: haiku` agent on the configured haiku id, with only its tools; another tool is refused', async () => {
    sb = await sandbox(
      {
        turns: [
          { match: { modelId: MODEL }, reply: { content: [{ type: 'tool_use', name: 'Task', input: { description: 'review', prompt: 'Review a.ts', subagent_type: 'reviewer' } }] } },
          { match: { modelId: HAIKU }, reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch pwned' } }] } },
          { match: { modelId: HAIKU }, ...answer('No bugs found in a.ts.') },
          { match: { modelId: MODEL }, ...answer('The reviewer found no bugs.') },
        ],
      },
      { env: { ANTHROPIC_DEFAULT_HAIKU_MODEL: HAIKU } },
    );
    write(sb.project, '.claude/agents/reviewer.md', REVIEWER);
    // The same name in the user's folder loses to the project's.
    write(sb.home, '.claude/agents/reviewer.md', REVIEWER.replace('model: haiku', 'model: opus').replace('careful', 'user-level'));
    const r = await sb.run(['-p', 'review my change', '--permission-mode', 'bypassPermissions'], { env: { IS_SANDBOX: '1' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('The reviewer found no bugs.');
    const reqs = modelRequests(sb.emulator);
    expect(reqs.map((q) => q.modelId)).toEqual([MODEL, HAIKU, HAIKU, MODEL]);
    // The main model is told which agent types exist.
    const task = body(reqs[0]!).tools!.find((t) => t.name === 'Task')!;
    expect(task.description).toContain('- reviewer: Reviews a change for bugs (tools: Read, Grep)');
    for (const sub of [reqs[1]!, reqs[2]!]) {
      expect(toolNames(sub)).toEqual(['Grep', 'Read']);
      expect(body(sub).system.map((s) => s.text).join('')).toContain('You are a careful code reviewer.');
    }
    const refused = lastToolResult(reqs[2]!);
    expect(refused.is_error).toBe(true);
    expect(resultText(refused)).toContain('no tool named "Bash"');
    expect(existsSync(path.join(sb.project, 'pwned'))).toBe(false);
    expect(resultText(lastToolResult(reqs[3]!))).toContain('No bugs found in a.ts.');
  });

  it('takes --agents JSON over the files, lists agents in system/init, and names the types when one is unknown', async () => {
    sb = await sandbox(
      {
        turns: [
          { reply: { content: [{ type: 'tool_use', name: 'Task', input: { description: 'x', prompt: 'Summarise', subagent_type: 'nope' } }] } },
          { reply: { content: [{ type: 'tool_use', name: 'Task', input: { description: 'x', prompt: 'Summarise', subagent_type: 'summarizer' } }] } },
          { match: { modelId: OPUS }, ...answer('Summary.') },
          answer('Done.'),
        ],
      },
      { env: { ANTHROPIC_DEFAULT_OPUS_MODEL: OPUS } },
    );
    write(sb.project, '.claude/agents/summarizer.md', '---\ndescription: from the file\nmodel: haiku\n---\nFile prompt\n');
    const agents = JSON.stringify({ summarizer: { description: 'Summarises text', prompt: 'You summarise.', tools: ['Read'], model: 'opus' } });
    const r = await sb.run(['-p', 'go', '--agents', agents, '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const init = JSON.parse(r.stdout.split('\n')[0]!) as { subtype: string; agents: string[] };
    expect(init.subtype).toBe('init');
    expect(init.agents).toEqual(['general-purpose', 'summarizer']);
    const reqs = modelRequests(sb.emulator);
    const unknown = lastToolResult(reqs[1]!);
    expect(unknown.is_error).toBe(true);
    expect(resultText(unknown)).toContain("unknown subagent_type 'nope'; the available agent types are: general-purpose, summarizer");
    expect(reqs[2]!.modelId).toBe(OPUS);
    expect(toolNames(reqs[2]!)).toEqual(['Read']);
    expect(body(reqs[2]!).system[0]!.text).toContain('You summarise.');
  });

  it('refuses a bad --agents value before any request (exit 2, one line and a hint)', async () => {
    sb = await sandbox({ turns: [answer('never')] });
    for (const bad of ['{not json', JSON.stringify({ a: { description: 'd', prompt: 'p', model: 'gpt-4' } })]) {
      const r = await sb.run(['-p', 'go', '--agents', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bcode: .*\n {2}hint: .+\n$/);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});

describe('custom commands in print mode', () => {
  it('expands $ARGUMENTS, $1 and $2, runs an allowed !`…` line, attaches @files, and lists commands in system/init', async () => {
    sb = await sandbox({ turns: [answer('Made it.')] });
    write(sb.project, '.claude/commands/frontend/component.md', ['---', 'description: Make a component', 'argument-hint: <name> <variant>', 'allowed-tools: Bash(echo:*)', '---', 'Create the component $1 in the $2 variant (all: $ARGUMENTS).', 'Branch: !`echo feature-x`', 'Follow @style.md', ''].join('\n'));
    write(sb.project, 'style.md', 'Use tabs.\n');
    write(sb.home, '.claude/commands/mine.md', 'user command\n');
    const r = await sb.run(['-p', '/frontend:component Button "primary large"', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const init = JSON.parse(r.stdout.split('\n')[0]!) as { slash_commands: string[] };
    expect(init.slash_commands).toEqual(['frontend:component', 'mine']);
    const text = firstUserText(modelRequests(sb.emulator)[0]!);
    expect(text).toContain('Create the component Button in the primary large variant (all: Button "primary large").');
    expect(text).toContain('Branch: feature-x');
    expect(text).toContain('<file path="style.md">\nUse tabs.\n</file>');
    expect(text).not.toContain('!`');
  });

  it('refuses a command whose !`…` line a deny rule forbids, even with allowed-tools: nothing runs, no request', async () => {
    sb = await sandbox({ turns: [answer('never')] });
    write(sb.project, '.claude/settings.json', JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }));
    write(sb.project, '.claude/commands/clean.md', '---\nallowed-tools: Bash(rm:*)\n---\nCleaned: !`rm -f keep.txt`\n');
    write(sb.project, 'keep.txt', 'precious\n');
    const r = await sb.run(['-p', '/clean']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^bcode: \/clean: the line !`rm -f keep.txt` may not run: .*denied.*\n {2}hint: .+\n$/);
    expect(readFileSync(path.join(sb.project, 'keep.txt'), 'utf8')).toBe('precious\n');
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });

  it('refuses a !`…` line that would need approval when the command does not allow it', async () => {
    sb = await sandbox({ turns: [answer('never')] });
    write(sb.project, '.claude/commands/touchy.md', 'Made: !`touch made.txt`\n');
    const r = await sb.run(['-p', '/touchy']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('hint: allow it in the command');
    expect(existsSync(path.join(sb.project, 'made.txt'))).toBe(false);
  });
});

describe('start-up', () => {
  it('loads the YAML parser only when a definition file has a header', async () => {
    const { readdirSync } = await import('node:fs');
    sb = await sandbox({ turns: [answer('one')], whenExhausted: 'repeat-last' });
    // The print bundle's vendor files leave a code-cache file each in $HOME/.cache/bcode when loaded.
    const cached = () => readdirSync(path.join(sb!.home, '.cache'), { recursive: true }).map(String).filter((f) => f.includes('yaml'));
    write(sb.project, '.claude/commands/plain.md', 'No header here\n');
    expect((await sb.run(['-p', 'hi'])).code).toBe(0);
    expect(cached()).toEqual([]);
    write(sb.project, '.claude/skills/s/SKILL.md', '---\ndescription: d\n---\nbody\n');
    expect((await sb.run(['-p', 'hi'])).code).toBe(0);
    expect(cached()).toHaveLength(1);
  });
});
