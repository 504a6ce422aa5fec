/**
 * OAuth for a remote MCP server, through the built CLI: an authorization server and Streamable
 * HTTP MCP server made of the MCP SDK's own server-side auth pieces (fixtures/oauth-server.mjs)
 * runs beside the test, which plays the browser. Before signing in, print mode reports the
 * server as needing authentication and the session goes on; `bcode mcp login` signs in through
 * the loopback redirect; later runs use the stored token without a browser, refresh an expired
 * one, and no token shows in any output or transcript. The token file is 0600.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToolResultBlock } from '../../src/bedrock/anthropic.js';
import type { Scenario } from '../../src/emulator/index.js';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { PtyCli, ptyBedrockEnv, typeLine } from '../helpers/pty.js';
import { makeTempDir } from '../helpers/temp.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'oauth-server.mjs');
vi.setConfig({ testTimeout: 180_000 });
const RUN = { timeoutMs: 90_000, env: { MCP_TIMEOUT: '60000' } };

let sb: Sandbox | undefined;
let server: ChildProcess | undefined;
let cli: PtyCli | undefined;
let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await cli?.kill();
  cli = undefined;
  await emulator?.close();
  emulator = undefined;
  server?.kill('SIGTERM');
  server = undefined;
  await sb?.close();
  sb = undefined;
});

interface Stats {
  registrations: number;
  authorizations: number;
  exchanges: number;
  refreshes: number;
  calls: number;
  rejected: number;
  issued: string[];
}

async function startAuthServer(): Promise<string> {
  server = spawn(process.execPath, [FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    server!.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { port: number }));
    server!.once('exit', (code) => reject(new Error(`the OAuth test server exited (${code})`)));
  });
  return `http://127.0.0.1:${port}`;
}

const stats = async (base: string) => (await (await fetch(`${base}/test/stats`)).json()) as Stats;

/** Each run: one call of the guarded tool, then an answer. */
function callEachRun(runs: number): Scenario {
  return {
    turns: Array.from({ length: runs }).flatMap((_, i) => [
      { reply: { content: [{ type: 'tool_use' as const, id: `toolu_note_${i}`, name: 'mcp__guarded__secret_note', input: {} }] } },
      { reply: { content: [{ type: 'text' as const, text: 'Done.' }] } },
    ]),
  };
}

/** The result the model got for the guarded tool in request `i`. */
function told(i: number): ToolResultBlock {
  const body = modelRequests(sb!.emulator)[i]?.body as { messages: Array<{ content: ToolResultBlock[] | string }> };
  const last = body.messages[body.messages.length - 1].content;
  return (last as ToolResultBlock[]).find((b) => b.type === 'tool_result')!;
}
const textOf = (r: ToolResultBlock) => (typeof r.content === 'string' ? r.content : r.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));

/** `bcode mcp login`, with the test as the browser: it opens the address the CLI prints. */
async function login(): Promise<{ code: number | null; stdout: string; stderr: string; page: string }> {
  let page = '';
  let opened: Promise<void> | undefined;
  const r = await sb!.run(['mcp', 'login', 'guarded', '--no-browser'], {
    ...RUN,
    onSpawn: (child) => {
      let seen = '';
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        const url = /\s(http:\/\/127\.0\.0\.1:\d+\/authorize\S+)/.exec(seen)?.[1];
        if (url && !opened) opened = fetch(url).then(async (res) => void (page = await res.text()));
      });
    },
  });
  await opened;
  return { ...r, page };
}

