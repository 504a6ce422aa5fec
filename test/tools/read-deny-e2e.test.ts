/**
 * Read deny rules hold for every file tool, through the built CLI against the emulator: a
 * search rooted above a denied file does not return it, a listing does not show it, and a
 * symlink or `..` spelling does not reach it. Asserted on what Bedrock received.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';

let box: Sandbox | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

const CANARY = 'CANARY_DENIED_7f3a';

it('Grep, Glob, LS, Read and a sub-agent never return a Read-denied file', async () => {
  const calls = (p: string) => [
    { type: 'tool_use' as const, id: 't_grep', name: 'Grep', input: { pattern: 'CANARY', output_mode: 'content' } },
    { type: 'tool_use' as const, id: 't_grep_files', name: 'Grep', input: { pattern: 'CANARY' } },
    { type: 'tool_use' as const, id: 't_grep_count', name: 'Grep', input: { pattern: 'CANARY', output_mode: 'count', path: p } },
    { type: 'tool_use' as const, id: 't_glob', name: 'Glob', input: { pattern: '**/*' } },
    { type: 'tool_use' as const, id: 't_ls', name: 'LS', input: { path: p } },
    { type: 'tool_use' as const, id: 't_read_link', name: 'Read', input: { file_path: `${p}/link` } },
    { type: 'tool_use' as const, id: 't_read_dotdot', name: 'Read', input: { file_path: `${p}/sub/../secrets/key.txt` } },
  ];
  box = await sandbox({ turns: [] });
  const p = box.project;
  box.emulator.setScenario({
    turns: [
      { reply: { content: [{ type: 'text', text: 'Looking.' }, ...calls(p)], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'tool_use', id: 't_task', name: 'Task', input: { description: 'find canary', prompt: 'grep it' } }], stop_reason: 'tool_use' } },
      // The sub-agent's own turn: the same search, under the same policy.
      { reply: { content: [{ type: 'tool_use', id: 't_sub_grep', name: 'Grep', input: { pattern: 'CANARY', output_mode: 'content' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'sub-agent done' }] } },
      { reply: { content: [{ type: 'text', text: 'Done.' }] } },
    ],
  });
  writeFileSync(path.join(box.project, '.env'), `${CANARY}_ENV\n`);
  mkdirSync(path.join(box.project, 'secrets'));
  mkdirSync(path.join(box.project, 'sub'));
  writeFileSync(path.join(box.project, 'secrets', 'key.txt'), `${CANARY}_KEY\n`);
  writeFileSync(path.join(box.project, 'ok.txt'), 'CANARY_visible\n');
  symlinkSync('.env', path.join(box.project, 'link'));
  const settings = { permissions: { deny: ['Read(.env)', 'Read(./secrets/**)'] } };
  const r = await box.run(['-p', 'go', '--output-format', 'json', '--settings', JSON.stringify(settings)]);
  expect(r.code).toBe(0);
  const requests = modelRequests(box.emulator);
  expect(requests.length).toBe(5);
  for (const req of requests) expect(JSON.stringify(req.body)).not.toContain(`${CANARY}_`);
  // The searches did run and found the visible file.
  const messages = (requests[1]!.body as { messages: Array<{ content: unknown }> }).messages;
  const told = Object.fromEntries(
    (messages[messages.length - 1]!.content as Array<{ tool_use_id: string; content: string }>).map((b) => [b.tool_use_id, typeof b.content === 'string' ? b.content : JSON.stringify(b.content)]),
  );
  expect(told.t_grep).toContain('ok.txt:1:CANARY_visible');
  expect(told.t_grep_files).toContain('ok.txt');
  expect(told.t_grep_count).toContain('ok.txt:1');
  expect(told.t_glob).toContain('ok.txt');
  expect(told.t_ls).toContain('ok.txt');
  for (const id of ['t_grep', 't_grep_files', 't_grep_count', 't_glob', 't_ls']) expect(told[id], id).not.toMatch(/\.env|key\.txt/);
  const denials = JSON.parse(r.stdout).permission_denials.map((d: { tool_use_id: string }) => d.tool_use_id);
  expect(denials).toEqual(['t_read_link', 't_read_dotdot']);
});
