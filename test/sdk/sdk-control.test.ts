/**
 * The requests bcode sends an Agent SDK app over the control channel, tested with real SDK apps
 * (query() with bcode as pathToClaudeCodeExecutable) against the Bedrock emulator:
 * `hook_callback` for the app's hook functions, `mcp_message` for its in-process MCP servers
 * (createSdkMcpServer), `updatedPermissions` in `can_use_tool` answers, and what `initialize`
 * answers (supportedCommands / supportedAgents / supportedModels).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSdkMcpServer, tool, type HookInput, type SDKMessage, type SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { collect, modelRequests, query, sdkSandbox, type SdkSandbox } from './harness.js';
import { sandbox } from '../e2e/harness.js';

const require = createRequire(import.meta.url);
let sb: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const text = (t: string) => ({ reply: { content: [{ type: 'text' as const, text: t }] } });
const bash = (command: string) => ({ reply: { content: [{ type: 'tool_use' as const, name: 'Bash', input: { command, description: 'run it' } }], stop_reason: 'tool_use' as const } });
const call = (name: string, input: Record<string, unknown>) => ({ reply: { content: [{ type: 'tool_use' as const, name, input }], stop_reason: 'tool_use' as const } });
const results = (msgs: SDKMessage[]) => msgs.filter((m): m is SDKResultMessage => m.type === 'result');
/** The tool_result texts of the last request the emulator received. */
function lastToolResults(): string {
  const reqs = modelRequests(sb!.emulator);
  const body = reqs[reqs.length - 1]!.body as { messages: Array<{ content: unknown }> };
  return JSON.stringify(body.messages[body.messages.length - 1]!.content);
}

describe('hook callbacks (hook_callback)', () => {
  test('a PreToolUse callback sees the Bash call and denies it: nothing runs, the model is told', async () => {
    sb = await sdkSandbox({ turns: [bash('touch denied.txt'), text('understood')] });
    const seen: HookInput[] = [];
    const msgs = await collect(
      query({
        prompt: 'make a file',
        options: sb.options({
          allowedTools: ['Bash'],
          hooks: {
            PreToolUse: [
              {
                matcher: 'Bash',
                hooks: [
                  async (input) => {
                    seen.push(input);
                    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no files from CI' } };
                  },
                ],
              },
            ],
          },
        }),
      }),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'touch denied.txt' }, cwd: sb.project, session_id: results(msgs)[0]!.session_id });
    expect(existsSync(path.join(sb.project, 'denied.txt'))).toBe(false);
    expect(lastToolResults()).toContain('no files from CI');
    expect(results(msgs)[0]).toMatchObject({ subtype: 'success', result: 'understood' });
  });

  test('a PreToolUse callback rewrites the input; a PostToolUse callback receives the response', async () => {
    sb = await sdkSandbox({ turns: [bash('echo from-the-model > out.txt'), text('done')] });
    const post: HookInput[] = [];
    // The Glob matcher does not match Bash: this callback must never be asked.
    let globAsked = 0;
    await collect(
      query({
        prompt: 'write out.txt',
        options: sb.options({
          hooks: {
            PreToolUse: [
              { matcher: 'Glob', hooks: [async () => ((globAsked += 1), {})] },
              {
                matcher: 'Bash',
                hooks: [async () => ({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: { command: 'echo from-the-hook > out.txt', description: 'rewritten' } } })],
              },
            ],
            PostToolUse: [{ hooks: [async (input) => (post.push(input), { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'checked by the app' } })] }],
          },
        }),
      }),
    );
    expect(readFileSync(path.join(sb.project, 'out.txt'), 'utf8').trim()).toBe('from-the-hook');
    expect(globAsked).toBe(0);
    expect(post).toHaveLength(1);
    expect(post[0]).toMatchObject({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'echo from-the-hook > out.txt' } });
    expect(post[0]).toHaveProperty('tool_response');
    // PostToolUse context reaches the model with the tool result.
    expect(lastToolResults()).toContain('checked by the app');
  });

  test("a hook's allow never beats a deny rule (disallowedTools)", async () => {
    sb = await sdkSandbox({ turns: [bash('touch blocked.txt'), text('ok')] });
    let asked = 0;
    const msgs = await collect(
      query({
        prompt: 'touch',
        options: sb.options({
          disallowedTools: ['Bash(touch:*)'],
          hooks: { PreToolUse: [{ hooks: [async () => ((asked += 1), { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } })] }] },
        }),
      }),
    );
    expect(asked).toBe(1);
    expect(existsSync(path.join(sb.project, 'blocked.txt'))).toBe(false);
    expect(results(msgs)[0]).toMatchObject({ permission_denials: [{ tool_name: 'Bash' }] });
  });

  test('a UserPromptSubmit callback adds context the model reads', async () => {
    sb = await sdkSandbox({ turns: [text('hi')] });
    await collect(query({ prompt: 'hello', options: sb.options({ hooks: { UserPromptSubmit: [{ hooks: [async () => ({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'ticket ABC-123' } })] }] } }) }));
    expect(JSON.stringify(modelRequests(sb.emulator)[0]!.body)).toContain('ticket ABC-123');
  });
});

