/**
 * fetch() through the proxy and CA in effect (B27): WebFetch, and MCP's HTTP transport when it
 * wants it. Node's global fetch knows neither HTTPS_PROXY nor a NODE_EXTRA_CA_CERTS that came
 * from settings, so when either applies the request goes through undici's own fetch with a
 * dispatcher: a ProxyAgent (CONNECT, Basic auth from the proxy URL) or an Agent trusting the
 * extra CAs. The same NO_PROXY reading as the node:http paths decides which.
 */
import type { Dispatcher } from 'undici';
import { proxyFor } from './proxy-env.js';
import { networkSetup } from './state.js';

/** Per set-up (a new set-up, e.g. in tests, gets new dispatchers), per proxy. */
const dispatchers = new WeakMap<object, Map<string, Dispatcher>>();

/** The dispatcher for a request to `url`, or undefined when plain fetch() will do. */
export async function dispatcherFor(url: URL | string): Promise<Dispatcher | undefined> {
  const setup = await networkSetup();
  const proxy = proxyFor(url, setup.proxies);
  if (!proxy && !setup.ca) return undefined;
  const key = proxy ? proxy.url.href : 'direct';
  let forSetup = dispatchers.get(setup);
  if (!forSetup) dispatchers.set(setup, (forSetup = new Map()));
  let d = forSetup.get(key);
  if (!d) {
    const undici = await import('undici');
    const ca = setup.ca ? (await import('./ca.js')).trustedCas(setup.ca) : undefined;
    const tls = ca ? { ca } : {};
    d = proxy ? new undici.ProxyAgent({ uri: proxy.url.href, requestTls: tls, proxyTls: tls }) : new undici.Agent({ connect: tls });
    forSetup.set(key, d);
  }
  return d;
}

/** fetch(), through the proxy and CA that apply to `url`. */
export async function netFetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
  const dispatcher = await dispatcherFor(url);
  if (!dispatcher) return fetch(url, init);
  const undici = await import('undici');
  // undici's Response is the class Node's fetch returns; the types differ only in name.
  return (await undici.fetch(url, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher })) as unknown as Response;
}
