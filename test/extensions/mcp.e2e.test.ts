/**
 * MCP servers through the built CLI and a scripted model: the real third-party server
 * `@modelcontextprotocol/server-everything` (stdio), servers of our own that hang or crash, an
 * HTTP server that wants a bearer token from ${TOKEN}, and a repository's .mcp.json that must not
 * run unapproved. Assertions are on what the emulator recorded (tool specs and tool_result
 * blocks), what the CLI printed, and files the servers would create.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageBlock, TextBlock, ToolResultBlock } from '../../src/bedrock/anthropic.js';
import type { Scenario } from '../../src/emulator/index.js';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { startProxy } from '../net/proxy-server.js';

const require = createRequire(import.meta.url);
const EVERYTHING = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const everything = { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'], env: {} };

// Each run starts MCP servers (node processes) beside the CLI: on a loaded machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });
const RUN = { timeoutMs: 120_000, env: { MCP_TIMEOUT: '90000' } };

let sb: Sandbox | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGTERM');
  child = undefined;
  await sb?.close();
  sb = undefined;
});

/** One message of tool calls, then a closing answer. */
function callsThenDone(calls: Array<{ name: string; input: Record<string, unknown> }>): Scenario {
  return { turns: [{ reply: { content: calls.map((c) => ({ type: 'tool_use' as const, ...c })) } }, { reply: { content: [{ type: 'text', text: 'Done.' }] } }] };
}

/** The tool results of model request `i` (its last user message). */
function results(i: number): ToolResultBlock[] {
  const body = modelRequests(sb!.emulator)[i]?.body as { messages: Array<{ content: ToolResultBlock[] | string }> };
  const last = body.messages[body.messages.length - 1].content;
  return Array.isArray(last) ? last.filter((b) => b.type === 'tool_result') : [];
}
const toolNames = (i: number) => ((modelRequests(sb!.emulator)[i]?.body as { tools?: Array<{ name: string }> }).tools ?? []).map((t) => t.name);
const textOf = (r: ToolResultBlock) => (typeof r.content === 'string' ? r.content : r.content.map((b) => (b.type === 'text' ? b.text : `<${b.type}>`)).join('\n'));
const count = (text: string, needle: string) => text.split(needle).length - 1;

function userScope(servers: Record<string, unknown>): void {
  writeFileSync(path.join(sb!.home, '.claude.json'), JSON.stringify({ mcpServers: servers }));
}

