/**
 * The interactive UI end to end: the built CLI in a pseudo-terminal (node-pty, screen decoded
 * by xterm headless), an isolated HOME, the emulator playing scripted models. Each test checks
 * the raw byte stream for full-screen clears. Waits are for screen content, never sleeps.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { costOf } from '../../src/bedrock/prices.js';
import type { EmulatorHandle, Scenario } from '../../src/emulator/index.js';
import { formatUsd } from '../../src/ui/output.js';
import { fullScreenClears, typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { spawn as ptySpawn } from '@lydell/node-pty';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const LONG = 90_000;

// The after-each also checks the one rule of a UI that writes the scrollback once: no screen or
// scrollback erase, ever.
const world = ptyWorlds('bcode-tui-');
let emulator: EmulatorHandle | undefined;

async function setup(scenario: Scenario) {
  const w = await world({ scenario });
  emulator = w.emulator;
  const open = (args: string[] = [], size: { cols?: number; rows?: number } = {}, extraEnv: Record<string, string> = {}) => w.open({ args, ...size, env: extraEnv });
  return { home: w.home, project: w.project, env: w.env, open };
}

const modelCalls = () => emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');

describe('interactive UI', () => {
  it('runs a two-turn conversation with approvals: allow once, always allow (rule saved), deny with a reason', async () => {
    const { project, open } = await setup({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'a.txt', content: 'A\n' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch b.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'c.txt', content: 'C\n' } }], stop_reason: 'tool_use' } },
        { match: { lastToolResultContains: 'not now' }, reply: { content: [{ type: 'text', text: 'First turn **done**.' }] } },
        { match: { lastUserTextContains: 'again' }, reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'touch d.txt' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'Second turn done.' }] } },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'make the files');

    await c.waitForScreen(/Write this file\?[\s\S]*a\.txt[\s\S]*1 allow once/);
    c.write('1');
    await c.waitForScreen(/Run this command\?[\s\S]*touch b\.txt[\s\S]*2 always allow Bash\(touch:\*\)/);
    c.write('2');
    await c.waitForScreen(/Write this file\?[\s\S]*c\.txt/);
    c.write('3');
    await c.waitForScreen(/Tell the model why/);
    c.write('not now');
    await c.waitForScreen(/> not now/);
    c.write('\r');
    await c.waitFor(/First turn done\./);

    expect(readFileSync(path.join(project, 'a.txt'), 'utf8')).toBe('A\n');
    expect(existsSync(path.join(project, 'b.txt'))).toBe(true);
    expect(existsSync(path.join(project, 'c.txt'))).toBe(false);
    const local = JSON.parse(readFileSync(path.join(project, '.claude', 'settings.local.json'), 'utf8')) as { permissions: { allow: string[] } };
    expect(local.permissions.allow).toContain('Bash(touch:*)');
    // Each call is one compact line; the saved rule is shown.
    expect(c.all()).toMatch(/● Write a\.txt/);
    expect(c.all()).toMatch(/● Bash touch b\.txt/);
    expect(c.all()).toMatch(/always allowed: Bash\(touch:\*\)/);

    // Second turn: the saved rule answers, nobody is asked.
    await typeLine(c, 'again');
    await c.waitFor(/Second turn done\./);
    expect(existsSync(path.join(project, 'd.txt'))).toBe(true);
    expect(c.all().match(/Run this command\?/g) ?? []).toHaveLength(0);
    expect(modelCalls()).toHaveLength(6);

    // Ctrl-D on an empty input quits.
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('Esc interrupts a long streamed answer (what streamed stays) and the next prompt works', async () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const { open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: words }], chunkChars: 8 }, faults: [{ kind: 'delay', betweenChunksMs: 100 }] },
        { reply: { content: [{ type: 'text', text: 'after the interrupt' }] } },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'talk a lot');
    await c.waitForScreen(/w5 /);
    c.write('\x1b');
    await c.waitFor(/⎿ interrupted/);
    // The partial answer is kept, and it stopped well before the end.
    expect(c.all()).toMatch(/w0 w1 w2 w3 w4 w5/);
    expect(c.all()).not.toMatch(/w199/);
    await typeLine(c, 'go on');
    await c.waitFor(/after the interrupt/);
    expect(modelCalls()).toHaveLength(2);
    // Ctrl-C twice quits.
    c.write('\x03');
    await c.waitForScreen(/Press Ctrl-C again/);
    c.write('\x03');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('/model switches the next request to the alias\'s id; /cost shows the emulator\'s token counts and their price', async () => {
    const { open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: 'answer one' }] } },
        { match: { modelId: HAIKU }, reply: { content: [{ type: 'text', text: 'answer two' }] } },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'first');
    await c.waitFor(/answer one/);
    await typeLine(c, '/model haiku');
    await c.waitFor(/Model set to us\.anthropic\.claude-haiku/);
    await c.waitForScreen(/claude-haiku-4-5 · default · /);
    await typeLine(c, 'second');
    await c.waitFor(/answer two/);
    const calls = modelCalls();
    expect(calls.map((r) => r.modelId)).toEqual([MODEL, HAIKU]);

    await typeLine(c, '/cost');
    await c.waitFor(/tokens: \d+ in/);
    const sum = { in: 0, out: 0, read: 0, write: 0, usd: 0 };
    for (const r of calls) {
      const u = r.usage!;
      sum.in += u.input_tokens;
      sum.out += u.output_tokens;
      sum.read += u.cache_read_input_tokens;
      sum.write += u.cache_creation_input_tokens;
      sum.usd += costOf(r.modelId!, u);
    }
    const all = c.all();
    expect(all).toContain(`tokens: ${sum.in} in, ${sum.out} out, ${sum.read} cache read, ${sum.write} cache write`);
    expect(all).toContain(`cost: ${formatUsd(sum.usd)}`);

    // An unknown command suggests the nearest one.
    await typeLine(c, '/modle');
    await c.waitFor(/unknown command \/modle — did you mean \/model\?/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('`bcode "task"` opens with the task submitted; resizing to 40 columns mid-stream does not break it', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const { open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: `${words}\n\nTHE END` }], chunkChars: 12 }, faults: [{ kind: 'delay', betweenChunksMs: 60 }] },
        { reply: { content: [{ type: 'text', text: 'still here' }] } },
      ],
    });
    const c = open(['tell me a story']);
    await c.waitForScreen(/word3 /);
    c.resize(40, 24);
    await c.waitFor(/THE END/);
    await c.waitForScreen(/\$0\.\d+/);
    // Everything drawn after the resize fits in 40 columns.
    for (const line of c.screen()) expect(line.length).toBeLessThanOrEqual(40);
    await typeLine(c, 'more');
    await c.waitFor(/still here/);
    expect(modelCalls()[0].body).toMatchObject({ messages: [{ role: 'user', content: [{ type: 'text', text: 'tell me a story' }] }] });
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('a fast stream is drawn at most ~30 frames a second', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `sentence ${i} of a quick answer`).join(' ');
    const { open } = await setup({
      turns: [{ reply: { content: [{ type: 'text', text: `${text}\n\nDONE` }], chunkChars: 3 }, faults: [{ kind: 'delay', betweenChunksMs: 3 }] }],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'quick');
    await c.waitForScreen(/sentence 0/);
    const t0 = Date.now();
    const from = c.raw.length;
    await c.waitFor(/DONE/);
    const elapsed = Date.now() - t0;
    // Each frame is one synchronized update (ESC[?2026h … ESC[?2026l).
    const frames = c.raw.slice(from).split('\x1b[?2026h').length - 1;
    const chunks = Math.ceil(text.length / 3);
    expect(frames).toBeGreaterThan(3);
    expect(frames).toBeLessThan(chunks / 2);
    expect(frames).toBeLessThanOrEqual(Math.ceil(elapsed / 33) * 1.5 + 10);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('-c opens the UI on the latest session of the directory', async () => {
    const { project, env, open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: 'remembered' }] } },
        { reply: { content: [{ type: 'text', text: 'continued' }] } },
      ],
    });
    const first = await runCli(['-p', 'remember this'], { cwd: project, env });
    expect(first.stdout).toContain('remembered');
    const c = open(['-c']);
    await c.waitFor(/Resumed session/);
    await typeLine(c, 'and now');
    await c.waitFor(/continued/);
    const messages = (modelCalls()[1].body as { messages: Array<{ role: string }> }).messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('keys and commands: Shift-Tab modes, multi-line input, history (kept per project), Ctrl-C, /clear, /status, /help', async () => {
    const { home, open } = await setup({
      turns: [
        { match: { lastUserTextContains: 'line one\nline two' }, reply: { content: [{ type: 'text', text: 'got both lines' }] } },
        { reply: { content: [{ type: 'text', text: 'a fresh answer' }] } },
      ],
    });
    let c = open();
    await c.waitFor(/\/help for commands/);
    c.write('\x1b[Z');
    await c.waitForScreen(/· acceptEdits ·/);
    c.write('\x1b[Z');
    await c.waitForScreen(/· plan ·/);
    c.write('\x1b[Z');
    if (process.getuid?.() === 0) {
      // bypassPermissions is refused as root (without IS_SANDBOX=1): one line says so, the cycle goes on.
      await c.waitForScreen(/bypassPermissions refused/);
      await c.waitForScreen(/· default ·/);
    } else {
      await c.waitForScreen(/· bypassPermissions ·/);
      c.write('\x1b[Z');
      await c.waitForScreen(/· default ·/);
    }

    // A backslash before Enter makes a new line.
    c.write('line one\\');
    await c.waitForScreen(/> line one\\/);
    c.write('\r');
    await c.waitForScreen(/> line one\s*\n\s+$/m);
    c.write('line two');
    await c.waitForScreen(/ {2}line two/);
    c.write('\r');
    await c.waitFor(/got both lines/);

    // ↑ brings the prompt back; Ctrl-C clears it.
    c.write('\x1b[A');
    await c.waitForScreen(/> line one\n {2}line two/);
    c.write('\x03');
    await c.waitForScreen(/Press Ctrl-C again to exit/);
    expect(c.screen().join('\n')).toMatch(/^> *\nPress Ctrl-C again to exit/m);

    await typeLine(c, '/clear');
    await c.waitFor(/Started a new conversation\./);
    await typeLine(c, 'fresh start');
    await c.waitFor(/a fresh answer/);
    expect((modelCalls()[1].body as { messages: unknown[] }).messages).toHaveLength(1);

    await typeLine(c, '/status');
    await c.waitFor(/credentials: access keys in the environment/);
    expect(c.all()).toMatch(/region: us-east-1/);
    expect(c.all()).toMatch(/permission mode: default/);
    await typeLine(c, '/help');
    await c.waitFor(/\/cost +tokens and dollars of this session/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);

    // The history outlives the process (under the config dir, per project).
    const dir = path.join(home, '.claude', 'bcode', 'history');
    const [file] = readdirSync(dir);
    expect(readFileSync(path.join(dir, file), 'utf8')).toContain(JSON.stringify('line one\nline two'));
    expect(fullScreenClears(c.raw)).toBe(0);
    c = open();
    await c.waitFor(/\/help for commands/);
    c.write('\x1b[A');
    await c.waitForScreen(/> \/help/);
    // Two Ctrl-C quit whatever the input holds.
    c.write('\x03');
    await c.waitForScreen(/Press Ctrl-C again/);
    c.write('\x03');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('/login runs awsAuthRefresh now and shows its output and the credential source', async () => {
    const { project, open } = await setup({ turns: [] });
    mkdirSync(path.join(project, '.claude'));
    writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify({ awsAuthRefresh: 'echo signed in as tester' }));
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '/login');
    await c.waitFor(/signed in as tester/);
    await c.waitFor(/Credentials now in use: environment/);
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('statusLine: the command gets the session as JSON and its first line replaces the status line; after /model it is run again; a failing command brings back the built-in line', async () => {
    const { project, open } = await setup({ turns: [] });
    mkdirSync(path.join(project, '.claude'));
    const script = path.join(project, 'status.sh');
    // Fails once the model is haiku: the built-in line (with its cost) must come back.
    writeFileSync(script, `#!/bin/bash\nj=$(cat)\ncase "$j" in *haiku*) exit 1;; esac\npython3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("CUSTOM", d["model"]["id"], d["workspace"]["current_dir"].endswith("project"))' "$j"\necho second-line-ignored\n`);
    writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: `bash ${script}`, padding: 2 } }));
    const c = open();
    // `padding` leaves columns free before the line.
    await c.waitForScreen(new RegExp(`^  CUSTOM ${MODEL.replace(/[.:]/g, '\\$&')} True`, 'm'));
    expect(c.screen().join('\n')).not.toContain('second-line-ignored');
    await typeLine(c, '/model haiku');
    await c.waitForScreen(/\$0\.0000/);
    expect(c.screen().join('\n')).not.toContain('CUSTOM');
    c.write('\x04');
    expect(await c.waitExit()).toBe(0);
  }, LONG);

  it('NO_COLOR turns colour off (FORCE_COLOR=0 too); colour is on by default', async () => {
    const { open } = await setup({ turns: [] });
    // Foreground colours, e.g. the /help text and the yellow hint.
    const colour = new RegExp(`${String.fromCharCode(27)}\\[3[0-9]m`);
    for (const [extra, coloured] of [
      [{ NO_COLOR: '1' }, false],
      [{ FORCE_COLOR: '0' }, false],
      [{}, true],
    ] as const) {
      const c = open([], {}, extra);
      await c.waitFor(/\/help for commands/);
      await typeLine(c, '/nope');
      await c.waitFor(/unknown command/);
      expect(colour.test(c.raw), JSON.stringify(extra)).toBe(coloured);
      c.write('\x04');
      expect(await c.waitExit()).toBe(0);
      expect(fullScreenClears(c.raw)).toBe(0);
    }
  }, LONG);

  it('without a terminal, `bcode "task"` stays print mode', async () => {
    const { project, env } = await setup({ turns: [{ reply: { content: [{ type: 'text', text: 'printed answer' }] } }] });
    const r = await runCli(['say it'], { cwd: project, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('printed answer\n');
    // A terminal on stdin but output to a file, and no task: a usage error, not a UI drawn into the file.
    const out = path.join(project, 'out.txt');
    const sh = ptySpawn('/bin/sh', ['-c', `"${process.execPath}" "${CLI_PATH}" > "${out}"; echo "exit=$?"`], { cwd: project, env: { PATH: process.env.PATH ?? '', ...env }, cols: 80, rows: 24 });
    let seen = '';
    sh.onData((d) => (seen += d));
    await new Promise<void>((resolve) => sh.onExit(() => resolve()));
    expect(seen).toContain('the interactive UI needs a terminal on stdout');
    expect(seen).toContain('exit=2');
    expect(readFileSync(out, 'utf8')).toBe('');
  });
});
