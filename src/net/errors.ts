/**
 * Network failures that are about the proxy or the trust store rather than the service (B27),
 * named as what they are — instead of a bare ECONNREFUSED, an "HTTP 407" from nowhere, or an
 * OpenSSL reason code. Used by every outbound path: classifyError (Bedrock runtime and control
 * plane, the credential chain) and WebFetch.
 */
import { BcodeError, type BcodeErrorOptions } from '../errors.js';
import { CA_VARIABLE } from './ca-variable.js';
import { proxyFor, redactProxyUrl, type ProxySetting } from './proxy-env.js';
import { settledNetworkSetup, type NetworkSetup } from './state.js';

export type NetFailureKind = 'proxy_unreachable' | 'proxy_auth_required' | 'proxy_refused' | 'certificate_untrusted';

export abstract class NetError extends BcodeError {
  abstract readonly kind: NetFailureKind;
  constructor(message: string, options: Omit<BcodeErrorOptions, 'exitCode'> = {}) {
    super(message, options);
  }
}
/** Nothing answers at the proxy's address. */
export class ProxyUnreachableError extends NetError {
  readonly kind = 'proxy_unreachable';
}
/** The proxy wants credentials (HTTP 407), or rejected the ones in the proxy URL. */
export class ProxyAuthRequiredError extends NetError {
  readonly kind = 'proxy_auth_required';
}
/** The proxy answered the CONNECT with something other than 200 (a policy refusal, 403, or its own failure). */
export class ProxyRefusedError extends NetError {
  readonly kind = 'proxy_refused';
}
/** The server's certificate does not chain to a CA this process trusts. */
export class CertificateNotTrustedError extends NetError {
  readonly kind = 'certificate_untrusted';
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);

interface Found {
  code?: string;
  message: string;
  /** The proxy's answer to CONNECT, when it was not 200. */
  proxyStatus?: number;
  /** An HTTP status seen by a client that cannot tell who answered (the AWS SDK). */
  status?: number;
  requestId?: string;
}

/** The error and its causes, flattened to what matters here. */
function inspect(err: unknown): Found {
  const found: Found = { message: '' };
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const o = e as Record<string, unknown>;
    if (!found.code && typeof o.code === 'string') found.code = o.code;
    if (!found.message && typeof o.message === 'string') found.message = o.message;
    if (found.proxyStatus === undefined && typeof o.proxyStatus === 'number') found.proxyStatus = o.proxyStatus;
    const meta = o.$metadata as Record<string, unknown> | undefined;
    if (found.status === undefined && typeof meta?.httpStatusCode === 'number') found.status = meta.httpStatusCode;
    if (!found.requestId && typeof meta?.requestId === 'string') found.requestId = meta.requestId;
    // undici: "Proxy response (407) !== 200 when HTTP Tunneling".
    const m = typeof o.message === 'string' ? /Proxy response \((\d{3})\)/.exec(o.message) : null;
    if (m && found.proxyStatus === undefined) found.proxyStatus = Number(m[1]);
    e = o.cause;
  }
  return found;
}

function hostOf(target: URL): string {
  return target.port ? `${target.hostname}:${target.port}` : target.hostname;
}

/**
 * The proxy or trust-store failure `err` is, for a request to `target`; undefined when it is
 * something else (the caller classifies it as before).
 */
