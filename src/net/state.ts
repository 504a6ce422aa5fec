/**
 * The network set-up of this process (B27): which proxy each URL goes through and which extra
 * CA certificates TLS trusts. Settled once, from the effective environment (shell over settings
 * `env`), before the first connection; every outbound path asks here (src/net/node-agent.ts for
 * node:http(s) and the AWS SDK, src/net/fetch.ts for fetch).
 */
import { debug } from '../util/debug.js';
import { addSecret } from '../util/redact.js';
import type { ExtraCa } from './ca.js';
import { readProxyEnv, redactProxyUrl, type ProxyEnv } from './proxy-env.js';

export interface NetworkSetup {
  proxies: ProxyEnv;
  ca?: ExtraCa;
  /** True when any proxy variable is set (the proxy agents are then needed for some URL). */
  anyProxy: boolean;
}

let current: NetworkSetup | undefined;
let pending: Promise<NetworkSetup> | undefined;

/**
 * Reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY / NODE_EXTRA_CA_CERTS from `env` and makes them the
 * process's set-up. Throws ConfigError (exit 2) for a proxy URL or CA file that cannot be used.
 */
export async function configureNetwork(env: Record<string, string | undefined>): Promise<NetworkSetup> {
  const proxies = readProxyEnv(env);
  for (const p of [proxies.http, proxies.https]) {
    if (!p?.url.password) continue;
    addSecret(p.url.password);
    addSecret(safeDecode(p.url.password));
  }
  const caFile = env.NODE_EXTRA_CA_CERTS?.trim();
  // The CA module (and node:tls, node:crypto behind it) loads only when there is a CA to read.
  const ca = caFile ? (await import('./ca.js')).loadExtraCa(caFile) : undefined;
  current = { proxies, ca, anyProxy: proxies.http !== undefined || proxies.https !== undefined };
  pending = undefined;
  const setup = current;
  debug('net', () => {
    const shown = (p: ProxyEnv['https']) => (p ? `${redactProxyUrl(p.url)} (${p.from})` : 'none');
    return `https proxy ${shown(proxies.https)}, http proxy ${shown(proxies.http)}, NO_PROXY ${proxies.noProxyText ?? 'unset'}, extra CA ${setup.ca ? `${setup.ca.file} (${setup.ca.certs.length} certificate${setup.ca.certs.length === 1 ? '' : 's'})` : 'none'}`;
  });
  return current;
}

/** The set-up in effect; read from the process environment if nobody configured it first. */
export function networkSetup(): Promise<NetworkSetup> {
  if (current) return Promise.resolve(current);
  return (pending ??= configureNetwork(process.env));
}

/** The set-up if it is settled already (synchronous callers, e.g. error classification). */
export function settledNetworkSetup(): NetworkSetup | undefined {
  return current;
}

/** Forget the set-up (tests). */
export function resetNetworkSetup(): void {
  current = undefined;
  pending = undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