describe('server-everything over stdio (a real third-party server)', () => {
  it('its tools are called by name; text, image and embedded resource results reach the model; the specs follow the built-ins, sorted', async () => {
    sb = await sandbox(
      callsThenDone([
        { name: 'mcp__everything__echo', input: { message: 'hello mcp' } },
        { name: 'mcp__everything__get-sum', input: { a: 2, b: 3 } },
        { name: 'mcp__everything__get-tiny-image', input: {} },
        { name: 'mcp__everything__get-resource-reference', input: { resourceId: 1 } },
      ]),
    );
    userScope({ everything });
    const r = await sb.run(['-p', 'use the tools', '--allowedTools', 'mcp__everything', '--output-format', 'stream-json', '--verbose'], RUN);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const init = lines[0] as { subtype: string; mcp_servers: Array<{ name: string; status: string }> };
    expect(init.subtype).toBe('init');
    expect(init.mcp_servers).toHaveLength(1);
    expect(init.mcp_servers[0]!.name).toBe('everything');
    expect(['pending', 'connected']).toContain(init.mcp_servers[0]!.status);

    const [echo, sum, image, resource] = results(1);
    expect(echo).toMatchObject({ type: 'tool_result', content: 'Echo: hello mcp' });
    expect(echo.is_error).toBeUndefined();
    expect(textOf(sum)).toMatch(/\b5\b/);
    const blocks = image.content as Array<TextBlock | ImageBlock>;
    const img = blocks.find((b): b is ImageBlock => b.type === 'image');
    expect(img?.source).toMatchObject({ type: 'base64', media_type: 'image/png' });
    expect(Buffer.from(img!.source.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(textOf(resource)).toContain('[Resource demo://resource/dynamic/text/1 (text/plain)]\nResource 1:');

    // The second request carries the server's tools, after every built-in one, sorted by name.
    const names = toolNames(1);
    const mcp = names.filter((n) => n.startsWith('mcp__'));
    expect(mcp).toContain('mcp__everything__echo');
    expect(mcp).toEqual([...mcp].sort());
    expect(names.slice(names.length - mcp.length)).toEqual(mcp);
    const spec = (modelRequests(sb.emulator)[1]!.body as { tools: Array<{ name: string; input_schema: Record<string, unknown> }> }).tools.find((t) => t.name === 'mcp__everything__get-sum');
    expect(spec?.input_schema).toMatchObject({ type: 'object', required: ['a', 'b'] });
  });

  it('a long result keeps its start and end within MAX_MCP_OUTPUT_TOKENS; a restart sends the same tool bytes', async () => {
    const message = `${'A'.repeat(600)}MIDDLE${'Z'.repeat(600)}`;
    const scenario = callsThenDone([{ name: 'mcp__everything__echo', input: { message } }]);
    sb = await sandbox({ turns: [...scenario.turns, ...scenario.turns] });
    userScope({ everything });
    const first = await sb.run(['-p', 'echo it', '--allowedTools', 'mcp__everything__echo'], { ...RUN, env: { ...RUN.env, MAX_MCP_OUTPUT_TOKENS: '100' } });
    expect(first.code).toBe(0);
    const text = textOf(results(1)[0]!);
    expect(text.startsWith('Echo: AAAA')).toBe(true);
    expect(text).not.toContain('MIDDLE');
    expect(text).toMatch(/ZZZZ\n\[The result was 1212 characters, over the limit of 400 \(MAX_MCP_OUTPUT_TOKENS\); the full text is in \/.+\.txt\]$/);
    const second = await sb.run(['-p', 'echo it', '--allowedTools', 'mcp__everything__echo'], { ...RUN, env: { ...RUN.env, MAX_MCP_OUTPUT_TOKENS: '100' } });
    expect(second.code).toBe(0);
    const tools = (i: number) => JSON.stringify((modelRequests(sb!.emulator)[i]!.body as { tools: unknown }).tools);
    expect(tools(3)).toBe(tools(1));
  });

  it('permission rules: unallowed calls are denied in print mode (and listed), mcp__server__* allows, a deny rule wins', async () => {
    sb = await sandbox({
      turns: [
        ...callsThenDone([{ name: 'mcp__everything__echo', input: { message: 'x' } }]).turns,
        ...callsThenDone([
          { name: 'mcp__everything__echo', input: { message: 'allowed' } },
          { name: 'mcp__everything__get-sum', input: { a: 1, b: 1 } },
        ]).turns,
      ],
    });
    userScope({ everything });
    const denied = await sb.run(['-p', 'echo', '--output-format', 'json'], RUN);
    expect(denied.code).toBe(0);
    expect(results(1)[0]).toMatchObject({ is_error: true });
    expect(textOf(results(1)[0]!)).toMatch(/^Permission denied: mcp__everything__echo needs approval/);
    expect(JSON.parse(denied.stdout).permission_denials).toEqual([expect.objectContaining({ tool_name: 'mcp__everything__echo' })]);

    const ruled = await sb.run(['-p', 'echo', '--allowedTools', 'mcp__everything__*', '--disallowedTools', 'mcp__everything__get-sum'], RUN);
    expect(ruled.code).toBe(0);
    const [echo, sum] = results(3);
    expect(echo).toMatchObject({ content: 'Echo: allowed' });
    expect(sum).toMatchObject({ is_error: true });
    expect(textOf(sum)).toContain('denied by rule mcp__everything__get-sum');
  });
});

describe('resources and prompts of server-everything in the prompt', () => {
  it('@server:uri attaches the resource text; /mcp__server__prompt args is replaced by the server\'s prompt', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'one' }] } }, { reply: { content: [{ type: 'text', text: 'two' }] } }] });
    userScope({ everything });
    const userText = (i: number) => JSON.stringify((modelRequests(sb!.emulator)[i]!.body as { messages: unknown[] }).messages.at(-1));
    const mention = await sb.run(['-p', 'summarise @everything:demo://resource/dynamic/text/1 please'], RUN);
    expect(mention.stderr).toBe('');
    expect(mention.code).toBe(0);
    expect(userText(0)).toContain('summarise @everything:demo://resource/dynamic/text/1 please\\n\\n<resource server=\\"everything\\" uri=\\"demo://resource/dynamic/text/1\\">\\nResource 1: This is a plaintext resource');
    const prompt = await sb.run(['-p', '/mcp__everything__args-prompt Paris Ile de France'], RUN);
    expect(prompt.stderr).toBe('');
    expect(prompt.code).toBe(0);
    expect(userText(1)).toContain("What's weather in Paris, Ile de France?");
  });
});