export function classifyNetFailure(err: unknown, target: URL | string | undefined, setup: NetworkSetup | undefined = settledNetworkSetup()): NetError | undefined {
  if (err instanceof NetError) return err;
  let url: URL | undefined;
  try {
    url = target === undefined ? undefined : typeof target === 'string' ? new URL(target) : target;
  } catch {
    url = undefined;
  }
  const f = inspect(err);
  const proxy = url && setup ? proxyFor(url, setup.proxies) : undefined;
  const where = url ? hostOf(url) : 'the server';

  if (f.code && UNTRUSTED.has(f.code)) return untrusted(f.code, where, proxy, setup);
  if (!proxy) return undefined;
  const shown = redactProxyUrl(proxy.url);
  if (f.code && UNREACHABLE.has(f.code) && f.proxyStatus === undefined) {
    return new ProxyUnreachableError(`cannot connect to the proxy ${shown} (from ${proxy.from}): ${f.code}`, {
      hint: `check ${proxy.from} (host and port) and that the proxy is running; to reach ${url?.hostname ?? 'this host'} without it, add it to NO_PROXY`,
    });
  }
  // A 407 comes only from a proxy; a client that cannot say who answered (the SDK) still knows that.
  const status = f.proxyStatus ?? (f.status === 407 ? 407 : undefined);
  if (status === 407) {
    return new ProxyAuthRequiredError(`the proxy ${shown} requires authentication (HTTP 407)${proxy.url.username ? ' and rejected the user name and password given' : ''}`, {
      hint: proxy.url.username
        ? `check the user name and password in ${proxy.from} (percent-encode characters such as @ : / in them)`
        : `put the proxy credentials in the URL: ${proxy.from}=${proxy.url.protocol}//USER:PASSWORD@${proxy.url.host}`,
    });
  }
  if (status !== undefined) {
    return new ProxyRefusedError(`the proxy ${shown} refused the connection to ${where} (HTTP ${status})`, {
      hint: status === 403
        ? `the proxy's policy does not allow ${url?.hostname ?? 'this host'}: ask your network team to allow it, or add it to NO_PROXY if it is reachable directly`
        : `the proxy could not open a tunnel to ${where}; check the proxy's logs, or add the host to NO_PROXY if it is reachable directly`,
    });
  }
  return undefined;
}

function untrusted(code: string, where: string, proxy: ProxySetting | undefined, setup: NetworkSetup | undefined): CertificateNotTrustedError {
  const via = proxy ? ` (through the proxy ${redactProxyUrl(proxy.url)})` : '';
  const hint = setup?.ca
    ? `the CA certificates in ${CA_VARIABLE} (${setup.ca.file}) did not sign it: add the certificate of the CA that did (behind a TLS-inspecting proxy, your organization's root CA) to that file`
    : `if a TLS-inspecting proxy or a private CA signs it, set ${CA_VARIABLE} to a PEM file with that CA's certificate (in the shell or in settings "env")`;
  return new CertificateNotTrustedError(`the TLS certificate of ${where}${via} is not trusted (${code})`, { hint });
}

/**
 * For clients that cannot see the proxy's CONNECT answer (the AWS SDK's handler gets it replayed
 * as if it were the response): a 407 is always the proxy's; a 403 without any AWS request id,
 * on a URL that goes through a proxy, is the proxy's refusal too — AWS sends a request id with
 * every answer.
 */
export function proxyAnswerError(url: URL, status: number, headers: Record<string, string | undefined>, setup: NetworkSetup | undefined = settledNetworkSetup()): NetError | undefined {
  if (status !== 407 && status !== 403) return undefined;
  if (!setup || !proxyFor(url, setup.proxies)) return undefined;
  const ids = ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id', 'x-amz-id-2'];
  if (status === 403 && ids.some((h) => headers[h] !== undefined)) return undefined;
  return classifyNetFailure(Object.assign(new Error(`proxy answered ${status}`), { proxyStatus: status }), url, setup);
}

/** Proxy errors thrown inside the AWS SDK, which some providers re-wrap as text (`new CredentialsProviderError(err)`). */
const thrownInsideSdk: NetError[] = [];

/** Remembers `err`, thrown where the SDK may turn it into text, so `netErrorIn` can find it again. */
export function rememberNetError(err: NetError): NetError {
  thrownInsideSdk.push(err);
  if (thrownInsideSdk.length > 8) thrownInsideSdk.shift();
  return err;
}

/** The NetError in `err` or its causes — as the object, or as the text the SDK made of it. */
export function netErrorIn(err: unknown): NetError | undefined {
  const texts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof NetError) return e;
    if (e instanceof Error) texts.push(e.message);
  }
  return thrownInsideSdk.find((n) => texts.some((t) => t.includes(n.message)));
}
