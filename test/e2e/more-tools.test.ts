/**
 * MultiEdit, TodoWrite and background shells (Bash run_in_background → BashOutput → KillShell)
 * through the built CLI, a scripted model and the emulator: what changed on disk, which processes
 * run, and what the model was told in the next request.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolResultBlock } from '../../src/bedrock/anthropic.js';
import type { RecordedRequest, Scenario } from '../../src/emulator/index.js';
import { isRunning } from '../helpers/process.js';
import { assertConsistent, modelRequests, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** The tool results sent in request `i` (its last user message). */
function results(i: number): ToolResultBlock[] {
  const req: RecordedRequest | undefined = modelRequests(sb!.emulator)[i];
  const msgs = (req?.body as { messages: Array<{ content: ToolResultBlock[] | string }> }).messages;
  const last = msgs[msgs.length - 1].content;
  return Array.isArray(last) ? last.filter((b) => b.type === 'tool_result') : [];
}
const textOf = (r: ToolResultBlock) => (typeof r.content === 'string' ? r.content : JSON.stringify(r.content));

/** One tool call per turn, then a closing answer; each turn waits for the previous result. */
function calls(steps: Array<{ name: string; input: Record<string, unknown>; after?: string }>, final = 'Done.'): Scenario {
  return {
    turns: [
      ...steps.map((s) => ({ ...(s.after ? { match: { lastToolResultContains: s.after } } : {}), reply: { content: [{ type: 'tool_use' as const, name: s.name, input: s.input }] } })),
      { reply: { content: [{ type: 'text' as const, text: final }] } },
    ],
  };
}

describe('MultiEdit through the CLI', () => {
  const ORIGINAL = 'const a = 1;\nconst b = 2;\nexport { a, b };\n';

  it('applies its edits in order, each to the result of the previous one', async () => {
    sb = await sandbox(
      calls([
        { name: 'Read', input: { file_path: 'm.ts' } },
        { name: 'MultiEdit', after: 'const a', input: { file_path: 'm.ts', edits: [{ old_string: 'const a = 1;', new_string: 'const alpha = 1;' }, { old_string: 'alpha', new_string: 'first', replace_all: true }, { old_string: 'export { a, b }', new_string: 'export { first, b }' }] } },
      ]),
    );
    writeFileSync(path.join(sb.project, 'm.ts'), ORIGINAL);
    const r = await sb.run(['-p', 'rename a', '--permission-mode', 'acceptEdits']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(sb.project, 'm.ts'), 'utf8')).toBe('const first = 1;\nconst b = 2;\nexport { first, b };\n');
    const [res] = results(2);
    expect(res.is_error).toBeFalsy();
    expect(textOf(res)).toContain('3 replacements');
    expect(readdirSync(sb.project)).toEqual(['m.ts']);
    assertConsistent(sb.transcript());
  });

  it('applies none of them when one fails, and tells the model which one', async () => {
    sb = await sandbox(
      calls([
        { name: 'Read', input: { file_path: 'm.ts' } },
        { name: 'MultiEdit', after: 'const a', input: { file_path: 'm.ts', edits: [{ old_string: 'const a = 1;', new_string: 'const a = 10;' }, { old_string: 'const c = 3;', new_string: 'const c = 30;' }] } },
      ]),
    );
    writeFileSync(path.join(sb.project, 'm.ts'), ORIGINAL);
    const r = await sb.run(['-p', 'change things', '--permission-mode', 'acceptEdits']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(sb.project, 'm.ts'), 'utf8')).toBe(ORIGINAL);
    const [res] = results(2);
    expect(res.is_error).toBe(true);
    expect(textOf(res)).toMatch(/^Edit 2 of 2: .*No edits were applied\./s);
  });

  it('is refused without an edit permission in print mode, and the file stays as it was', async () => {
    sb = await sandbox(
      calls([
        { name: 'Read', input: { file_path: 'm.ts' } },
        { name: 'MultiEdit', after: 'const a', input: { file_path: 'm.ts', edits: [{ old_string: 'const a = 1;', new_string: 'const a = 10;' }] } },
      ]),
    );
    writeFileSync(path.join(sb.project, 'm.ts'), ORIGINAL);
    const r = await sb.run(['-p', 'change things']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(sb.project, 'm.ts'), 'utf8')).toBe(ORIGINAL);
    expect(results(2)[0].is_error).toBe(true);
  });
});