describe('servers that misbehave', () => {
  it('a server that never answers initialize: one warning after MCP_TIMEOUT, the session finishes', async () => {
    sb = await sandbox(callsThenDone([{ name: 'mcp__hang__anything', input: {} }]));
    const config = JSON.stringify({ mcpServers: { hang: { command: process.execPath, args: [path.join(FIXTURES, 'hang-server.mjs')] } } });
    const started = Date.now();
    const r = await sb.run(['-p', 'try it', '--mcp-config', config], { ...RUN, env: { ...RUN.env, MCP_TIMEOUT: '1500' } });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(count(r.stderr, "bcode: MCP server 'hang' failed to start: no answer within 1500 ms (MCP_TIMEOUT)")).toBe(1);
    expect(r.stderr).toMatch(/^ {2}hint: run its command .* or raise MCP_TIMEOUT \(now 1500 ms\)/m);
    expect(results(1)[0]).toMatchObject({ is_error: true });
    expect(r.stdout).toBe('Done.\n');
  });

  it('a server still starting never delays the first request, nor the end of a run that does not need it', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'no tools needed' }] } }] });
    const config = JSON.stringify({ mcpServers: { hang: { command: process.execPath, args: [path.join(FIXTURES, 'hang-server.mjs')] } } });
    const started = Date.now();
    const r = await sb.run(['-p', 'hi', '--mcp-config', config], { ...RUN, env: { ...RUN.env, MCP_TIMEOUT: '60000' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no tools needed\n');
    // Neither waited for the server's 60 s limit, and closing it early is not reported as a failure.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stderr).toBe('');
    expect(modelRequests(sb.emulator)).toHaveLength(1);
  });

  it('a server that crashes in the middle of a call: the call is an error result, one notice, the session goes on', async () => {
    sb = await sandbox(callsThenDone([{ name: 'mcp__crashy__crash', input: {} }]));
    const config = JSON.stringify({ mcpServers: { crashy: { command: process.execPath, args: [path.join(FIXTURES, 'crash-server.mjs')] } } });
    const r = await sb.run(['-p', 'crash it', '--mcp-config', config, '--allowedTools', 'mcp__crashy'], RUN);
    expect(r.code).toBe(0);
    const [res] = results(1);
    expect(res).toMatchObject({ is_error: true });
    expect(textOf(res!)).toMatch(/^Error: .*Connection closed/);
    expect(count(r.stderr, "bcode: MCP server 'crashy' stopped")).toBe(1);
    expect(r.stdout).toBe('Done.\n');
    // Its tools are gone from the next request.
    expect(toolNames(1).filter((n) => n.startsWith('mcp__crashy'))).toEqual([]);
  });
});

describe('server-everything over its Streamable HTTP and SSE transports', () => {
  /** A free loopback port (the server takes PORT and cannot report one it chose itself). */
  async function freePort(): Promise<number> {
    const { createServer } = await import('node:net');
    return new Promise((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
  }

  async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<number> {
    const port = await freePort();
    child = spawn(process.execPath, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/listening on port|running on port/.test(err)) resolve();
      });
      child!.once('exit', () => reject(new Error(`server-everything ${mode} exited: ${err}`)));
    });
    return port;
  }

  for (const [mode, type, route] of [['streamableHttp', 'http', '/mcp'], ['sse', 'sse', '/sse']] as const) {
    it(`${type}: a tool call goes through and its result comes back`, async () => {
      const port = await startEverything(mode);
      sb = await sandbox(callsThenDone([{ name: 'mcp__remote__echo', input: { message: `over ${type}` } }]));
      const config = JSON.stringify({ mcpServers: { remote: { type, url: `http://127.0.0.1:${port}${route}` } } });
      const r = await sb.run(['-p', 'echo', '--mcp-config', config, '--allowedTools', 'mcp__remote'], RUN);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(results(1)[0]).toMatchObject({ content: `Echo: over ${type}` });
    });
  }
});

describe('notifications/tools/list_changed', () => {
  it('a server that adds a tool: the next request carries it and the model can call it', async () => {
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'mcp__growing__grow', input: {} }] } },
        { match: { lastToolResultContains: 'grown' }, reply: { content: [{ type: 'tool_use', name: 'mcp__growing__extra', input: {} }] } },
        { reply: { content: [{ type: 'text', text: 'Done.' }] } },
      ],
    });
    const config = JSON.stringify({ mcpServers: { growing: { command: process.execPath, args: [path.join(FIXTURES, 'growing-server.mjs')] } } });
    const r = await sb.run(['-p', 'grow', '--mcp-config', config, '--allowedTools', 'mcp__growing'], RUN);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(toolNames(1).filter((n) => n.startsWith('mcp__'))).toEqual(['mcp__growing__extra', 'mcp__growing__grow']);
    expect(results(2)[0]).toMatchObject({ content: 'extra works' });
  });
});

