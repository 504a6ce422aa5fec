/**
 * The answers to the project MCP server question (src/extensions/mcp/project-approval.ts): who
 * is asked about, how the answers merge into an existing .claude/settings.local.json, and what
 * the session starts with when the file cannot be written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverServers } from '../../src/extensions/mcp/discovery.js';
import { approveProjectServers, type McpApprovalAnswer, type McpApprovalQuestion } from '../../src/extensions/mcp/project-approval.js';
import { makeTempDir } from '../helpers/temp.js';

function project(servers: Record<string, unknown>, local?: string) {
  const root = makeTempDir('bcode-mcp-approve-');
  const home = path.join(root, 'home');
  const dir = path.join(root, 'project');
  mkdirSync(home);
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(path.join(dir, '.mcp.json'), JSON.stringify({ mcpServers: servers }));
  if (local !== undefined) writeFileSync(path.join(dir, '.claude', 'settings.local.json'), local);
  const config = { cwd: dir, projectRoot: dir, env: { HOME: home }, mcp: { flagServers: [], strict: false, layers: [] } };
  return { config, file: path.join(dir, '.claude', 'settings.local.json') };
}

const scripted = (answers: McpApprovalAnswer[], asked: McpApprovalQuestion[]) => async (q: McpApprovalQuestion) => {
  asked.push(q);
  return answers.shift() ?? 'skip';
};

describe('project MCP server approval answers', () => {
  it('asks about each waiting server in name order; "all" approves the rest without asking; answers merge with what the file holds', async () => {
    const { config, file } = project({ b: { command: 'b-server', args: ['--x'] }, a: { url: 'https://a.example/mcp' }, c: { command: 'c' } }, JSON.stringify({ permissions: { allow: ['Bash(ls)'] }, enabledMcpjsonServers: ['old'] }));
    const asked: McpApprovalQuestion[] = [];
    const out = await approveProjectServers(config, scripted(['no', 'all'], asked), () => undefined);
    expect(asked.map((q) => [q.name, q.target, q.index, q.count])).toEqual([
      ['a', 'https://a.example/mcp', 1, 3],
      ['b', 'b-server --x', 2, 3],
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ permissions: { allow: ['Bash(ls)'] }, enabledMcpjsonServers: ['old', 'b', 'c'], disabledMcpjsonServers: ['a'], enableAllProjectMcpServers: true });
    expect(discoverServers(out).servers.map((s) => s.name)).toEqual(['b', 'c']);
  });

  it('a key that is no answer saves nothing and is asked again; nothing waiting asks nothing', async () => {
    const { config, file } = project({ a: { command: 'a' } });
    const asked: McpApprovalQuestion[] = [];
    const out = await approveProjectServers(config, scripted(['skip'], asked), () => undefined);
    expect(out).toBe(config);
    expect(() => readFileSync(file)).toThrow();
    await approveProjectServers(config, scripted(['yes'], asked), () => undefined);
    expect(asked).toHaveLength(2);
    const after = { ...config, mcp: { ...config.mcp, layers: [{ scope: 'local' as const, origin: file, data: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> }] } };
    await approveProjectServers(after, scripted([], asked), () => undefined);
    expect(asked).toHaveLength(2);
  });

  it('a settings file that is not JSON is left alone, reported, and the answer still holds for this session', async () => {
    const { config, file } = project({ a: { command: 'a' } }, '{ broken');
    const notices: string[] = [];
    const out = await approveProjectServers(config, async () => 'yes', (t) => notices.push(t));
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^bcode: .*settings\.local\.json could not be read as a JSON object, so your MCP server answers were not saved\n {2}hint: /);
    expect(discoverServers(out).servers.map((s) => s.name)).toEqual(['a']);
  });
});
