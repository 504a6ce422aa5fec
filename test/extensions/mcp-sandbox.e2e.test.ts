/**
 * A stdio MCP server started by the built CLI runs inside the command sandbox (bubblewrap) with
 * the workspace writable: its tool still answers, a write inside the project lands, a write to
 * $HOME fails inside the server. Turning the sandbox off in settings gives the old behaviour.
 * Runs only where bubblewrap works (CI installs it); elsewhere it says why it skipped.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToolResultBlock } from '../../src/bedrock/anthropic.js';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { requireBwrapInCi } from '../helpers/bwrap.js';

const HAVE_BWRAP = requireBwrapInCi('test/extensions MCP sandbox');
const WRITER = path.join(import.meta.dirname, 'fixtures', 'write-server.mjs');

vi.setConfig({ testTimeout: 120_000 });
const RUN = { timeoutMs: 90_000, env: { MCP_TIMEOUT: '60000' } };

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function results(i: number): Record<string, string> {
  const body = modelRequests(sb!.emulator)[i]?.body as { messages: Array<{ content: ToolResultBlock[] | string }> };
  const last = body.messages[body.messages.length - 1].content;
  const blocks = Array.isArray(last) ? last.filter((b) => b.type === 'tool_result') : [];
  return Object.fromEntries(blocks.map((b) => [b.tool_use_id, typeof b.content === 'string' ? b.content : b.content.map((c) => (c.type === 'text' ? c.text : '')).join('')]));
}

async function runWriter(settings?: Record<string, unknown>) {
  sb = await sandbox({
    turns: [
      {
        reply: {
          content: [
            { type: 'tool_use', id: 'toolu_in', name: 'mcp__writer__write', input: { path: 'inside.txt' } },
            { type: 'tool_use', id: 'toolu_out', name: 'mcp__writer__write', input: { path: '$HOME/outside.txt' } },
          ],
        },
      },
      { reply: { content: [{ type: 'text', text: 'Done.' }] } },
    ],
  });
  writeFileSync(path.join(sb.home, '.claude.json'), JSON.stringify({ mcpServers: { writer: { command: process.execPath, args: [WRITER] } } }));
  if (settings) {
    mkdirSync(path.join(sb.home, '.claude'), { recursive: true });
    writeFileSync(path.join(sb.home, '.claude', 'settings.json'), JSON.stringify(settings));
  }
  return sb.run(['-p', 'write', '--allowedTools', 'mcp__writer', '--output-format', 'json'], RUN);
}

describe.skipIf(!HAVE_BWRAP)('stdio MCP servers in the sandbox', () => {
  it('the server answers and writes in the project, but cannot write to $HOME', async () => {
    const r = await runWriter();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const told = results(1);
    expect(told.toolu_in).toBe(`wrote inside.txt`);
    expect(existsSync(path.join(sb!.project, 'inside.txt'))).toBe(true);
    expect(told.toolu_out).toMatch(/^failed to write .*outside\.txt: EROFS/);
    expect(existsSync(path.join(sb!.home, 'outside.txt'))).toBe(false);
  });

  it('with sandbox.enabled false the server runs as configured (and can write to $HOME)', async () => {
    const r = await runWriter({ sandbox: { enabled: false } });
    expect(r.code).toBe(0);
    expect(results(1).toolu_out).toMatch(/^wrote .*outside\.txt$/);
    expect(existsSync(path.join(sb!.home, 'outside.txt'))).toBe(true);
  });

  it('bcode mcp list starts the server inside the sandbox too (a write to $HOME at start-up fails)', async () => {
    for (const enabled of [true, false]) {
      sb = await sandbox({ turns: [] });
      const marker = path.join(sb.home, 'started.txt');
      writeFileSync(path.join(sb.home, '.claude.json'), JSON.stringify({ mcpServers: { writer: { command: process.execPath, args: [WRITER], env: { WRITE_AT_START: marker } } } }));
      mkdirSync(path.join(sb.home, '.claude'), { recursive: true });
      writeFileSync(path.join(sb.home, '.claude', 'settings.json'), JSON.stringify({ sandbox: { enabled } }));
      const r = await sb.run(['mcp', 'list'], RUN);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/writer: .*✓ Connected/);
      expect(existsSync(marker)).toBe(!enabled);
      await sb.close();
      sb = undefined;
    }
  });
});
