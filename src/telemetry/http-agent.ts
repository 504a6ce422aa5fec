import type { Agent, AgentOptions } from 'node:http';
import type { Config } from '../config/types.js';

/**
 * The one place the OTLP HTTP exporters get their connection from: the agent of src/net for the
 * exporter's URL, so telemetry goes through HTTPS_PROXY / NO_PROXY and trusts NODE_EXTRA_CA_CERTS
 * like every other outbound call (B27); Node's own keep-alive agent when no proxy or CA applies.
 */
export function exporterHttpAgent(_config: Config, url: string): AgentOptions | ((protocol: string) => Promise<Agent>) {
  return async (protocol: string) => {
    const { nodeAgentFor } = await import('../net/node-agent.js');
    const agent = await nodeAgentFor(url, { keepAlive: true });
    if (agent) return agent;
    const http = protocol === 'https:' ? await import('node:https') : await import('node:http');
    return new http.Agent({ keepAlive: true });
  };
}