function transcripts(home: string): string {
  const dir = path.join(home, '.claude', 'projects');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('OAuth sign-in to a remote MCP server', () => {
  it('needs authentication at first; after bcode mcp login the tool works, the stored token is reused, refreshed when expired, and never shown', async () => {
    const base = await startAuthServer();
    sb = await sandbox(callEachRun(3));
    writeFileSync(path.join(sb.home, '.claude.json'), JSON.stringify({ mcpServers: { guarded: { type: 'http', url: `${base}/mcp` } } }));
    const args = ['-p', 'read the note', '--allowedTools', 'mcp__guarded', '--output-format', 'json'];
    const outputs: string[] = [];

    // 1. Not signed in: reported with the way out, and the session goes on.
    const before = await sb.run(args, RUN);
    outputs.push(before.stdout, before.stderr);
    expect(before.code).toBe(0);
    expect(before.stderr).toContain("bcode: MCP server 'guarded' needs authentication");
    expect(before.stderr).toContain('hint: run /mcp in bcode (then /mcp auth guarded), or bcode mcp login guarded');
    expect(told(1).is_error).toBe(true);
    expect(JSON.parse(before.stdout)).toMatchObject({ result: 'Done.' });
    expect((await stats(base)).registrations).toBe(0);

    const list = await sb.run(['mcp', 'list'], RUN);
    expect(list.stdout).toContain('guarded: ');
    expect(list.stdout).toContain('⚠ Needs authentication (bcode mcp login guarded)');

    // 2. Sign in: registration, PKCE authorization and code exchange, through the loopback redirect.
    const signed = await login();
    outputs.push(signed.stdout, signed.stderr);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.page).toContain('Signed in.');
    expect(signed.stdout).toContain("Signed in to 'guarded'.");
    expect(await stats(base)).toMatchObject({ registrations: 1, authorizations: 1, exchanges: 1 });
    const dir = path.join(sb.home, '.claude', 'bcode', 'mcp-oauth');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(statSync(path.join(dir, files[0]!)).mode & 0o777).toBe(0o600);

    // 3. The stored token is used: the tool answers, no browser, no new sign-in.
    const after = await sb.run(args, RUN);
    outputs.push(after.stdout, after.stderr);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(textOf(told(3))).toMatch(/^the note, for client-/);
    expect(await stats(base)).toMatchObject({ authorizations: 1, exchanges: 1, refreshes: 0, calls: 1 });

    // 4. The access token expired: the refresh token gets a new one, still without a browser.
    await fetch(`${base}/test/expire`, { method: 'POST' });
    const refreshed = await sb.run(args, RUN);
    outputs.push(refreshed.stdout, refreshed.stderr);
    expect(refreshed.stderr).toBe('');
    expect(textOf(told(5))).toMatch(/^the note, for client-/);
    const s = await stats(base);
    expect(s).toMatchObject({ authorizations: 1, refreshes: 1, calls: 2 });
    expect(s.rejected).toBeGreaterThan(0);
    // The file now holds the refreshed tokens.
    const stored = JSON.parse(readFileSync(path.join(dir, files[0]!), 'utf8')) as { tokens: { access_token: string } };
    expect(stored.tokens.access_token).toBe(s.issued[s.issued.length - 2]);

    // No token (access or refresh, old or new) in any output, transcript, or model request.
    const seen = [...outputs, transcripts(sb.home), JSON.stringify(modelRequests(sb.emulator))].join('\n');
    expect(s.issued).toHaveLength(4);
    for (const t of s.issued) expect(seen).not.toContain(t);

    // 5. Sign out: the file is gone and the server needs authentication again.
    const out = await sb.run(['mcp', 'logout', 'guarded'], RUN);
    expect(out.stdout).toContain("Signed out of 'guarded'");
    expect(readdirSync(dir)).toHaveLength(0);
    expect((await sb.run(['mcp', 'list'], RUN)).stdout).toContain('⚠ Needs authentication');
  });

  it('bcode mcp login refuses a stdio server and an unknown name, with a hint', async () => {
    sb = await sandbox({ turns: [] });
    writeFileSync(path.join(sb.home, '.claude.json'), JSON.stringify({ mcpServers: { local: { command: 'true' } } }));
    const stdio = await sb.run(['mcp', 'login', 'local'], RUN);
    expect(stdio.code).toBe(1);
    expect(stdio.stderr).toMatch(/^bcode: MCP server 'local' is a local \(stdio\) server: there is nothing to sign in to\n {2}hint: /);
    const unknown = await sb.run(['mcp', 'login', 'nope'], RUN);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^bcode: no MCP server named 'nope'\n {2}hint: bcode mcp list/);
  });
});

describe('/mcp auth in the terminal UI', () => {
  it('shows the server as needing authentication, signs in through $BROWSER and the loopback redirect, and the tool works in the same session', async () => {
    const base = await startAuthServer();
    const root = makeTempDir('bcode-mcp-oauth-tui-');
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    mkdirSync(home);
    mkdirSync(path.join(root, 'tmp'));
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ mcpServers: { guarded: { type: 'http', url: `${base}/mcp` } } }));
    // The "browser": opens the address it is given and follows the redirect, as a person's would.
    writeFileSync(path.join(root, 'browser.mjs'), 'await fetch(process.argv[2]);\n');
    const browser = path.join(root, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'browser.mjs')}" "$1"\n`);
    chmodSync(browser, 0o755);
    emulator = await startEmulator({
      scenario: {
        turns: [
          { reply: { content: [{ type: 'tool_use', id: 'toolu_note', name: 'mcp__guarded__secret_note', input: {} }] } },
          { reply: { content: [{ type: 'text', text: 'Got the note.' }] } },
        ],
      },
    });
    cli = new PtyCli({ cwd: project, cols: 160, args: ['--allowedTools', 'mcp__guarded'], env: { ...ptyBedrockEnv(emulator.url, home, path.join(root, 'managed'), TEST_CREDENTIALS[0]!), TMPDIR: path.join(root, 'tmp'), BROWSER: browser } });
    const c = cli;
    await c.waitFor(/\/help for commands/);
    // The servers start in the background (after a short idle time): ask until it has answered.
    for (let i = 0; i < 30 && !/guarded: needs authentication/.test(c.all()); i++) {
      await typeLine(c, '/mcp');
      await c.waitFor(/guarded: (pending|needs authentication)/, 5_000).catch(() => undefined);
      if (!/guarded: needs authentication/.test(c.all())) await new Promise((r) => setTimeout(r, 500));
    }
    await c.waitFor(/sign in: \/mcp auth guarded/);

    await typeLine(c, '/mcp auth guarded');
    await c.waitFor(/Signed in to 'guarded': connected, its tools are available now\./, 60_000);
    expect(await stats(base)).toMatchObject({ registrations: 1, authorizations: 1, exchanges: 1 });

    await typeLine(c, 'read the note');
    await c.waitFor(/Got the note\./, 60_000);
    const calls = emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
    const body = calls[1]!.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(body.messages[body.messages.length - 1]!.content)).toMatch(/the note, for client-/);
    const s = await stats(base);
    for (const t of s.issued) expect(c.raw).not.toContain(t);
    const dir = path.join(home, '.claude', 'bcode', 'mcp-oauth');
    expect(statSync(path.join(dir, readdirSync(dir)[0]!)).mode & 0o777).toBe(0o600);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  });
});
