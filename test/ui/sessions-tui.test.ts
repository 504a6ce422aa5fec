/**
 * Sessions in the interactive UI, end to end (the built CLI in a pseudo-terminal against the
 * emulator, an isolated HOME): the title made by the small model after the first turn, /rewind
 * (and Esc Esc) restoring code and conversation, `bcode -r` without an id picking a session
 * whose earlier messages then fill the scrollback, and /resume switching sessions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { EmulatorHandle, Scenario } from '../../src/emulator/index.js';
import { type PtyCli, typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';
import { runCli } from '../helpers/run-cli.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const LONG = 90_000;

const world = ptyWorlds('bcode-sessions-tui-');
let emulator: EmulatorHandle | undefined;

async function setup(scenario: Scenario) {
  const w = await world({
    scenario,
    // Titles on: this file tests them.
    env: { DISABLE_NON_ESSENTIAL_MODEL_CALLS: '', ANTHROPIC_MODEL: MODEL, ANTHROPIC_SMALL_FAST_MODEL: HAIKU },
    cols: 100,
    rows: 30,
  });
  emulator = w.emulator;
  const open = (args: string[] = []) => w.open({ args });
  const sessionsDir = () => {
    const dir = path.join(w.home, '.claude', 'projects');
    return path.join(dir, readdirSync(dir)[0]!);
  };
  return { project: w.project, env: w.env, open, sessionsDir };
}

const modelCalls = () => emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');
type Body = { messages: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }> };
const texts = (b: Body) => b.messages.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((c) => c.text ?? c.type).join('|')));

/** The input box's line: the one above the status line. */
function inputLine(c: PtyCli): string | undefined {
  const rows = c.screen();
  const status = rows.findLastIndex((l) => / · (default|acceptEdits) · /.test(l));
  return status > 0 ? rows[status - 1]!.trimEnd() : undefined;
}

async function until(test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('titles the session after the first turn; /rewind restores code and conversation; Esc Esc opens it', async () => {
  const { project, open, sessionsDir } = await setup({
    sideModels: [HAIKU],
    side: [{ reply: { content: [{ type: 'text', text: '"Greeting files setup."' }] } }],
    turns: [
      { match: { lastUserTextContains: 'one' }, reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'a.txt', content: 'a1\n' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'done one' }] } },
      { match: { lastUserTextContains: 'two' }, reply: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: 'a.txt', old_string: 'a1', new_string: 'a2' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'done two' }] } },
      { match: { lastUserTextContains: 'three' }, reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'c.txt', content: 'c3\n' } }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'done three' }] } },
      { match: { lastUserTextContains: 'instead' }, reply: { content: [{ type: 'text', text: 'a different way' }] } },
    ],
  });
  const c = open(['--permission-mode', 'acceptEdits']);
  await c.waitFor(/\/help for commands/);
  await typeLine(c, 'one');
  await c.waitFor(/done one/);
  // The title: one small-model call after the first turn, its line in the transcript.
  await until(() => modelCalls().some((r) => r.modelId === HAIKU), 'the title request');
  const titleCall = modelCalls().find((r) => r.modelId === HAIKU)!;
  expect(JSON.stringify(titleCall.body)).toContain('<request>\\none\\n</request>');
  const transcript = () => readdirSync(sessionsDir()).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(sessionsDir(), f))[0]!;
  await until(() => readFileSync(transcript(), 'utf8').includes('"type":"title"'), 'the title line');
  expect(readFileSync(transcript(), 'utf8')).toContain('"title":"Greeting files setup"');

  await typeLine(c, 'two');
  await c.waitFor(/done two/);
  await typeLine(c, 'three');
  await c.waitFor(/done three/);
  expect(readFileSync(path.join(project, 'a.txt'), 'utf8')).toBe('a2\n');
  expect(modelCalls().filter((r) => r.modelId === HAIKU)).toHaveLength(1);

  // Esc Esc on the empty prompt opens the picker; Esc closes it.
  c.write('\x1b');
  await new Promise((r) => setTimeout(r, 100));
  c.write('\x1b');
  await c.waitForScreen(/Rewind to just before which of your messages\?/);
  c.write('\x1b');
  await c.waitForScreen(/^(?![\s\S]*Rewind to just before)/);

  await typeLine(c, '/rewind');
  await c.waitForScreen(/❯ 3\. three/);
  expect(c.screen().join('\n')).toMatch(/1\. one[\s\S]*2\. two/);
  c.write('\x1b[A'); // up: "two"
  await c.waitForScreen(/❯ 2\. two/);
  c.write('\r');
  await c.waitForScreen(/Restore code and conversation[\s\S]*Restore conversation only[\s\S]*Restore code only/);
  c.write('\r');
  await c.waitFor(/Rewound to before message 2: restored 2 files; the conversation is back to before that message\./);
  expect(readFileSync(path.join(project, 'a.txt'), 'utf8')).toBe('a1\n');
  expect(existsSync(path.join(project, 'c.txt'))).toBe(false);
  // The rewound prompt is back in the input box.
  await c.waitFor(() => inputLine(c) === '> two', 20_000, 'the prompt back in the input box');
  c.write('\x15'); // Ctrl-U clears it
  await c.waitFor(() => inputLine(c) === '>', 20_000, 'an empty input box');
  await typeLine(c, 'instead');
  await c.waitFor(/a different way/);
  const last = modelCalls().filter((r) => r.modelId === MODEL).at(-1)!.body as Body;
  expect(texts(last)).toEqual(['one', 'tool_use', 'tool_result', 'done one', 'instead']);
  c.write('\x04');
  expect(await c.waitExit()).toBe(0);
}, LONG);

