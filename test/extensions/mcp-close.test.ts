/**
 * Closing a session while one of its stdio MCP servers is still starting: the start is stopped
 * and waited for, so nothing it would do — the sandbox writing its files into the session's
 * scratch dir, the server's spawn — happens after the session has cleaned up. (A print run that
 * answered before its server's sandbox was ready left a re-made scratch dir behind.)
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { McpConnection } from '../../src/extensions/mcp/connection.js';
import type { CommandSandbox } from '../../src/tools/types.js';
import { makeTempDir } from '../helpers/temp.js';

it('close() waits for a start that is preparing its sandbox, and the server is never spawned', async () => {
  const dir = makeTempDir('bcode-mcp-close-');
  const spawned = path.join(dir, 'spawned');
  const scratch = path.join(dir, 'scratch');
  const writes: string[] = [];
  let began: () => void;
  const preparing = new Promise<void>((r) => (began = r));
  // The real runner writes its seccomp and mask files into the scratch dir while preparing.
  const sandbox: CommandSandbox = {
    prepare: async (_command, _grant, _cwd, env) => {
      began();
      await new Promise((r) => setTimeout(r, 400));
      mkdirSync(scratch, { recursive: true });
      writes.push('sandbox files');
      return { env, prelude: '', explain: () => undefined };
    },
  };
  const c = new McpConnection({
    name: 'slow',
    config: { type: 'stdio', command: process.execPath, args: ['-e', `require('node:fs').writeFileSync(${JSON.stringify(spawned)}, 'x'); setInterval(() => {}, 1000)`], env: {} },
    cwd: dir,
    childEnv: { PATH: process.env.PATH ?? '' },
    startTimeoutMs: 10_000,
    toolTimeoutMs: 10_000,
    version: 'test',
    onToolsChanged: () => undefined,
    onLost: () => undefined,
    sandbox,
  });
  const started = c.start();
  // Once the start is in the sandbox's preparation, close as a session does when its run has ended.
  await preparing;
  await c.close();
  writes.push('closed');
  await started;
  expect(c.status).toBe('failed');
  // Give a spawn that should not happen the time to show.
  await new Promise((r) => setTimeout(r, 500));
  expect(existsSync(spawned)).toBe(false);
  expect(writes).toEqual(['sandbox files', 'closed']);
});
