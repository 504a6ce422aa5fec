import { debug } from '../util/debug.js';
import { proxyFor, redactProxyUrl } from '../net/proxy-env.js';
import { networkSetup } from '../net/state.js';

/**
 * The OTLP gRPC exporters connect through @grpc/grpc-js, which takes no agent: it reads its own
 * variables from the process environment when a channel is made — `grpc_proxy`, then lower-case
 * `https_proxy`, `http_proxy` (http:// proxy URLs only, sent a CONNECT) and `no_grpc_proxy` /
 * `no_proxy` — and ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY in upper case. So that gRPC
 * telemetry takes the same way as every other call (B27), bcode's own decision for the endpoint
 * (src/net: upper and lower case, settings `env`, NO_PROXY with ports and CIDRs) is written into
 * the variables grpc-js reads, before the exporter is created. A `grpc_proxy` the user set is
 * left alone: it is the gRPC-specific choice. Like settings `env` (apply-env.ts), the variables
 * live in this process's environment, so child processes inherit them; they name the proxy bcode
 * already uses.
 */
/** Whether `grpc_proxy` was written here (then a later endpoint may still be excluded from it). */
let written = false;

export async function alignGrpcProxy(endpoint: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.grpc_proxy && !written) return;
  let target: URL;
  try {
    target = new URL(endpoint);
  } catch {
    return;
  }
  const setup = await networkSetup();
  const proxy = proxyFor(target, setup.proxies);
  if (proxy && proxy.url.protocol === 'http:') {
    // One process-wide variable: the first endpoint's proxy serves the others that use one.
    if (!env.grpc_proxy) {
      env.grpc_proxy = proxy.url.href;
      written = true;
    }
    debug('net', () => `OTLP gRPC to ${target.host} through ${redactProxyUrl(proxy.url)} (${proxy.from})`);
    return;
  }
  if (proxy) {
    // grpc-js tunnels through http:// proxies only.
    debug('net', () => `OTLP gRPC to ${target.host}: the proxy ${redactProxyUrl(proxy.url)} is https://, which gRPC cannot use; connecting directly`);
  }
  // Direct by bcode's rules: keep grpc-js from using grpc_proxy or a lower-case https_proxy / http_proxy for it.
  if (env.grpc_proxy || env.https_proxy || env.http_proxy) {
    const list = env.no_grpc_proxy ?? env.no_proxy;
    env.no_grpc_proxy = list ? `${list},${target.hostname}` : target.hostname;
  }
}
