/**
 * Which proxy a URL goes through, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (B27). Pure and
 * cheap: it is consulted on the start-up path, and the proxy agents load only when it names a
 * proxy for some URL.
 *
 * The rules follow undici's EnvHttpProxyAgent (what Node's own fetch will use):
 *   - the lower-case name wins over the upper-case one (`https_proxy` before `HTTPS_PROXY`);
 *     an empty value counts as unset;
 *   - https URLs use the HTTPS proxy, and the HTTP proxy when no HTTPS proxy is set; http URLs use
 *     the HTTP proxy only;
 * and NO_PROXY's patterns are read as curl and Go read them (documented in docs/proxies.md):
 *   - entries separated by commas or white space, compared case-insensitively;
 *   - `*` alone: no proxy for anything;
 *   - `example.com`, `.example.com` and `*.example.com` all match example.com and every
 *     subdomain of it;
 *   - `host:port` matches that port only; IPv6 literals as `[::1]` or `::1` (`[::1]:8080` with a port);
 *   - IP addresses match exactly, and `10.0.0.0/8`-style ranges (CIDR) match the addresses in them.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../errors.js';

export interface ProxyEnv {
  /** The proxy for https URLs (HTTPS_PROXY, else HTTP_PROXY). */
  https?: ProxySetting;
  /** The proxy for http URLs. */
  http?: ProxySetting;
  noProxy: NoProxyRule[];
  /** The NO_PROXY text as given (for doctor and --print-config). */
  noProxyText?: string;
}

export interface ProxySetting {
  url: URL;
  /** The variable it came from, e.g. `https_proxy`. */
  from: string;
}

type NoProxyRule = { kind: 'all' } | { kind: 'host'; host: string; port?: string } | { kind: 'ip'; ip: string; port?: string } | { kind: 'cidr'; list: BlockList; port?: string };

/** The value of `name`, lower-case spelling first; empty means unset. */
function pick(env: Record<string, string | undefined>, name: string): { value: string; from: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { value, from: key };
  }
  return undefined;
}

/**
 * A proxy URL as curl takes it: `http://[user:pass@]host:port`, `https://…` (TLS to the proxy),
 * or just `host:port` (http assumed).
 */
export function parseProxyUrl(value: string, from: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`${from} is not a valid proxy URL: ${redactProxyText(value)}`, { hint: `give it as http://host:port (or http://user:password@host:port), e.g. ${from}=http://proxy.example.com:3128` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${from}: ${url.protocol.slice(0, -1)} proxies are not supported`, { hint: `bcode talks to HTTP proxies (http:// or https:// URLs, CONNECT for https targets); set ${from}=http://host:port` });
  }
  if (!url.hostname) throw new ConfigError(`${from} names no proxy host: ${redactProxyText(value)}`, { hint: `give it as http://host:port, e.g. ${from}=http://proxy.example.com:3128` });
  if (url.pathname !== '/' && url.pathname !== '') url.pathname = '/';
  return url;
}

function parseNoProxy(text: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    let port: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1];
      port = bracketed[2];
    } else if (isIP(entry.split('/')[0]) !== 6) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1];
        port = m[2];
      }
    }
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1])) {
      const family = isIP(cidr[1]) === 6 ? 'ipv6' : 'ipv4';
      const bits = Number(cidr[2]);
      if (bits <= (family === 'ipv6' ? 128 : 32)) {
        const list = new BlockList();
        list.addSubnet(cidr[1], bits, family);
        rules.push({ kind: 'cidr', list, port });
      }
      continue;
    }
    if (isIP(entry)) {
      rules.push({ kind: 'ip', ip: entry, port });
      continue;
    }
    const host = entry.replace(/^\*?\.+/, '').replace(/\.$/, '');
    if (host) rules.push({ kind: 'host', host, port });
  }
  return rules;
}

/** Reads the proxy variables of `env` (throws ConfigError for a proxy URL that cannot be used). */
export function readProxyEnv(env: Record<string, string | undefined>): ProxyEnv {
  const httpsRaw = pick(env, 'https_proxy');
  const httpRaw = pick(env, 'http_proxy');
  const noRaw = pick(env, 'no_proxy');
  const http = httpRaw ? { url: parseProxyUrl(httpRaw.value, httpRaw.from), from: httpRaw.from } : undefined;
  const https = httpsRaw ? { url: parseProxyUrl(httpsRaw.value, httpsRaw.from), from: httpsRaw.from } : http;
  return { https, http, noProxy: noRaw ? parseNoProxy(noRaw.value) : [], noProxyText: noRaw?.value };
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' || protocol === 'wss:' ? '443' : '80';
}

/** True when NO_PROXY says `url` goes direct. */
export function bypassesProxy(url: URL, rules: NoProxyRule[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const port = url.port || defaultPort(url.protocol);
  const family = isIP(host);
  for (const rule of rules) {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.kind === 'ip' && family !== 0 && rule.ip === host) return true;
    if (rule.kind === 'cidr' && family !== 0 && rule.list.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true;
    if (rule.kind === 'host' && (host === rule.host || host.endsWith(`.${rule.host}`))) return true;
  }
  return false;
}

/** The proxy `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL | string, proxies: ProxyEnv): ProxySetting | undefined {
  const target = typeof url === 'string' ? new URL(url) : url;
  const setting = target.protocol === 'https:' || target.protocol === 'wss:' ? proxies.https : target.protocol === 'http:' || target.protocol === 'ws:' ? proxies.http : undefined;
  if (!setting) return undefined;
  return bypassesProxy(target, proxies.noProxy) ? undefined : setting;
}

/** A proxy URL fit to show: the password (and only it) replaced. */
export function redactProxyUrl(url: URL): string {
  if (!url.password) return url.href.replace(/\/$/, '');
  const shown = new URL(url.href);
  shown.password = '***';
  return shown.href.replace(/\/$/, '');
}

/** Same for a value that may not even parse. */
export function redactProxyText(value: string): string {
  return value.replace(/(\/\/[^/:@\s]*:)[^/@\s]*@/, '$1***@').replace(/^([^/:@\s]+:)[^/@\s]*@/, '$1***@');
}
