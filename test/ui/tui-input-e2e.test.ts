/**
 * The input box's features end to end, in a pseudo-terminal against the emulator: `!command`,
 * `@` mentions and their completion, `/` completion, prompts queued while a turn runs, Ctrl-R
 * history search, large pastes folded, `#` memory lines, /permissions and /config.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { lastUserText } from '../../src/emulator/scenario.js';
import { fullScreenClears, PtyCli, typeLine, ptyBedrockEnv } from '../helpers/pty.js';
import { makeTempDir } from '../helpers/temp.js';

const LONG = 90_000;

let emulator: EmulatorHandle | undefined;
let cli: PtyCli | undefined;

afterEach(async () => {
  if (cli) {
    expect(fullScreenClears(cli.raw)).toBe(0);
    // Quit as a person does (Ctrl-C twice), so the session removes its scratch directory.
    if (cli.exitCode === undefined) {
      const c = cli;
      await (async () => {
        c.write('\x03');
        await c.waitForScreen(/Ctrl-C again/, 5_000);
        c.write('\x03');
        await c.waitExit(10_000);
      })().catch(() => c.kill());
    }
  }
  cli = undefined;
  await emulator?.close();
  emulator = undefined;
});

async function setup(scenario: Scenario, settings?: unknown) {
  const dir = makeTempDir('bcode-tui-input-');
  const home = path.join(dir, 'home');
  const project = path.join(dir, 'project');
  mkdirSync(home);
  mkdirSync(path.join(project, '.git'), { recursive: true });
  if (settings) {
    mkdirSync(path.join(project, '.claude'));
    writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify(settings));
  }
  emulator = await startEmulator({ scenario });
  const env = ptyBedrockEnv(emulator.url, home, path.join(dir, 'managed'), TEST_CREDENTIALS[0]);
  const open = () => (cli = new PtyCli({ cwd: project, env, args: [] }));
  return { home, project, open };
}

const modelCalls = () => emulator!.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
const bodyOf = (i: number) => modelCalls()[i].body as Record<string, unknown>;

/** The few lines above the status line: the input box and what is under it, not the scrollback. */
function liveRegion(c: PtyCli): string {
  const screen = c.screen();
  const status = screen.findLastIndex((l) => / · us-east-1/.test(l));
  return screen.slice(Math.max(0, status - 3), status).join('\n');
}

