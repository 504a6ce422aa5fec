/** Project memory through the session engine: in the system prompt of every request, byte for byte, cached; import problems become notices. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createSession } from '../../src/session/create.js';
import { sessionConfig } from './fixture.js';

let root: string;
let emulator: EmulatorHandle;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-session-memory-'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});
afterEach(async () => {
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

it('memory files are in every request\'s system prompt, byte-identical and read from cache; a missing import is a notice', async () => {
  const project = path.join(root, 'project');
  mkdirSync(path.join(root, 'config'));
  writeFileSync(path.join(root, 'config', 'CLAUDE.md'), 'USER-MEMORY: answer briefly.');
  writeFileSync(path.join(project, 'CLAUDE.md'), 'PROJECT-MEMORY: run make check. See @docs/gone.md');
  writeFileSync(path.join(project, 'CLAUDE.local.md'), 'LOCAL-MEMORY: my editor is vim.');
  emulator = await startEmulator({
    scenario: {
      turns: [
        { match: { systemContains: 'LOCAL-MEMORY' }, reply: { content: [{ type: 'text', text: 'one' }] } },
        { match: { systemContains: 'USER-MEMORY' }, reply: { content: [{ type: 'text', text: 'two' }] } },
      ],
    },
  });
  const config = await sessionConfig(root, emulator.url, { CLAUDE_CONFIG_DIR: path.join(root, 'config') });
  const events: AgentEvent[] = [];
  const session = await createSession(config, { frontEnd: { emit: (e) => events.push(e) } });
  expect((await session.submit('first')).result).toBe('one');
  expect((await session.submit('second')).result).toBe('two');
  await session.close();

  const calls = emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
  const system = calls.map((c) => JSON.stringify((c.body as { system: unknown }).system));
  expect(system[1]).toBe(system[0]);
  const text = system[0]!;
  expect(text.indexOf('USER-MEMORY')).toBeLessThan(text.indexOf('PROJECT-MEMORY'));
  expect(text.indexOf('PROJECT-MEMORY')).toBeLessThan(text.indexOf('LOCAL-MEMORY'));
  // The second request reads the whole system prompt (memory included) from the cache.
  expect(calls[1]!.usage!.cache_read_input_tokens).toBeGreaterThanOrEqual(calls[0]!.usage!.cache_creation_input_tokens);
  const notices = events.filter((e) => e.type === 'notice').map((e) => (e as { text: string }).text);
  expect(notices).toEqual([`bcode: memory: ${path.join(project, 'CLAUDE.md')} imports docs/gone.md, which does not exist or cannot be read (${path.join(project, 'docs', 'gone.md')})`]);
});