describe('in-process SDK MCP servers (mcp_message)', () => {
  test('a createSdkMcpServer tool is listed, called by the model, and its result reaches the model', async () => {
    sb = await sdkSandbox({ turns: [call('mcp__calc__add', { a: 2, b: 40 }), text('the sum is 42')] });
    const calls: Array<{ a: number; b: number }> = [];
    const calc = createSdkMcpServer({
      name: 'calc',
      version: '1.0.0',
      tools: [
        tool('add', 'Adds two numbers', { a: z.number(), b: z.number() }, async (args) => {
          calls.push(args);
          return { content: [{ type: 'text', text: `sum=${args.a + args.b}` }] };
        }),
        tool('neg', 'Negates a number', { x: z.number() }, async ({ x }) => ({ content: [{ type: 'text', text: String(-x) }] })),
      ],
    });
    const q = query({ prompt: 'add', options: sb.options({ mcpServers: { calc }, allowedTools: ['mcp__calc__add'] }) });
    const msgs: SDKMessage[] = [];
    let status: Awaited<ReturnType<typeof q.mcpServerStatus>> | undefined;
    for await (const m of q) {
      msgs.push(m);
      if (m.type === 'assistant' && !status) status = await q.mcpServerStatus();
    }
    expect(status).toEqual([{ name: 'calc', status: 'connected', serverInfo: { name: 'calc', version: '1.0.0' }, tools: [{ name: 'add' }, { name: 'neg' }] }]);
    expect(calls).toEqual([{ a: 2, b: 40 }]);
    const first = modelRequests(sb.emulator)[0]!.body as { tools: Array<{ name: string; input_schema: unknown }> };
    const names = first.tools.map((t) => t.name);
    // Listed from the first request on, after the built-in tools, sorted by tool name.
    expect(names.filter((n) => n.startsWith('mcp__'))).toEqual(['mcp__calc__add', 'mcp__calc__neg']);
    expect(names.indexOf('mcp__calc__add')).toBeGreaterThan(names.indexOf('Bash'));
    expect(first.tools.find((t) => t.name === 'mcp__calc__add')!.input_schema).toMatchObject({ properties: { a: { type: 'number' }, b: { type: 'number' } } });
    expect(lastToolResults()).toContain('sum=42');
    expect(msgs[0]).toMatchObject({ type: 'system', subtype: 'init', mcp_servers: [{ name: 'calc', status: 'connected' }] });
    expect(results(msgs)[0]).toMatchObject({ subtype: 'success', result: 'the sum is 42' });
  });

  test("a stdio server in the app's mcpServers runs beside an in-process one", async () => {
    const everything = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
    sb = await sdkSandbox({ turns: [call('mcp__everything__echo', { message: 'ping' }), text('done')] });
    const calc = createSdkMcpServer({ name: 'calc', tools: [tool('add', 'Adds', { a: z.number() }, async () => ({ content: [] }))] });
    await collect(query({ prompt: 'echo', options: sb.options({ mcpServers: { calc, everything: { command: process.execPath, args: [everything, 'stdio'] } }, allowedTools: ['mcp__everything__echo'] }) }));
    expect(lastToolResults()).toContain('ping');
  });
});