describe('Streamable HTTP with a bearer token from the environment', () => {
  async function startHttpServer(): Promise<number> {
    child = spawn(process.execPath, [path.join(FIXTURES, 'http-server.mjs')], { env: { ...process.env, BEARER: 's3cret-token-value' }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      child!.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
      child!.once('exit', () => reject(new Error('the test HTTP server exited')));
    });
  }

  it('${TOKEN} in headers is expanded; without TOKEN the server is reported by name and variable, the session goes on', async () => {
    const port = await startHttpServer();
    sb = await sandbox({ turns: [...callsThenDone([{ name: 'mcp__web__whoami', input: {} }]).turns, { reply: { content: [{ type: 'text', text: 'no tools' }] } }] });
    const config = JSON.stringify({ mcpServers: { web: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer ${TOKEN}' } } } });
    const ok = await sb.run(['-p', 'who am i', '--mcp-config', config, '--allowedTools', 'mcp__web'], { ...RUN, env: { ...RUN.env, TOKEN: 's3cret-token-value' } });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(textOf(results(1)[0]!)).toBe('you hold the right token');
    expect(JSON.stringify(sb.emulator.requests)).not.toContain('s3cret-token-value');

    const missing = await sb.run(['-p', 'who am i', '--mcp-config', config], RUN);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toBe('no tools\n');
    expect(missing.stderr).toBe("bcode: MCP server 'web' in --mcp-config needs the environment variable TOKEN, which is not set\n  hint: set TOKEN before starting bcode, or give a default: ${TOKEN:-value}\n");
  });
});

describe('a remote MCP server behind a proxy (B27)', () => {
  it('HTTP_PROXY carries the MCP traffic (the proxy logs each connection) with the header expanded', async () => {
    child = spawn(process.execPath, [path.join(FIXTURES, 'http-server.mjs')], { env: { ...process.env, BEARER: 's3cret-token-value' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      child!.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
      child!.once('exit', () => reject(new Error('the test HTTP server exited')));
    });
    const proxy = await startProxy();
    try {
      sb = await sandbox(callsThenDone([{ name: 'mcp__web__whoami', input: {} }]));
      const config = JSON.stringify({ mcpServers: { web: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer ${TOKEN}' } } } });
      const r = await sb.run(['-p', 'who am i', '--mcp-config', config, '--allowedTools', 'mcp__web'], { ...RUN, env: { ...RUN.env, TOKEN: 's3cret-token-value', HTTP_PROXY: proxy.url, NO_PROXY: new URL(sb.emulator.url).host } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(textOf(results(1)[0]!)).toBe('you hold the right token');
      // undici tunnels every proxied request with CONNECT, plain http too.
      expect(proxy.connects).toContain(`127.0.0.1:${port}`);
      // NO_PROXY kept the model calls direct: the proxy saw nothing else.
      expect([...proxy.connects, ...proxy.requests].filter((u) => !u.includes(`:${port}`))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe("a repository's .mcp.json", () => {
  const markerServer = { command: process.execPath, args: ['-e', "require('fs').writeFileSync('MARKER', 'ran')"] };

  it('runs nothing in print mode until approved — the project\'s own settings cannot approve it', async () => {
    // The second run calls the server's tool: the session then waits for that server (which exits after writing its file).
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }, ...callsThenDone([{ name: 'mcp__evil__x', input: {} }]).turns] });
    writeFileSync(path.join(sb.project, '.mcp.json'), JSON.stringify({ mcpServers: { evil: markerServer } }));
    mkdirSync(path.join(sb.project, '.claude'));
    // A cloned repository approving its own server: not honoured.
    writeFileSync(path.join(sb.project, '.claude', 'settings.json'), JSON.stringify({ enableAllProjectMcpServers: true, enabledMcpjsonServers: ['evil'] }));
    const r = await sb.run(['-p', 'hello'], RUN);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toContain(`bcode: warning: MCP server 'evil' from ${path.join(sb.project, '.mcp.json')} was not started: project servers need your approval`);
    expect(r.stderr).toContain('hint: approve it with "enabledMcpjsonServers": ["evil"]');
    expect(existsSync(path.join(sb.project, 'MARKER'))).toBe(false);

    // The user's own (untracked) local settings approve it: now it runs.
    writeFileSync(path.join(sb.project, '.claude', 'settings.local.json'), JSON.stringify({ enabledMcpjsonServers: ['evil'] }));
    const approved = await sb.run(['-p', 'hello'], RUN);
    expect(approved.code).toBe(0);
    expect(approved.stderr).not.toContain('was not started');
    expect(existsSync(path.join(sb.project, 'MARKER'))).toBe(true);
  });
});
