/**
 * `bcode mcp add|add-json|list|get|remove` on an isolated HOME: the files are written in the
 * reference product's shapes (local and user scope in ~/.claude.json, project scope in .mcp.json),
 * `list` and `get` start the servers to report their state, and bad input is one line and a hint.
 */
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

const require = createRequire(import.meta.url);
const EVERYTHING = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

// list and get start real servers: slow on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

function setup() {
  const root = realpathSync(makeTempDir('bcode-mcp-cmd-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  // No AWS_REGION: configuring servers needs no Bedrock set-up.
  const run = (args: string[]) => runCli(['mcp', ...args], { cwd: project, env: { HOME: home }, timeoutMs: 120_000 });
  const userJson = () => JSON.parse(readFileSync(path.join(home, '.claude.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test reads arbitrary JSON
  return { home, project, run, userJson };
}

describe('bcode mcp', () => {
  it('add (local, stdio), list, get, remove: a round trip in ~/.claude.json', async () => {
    const { home, project, run, userJson } = setup();
    const add = await run(['add', '-e', 'GREETING=hi', 'every', '--', process.execPath, EVERYTHING, 'stdio']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toBe(`Added stdio MCP server every to local config\nFile modified: ${path.join(home, '.claude.json')}\n`);
    expect(userJson().projects[project].mcpServers.every).toEqual({ type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: { GREETING: 'hi' } });
    // It may hold tokens: user-only.
    expect(statSync(path.join(home, '.claude.json')).mode & 0o777).toBe(0o600);

    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(`every: ${process.execPath} ${EVERYTHING} stdio - ✓ Connected\n`);

    const get = await run(['get', 'every']);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('every:\n  Scope: Local config (private to you in this project)\n  Status: ✓ Connected\n  Type: stdio\n');
    expect(get.stdout).toContain('  Environment:\n    GREETING=***\n');
    expect(get.stdout).toMatch(/ {2}Tools: .*\becho\b.*\bget-sum\b/);
    expect(get.stdout).toContain('To remove this server, run: bcode mcp remove every -s local');

    const dup = await run(['add', 'every', '--', 'node']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe("bcode: MCP server 'every' already exists in local config\n  hint: remove it first: bcode mcp remove every -s local\n");

    const remove = await run(['remove', 'every']);
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain('Removed MCP server every from local config');
    expect(userJson().projects[project].mcpServers).toEqual({});
    expect((await run(['list'])).stdout).toBe('No MCP servers configured. Add one with `bcode mcp add`.\n');
    const again = await run(['remove', 'every']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^bcode: no MCP server named 'every'\n {2}hint: /);
  });

  it('http with headers (user scope), add-json (project scope), and the other keys of ~/.claude.json left alone', async () => {
    const { home, project, run, userJson } = setup();
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ numStartups: 7, projects: { '/elsewhere': { allowedTools: [] } } }));
    const http = await run(['add', '--transport', 'http', '--scope', 'user', '--header', 'Authorization: Bearer ${API_TOKEN}', 'tracker', 'https://mcp.example.com/mcp']);
    expect(http.code).toBe(0);
    const data = userJson();
    expect(data.numStartups).toBe(7);
    expect(data.projects['/elsewhere']).toEqual({ allowedTools: [] });
    expect(data.mcpServers.tracker).toEqual({ type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${API_TOKEN}' } });

    const json = await run(['add-json', '-s', 'project', 'docs', '{"type":"sse","url":"https://docs.example.com/sse"}']);
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(project, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { docs: { type: 'sse', url: 'https://docs.example.com/sse' } } });

    // The project server is not started by list (it has not been approved); the user one cannot be: its variable is not set.
    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('docs: from ' + path.join(project, '.mcp.json') + ' - ⚠ Needs approval');
    expect(list.stdout).toMatch(/^tracker: .*\(user scope\) - ✗ Invalid: .* needs the environment variable API_TOKEN, which is not set$/m);

    const removeProject = await run(['remove', 'docs', '-s', 'project']);
    expect(removeProject.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(project, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: {} });
  });

  it('bad input: one line and a hint, exit 2', async () => {
    const { run } = setup();
    const cases: Array<[string[], RegExp]> = [
      [['add', 'bad name', 'x'], /^bcode: invalid MCP server name 'bad name'\n {2}hint: use letters, digits/],
      [['add', '--transport', 'http', 'w', 'not a url'], /^bcode: 'not a url' is not a URL\n {2}hint: bcode mcp add --transport http w https:/],
      [['add', '-e', 'NOEQUALS', 'x', '--', 'node'], /^bcode: invalid environment variable 'NOEQUALS'\n {2}hint: write it as KEY=value/],
      [['add-json', 'x', '{"command": 3}'], /^bcode: MCP server 'x' in the JSON given: command must be a non-empty string\n {2}hint: /],
      [['add-json', 'x', '{nope'], /^bcode: the server JSON is not valid JSON\n {2}hint: /],
      [['add', '--scope', 'team', 'x', 'y'], /^bcode: option '-s, --scope <scope>' argument 'team' is invalid/],
    ];
    for (const [args, expected] of cases) {
      const r = await run(args);
      expect(r.stderr, args.join(' ')).toMatch(expected);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
