import { describe, expect, it, vi } from 'vitest';

const calls: Array<{ prompt: string; opts: unknown }> = [];
vi.mock('../../src/cli/run-main.js', () => ({
  runMain: vi.fn(async (prompt: string, opts: unknown) => {
    calls.push({ prompt, opts });
    return 0;
  }),
}));

const { fastParseMain, SUBCOMMANDS } = await import('../../src/cli/fast-args.js');
const { buildProgram } = await import('../../src/cli/program.js');

/** What commander hands the main command's action for these arguments. */
async function viaCommander(argv: string[]): Promise<{ prompt: string; opts: unknown }> {
  calls.length = 0;
  await buildProgram('0.0.0').run(argv);
  expect(calls).toHaveLength(1);
  return calls[0];
}

describe('the quick argument reader agrees with commander', () => {
  const accepted: string[][] = [
    ['-p', 'say hi'],
    ['say', 'hi', '-p'],
    ['-p', 'say hi', '--output-format', 'json'],
    ['--print', 'fix it', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'],
    ['-p', 'task', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(node test.mjs)', 'Bash(grep:*)', 'Bash(find:*)'],
    ['-p', '--allowedTools', 'Read', 'Edit', '--disallowedTools', 'Bash(rm:*)'],
    ['-p', 'x', '--max-turns', '3', '--model', 'sonnet', '--cwd', '/tmp', '--settings', '{"model":"haiku"}'],
    ['-p', 'x', '--system-prompt', 'be brief', '--append-system-prompt', 'really'],
    ['-c', '-p', 'go on'],
    ['--print-config'],
    ['-p', 'x', '--debug'],
    ['--allowedTools', 'Read', 'say hi'],
  ];
  for (const argv of accepted) {
    it(argv.join(' '), async () => {
      const fast = fastParseMain(argv);
      expect(fast).toBeDefined();
      expect(fast).toEqual(await viaCommander(argv));
    });
  }

  const declined: string[][] = [
    [],
    ['--help'],
    ['-h'],
    ['--version'],
    ['emulator', '--port', '0'],
    ['-p', 'doctor'],
    ['help', 'me'],
    ['-p', 'x', '--output-format', 'yaml'],
    ['-p', 'x', '--max-turns', '0'],
    ['-p', 'x', '--max-turns', 'many'],
    ['-p', 'x', '--permission-mode', 'yolo'],
    ['-p', 'x', '--unknown'],
    ['-p', 'x', '--model'],
    ['-p', 'x', '--model', '-v'],
    ['-pc', 'x'],
    ['-p', '--', '-x'],
    ['-p', 'x', '--verbose', '--verbose'],
    ['-p', 'x', '--output-format=json'],
    ['-r', 'abc', '-p', 'x'],
    ['-p', 'x', '--allowedTools'],
  ];
  for (const argv of declined) {
    it(`leaves ${JSON.stringify(argv)} to commander`, () => {
      expect(fastParseMain(argv)).toBeUndefined();
    });
  }

  it('knows every subcommand the program has (a new one must be added to fast-args.ts)', async () => {
    const { runCli } = await import('../helpers/run-cli.js');
    const r = await runCli(['--help']);
    const commands = (r.stdout.split('Commands:')[1] ?? '').split('\n').map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1]).filter((c): c is string => c !== undefined);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(SUBCOMMANDS.has(c), c).toBe(true);
  });
});
