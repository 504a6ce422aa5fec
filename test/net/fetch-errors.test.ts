/**
 * The fetch path (WebFetch, and MCP/OTLP when they use it) and the error naming, in process:
 * netFetch through a real proxy (the `proxy` package) to an HTTPS server with a test CA, and
 * each failure classified as the proxy's or the trust store's. Also the SDK-side rule that tells
 * a proxy's 403 from AWS's.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateNotTrustedError, classifyNetFailure, ProxyAuthRequiredError, proxyAnswerError, ProxyRefusedError, ProxyUnreachableError } from '../../src/net/errors.js';
import { netFetch } from '../../src/net/fetch.js';
import { configureNetwork, resetNetworkSetup } from '../../src/net/state.js';
import { makeTempDir } from '../helpers/temp.js';
import { makePki, type Pki } from './pki.js';
import { startProxy, type TestProxy } from './proxy-server.js';

let pki: Pki;
let server: Server;
let target: string;
let open: TestProxy;
let authed: TestProxy;
let refusing: TestProxy;

beforeAll(async () => {
  pki = makePki(makeTempDir('bcode-net-fetch-'), 'fetch');
  server = createServer({ key: pki.key, cert: pki.cert }, (_req, res) => res.end('hello over tls'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  target = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  open = await startProxy();
  authed = await startProxy({ auth: { user: 'bob', password: 'fetch-pass-123' } });
  refusing = await startProxy({ refuseConnect: true });
});
afterAll(async () => {
  await Promise.all([open.close(), authed.close(), refusing.close(), new Promise<void>((r) => server.close(() => r()))]);
});
afterEach(() => resetNetworkSetup());

async function failureOf(env: Record<string, string>): Promise<unknown> {
  await configureNetwork(env);
  try {
    await netFetch(target);
  } catch (err) {
    return classifyNetFailure(err, target) ?? err;
  }
  throw new Error('the fetch succeeded');
}

describe('netFetch', () => {
  it('goes through the proxy with the extra CA trusted', async () => {
    await configureNetwork({ HTTPS_PROXY: open.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    const res = await netFetch(target);
    expect(await res.text()).toBe('hello over tls');
    expect(open.connects).toEqual([new URL(target).host]);
  });

  it('sends the credentials of the proxy URL', async () => {
    await configureNetwork({ HTTPS_PROXY: `http://bob:fetch-pass-123@127.0.0.1:${authed.port}`, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(await (await netFetch(target)).text()).toBe('hello over tls');
  });

  it('names each failure', async () => {
    const auth = await failureOf({ HTTPS_PROXY: authed.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(auth).toBeInstanceOf(ProxyAuthRequiredError);
    const refused = await failureOf({ HTTPS_PROXY: refusing.url, NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(refused).toBeInstanceOf(ProxyRefusedError);
    expect((refused as Error).message).toContain('(HTTP 403)');
    const untrusted = await failureOf({ HTTPS_PROXY: open.url });
    expect(untrusted).toBeInstanceOf(CertificateNotTrustedError);
    expect((untrusted as CertificateNotTrustedError).hint).toContain('NODE_EXTRA_CA_CERTS');
    const down = await failureOf({ HTTPS_PROXY: 'http://127.0.0.1:9', NODE_EXTRA_CA_CERTS: pki.caFile });
    expect(down).toBeInstanceOf(ProxyUnreachableError);
  });
});

describe("a proxy's answer seen by the AWS SDK", () => {
  it('407 is always the proxy; 403 only without an AWS request id, and only through a proxy', async () => {
    const setup = await configureNetwork({ HTTPS_PROXY: open.url, NO_PROXY: 'direct.example' });
    const url = new URL('https://sts.us-east-1.amazonaws.com/');
    expect(proxyAnswerError(url, 407, {}, setup)).toBeInstanceOf(ProxyAuthRequiredError);
    expect(proxyAnswerError(url, 403, {}, setup)).toBeInstanceOf(ProxyRefusedError);
    expect(proxyAnswerError(url, 403, { 'x-amzn-requestid': 'abc' }, setup)).toBeUndefined();
    expect(proxyAnswerError(url, 500, {}, setup)).toBeUndefined();
    expect(proxyAnswerError(new URL('https://direct.example/'), 403, {}, setup)).toBeUndefined();
  });
});