it('`bcode -r` without an id picks a session and shows its earlier messages; /resume switches to another', async () => {
  const { project, env, open } = await setup({
    turns: [
      { match: { lastUserTextContains: 'BLUE' }, reply: { content: [{ type: 'text', text: 'Noted **BLUE**.' }] } },
      { match: { lastUserTextContains: 'GREEN' }, reply: { content: [{ type: 'text', text: 'Noted GREEN.' }] } },
      { match: { lastUserTextContains: 'which colour' }, reply: { content: [{ type: 'text', text: 'It was BLUE.' }] } },
      { match: { lastUserTextContains: 'and now' }, reply: { content: [{ type: 'text', text: 'Now GREEN.' }] } },
    ],
  });
  expect((await runCli(['-p', 'remember the colour BLUE'], { cwd: project, env })).code).toBe(0);
  await new Promise((r) => setTimeout(r, 20)); // distinct modification times: newest first
  expect((await runCli(['-p', 'remember the colour GREEN'], { cwd: project, env })).code).toBe(0);

  const c = open(['-r']);
  await c.waitForScreen(/Resume which session\?/);
  expect(c.screen().join('\n')).toMatch(/1\. remember the colour GREEN · just now · 1 turn · \$0\.\d+[\s\S]*2\. remember the colour BLUE/);
  c.write('2');
  await c.waitFor(/Resuming: remember the colour BLUE[\s\S]*Resumed session/);
  expect(c.all()).not.toMatch(/Resume which session\?/);
  await c.waitFor(/> remember the colour BLUE[\s\S]*Noted BLUE\./);
  await typeLine(c, 'which colour?');
  await c.waitFor(/It was BLUE\./);
  expect(texts(modelCalls().filter((r) => r.modelId !== HAIKU).at(-1)!.body as Body)).toEqual(['remember the colour BLUE', 'Noted **BLUE**.', 'which colour?']);

  await typeLine(c, '/resume');
  await c.waitForScreen(/Resume which session\?/);
  expect(c.screen().join('\n')).toMatch(/remember the colour BLUE \(this session\)/);
  // The BLUE session was just written to: GREEN is second now.
  expect(c.screen().join('\n')).toMatch(/2\. remember the colour GREEN/);
  c.write('2');
  await c.waitFor(/Resumed session [\s\S]*> remember the colour GREEN[\s\S]*Noted GREEN\./);
  await typeLine(c, 'and now?');
  await c.waitFor(/Now GREEN\./);
  expect(texts(modelCalls().filter((r) => r.modelId !== HAIKU).at(-1)!.body as Body)).toEqual(['remember the colour GREEN', 'Noted GREEN.', 'and now?']);
  c.write('\x04');
  expect(await c.waitExit()).toBe(0);
}, LONG);
