/**
 * Proxies and corporate CAs (B27), through the real path: the built CLI, a real HTTP proxy (the
 * `proxy` package) and the Bedrock emulator serving TLS with a certificate from a CA made in the
 * test. Each request is seen in the proxy's own CONNECT log and in the emulator's recorder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emulatorEnv } from '../e2e/harness.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makePki, type Pki } from './pki.js';
import { startProxy, type TestProxy } from './proxy-server.js';

const PASSWORD = 'pr0xy-s3cret-word';
const PAGE_MARKER = 'PAGE-FETCHED-THROUGH-PROXY';

let dir: string;
let pki: Pki;
let otherCa: Pki;
let emu: EmulatorHandle;
let open: TestProxy;
let authed: TestProxy;
let refusing: TestProxy;
let page: Server;
let pagePort: number;
let emuHost: string;

beforeAll(async () => {
  dir = makeTempDir('bcode-proxy-');
  pki = makePki(dir, 'corp');
  otherCa = makePki(dir, 'other');
  emu = await startEmulator({ tls: { key: pki.key, cert: pki.cert }, scenario: { turns: [], whenExhausted: 'echo' } });
  emuHost = new URL(emu.url).host;
  open = await startProxy();
  authed = await startProxy({ auth: { user: 'alice', password: PASSWORD } });
  refusing = await startProxy({ refuseConnect: true });
  page = createHttpsServer({ key: pki.key, cert: pki.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><body><h1>Docs</h1><p>${PAGE_MARKER}</p></body></html>`);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pagePort = (page.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all([emu?.close(), open?.close(), authed?.close(), refusing?.close(), new Promise<void>((r) => (page ? page.close(() => r()) : r()))]);
});

beforeEach(() => {
  emu.setScenario({ turns: [], whenExhausted: 'echo' });
  for (const p of [open, authed, refusing]) {
    p.connects.length = 0;
    p.requests.length = 0;
  }
  emu.requests.length = 0;
});

/** A fresh HOME (and optional settings file) per run. */
function home(settings?: Record<string, unknown>): string {
  const h = makeTempDir('bcode-proxy-home-');
  if (settings) {
    mkdirSync(path.join(h, '.claude'));
    writeFileSync(path.join(h, '.claude', 'settings.json'), JSON.stringify(settings));
  }
  return h;
}

function run(args: string[], env: Record<string, string | undefined>, settings?: Record<string, unknown>, files: Record<string, string> = {}): Promise<CliResult> {
  const h = home(settings);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(h, name)), { recursive: true });
    writeFileSync(path.join(h, name), text);
  }
  return runCli(args, { cwd: h, env: { ...emulatorEnv(emu.url, h), ...env }, timeoutMs: 30_000 });
}

const modelCalls = () => emu.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');

