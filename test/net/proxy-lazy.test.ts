/**
 * Start-up is a feature (B27's condition): the proxy agents (proxy-agent, undici) load only when
 * a proxy is configured. Every script file the process reads is recorded — ES modules through a
 * load hook, print mode's bundle and its vendor files through the fs.readFileSync the code-cache
 * loader uses — and a print run without a proxy must read neither; with one it reads proxy-agent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { startProxy, type TestProxy } from './proxy-server.js';

const PROXY_MODULES = /proxy-agent|undici/;

let dir: string;
let emu: EmulatorHandle;
let proxy: TestProxy;

beforeAll(async () => {
  dir = makeTempDir('bcode-proxy-lazy-');
  writeFileSync(path.join(dir, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.BCODE_TEST_LOADED, url + '\\n');\n  return next(url, context);\n}\n");
  writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  writeFileSync(
    path.join(dir, 'reads.cjs'),
    "const fs = require('node:fs');\nconst read = fs.readFileSync;\nfs.readFileSync = function (p, ...rest) {\n  if (typeof p === 'string' && /\\.(c?js|mjs)$/.test(p)) fs.appendFileSync(process.env.BCODE_TEST_LOADED, p + '\\n');\n  return read.call(this, p, ...rest);\n};\n",
  );
  emu = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' } });
  proxy = await startProxy();
});

afterAll(async () => {
  await emu?.close();
  await proxy?.close();
});

async function loadedBy(name: string, env: Record<string, string>): Promise<{ loaded: string[]; stdout: string; code: number | null }> {
  const record = path.join(dir, `${name}.txt`);
  writeFileSync(record, '');
  const r = await runCli(['-p', `say ${name}`], {
    cwd: dir,
    env: {
      HOME: dir,
      NODE_OPTIONS: `--require=${path.join(dir, 'reads.cjs')} --import=${pathToFileURL(path.join(dir, 'register.mjs')).href}`,
      BCODE_TEST_LOADED: record,
      AWS_REGION: emu.region,
      ANTHROPIC_BEDROCK_BASE_URL: emu.url,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS[0].accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS[0].secretAccessKey,
      ...env,
    },
  });
  return { loaded: readFileSync(record, 'utf8').split('\n').filter(Boolean), stdout: r.stdout, code: r.code };
}

describe('the proxy agents load only when a proxy is configured', () => {
  it('a print run without a proxy reads neither proxy-agent nor undici', async () => {
    const plain = await loadedBy('plain', {});
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('say plain');
    // The recording works: print mode's bundle was read through it.
    expect(plain.loaded.some((f) => f.endsWith('print.cjs'))).toBe(true);
    expect(plain.loaded.filter((f) => PROXY_MODULES.test(f))).toEqual([]);
  });

  it('nor does one whose NO_PROXY covers the endpoint', async () => {
    const bypassed = await loadedBy('bypassed', { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(bypassed.code).toBe(0);
    expect(bypassed.loaded.filter((f) => PROXY_MODULES.test(f))).toEqual([]);
    expect(proxy.requests).toEqual([]);
  });

  it('with HTTP_PROXY the http endpoint is reached through the proxy (forwarding), with proxy-agent loaded', async () => {
    const proxied = await loadedBy('proxied', { HTTP_PROXY: proxy.url });
    expect(proxied.code).toBe(0);
    expect(proxied.stdout).toContain('say proxied');
    expect(proxied.loaded.some((f) => /proxy-agent/.test(f))).toBe(true);
    expect(proxy.requests.some((u) => u.startsWith(`${emu.url}/model/`))).toBe(true);
  });
});
