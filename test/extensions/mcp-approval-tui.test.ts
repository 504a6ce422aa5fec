/**
 * The one-time question about a project's `.mcp.json` servers in the terminal UI (a dialog in the drawn UI, like folder trust): the built CLI
 * in a pseudo-terminal against the emulator, with the real server-everything listed in the
 * project's .mcp.json. Approving starts it in this session (the model calls its tool) and saves
 * the answer to .claude/settings.local.json; rejecting saves that too, starts nothing, and the
 * next start asks no more.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { PtyCli, ptyBedrockEnv, typeLine } from '../helpers/pty.js';
import { makeTempDir } from '../helpers/temp.js';

const require = createRequire(import.meta.url);
const EVERYTHING = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const LONG = 120_000;
const QUESTION = /Use MCP server 'everything'\? \[y\/a\/n\]/;

let emulator: EmulatorHandle | undefined;
const clis: PtyCli[] = [];
afterEach(async () => {
  for (const c of clis.splice(0)) await c.kill();
  await emulator?.close();
  emulator = undefined;
});

async function setup(scenario: Scenario) {
  const root = makeTempDir('bcode-mcp-approval-');
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(path.join(project, '.git'), { recursive: true });
  mkdirSync(home);
  mkdirSync(path.join(root, 'tmp'));
  writeFileSync(path.join(project, '.mcp.json'), JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  emulator = await startEmulator({ scenario });
  const env = { ...ptyBedrockEnv(emulator.url, home, path.join(root, 'managed'), TEST_CREDENTIALS[0]!), TMPDIR: path.join(root, 'tmp'), MCP_TIMEOUT: '90000' };
  const open = () => {
    const c = new PtyCli({ cwd: project, env, args: ['--allowedTools', 'mcp__everything'], cols: 120 });
    clis.push(c);
    return c;
  };
  const saved = () => JSON.parse(readFileSync(path.join(project, '.claude', 'settings.local.json'), 'utf8')) as Record<string, unknown>;
  return { project, open, saved };
}

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('approving a project .mcp.json server in the terminal UI', () => {
  it('asks once; yes starts the server now (its tool is called) and is saved; the next start does not ask', async () => {
    const { project, open, saved } = await setup({
      turns: [
        { reply: { content: [{ type: 'tool_use', id: 'toolu_echo', name: 'mcp__everything__echo', input: { message: 'approved' } }] } },
        { reply: { content: [{ type: 'text', text: 'The server answered.' }] } },
      ],
    });
    const c = open();
    await c.waitFor(QUESTION);
    expect(c.all()).toContain(`from ${path.join(project, '.mcp.json')}`);
    expect(existsSync(path.join(project, '.claude', 'settings.local.json'))).toBe(false);
    c.write('y');
    await c.waitFor(/MCP server 'everything': yes/);
    await waitForFile(path.join(project, '.claude', 'settings.local.json'));
    expect(saved()).toEqual({ enabledMcpjsonServers: ['everything'] });

    await typeLine(c, 'echo something');
    await c.waitFor(/The server answered\./, 90_000);
    const calls = emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
    expect(calls).toHaveLength(2);
    const body = calls[1]!.body as { messages: Array<{ content: unknown }>; tools: Array<{ name: string }> };
    expect(body.tools.map((t) => t.name)).toContain('mcp__everything__echo');
    expect(JSON.stringify(body.messages[body.messages.length - 1]!.content)).toContain('Echo: approved');
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);

    const again = open();
    await again.waitFor(/\/help for commands/);
    // Commands wait for the session, which asks before it is made: after /mcp answers, no question came.
    await typeLine(again, '/mcp');
    await again.waitFor(/everything|No MCP servers/);
    expect(again.all()).not.toMatch(QUESTION);
    again.write('\x04');
    expect(await again.waitExit()).toBe(0);
  }, LONG);

  it('no: the server is not started, the answer is saved, and the next start does not ask', async () => {
    const { open, saved } = await setup({ turns: [] });
    const c = open();
    await c.waitFor(QUESTION);
    c.write('n');
    await c.waitFor(/MCP server 'everything': no/);
    await typeLine(c, '/mcp');
    await c.waitFor(/No MCP servers in this session/);
    expect(saved()).toEqual({ disabledMcpjsonServers: ['everything'] });
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);

    const again = open();
    await again.waitFor(/\/help for commands/);
    // Commands wait for the session, which asks before it is made: after /mcp answers, no question came.
    await typeLine(again, '/mcp');
    await again.waitFor(/everything|No MCP servers/);
    expect(again.all()).not.toMatch(QUESTION);
    again.write('\x04');
    expect(await again.waitExit()).toBe(0);
  }, LONG);
});
