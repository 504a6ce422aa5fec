/**
 * `--fork-session` through the built CLI: the resumed conversation continues under a new id in a
 * new transcript; the original file stays byte for byte as it was; the fork's first request has
 * the same prefix as the original's last one, so the emulator serves it from the cache.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sanitizeCwd } from '../../src/session/transcript.js';
import { modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const bare = (messages: unknown[]) => JSON.stringify(messages, (k, v: unknown) => (k === 'cache_control' ? undefined : v));
type Body = { system: unknown; tools: unknown; messages: unknown[] };

it('--continue --fork-session continues under a new id; the original transcript is unchanged; the prefix is read from cache', async () => {
  sb = await sandbox({
    turns: [
      { match: { lastUserTextContains: 'BLUE' }, reply: { content: [{ type: 'text', text: 'Noted.' }] } },
      { match: { lastUserTextContains: 'which word' }, reply: { content: [{ type: 'text', text: 'BLUE' }] } },
      { match: { lastUserTextContains: 'original' }, reply: { content: [{ type: 'text', text: 'still here' }] } },
    ],
  });
  const first = JSON.parse((await sb.run(['-p', 'remember the word BLUE', '--output-format', 'json'])).stdout) as { session_id: string };
  const dir = path.join(sb.home, '.claude', 'projects', sanitizeCwd(sb.project));
  const original = path.join(dir, `${first.session_id}.jsonl`);
  const before = sha(original);

  const forked = await sb.run(['-p', '-c', '--fork-session', 'which word did I say?', '--output-format', 'json']);
  expect(forked.stderr).toBe('');
  const out = JSON.parse(forked.stdout) as { session_id: string; result: string };
  expect(out.result).toBe('BLUE');
  expect(out.session_id).not.toBe(first.session_id);
  expect(sha(original)).toBe(before);

  const copy = readFileSync(path.join(dir, `${out.session_id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; sessionId?: string; forkedFrom?: string });
  expect(copy[0]).toMatchObject({ type: 'version', sessionId: out.session_id, forkedFrom: first.session_id });
  // The history, copied: the original's lines (its version line aside), then the fork's turn.
  const originalLines = readFileSync(original, 'utf8').trim().split('\n');
  expect(copy.slice(1, originalLines.length).map((l) => JSON.stringify(l))).toEqual(originalLines.slice(1).map((l) => JSON.stringify(JSON.parse(l))));
  expect(copy.slice(originalLines.length).map((l) => l.type)).toEqual(['user', 'assistant', 'usage']);

  const [a, b] = modelRequests(sb.emulator);
  const bodyA = a!.body as Body;
  const bodyB = b!.body as Body;
  expect(JSON.stringify(bodyB.system)).toBe(JSON.stringify(bodyA.system));
  expect(JSON.stringify(bodyB.tools)).toBe(JSON.stringify(bodyA.tools));
  expect(bare(bodyB.messages.slice(0, 1))).toBe(bare(bodyA.messages));
  expect(b!.usage!.cache_read_input_tokens).toBeGreaterThan(0);
  // Print mode asks for no title.
  expect(modelRequests(sb.emulator).every((r) => r.modelId === a!.modelId)).toBe(true);

  // The original goes on by itself.
  const again = await sb.run(['-p', '-r', first.session_id, 'and the original?']);
  expect(again.stdout).toBe('still here\n');
  expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2);
});

it('--fork-session without a session to fork is a usage error', async () => {
  sb = await sandbox({ turns: [] });
  const r = await sb.run(['-p', '--fork-session', 'hi']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^bcode: --fork-session needs --resume <id> or --continue\n {2}hint: /);
  expect(modelRequests(sb.emulator)).toHaveLength(0);
});
