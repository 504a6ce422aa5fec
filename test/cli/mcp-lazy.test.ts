/**
 * Start-up is a feature: the MCP SDK loads only when some MCP server is configured. `--version`,
 * `--help` and a print run without servers load neither its chunk of the ES-module build nor the
 * package itself (print mode's bundle requires it from node_modules). A preload records every
 * CommonJS require and a load hook every ES module; a run with a server shows they see the SDK.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

const DIST = path.dirname(CLI_PATH);
/** A string only the SDK's protocol types carry. */
const MCP_MARKER = 'notifications/tools/list_changed';

let dir: string;
let emu: EmulatorHandle;
beforeAll(async () => {
  dir = makeTempDir('bcode-mcp-lazy-');
  writeFileSync(path.join(dir, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.BCODE_TEST_LOADED, url + '\\n');\n  return next(url, context);\n}\n");
  writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  // Module._load sees every require(), including those of print mode's CommonJS bundle.
  writeFileSync(
    path.join(dir, 'preload.cjs'),
    "const M = require('node:module');\nconst { appendFileSync } = require('node:fs');\nconst load = M._load;\nM._load = function (request, ...rest) {\n  appendFileSync(process.env.BCODE_TEST_LOADED, 'require:' + request + '\\n');\n  return load.call(this, request, ...rest);\n};\n",
  );
  emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'hi there' }] } }], whenExhausted: 'repeat-last' } });
});
afterAll(async () => {
  await emu.close();
});

function mcpChunks(): string[] {
  const chunks = path.join(DIST, 'chunks');
  return readdirSync(chunks).filter((f) => f.endsWith('.js') && readFileSync(path.join(chunks, f), 'utf8').includes(MCP_MARKER));
}

async function loadedBy(args: string[], name: string, home = dir): Promise<{ loaded: string[]; stdout: string; stderr: string; code: number | null }> {
  const record = path.join(dir, `${name}.txt`);
  writeFileSync(record, '');
  const r = await runCli(args, {
    cwd: dir,
    env: {
      HOME: home,
      NODE_OPTIONS: `--require=${path.join(dir, 'preload.cjs')} --import=${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
      BCODE_TEST_LOADED: record,
      AWS_REGION: emu.region,
      ANTHROPIC_BEDROCK_BASE_URL: emu.url,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey,
    },
  });
  return { loaded: readFileSync(record, 'utf8').split('\n').filter(Boolean), stdout: r.stdout, stderr: r.stderr, code: r.code };
}

const touchesMcp = (loaded: string[], chunks: string[]) => loaded.filter((u) => u.includes('@modelcontextprotocol') || chunks.some((c) => u.endsWith(`/${c}`)));

describe('the MCP SDK loads lazily', () => {
  it('is in a chunk of its own, not in the launcher or the print bundle', () => {
    expect(mcpChunks().length).toBeGreaterThan(0);
    expect(readFileSync(CLI_PATH, 'utf8')).not.toContain(MCP_MARKER);
    expect(readFileSync(path.join(DIST, 'print.cjs'), 'utf8')).not.toContain(MCP_MARKER);
    expect(readFileSync(path.join(DIST, 'chunks', 'main.js'), 'utf8')).not.toContain(MCP_MARKER);
  });

  it('--version, --help and a print run without servers never load it; a run with a server does', async () => {
    const chunks = mcpChunks();
    const version = await loadedBy(['--version'], 'version');
    expect(version.stdout).toMatch(/\(bcode\)/);
    const help = await loadedBy(['--help'], 'help');
    expect(help.code).toBe(0);
    expect(help.loaded.some((u) => u.endsWith('/chunks/main.js'))).toBe(true);
    const print = await loadedBy(['-p', 'say hi'], 'print');
    expect(print.stdout).toContain('hi there');
    // The hooks see print mode's requires (the AWS SDK's, through the launcher).
    expect(print.loaded.some((u) => u.startsWith('require:'))).toBe(true);
    for (const run of [version, help, print]) expect(touchesMcp(run.loaded, chunks)).toEqual([]);

    // With a server configured (user scope), the same print run loads the SDK.
    const home = makeTempDir('bcode-mcp-lazy-home-');
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ mcpServers: { gone: { command: process.execPath, args: ['-e', ''] } } }));
    const withServer = await loadedBy(['-p', 'say hi'], 'with-server', home);
    expect(withServer.stdout).toContain('hi there');
    expect(touchesMcp(withServer.loaded, chunks).length).toBeGreaterThan(0);
  });
});
