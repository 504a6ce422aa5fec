/**
 * The parts of the MCP client that need no server: entry shapes, `${VAR}` expansion, which
 * sources win, approval of project servers, tool names, result mapping, and `mcp__` rules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { discoverServers } from '../../src/extensions/mcp/discovery.js';
import { contentBlocks, toToolResult } from '../../src/extensions/mcp/result.js';
import { expandServerConfig, mcpToolName, parseServerConfig } from '../../src/extensions/mcp/server-config.js';
import { parseRule, ruleCoversTool } from '../../src/permissions/rules.js';
import { settingsFileSchema } from '../../src/config/settings-schema.js';
import { parseSettingsText } from '../../src/config/settings-files.js';
import { makeTempDir } from '../helpers/temp.js';

describe('server entries', () => {
  it('stdio is the default; http/sse need a url; unknown fields and types are refused by name', () => {
    expect(parseServerConfig('a', { command: 'npx', args: ['-y', 'x'] }, 'f')).toEqual({ type: 'stdio', command: 'npx', args: ['-y', 'x'], env: {} });
    expect(parseServerConfig('b', { url: 'https://h/mcp' }, 'f')).toEqual({ type: 'http', url: 'https://h/mcp', headers: {} });
    expect(() => parseServerConfig('c', { command: 'x', cwd: '/' }, '.mcp.json')).toThrow("MCP server 'c' in .mcp.json: unknown field cwd for a stdio server");
    expect(() => parseServerConfig('d', { type: 'ws', url: 'ws://h' }, 'f')).toThrow(/WebSocket transport/);
    expect(() => parseServerConfig('e', { type: 'http' }, 'f')).toThrow(/url must be a non-empty string/);
    expect(() => parseServerConfig('f', { command: 'x', env: { A: 1 } }, 'f')).toThrow(/env\.A must be a string/);
  });

  it('${VAR} and ${VAR:-default} in command, args, env, url and headers; a missing variable names server and variable', () => {
    const env = { HOST: 'h.example', TOKEN: 't0k' };
    const stdio = parseServerConfig('s', { command: '${BIN:-node}', args: ['--host=${HOST}'], env: { KEY: '${TOKEN}' } }, 'f');
    expect(expandServerConfig('s', stdio, env, 'f')).toEqual({ type: 'stdio', command: 'node', args: ['--host=h.example'], env: { KEY: 't0k' } });
    const http = parseServerConfig('h', { type: 'http', url: 'https://${HOST}/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } }, 'f');
    expect(expandServerConfig('h', http, env, 'f')).toMatchObject({ url: 'https://h.example/mcp', headers: { Authorization: 'Bearer t0k' } });
    expect(() => expandServerConfig('h', http, { HOST: 'x' }, '.mcp.json')).toThrow("MCP server 'h' in .mcp.json needs the environment variable TOKEN, which is not set");
  });

  it('tool names: mcp__server__tool with characters the API refuses replaced, at most 64 long', () => {
    expect(mcpToolName('github', 'create_issue')).toBe('mcp__github__create_issue');
    expect(mcpToolName('my.server', 'do thing/now')).toBe('mcp__my_server__do_thing_now');
    expect(mcpToolName('s', 'x'.repeat(100))).toHaveLength(64);
  });
});

describe('discovery', () => {
  function world(files: Record<string, unknown>, mcp: Partial<NonNullable<Config['mcp']>> = {}) {
    const root = makeTempDir('bcode-mcp-disc-');
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    mkdirSync(home);
    mkdirSync(project);
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(name.startsWith('~') ? home : project, name.replace(/^~\//, '')), JSON.stringify(data));
    const config = { cwd: project, projectRoot: project, env: { HOME: home }, mcp: { flagServers: [], strict: false, layers: [], ...mcp } };
    return { project, home, found: () => discoverServers(config) };
  }
  const server = (tag: string) => ({ command: 'echo', args: [tag] });
  const picked = (d: ReturnType<typeof discoverServers>) => Object.fromEntries(d.servers.map((s) => [s.name, `${s.scope}:${s.config?.type === 'stdio' ? s.config.args[0] : '?'}`]));

  it('flag > local > project > settings > user for one name; sorted by name', () => {
    const { project, found } = world(
      {
        '.mcp.json': { mcpServers: { a: server('project'), b: server('project') } },
        '~/.claude.json': { mcpServers: { a: server('user'), b: server('user'), c: server('user'), z: server('user') }, projects: {} },
      },
      { flagServers: [{ origin: '--mcp-config', servers: { a: server('flag') } }], layers: [{ scope: 'user', origin: 'settings.json', data: { enableAllProjectMcpServers: true, mcpServers: { c: server('settings') } } }] },
    );
    expect(picked(found())).toEqual({ a: 'flag:flag', b: 'project:project', c: 'settings:settings', z: 'user:user' });
    expect(found().servers.map((s) => s.name)).toEqual(['a', 'b', 'c', 'z']);
    expect(project).toBeTruthy();
  });

  it('--strict-mcp-config: only the flag servers', () => {
    const { found } = world({ '~/.claude.json': { mcpServers: { u: server('user') } } }, { strict: true, flagServers: [{ origin: '--mcp-config', servers: { f: server('flag') } }] });
    expect(picked(found())).toEqual({ f: 'flag:flag' });
  });

  it('project servers: unapproved are skipped; approval from the user or ~/.claude.json; disabledMcpjsonServers wins; the project file cannot approve itself', () => {
    const mcpJson = { mcpServers: { one: server('1'), two: server('2'), three: server('3') } };
    expect(world({ '.mcp.json': mcpJson }).found().skipped.map((s) => `${s.name}:${s.reason}`)).toEqual(['one:unapproved', 'two:unapproved', 'three:unapproved']);
    const self = world({ '.mcp.json': mcpJson }, { layers: [{ scope: 'project', origin: '.claude/settings.json', data: { enableAllProjectMcpServers: true } }] });
    expect(self.found().servers).toEqual([]);
    const w = world({ '.mcp.json': mcpJson }, { layers: [{ scope: 'local', origin: 'settings.local.json', data: { enabledMcpjsonServers: ['one', 'two'], disabledMcpjsonServers: ['two'] } }] });
    expect(Object.keys(picked(w.found()))).toEqual(['one']);
    expect(w.found().skipped.map((s) => `${s.name}:${s.reason}`)).toEqual(['two:disabled', 'three:unapproved']);
    const viaUserJson = world({ '.mcp.json': mcpJson });
    writeFileSync(path.join(viaUserJson.home, '.claude.json'), JSON.stringify({ projects: { [viaUserJson.project]: { enabledMcpjsonServers: ['three'] } } }));
    expect(Object.keys(picked(viaUserJson.found()))).toEqual(['three']);
  });

  it('allowedMcpServers / deniedMcpServers: deny wins; every allow list must name the server (by name, command or URL)', () => {
    const servers = { a: server('a'), b: server('b'), c: { type: 'http', url: 'https://mcp.corp.example/x' }, d: { type: 'http', url: 'https://evil.example/x' } };
    const layers = [
      { scope: 'managed' as const, origin: 'managed-settings.json', data: { allowedMcpServers: [{ serverName: 'a' }, { serverName: 'b' }, { serverUrl: 'https://*.corp.example/*' }], deniedMcpServers: [{ serverCommand: ['echo', 'b'] }] } },
      { scope: 'user' as const, origin: 'settings.json', data: { allowedMcpServers: [{ serverName: 'a' }, { serverName: 'b' }, { serverName: 'c' }, { serverName: 'd' }] } },
    ];
    const d = world({}, { flagServers: [{ origin: '--mcp-config', servers }], layers }).found();
    expect(Object.keys(picked(d))).toEqual(['a', 'c']);
    expect(d.skipped.map((s) => `${s.name}:${s.detail}`)).toEqual(['b:it is on deniedMcpServers', 'd:it is not on allowedMcpServers']);
    const lockdown = world({}, { flagServers: [{ origin: '--mcp-config', servers }], layers: [{ scope: 'managed', origin: 'm', data: { allowedMcpServers: [] } }] }).found();
    expect(lockdown.servers).toEqual([]);
  });

  it('the settings schema checks the MCP keys', () => {
    expect(() => parseSettingsText('s.json', JSON.stringify({ allowedMcpServers: [{ serverName: 'a', extra: 1 }] }), settingsFileSchema)).toThrow(/allowedMcpServers/);
    expect(() => parseSettingsText('s.json', JSON.stringify({ enabledMcpjsonServers: 'x' }), settingsFileSchema)).toThrow(/enabledMcpjsonServers/);
    expect(() => parseSettingsText('s.json', JSON.stringify({ mcpServers: { x: 3 } }), settingsFileSchema)).toThrow(/mcpServers/);
    expect(parseSettingsText('s.json', JSON.stringify({ deniedMcpServers: [{ serverCommand: ['npx', 'x'] }], enableAllProjectMcpServers: false }), settingsFileSchema)).toBeTruthy();
  });

  it('a broken .mcp.json is one problem naming the file; other sources still count', () => {
    const { project, home, found } = world({ '~/.claude.json': { mcpServers: { u: server('user') } } });
    writeFileSync(path.join(project, '.mcp.json'), '{ not json');
    const d = found();
    expect(d.problems.map((p) => p.message)).toEqual([`${path.join(project, '.mcp.json')} is not valid JSON; its MCP servers were not started`]);
    expect(picked(d)).toEqual({ u: 'user:user' });
    expect(home).toBeTruthy();
  });
});

describe('results', () => {
  it('maps each content kind; structured content only when there is no text', () => {
    const blocks = contentBlocks({
      content: [
        { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' },
        { type: 'resource', resource: { uri: 'file:///x.bin', mimeType: 'application/octet-stream', blob: 'AAAAAAAA' } },
        { type: 'resource_link', uri: 'file:///y', name: 'y' },
        { type: 'image', mimeType: 'image/bmp', data: 'AAAA' },
      ],
      structuredContent: { ok: true },
    });
    expect(blocks.map((b) => (b.type === 'text' ? b.text : b.type))).toEqual([
      '[audio (audio/wav) not shown: the model cannot hear it]',
      '[Binary resource file:///x.bin (application/octet-stream, 6 bytes) not shown]',
      '[Resource link: file:///y (y)]',
      '[image of type image/bmp not shown: only PNG, JPEG, GIF and WebP can be sent to the model]',
    ]);
    expect(contentBlocks({ content: [], structuredContent: { temperature: 21 } })).toEqual([{ type: 'text', text: '{"temperature":21}' }]);
  });

  it('isError is kept; one text block becomes a plain string', async () => {
    const dir = makeTempDir('bcode-mcp-res-');
    expect(await toToolResult('mcp__s__t', { content: [{ type: 'text', text: 'boom' }], isError: true }, { maxChars: 100, scratchDir: dir })).toEqual({ forModel: 'boom', forDisplay: 'error: boom', isError: true });
  });
});

describe('permission rules for MCP tools', () => {
  const bases = { cwd: '/p', projectRoot: '/p', home: '/h' };
  it('mcp__server and mcp__server__* cover every tool of that server only; mcp__server__tool one tool', () => {
    for (const rule of ['mcp__github', 'mcp__github__*']) {
      const r = parseRule(rule, 'allow', bases);
      expect(ruleCoversTool(r, 'mcp__github__create_issue')).toBe(true);
      expect(ruleCoversTool(r, 'mcp__githubber__x')).toBe(false);
    }
    const one = parseRule('mcp__github__create_issue', 'deny', bases);
    expect(ruleCoversTool(one, 'mcp__github__create_issue')).toBe(true);
    expect(ruleCoversTool(one, 'mcp__github__list_issues')).toBe(false);
  });
});
