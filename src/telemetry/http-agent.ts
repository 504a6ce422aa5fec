import type { Config } from '../config/types.js';

/**
 * The one place the OTLP HTTP exporters get their connection settings from. It returns the
 * `httpAgentOptions` the OpenTelemetry exporters take (agent options, or a factory of agents).
 *
 * Integration point for B27 (proxies and corporate CAs, src/net/): once src/net exports its
 * proxy-aware agent factory, return it here — e.g. `(protocol) => agentFor(config, url)` — so that
 * the exporters go through HTTPS_PROXY / NO_PROXY and trust NODE_EXTRA_CA_CERTS like every other
 * outbound call. Until then the exporters use Node's default agents (keep-alive on).
 */
export function exporterHttpAgent(_config: Config, _url: string): import('node:http').AgentOptions {
  return { keepAlive: true };
}