describe('TodoWrite through the CLI', () => {
  const todos = [
    { content: 'Read the code', status: 'completed', activeForm: 'Reading the code' },
    { content: 'Fix the bug', status: 'in_progress', activeForm: 'Fixing the bug' },
    { content: 'Run the tests', status: 'pending', activeForm: 'Running the tests' },
  ];

  it('needs no permission, answers with the progress, nudges on two items in progress, and refuses a bad status', async () => {
    sb = await sandbox(
      calls([
        { name: 'TodoWrite', input: { todos } },
        { name: 'TodoWrite', after: '1/3 done', input: { todos: todos.map((t) => ({ ...t, status: t.status === 'pending' ? 'in_progress' : t.status })) } },
        { name: 'TodoWrite', after: 'one at a time', input: { todos: [{ ...todos[0], status: 'finished' }] } },
      ]),
    );
    const r = await sb.run(['-p', 'plan the work', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    expect(textOf(results(1)[0])).toBe('Todo list updated (1/3 done).');
    expect(textOf(results(2)[0])).toBe('Todo list updated (1/3 done). Note: 2 items are in_progress; work on one at a time.');
    const bad = results(3)[0];
    expect(bad.is_error).toBe(true);
    expect(textOf(bad)).toMatch(/status/);
    // Consumers of stream-json see the list the model wrote.
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: { content: Array<{ type: string; name?: string; input?: unknown }> } });
    const first = lines.flatMap((l) => (l.type === 'assistant' ? l.message!.content : [])).find((b) => b.type === 'tool_use' && b.name === 'TodoWrite');
    expect(first?.input).toEqual({ todos });
    assertConsistent(sb.transcript());
  });
});

describe('background shells through the CLI', () => {
  /** Processes whose command line holds `marker` (seen from the host, whatever sandbox they run in). */
  function processesWith(marker: string): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker) && isRunning(Number(entry))) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  const ticker = (marker: string) => `: ${marker}; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done`;

  /** Polls for the marker's processes while the CLI runs; `seen` holds the last non-empty find. */
  function watchFor(marker: string) {
    const w = { seen: [] as number[], stop: () => clearInterval(timer) };
    const timer = setInterval(() => {
      const found = processesWith(marker);
      if (found.length) w.seen = found;
    }, 20);
    return w;
  }

  it('starts one, reads its new output with BashOutput, stops it and its processes with KillShell', async () => {
    const marker = `bcode_bg_${process.pid}_${Date.now()}`;
    // Snapshot of the marker's processes when each model request has been answered.
    const atRequest: number[][] = [];
    sb = await sandbox(
      calls(
        [
          { name: 'Bash', input: { command: ticker(marker), description: 'Tick', run_in_background: true } },
          { name: 'Bash', after: 'bash_1', input: { command: 'sleep 0.4', description: 'Wait' } },
          { name: 'BashOutput', input: { bash_id: 'bash_1', filter: '^tick [0-9]+$' } },
          { name: 'BashOutput', after: 'tick 0', input: { bash_id: 'bash_1' } },
          { name: 'KillShell', after: 'bash_1: running', input: { shell_id: 'bash_1' } },
          { name: 'BashOutput', after: 'Killed bash_1', input: { bash_id: 'bash_1' } },
          { name: 'KillShell', after: 'bash_1: killed', input: { shell_id: 'bash_9' } },
        ],
        'Stopped.',
      ),
      { emulator: { onRequest: () => atRequest.push(processesWith(marker)) } },
    );
    const r = await sb.run(['-p', 'tick in the background', '--allowedTools', 'Bash']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Stopped.\n');
    expect(textOf(results(1)[0])).toMatch(/Started background shell bash_1\./);
    // Running from the start until KillShell; gone when its result reached the model.
    expect(atRequest[1].length, 'running after the start').toBeGreaterThan(0);
    expect(atRequest[4].length, 'running before KillShell').toBeGreaterThan(0);
    expect(atRequest[5], 'gone once KillShell answered').toEqual([]);
    // The filtered read holds only tick lines, in order, from the first.
    expect(textOf(results(3)[0])).toMatch(/^\[bash_1: running\]\ntick 0\ntick 1\n/);
    // The next read shows only what came since.
    expect(textOf(results(4)[0])).toMatch(/^\[bash_1: running\]\n/);
    expect(textOf(results(4)[0])).not.toMatch(/^tick 0$/m);
    expect(textOf(results(5)[0])).toBe('Killed bash_1.');
    expect(textOf(results(6)[0])).toMatch(/^\[bash_1: killed\]/);
    const unknown = results(7)[0];
    expect(unknown.is_error).toBe(true);
    expect(textOf(unknown)).toContain('No background shell "bash_9"');
    assertConsistent(sb.transcript());
  });

  it('stops a background shell the model never killed when the CLI exits', async () => {
    const marker = `bcode_bg_${process.pid}_${Date.now()}_left`;
    sb = await sandbox(calls([{ name: 'Bash', input: { command: ticker(marker), description: 'Tick', run_in_background: true } }], 'Left it running.'));
    const w = watchFor(marker);
    const r = await sb.run(['-p', 'tick and leave', '--allowedTools', 'Bash']);
    w.stop();
    expect(r.code).toBe(0);
    expect(w.seen.length, 'the background shell was seen running').toBeGreaterThan(0);
    expect(processesWith(marker)).toEqual([]);
  });
});