describe('interactive input', () => {
  it('!command runs through the permission rules, shows its output, and the model sees it with the next prompt', async () => {
    const { project, open } = await setup(
      { turns: [{ match: { lastUserTextContains: 'what did ls say' }, reply: { content: [{ type: 'text', text: 'It listed marker.txt.' }] } }] },
      { permissions: { deny: ['Bash(rm:*)'] } },
    );
    writeFileSync(path.join(project, 'marker.txt'), 'x');
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '!ls');
    await c.waitFor(/marker\.txt/);
    // A deny rule holds for the person's own commands too.
    await typeLine(c, '!rm marker.txt');
    await c.waitFor(/not run: /);
    expect(readFileSync(path.join(project, 'marker.txt'), 'utf8')).toBe('x');
    expect(modelCalls()).toHaveLength(0);

    await typeLine(c, 'what did ls say');
    await c.waitFor(/It listed marker\.txt\./);
    const user = lastUserText(bodyOf(0));
    expect(user).toContain('$ ls');
    expect(user).toContain('marker.txt');
    // The refused command never reached the model.
    expect(user).not.toContain('rm marker.txt');
  }, LONG);

  it('@path attaches the file (completed with Tab); a Read deny rule keeps a file out', async () => {
    const { project, open } = await setup(
      {
        turns: [
          { match: { lastUserTextContains: 'UNIQUE-CONTENT-42' }, reply: { content: [{ type: 'text', text: 'Seen the notes.' }] } },
          { reply: { content: [{ type: 'text', text: 'Second answer.' }] } },
        ],
      },
      { permissions: { deny: ['Read(./secret.txt)'] } },
    );
    mkdirSync(path.join(project, 'docs'));
    writeFileSync(path.join(project, 'docs', 'release-notes.md'), 'UNIQUE-CONTENT-42\n');
    writeFileSync(path.join(project, 'secret.txt'), 'TOP-SECRET-99\n');
    const c = open();
    await c.waitFor(/\/help for commands/);
    c.write('summarise @relnot');
    await c.waitForScreen(/> summarise @relnot/);
    c.write('\t');
    await c.waitForScreen(/> summarise @docs\/release-notes\.md /);
    c.write('\r');
    await c.waitFor(/Seen the notes\./);

    await typeLine(c, 'and @secret.txt');
    await c.waitFor(/Second answer\./);
    expect(c.all()).toMatch(/@secret\.txt not attached/);
    expect(JSON.stringify(bodyOf(1))).not.toContain('TOP-SECRET-99');
  }, LONG);

  it('queues a prompt typed while a turn runs and sends it after; Esc puts queued prompts back', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const { open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: `${words} FIRST-END` }], chunkChars: 8 }, faults: [{ kind: 'delay', betweenChunksMs: 40 }] },
        { match: { lastUserTextContains: 'second question' }, reply: { content: [{ type: 'text', text: 'SECOND-END' }] } },
        { reply: { content: [{ type: 'text', text: `${words.replace(/w/g, 'v')} THIRD-END` }], chunkChars: 8 }, faults: [{ kind: 'delay', betweenChunksMs: 100 }] },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'first question');
    await c.waitForScreen(/w1 /);
    await typeLine(c, 'second question');
    await c.waitForScreen(/queued: second question/);
    await c.waitFor(/SECOND-END/);
    expect(modelCalls()).toHaveLength(2);

    await typeLine(c, 'third question');
    await c.waitForScreen(/v1 /);
    await typeLine(c, 'fourth question');
    await c.waitForScreen(/queued: fourth question/);
    c.write('\x1b');
    await c.waitForScreen(/> fourth question/);
    await c.waitFor(/interrupted/);
    expect(modelCalls()).toHaveLength(3);
  }, LONG);

  it('Ctrl-R finds an earlier prompt; Tab completes a /command; a large paste is folded and sent whole', async () => {
    const { open } = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text: 'one' }] } },
        { reply: { content: [{ type: 'text', text: 'two' }] } },
        { match: { lastUserTextContains: 'line 29 of the paste' }, reply: { content: [{ type: 'text', text: 'Got the paste.' }] } },
      ],
    });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'alpha request');
    await c.waitFor(/one/);
    await typeLine(c, 'beta request');
    await c.waitFor(/two/);

    c.write('\x12');
    await c.waitForScreen(/reverse-i-search/);
    c.write('alp');
    await c.waitForScreen(/reverse-i-search\)`alp.*': alpha request/);
    c.write('\r');
    await c.waitFor(() => /^> alpha request\s*$/m.test(liveRegion(c)), 20_000, 'the match in the input');
    c.write('\x15');
    await c.waitFor(() => /^>\s*$/m.test(liveRegion(c)), 20_000, 'an empty input');

    c.write('/perm');
    await c.waitForScreen(/> \/perm/);
    c.write('\t');
    await c.waitForScreen(/> \/permissions /);
    c.write('\r');
    await c.waitFor(/deny: \(none\)/);

    const paste = Array.from({ length: 30 }, (_, i) => `line ${i} of the paste`).join('\n');
    c.write('look: ');
    await c.waitForScreen(/> look: /);
    c.write(paste);
    await c.waitForScreen(/> look: \[pasted #1: 30 lines\]/);
    c.write('\r');
    await c.waitFor(/Got the paste\./);
    expect(lastUserText(bodyOf(2))).toContain('line 0 of the paste\nline 1 of the paste');
  }, LONG);

  it('/mcp lists the session\'s MCP servers with their state and tools, and one that failed with why', async () => {
    const require = createRequire(import.meta.url);
    const everything = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
    const { home, open } = await setup({ turns: [] });
    mkdirSync(path.join(home, '.claude'), { recursive: true });
    // User-scope servers are the user's own: they start without a project approval.
    writeFileSync(
      path.join(home, '.claude', 'settings.json'),
      JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] }, broken: { command: '/nonexistent/mcp-server' } } }),
    );
    const c = open();
    await c.waitFor(/\/help for commands/);
    // The servers start in the background; /mcp shows them once connected (asked again until then).
    for (let i = 0; i < 30 && !/everything: connected · \d+ tools/.test(c.all()); i++) {
      await typeLine(c, '/mcp');
      await c.waitFor(/everything: (pending|connected|failed)/, 5_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(c.all()).toMatch(/everything: connected · \d+ tools/);
    expect(c.all()).toMatch(/mcp__everything__echo/);
    expect(c.all()).toMatch(/broken: failed · /);
  }, LONG);

  it('#text adds a line to CLAUDE.md and tells the model', async () => {
    const { project, open } = await setup({ turns: [{ match: { lastUserTextContains: 'always use tabs' }, reply: { content: [{ type: 'text', text: 'Noted.' }] } }] });
    const c = open();
    await c.waitFor(/\/help for commands/);
    await typeLine(c, '#always use tabs');
    await c.waitFor(/Added to CLAUDE\.md/);
    expect(readFileSync(path.join(project, 'CLAUDE.md'), 'utf8')).toBe('- always use tabs\n');
    await typeLine(c, 'hello');
    await c.waitFor(/Noted\./);
  }, LONG);
});
