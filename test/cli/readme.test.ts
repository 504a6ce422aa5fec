import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';

// The README's emulator commands, exactly as written there, run as a person would: from
// another directory, each in a terminal (`script` gives it one: curl treats a terminal
// differently), with the `export` lines the emulator printed. Needs `npm run build`.

const REPO = path.resolve(import.meta.dirname, '../..');
const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');

/** The commands of the README's emulator block, after the line that starts the emulator. */
function emulatorBlockCommands(): string[] {
  const start = README.indexOf('```sh\nnode dist/cli.js emulator --scenario examples/scenarios/hello.json');
  const block = README.slice(start + 6, README.indexOf('```', start + 6));
  return block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(1);
}

let emulator: ChildProcess;
let exports: Record<string, string> = {};
let elsewhere: string;

beforeAll(async () => {
  elsewhere = mkdtempSync(path.join(tmpdir(), 'bcode-readme-'));
  emulator = spawn(process.execPath, [CLI_PATH, 'emulator', '--scenario', 'examples/scenarios/hello.json'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    emulator.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) resolve();
    });
    emulator.on('exit', () => reject(new Error(`the emulator exited: ${out}`)));
  });
  exports = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
});
afterAll(() => {
  emulator?.kill('SIGTERM');
  rmSync(elsewhere, { recursive: true, force: true });
});

function inTerminal(command: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: elsewhere, TERM: 'dumb', ...exports };
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: elsewhere, env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end();
  });
}

describe('README: the emulator commands work as pasted', () => {
  it('prints BCODE_DIR among its export lines, and the README has no link outside the repository', () => {
    expect(exports.BCODE_DIR).toBe(REPO);
    expect(README).not.toMatch(/\]\(\.\.\//);
    expect(README).not.toContain('../shared/');
  });

  const commands = emulatorBlockCommands();
  it('has the SDK, two curl and the bcode commands', () => {
    expect(commands.map((c) => c.split(' ')[0])).toEqual(['node', 'curl', 'curl', 'node']);
  });

  it.skipIf(!existsSync('/usr/bin/script') || !existsSync('/usr/bin/curl')).each(commands.map((c, i) => [i, c]))('command %i', async (_i, command) => {
    const r = await inTerminal(command as string);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/Warning|Error|error:/);
    // The raw event stream's payloads are base64: its frames are what shows.
    expect(r.out).toContain((command as string).includes('invoke-with-response-stream') ? ':event-type' : 'Hello');
  });
});
