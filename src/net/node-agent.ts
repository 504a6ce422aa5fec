/**
 * The `node:http(s)` agents for outbound calls (B27): the lean Bedrock transport, the AWS SDK's
 * NodeHttpHandler (control plane, STS, SSO, `aws login`), and whatever else speaks node:http —
 * the OTLP exporter and MCP's HTTP transport can take theirs from here too.
 *
 * With a proxy configured the agent is proxy-agent's ProxyAgent (CONNECT for https targets, a
 * forward proxy for http ones, Basic auth from the proxy URL), routed by bcode's own reading of
 * NO_PROXY so that every path decides the same way. It is imported only then: without a proxy
 * the request path loads nothing more than before.
 */
import type { Agent } from 'node:http';
import { proxyFor } from './proxy-env.js';
import { networkSetup, type NetworkSetup } from './state.js';

export interface AgentOptions {
  keepAlive?: boolean;
  maxSockets?: number;
}

/**
 * The agent for requests to `url`'s host, or undefined when neither a proxy nor an extra CA
 * applies to it (the caller keeps its own default agent).
 */
export async function nodeAgentFor(url: URL | string, options: AgentOptions = {}): Promise<Agent | undefined> {
  const setup = await networkSetup();
  if (proxyFor(url, setup.proxies)) return proxyAgent(setup, options);
  if (!setup.ca) return undefined;
  return caAgent(setup, typeof url === 'string' ? new URL(url).protocol : url.protocol, options);
}

/**
 * One agent for a client that talks to several hosts (the credential chain's STS, SSO and OIDC
 * clients): it routes each request by its own URL. Undefined when nothing applies.
 */
export async function nodeAgentForAnyHost(options: AgentOptions = {}): Promise<Agent | undefined> {
  const setup = await networkSetup();
  if (setup.anyProxy) return proxyAgent(setup, options);
  if (!setup.ca) return undefined;
  return caAgent(setup, 'https:', options);
}

async function caAgent(setup: NetworkSetup, protocol: string, options: AgentOptions): Promise<Agent | undefined> {
  // An http:// endpoint has no TLS to trust anything for.
  if (protocol !== 'https:' || !setup.ca) return undefined;
  const [{ Agent: HttpsAgent }, { trustedCas }] = await Promise.all([import('node:https'), import('./ca.js')]);
  return new HttpsAgent({ ...options, ca: trustedCas(setup.ca) });
}

async function proxyAgent(setup: NetworkSetup, options: AgentOptions): Promise<Agent> {
  const { ProxyAgent } = await import('proxy-agent');
  const ca = setup.ca ? (await import('./ca.js')).trustedCas(setup.ca) : undefined;
  return new ProxyAgent({
    ...options,
    ...(ca ? { ca } : {}),
    // '' means "direct" to proxy-agent.
    getProxyForUrl: (url: string) => proxyFor(url, setup.proxies)?.url.href ?? '',
  });
}
