import type { ChannelCredentials } from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { networkSetup } from '../net/state.js';
import { debug } from '../util/debug.js';

type Env = Record<string, string | undefined>;

/**
 * For an OTLP gRPC endpoint over TLS: channel credentials that trust Node's roots and the
 * NODE_EXTRA_CA_CERTS certificates (B27). grpc-js builds its TLS context itself, and Node reads
 * NODE_EXTRA_CA_CERTS only from the environment it was started with — one from settings `env`
 * would reach the HTTP exporters (src/net agent) but not gRPC without this. The OpenTelemetry
 * variable for the purpose (OTEL_EXPORTER_OTLP_[signal_]CERTIFICATE), when set, is the user's
 * explicit choice and is left to the exporter.
 */
export async function grpcTlsCredentials(endpoint: string, signal: 'METRICS' | 'LOGS', env: Env): Promise<ChannelCredentials | undefined> {
  if (!/^https:/i.test(endpoint.trim())) return undefined;
  quietIpServername(endpoint);
  if (env[`OTEL_EXPORTER_OTLP_${signal}_CERTIFICATE`] || env.OTEL_EXPORTER_OTLP_CERTIFICATE) return undefined;
  const setup = await networkSetup();
  if (!setup.ca) return undefined;
  // Made by the exporters' own package (external to the bundle, like them): grpc-js checks the
  // credentials with instanceof, so they must come from the copy the exporters load.
  const [{ trustedCas }, { createSslCredentials }] = await Promise.all([import('../net/ca.js'), import('@opentelemetry/otlp-grpc-exporter-base')]);
  return createSslCredentials(Buffer.from(trustedCas(setup.ca).join('\n')));
}

/**
 * grpc-js passes the endpoint's host as the TLS server name even when it is an IP address, and
 * Node answers that with a DeprecationWarning (DEP0123) printed on the user's terminal. That one
 * warning is dropped (shown with --debug); every other warning goes through unchanged.
 */
let quieted = false;
function quietIpServername(endpoint: string): void {
  if (quieted) return;
  let host = '';
  try {
    host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return;
  }
  if (isIP(host) === 0) return;
  quieted = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
    if (code === 'DEP0123') {
      debug('otel', () => `dropped: ${String(warning)}`);
      return;
    }
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