describe('CA trust (NODE_EXTRA_CA_CERTS)', () => {
  it('without the CA the certificate is not trusted: a named error naming the variable', async () => {
    const r = await run(['-p', 'hello'], { HTTPS_PROXY: open.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^bcode: the TLS certificate of ${emuHost.replace('.', '\\.')} \\(through the proxy http://127\\.0\\.0\\.1:${open.port}\\) is not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)$`, 'm'));
    expect(r.stderr).toMatch(/^ {2}hint: .*set NODE_EXTRA_CA_CERTS to a PEM file/m);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|OpenSSL|ssl3_/);
    expect(modelCalls()).toHaveLength(0);
  });

  it('with NODE_EXTRA_CA_CERTS from the shell the request goes through the proxy and succeeds', async () => {
    const r = await run(['-p', 'hello from the shell'], { HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello from the shell');
    expect(open.connects).toEqual([emuHost]);
    expect(modelCalls()).toHaveLength(1);
  });

  it('with NODE_EXTRA_CA_CERTS and HTTPS_PROXY from settings env the same', async () => {
    const r = await run(['-p', 'hello from settings'], {}, { env: { HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello from settings');
    expect(open.connects).toEqual([emuHost]);
  });

  it('a CA that did not sign the certificate: named error pointing at the file', async () => {
    const r = await run(['-p', 'hello'], { HTTPS_PROXY: open.url }, { env: { NODE_EXTRA_CA_CERTS: otherCa.caFile } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bcode: the TLS certificate of .* is not trusted \(/m);
    expect(r.stderr).toContain(`hint: the CA certificates in NODE_EXTRA_CA_CERTS (${otherCa.caFile}) did not sign it`);
  });

  it('an unreadable or invalid CA file stops before any request (exit 2)', async () => {
    const missing = await run(['-p', 'hello'], {}, { env: { NODE_EXTRA_CA_CERTS: path.join(dir, 'nope.pem') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^bcode: NODE_EXTRA_CA_CERTS names a file that cannot be read: .*nope\.pem \(ENOENT\)\n {2}hint: /);
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const invalid = await run(['-p', 'hello'], {}, { env: { NODE_EXTRA_CA_CERTS: junk } });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^bcode: NODE_EXTRA_CA_CERTS file .*junk\.pem holds no PEM certificate\n {2}hint: /);
    expect(modelCalls()).toHaveLength(0);
  });
});

describe('HTTPS_PROXY / NO_PROXY', () => {
  it('lower-case https_proxy wins over HTTPS_PROXY', async () => {
    const r = await run(['-p', 'hi'], { https_proxy: open.url, HTTPS_PROXY: refusing.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(0);
    expect(open.connects).toEqual([emuHost]);
    expect(refusing.connects).toEqual([]);
  });

  it('HTTP_PROXY serves https URLs when no HTTPS proxy is set', async () => {
    const r = await run(['-p', 'hi'], { HTTP_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(0);
    expect(open.connects).toEqual([emuHost]);
  });

  it('NO_PROXY matching the host goes direct; one for another port does not', async () => {
    const direct = await run(['-p', 'direct'], { HTTPS_PROXY: open.url, NO_PROXY: 'example.com, 127.0.0.1', NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(direct.code).toBe(0);
    expect(direct.stdout).toContain('direct');
    expect(open.connects).toEqual([]);
    expect(modelCalls()).toHaveLength(1);
    const other = await run(['-p', 'proxied'], { HTTPS_PROXY: open.url, no_proxy: '127.0.0.1:1', NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(other.code).toBe(0);
    expect(open.connects).toEqual([emuHost]);
  });
});

describe('proxy failures are named', () => {
  it('407: proxy authentication required, with the hint to put credentials in the URL', async () => {
    const r = await run(['-p', 'hi'], { HTTPS_PROXY: authed.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`bcode: the proxy ${authed.url} requires authentication (HTTP 407)\n  hint: put the proxy credentials in the URL: HTTPS_PROXY=http://USER:PASSWORD@127.0.0.1:${authed.port}\n`);
    expect(modelCalls()).toHaveLength(0);
  });

  it('wrong password: rejected, and the password never shown', async () => {
    const r = await run(['-p', 'hi'], { HTTPS_PROXY: `http://alice:wrong-password-1@127.0.0.1:${authed.port}`, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bcode: the proxy http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ requires authentication \(HTTP 407\) and rejected the user name and password given\n {2}hint: check the user name and password in HTTPS_PROXY/);
    expect(r.stderr + r.stdout).not.toContain('wrong-password-1');
  });

  it('the right credentials from the URL go through; the password appears nowhere', async () => {
    const r = await run(['-p', 'hi', '--debug'], { HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${authed.port}`, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(0);
    expect(authed.connects).toEqual([emuHost]);
    // --debug says which proxy is in effect, password masked.
    expect(r.stderr).toMatch(/https proxy http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ \(HTTPS_PROXY\)/);
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    const cfg = await run(['--print-config'], { HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${authed.port}` });
    expect(cfg.stdout).toMatch(/env\.HTTPS_PROXY: http:\/\/\(hidden\)@127\.0\.0\.1:\d+/);
    expect(cfg.stdout + cfg.stderr).not.toContain(PASSWORD);
  });

  it('403 to CONNECT: the proxy refused the connection', async () => {
    const r = await run(['-p', 'hi'], { HTTPS_PROXY: refusing.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^bcode: the proxy ${refusing.url.replace(/\./g, '\\.')} refused the connection to ${emuHost.replace(/\./g, '\\.')} \\(HTTP 403\\)\\n {2}hint: the proxy's policy does not allow 127\\.0\\.0\\.1`));
    expect(refusing.connects).toEqual([emuHost]);
  });

  it('nothing listening at the proxy address: cannot connect to the proxy', async () => {
    const closed = await startProxy();
    await closed.close();
    const r = await run(['-p', 'hi'], { HTTPS_PROXY: closed.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bcode: cannot connect to the proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\): ECONNREFUSED\n {2}hint: check HTTPS_PROXY \(host and port\)/);
  });

  it('a proxy URL that cannot be used is a configuration error (exit 2)', async () => {
    const r = await run(['-p', 'hi'], { HTTPS_PROXY: 'socks5://127.0.0.1:1080' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: HTTPS_PROXY: socks5 proxies are not supported\n {2}hint: /);
  });
});

describe('other outbound calls take the same proxy', () => {
  it('WebFetch fetches through the proxy, trusting the same CA', async () => {
    const url = `https://127.0.0.1:${pagePort}/docs`;
    emu.setScenario({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'WebFetch', input: { url, prompt: 'what does it say?' } }], stop_reason: 'tool_use' } },
      ],
      whenExhausted: 'echo',
    });
    const r = await run(['-p', 'fetch the docs', '--allowedTools', 'WebFetch'], { HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(0);
    expect(open.connects).toContain(`127.0.0.1:${pagePort}`);
    expect(JSON.stringify(emu.requests.map((q) => q.body))).toContain(PAGE_MARKER);
  });

  it('the control plane (ListInferenceProfiles in bcode doctor) goes through the proxy too', async () => {
    const r = await run(['doctor'], { HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.stdout).toMatch(/inference profiles.*\d+ in us-east-1/);
    expect(emu.requests.some((q) => q.operation === 'ListInferenceProfiles')).toBe(true);
    // Runtime (stream + invoke) and control plane: every connection went through the proxy.
    expect(open.connects.length).toBeGreaterThanOrEqual(2);
    expect(new Set(open.connects)).toEqual(new Set([emuHost]));
    expect(r.stdout).toMatch(new RegExp(`^pass  proxy and CA +https proxy ${open.url.replace(/\./g, '\\.')} \\(HTTPS_PROXY\\); extra CA .*corp-ca\\.pem \\(corp test CA\\); runtime ${emuHost.replace(/\./g, '\\.')} via proxy: reached; control plane ${emuHost.replace(/\./g, '\\.')} via proxy: reached; STS sts\\.us-east-1\\.amazonaws\\.com:?\\d* via proxy: not checked`, 'm'));
  });

  // No STS or SSO here: a proxy that refuses every CONNECT shows, in its own log, that the
  // credential chain's calls went to it (and nothing leaves the machine).
  const noKeys = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: 'true' };

  it('bcode models lists the account profiles through the proxy, trusting the same CA', async () => {
    const r = await run(['models', '--json'], { HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(r.code).toBe(0);
    expect(emu.requests.some((q) => q.operation === 'ListInferenceProfiles')).toBe(true);
    expect(new Set(open.connects)).toEqual(new Set([emuHost]));
    // The proxy is settled before the command runs: one it cannot use stops it (exit 2), rather
    // than turning into a missing profile listing.
    const bad = await run(['models'], { HTTPS_PROXY: 'socks5://127.0.0.1:1080' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bcode: HTTPS_PROXY: socks5 proxies are not supported\n {2}hint: /);
  });

  it('STS AssumeRole inside the credential chain goes through the proxy', async () => {
    const files = {
      '.aws/config': '[profile assumer]\nrole_arn = arn:aws:iam::123456789012:role/bcode-test\nsource_profile = base\nregion = us-east-1\n',
      '.aws/credentials': '[base]\naws_access_key_id = AKIAPROXYTESTBASE001\naws_secret_access_key = proxytestsecretkeyproxytestsecretkey0001\n',
    };
    const r = await run(['-p', 'hi'], { ...noKeys, AWS_PROFILE: 'assumer', HTTPS_PROXY: refusing.url }, undefined, files);
    expect(r.code).toBe(1);
    expect(refusing.connects).toEqual(['sts.us-east-1.amazonaws.com:443']);
    expect(r.stderr).toMatch(/^bcode: could not load AWS credentials for profile assumer: the proxy http:\/\/127\.0\.0\.1:\d+ refused the connection to sts\.us-east-1\.amazonaws\.com \(HTTP 403\)\n {2}hint: the proxy's policy does not allow sts\.us-east-1\.amazonaws\.com/);
    expect(modelCalls()).toHaveLength(0);
  });

  it('SSO GetRoleCredentials inside the credential chain goes through the proxy', async () => {
    const session = 'corp';
    const { createHash } = await import('node:crypto');
    const cacheName = `${createHash('sha1').update(session).digest('hex')}.json`;
    const files = {
      '.aws/config': `[profile sso-user]\nsso_session = ${session}\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session ${session}]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
      [`.aws/sso/cache/${cacheName}`]: JSON.stringify({ accessToken: 'sso-access-token-for-proxy-test', expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', startUrl: 'https://corp.awsapps.com/start' }),
    };
    const r = await run(['-p', 'hi'], { ...noKeys, AWS_PROFILE: 'sso-user', HTTPS_PROXY: refusing.url }, undefined, files);
    expect(r.code).toBe(1);
    expect(refusing.connects).toEqual(['portal.sso.us-east-1.amazonaws.com:443']);
    expect(r.stderr).toMatch(/refused the connection to portal\.sso\.us-east-1\.amazonaws\.com \(HTTP 403\)/);
    expect(r.stderr).not.toContain('sso-access-token-for-proxy-test');
  });
});
