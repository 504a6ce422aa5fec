import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { assertConsistent, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

it.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a running Bash exits %i with a consistent transcript and intact files', async (signal, exitCode) => {
  sb = await sandbox({
    turns: [
      {
        reply: {
          content: [
            { type: 'tool_use', name: 'Bash', input: { command: 'touch started.flag && sleep 30', description: 'Wait a while' } },
            { type: 'tool_use', name: 'Read', input: { file_path: 'keep.txt' } },
          ],
          stop_reason: 'tool_use',
        },
      },
    ],
  });
  writeFileSync(path.join(sb.project, 'keep.txt'), 'precious\n');
  let sent = false;
  const flag = path.join(sb.project, 'started.flag');
  const r = await sb.run(['-p', 'wait', '--verbose', '--allowedTools', 'Bash(touch:*)', 'Bash(sleep:*)'], {
    timeoutMs: 20_000,
    onSpawn: (child) => {
      // Interrupt once the command is really running (the flag file exists).
      const poll = setInterval(() => {
        if (existsSync(flag)) {
          clearInterval(poll);
          sent = true;
          child.kill(signal);
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(sent).toBe(true);
  expect(r.signal).toBeNull();
  expect(r.code).toBe(exitCode);
  expect(r.stderr).toContain('bcode: interrupted');
  expect(readFileSync(path.join(sb.project, 'keep.txt'), 'utf8')).toBe('precious\n');
  const entries = sb.transcript();
  assertConsistent(entries);
  const last = entries[entries.length - 1];
  expect(last.type).toBe('user');
  const results = last.message.content as Array<{ tool_use_id: string; content: string; is_error?: boolean }>;
  expect(results).toHaveLength(2);
  expect(results.every((x) => x.is_error && /Interrupted by the user/.test(x.content))).toBe(true);
});

it('a second signal exits at once, and the session scratch dir still goes', async () => {
  sb = await sandbox({
    turns: [{ reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch started.flag && sleep 30', description: 'Wait a while' } }], stop_reason: 'tool_use' } }],
  });
  const flag = path.join(sb.project, 'started.flag');
  const tmp = path.join(path.dirname(sb.project), 'tmp');
  let sent = 0;
  const r = await sb.run(['-p', 'wait', '--allowedTools', 'Bash(touch:*)', 'Bash(sleep:*)'], {
    timeoutMs: 20_000,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (!existsSync(flag)) return;
        clearInterval(poll);
        // The second a moment later (signals of one kind do not queue), while the first is still being handled.
        child.kill('SIGTERM');
        sent = 1;
        setTimeout(() => {
          child.kill('SIGTERM');
          sent = 2;
        }, 5);
      }, 20);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(sent).toBe(2);
  expect(r.signal).toBeNull();
  expect([130, 143]).toContain(r.code);
  expect(readdirSync(tmp).filter((n) => n.startsWith('bcode-'))).toEqual([]);
});
