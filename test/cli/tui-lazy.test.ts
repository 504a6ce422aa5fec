/**
 * Start-up is a feature: ink and React load only when the interactive UI opens. The build keeps
 * them out of the launcher and the print bundle, and `--version`, `--help` and print mode run
 * without loading the chunk that holds them (an ES-module load hook lists every module loaded).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';

const DIST = path.dirname(CLI_PATH);
/** Strings only React (its element tag) and ink's layout engine carry. */
const UI_MARKERS = /react\.transitional\.element|yoga/;

let dir: string;
let emu: EmulatorHandle;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bcode-tui-lazy-'));
  // Records the URL of every ES module the process loads (hooks run on their own thread).
  writeFileSync(path.join(dir, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.BCODE_TEST_LOADED, url + '\\n');\n  return next(url, context);\n}\n");
  writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'hi there' }] } }], whenExhausted: 'echo' } });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

function uiChunks(): string[] {
  const chunks = path.join(DIST, 'chunks');
  return readdirSync(chunks).filter((f) => f.endsWith('.js') && UI_MARKERS.test(readFileSync(path.join(chunks, f), 'utf8')));
}

async function loadedBy(args: string[], name: string): Promise<{ loaded: string[]; stdout: string; code: number | null }> {
  const record = path.join(dir, `${name}.txt`);
  writeFileSync(record, '');
  const r = await runCli(args, {
    cwd: dir,
    env: {
      HOME: dir,
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
      BCODE_TEST_LOADED: record,
      AWS_REGION: emu.region,
      ANTHROPIC_BEDROCK_BASE_URL: emu.url,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey,
    },
  });
  return { loaded: readFileSync(record, 'utf8').split('\n').filter(Boolean), stdout: r.stdout, code: r.code };
}

describe('the interactive UI loads lazily', () => {
  it('ink and React are in their own chunk, not in the launcher or the print bundle', () => {
    expect(uiChunks().length).toBeGreaterThan(0);
    expect(readFileSync(CLI_PATH, 'utf8')).not.toMatch(UI_MARKERS);
    expect(readFileSync(path.join(DIST, 'print.cjs'), 'utf8')).not.toMatch(UI_MARKERS);
  });

  it('--version, --help and print mode never load that chunk', async () => {
    const ui = uiChunks();
    const version = await loadedBy(['--version'], 'version');
    expect(version.stdout).toMatch(/\(bcode\)/);
    const help = await loadedBy(['--help'], 'help');
    expect(help.code).toBe(0);
    // The hook works: --help runs from the ES-module build.
    expect(help.loaded.some((u) => u.endsWith('/chunks/main.js'))).toBe(true);
    const print = await loadedBy(['-p', 'say hi'], 'print');
    expect(print.stdout).toContain('hi there');
    const printJson = await loadedBy(['say hi', '--output-format', 'json'], 'print-json');
    expect(printJson.code).toBe(0);
    for (const run of [version, help, print, printJson]) {
      expect(run.loaded.filter((u) => ui.some((c) => u.endsWith(`/${c}`)))).toEqual([]);
    }
  });
});