describe("type 'sdk' outside the Agent SDK", () => {
  test('print mode names the server and why it cannot start, and the run goes on without it', async () => {
    const p = await sandbox({ turns: [text('answered without it')] });
    try {
      const r = await p.run(['-p', 'hi', '--mcp-config', '{"mcpServers":{"calc":{"type":"sdk","name":"calc"}}}']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('answered without it');
      expect(r.stderr).toMatch(/bcode: MCP server 'calc' in --mcp-config is an in-process SDK server \(type 'sdk'\); it exists only inside an Agent SDK app\n {2}hint: run bcode from the Agent SDK/);
    } finally {
      await p.close();
    }
  });
});

describe('updatedPermissions in can_use_tool answers', () => {
  test('allow + addRules to localSettings: the second call is not asked, and the rule is saved', async () => {
    sb = await sdkSandbox({ turns: [bash('touch one.txt'), bash('touch two.txt'), text('done')] });
    const asked: unknown[] = [];
    await collect(
      query({
        prompt: 'touch twice',
        options: sb.options({
          canUseTool: async (_tool, input, { suggestions }) => {
            asked.push(suggestions);
            return { behavior: 'allow', updatedInput: input, updatedPermissions: [{ type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'localSettings' }] };
          },
        }),
      }),
    );
    expect(asked).toHaveLength(1);
    // The "always allow" suggestion is the narrowest rule, as the terminal UI offers it.
    expect(asked[0]).toEqual([{ type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'localSettings' }]);
    expect(existsSync(path.join(sb.project, 'two.txt'))).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(sb.project, '.claude', 'settings.local.json'), 'utf8')) as { permissions: { allow: string[] } };
    expect(saved.permissions.allow).toEqual(['Bash(touch:*)']);
  });

  test('session destination: applied in memory only; setMode applies too', async () => {
    sb = await sdkSandbox((project) => ({
      turns: [bash('touch one.txt'), bash('touch two.txt'), call('Write', { file_path: path.join(project, 'w.txt'), content: 'x' }), text('done')],
    }));
    let asked = 0;
    await collect(
      query({
        prompt: 'go',
        options: sb.options({
          canUseTool: async (_tool, input) => {
            asked += 1;
            return {
              behavior: 'allow',
              updatedInput: input,
              updatedPermissions: [
                { type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'session' },
                { type: 'setMode', mode: 'acceptEdits', destination: 'session' },
              ],
            };
          },
        }),
      }),
    );
    // One question: the second touch is allowed by the rule, the Write by acceptEdits.
    expect(asked).toBe(1);
    expect(existsSync(path.join(sb.project, 'w.txt'))).toBe(true);
    expect(existsSync(path.join(sb.project, '.claude', 'settings.local.json'))).toBe(false);
  });
});

describe('the initialize answer', () => {
  test("supportedCommands, supportedAgents and supportedModels list bcode's own", async () => {
    sb = await sdkSandbox({ turns: [text('hi')] }, { ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-4-1-20250805-v1:0' });
    mkdirSync(path.join(sb.project, '.claude', 'commands'), { recursive: true });
    writeFileSync(path.join(sb.project, '.claude', 'commands', 'review.md'), '---\ndescription: Review a pull request\nargument-hint: <pr-number>\n---\nReview PR $ARGUMENTS\n');
    const q = query({ prompt: 'hi', options: sb.options({ agents: { tester: { description: 'Writes tests', prompt: 'You write tests.', model: 'haiku' } } }) });
    const [commands, agents, models] = await Promise.all([q.supportedCommands(), q.supportedAgents(), q.supportedModels()]);
    await collect(q);
    expect(commands).toEqual([{ name: 'review', description: 'Review a pull request', argumentHint: '<pr-number>' }]);
    expect(agents.map((a) => a.name)).toEqual(['general-purpose', 'tester']);
    expect(agents[1]).toEqual({ name: 'tester', description: 'Writes tests', model: 'haiku' });
    const byValue = Object.fromEntries(models.map((m) => [m.value, m.resolvedModel]));
    expect(byValue.opus).toBe('us.anthropic.claude-opus-4-1-20250805-v1:0');
    expect(Object.keys(byValue)).toEqual(expect.arrayContaining(['default', 'sonnet', 'opus', 'haiku', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']));
    // Every listed value is one setModel accepts.
    for (const m of models) expect(typeof m.displayName).toBe('string');
  });
});
