/**
 * How HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (B27): the precedence of the spellings and
 * the NO_PROXY patterns, as docs/proxies.md documents them.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseProxyUrl, proxyFor, readProxyEnv, redactProxyText, redactProxyUrl } from '../../src/net/proxy-env.js';

const via = (url: string, env: Record<string, string>) => proxyFor(url, readProxyEnv(env))?.url.href;

describe('which proxy variable applies', () => {
  it('lower case before upper case; an empty value is unset', () => {
    expect(via('https://a.example/', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1/');
    expect(via('https://a.example/', { https_proxy: '', HTTPS_PROXY: 'http://upper:2' })).toBe('http://upper:2/');
    expect(readProxyEnv({ https_proxy: 'http://lower:1' }).https?.from).toBe('https_proxy');
  });

  it('https URLs fall back to the HTTP proxy; http URLs never use the HTTPS one', () => {
    expect(via('https://a.example/', { HTTP_PROXY: 'http://p:3128' })).toBe('http://p:3128/');
    expect(via('http://a.example/', { HTTPS_PROXY: 'http://p:3128' })).toBeUndefined();
    expect(via('http://a.example/', { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:2' })).toBe('http://h:2/');
    expect(via('https://a.example/', {})).toBeUndefined();
  });

  it('host:port without a scheme is an http proxy; other schemes are refused', () => {
    expect(parseProxyUrl('proxy.corp:3128', 'HTTPS_PROXY').href).toBe('http://proxy.corp:3128/');
    expect(parseProxyUrl('https://proxy.corp:3129', 'HTTPS_PROXY').protocol).toBe('https:');
    expect(() => parseProxyUrl('socks5://p:1080', 'HTTPS_PROXY')).toThrow(ConfigError);
    expect(() => parseProxyUrl('http://', 'HTTPS_PROXY')).toThrow(/not a valid proxy URL/);
  });
});

describe('NO_PROXY patterns', () => {
  const proxied = (url: string, noProxy: string) => via(url, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy }) !== undefined;

  it('a domain matches itself and its subdomains, with or without a leading dot or *.', () => {
    for (const rule of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
      expect(proxied('https://example.com/', rule), rule).toBe(false);
      expect(proxied('https://api.example.com/', rule), rule).toBe(false);
      expect(proxied('https://notexample.com/', rule), rule).toBe(true);
      expect(proxied('https://example.com.evil.net/', rule), rule).toBe(true);
    }
  });

  it('* alone sends everything direct; commas and spaces both separate', () => {
    expect(proxied('https://anything.example/', '*')).toBe(false);
    expect(proxied('https://b.example/', 'a.example b.example')).toBe(false);
    expect(proxied('https://b.example/', 'a.example,,  b.example ,')).toBe(false);
    expect(proxied('https://c.example/', 'a.example b.example')).toBe(true);
  });

  it('host:port matches that port only (443/80 when the URL has none)', () => {
    expect(proxied('https://h.example/', 'h.example:443')).toBe(false);
    expect(proxied('https://h.example:8443/', 'h.example:443')).toBe(true);
    expect(proxied('http://h.example/', 'h.example:80')).toBe(false);
    expect(proxied('https://127.0.0.1:9000/', '127.0.0.1:9000')).toBe(false);
    expect(proxied('https://127.0.0.1:9001/', '127.0.0.1:9000')).toBe(true);
  });

  it('IP addresses exactly, CIDR ranges, IPv6 with and without brackets', () => {
    expect(proxied('https://10.1.2.3/', '10.1.2.3')).toBe(false);
    expect(proxied('https://10.1.2.4/', '10.1.2.3')).toBe(true);
    expect(proxied('https://10.200.0.1/', '10.0.0.0/8')).toBe(false);
    expect(proxied('https://11.0.0.1/', '10.0.0.0/8')).toBe(true);
    expect(proxied('https://[::1]:8080/', '::1')).toBe(false);
    expect(proxied('https://[::1]:8080/', '[::1]:8080')).toBe(false);
    expect(proxied('https://[::1]:8081/', '[::1]:8080')).toBe(true);
    expect(proxied('https://[fd00::5]/', 'fd00::/8')).toBe(false);
    // A host name is not matched by an IP rule (no DNS lookups to decide).
    expect(proxied('https://localhost/', '127.0.0.1')).toBe(true);
  });
});

describe('showing a proxy URL', () => {
  it('hides the password and only it', () => {
    expect(redactProxyUrl(new URL('http://alice:s3cret@p.corp:3128'))).toBe('http://alice:***@p.corp:3128');
    expect(redactProxyUrl(new URL('http://p.corp:3128'))).toBe('http://p.corp:3128');
    expect(redactProxyText('alice:s3cret@p.corp:3128')).toBe('alice:***@p.corp:3128');
    expect(redactProxyText('http://alice:s3cret@p.corp:3128')).toBe('http://alice:***@p.corp:3128');
  });

  it('an invalid proxy URL is reported without its password', () => {
    try {
      parseProxyUrl('http://alice:s3cret@', 'HTTPS_PROXY');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
  });
});
