import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { AuthMode } from '../config/types.js';
import type { CredentialSource } from './credentials-types.js';

/**
 * Builds AWS SDK clients the way bcode needs them. The SDK modules are imported here, lazily,
 * so that `--version`, `--help` and configuration errors never load them.
 *
 * Every client: our own retry loop instead of the SDK's (`maxAttempts: 1`), HTTP/1.1 through
 * NodeHttpHandler (the runtime client defaults to HTTP/2, which gateways and plain-HTTP
 * endpoints often do not speak), the auth mode chosen explicitly (so a stray
 * AWS_BEARER_TOKEN_BEDROCK in the process environment cannot silently switch schemes), and a
 * silent logger.
 */

export interface ClientAuth {
  mode: AuthMode;
  bearerToken?: string;
  credentials?: CredentialSource;
}

export interface ClientSpec {
  region: string;
  endpoint: string;
  auth: ClientAuth;
  timeoutMs: number;
}

/** The SDK's Node-20 support notice is not for bcode's users (no library noise on the terminal). */
function quietSdk(): void {
  if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
}

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * NodeHttpHandler with bcode's timeouts and, when a proxy or extra CA applies (B27), the agent
 * from src/net: for `endpoint`'s host, or routed per request when the client talks to several
 * hosts (the credential chain's STS, SSO and OIDC clients share one handler).
 */
export async function requestHandler(timeoutMs: number, endpoint?: string): Promise<unknown> {
  const [{ NodeHttpHandler }, { nodeAgentFor, nodeAgentForAnyHost }] = await Promise.all([import('@smithy/node-http-handler'), import('../net/node-agent.js')]);
  const agent = endpoint ? await nodeAgentFor(endpoint, { keepAlive: true, maxSockets: 50 }) : await nodeAgentForAnyHost({ keepAlive: true, maxSockets: 50 });
  const handler = new NodeHttpHandler({
    ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
    connectionTimeout: Math.min(timeoutMs, 30_000),
    // Time to the response headers; a TimeoutError rather than a console warning.
    requestTimeout: timeoutMs,
    throwOnRequestTimeout: true,
    // Idle time between bytes while a long answer streams.
    socketTimeout: timeoutMs,
    logger: silentLogger,
  });
  if (agent) await reportProxyAnswers(handler);
  return handler;
}

/** A proxy's refusal (407, or 403 without an AWS request id) thrown as the proxy's error, not the service's. */
async function reportProxyAnswers(handler: { handle: (request: never, options?: never) => Promise<{ response: { statusCode: number; headers: Record<string, string | undefined>; body?: unknown } }> }): Promise<void> {
  const { proxyAnswerError, rememberNetError } = await import('../net/errors.js');
  const inner = handler.handle.bind(handler);
  handler.handle = async (request, options) => {
    const out = await inner(request, options);
    const req = request as { protocol?: string; hostname?: string; port?: number };
    const url = new URL(`${req.protocol ?? 'https:'}//${req.hostname ?? 'localhost'}${req.port ? `:${req.port}` : ''}/`);
    const err = proxyAnswerError(url, out.response.statusCode, out.response.headers);
    if (err) {
      (out.response.body as { destroy?: () => void } | undefined)?.destroy?.();
      throw rememberNetError(err);
    }
    return out;
  };
}

/** The auth-related part of an SDK client configuration. */
function authConfig(auth: ClientAuth): Record<string, unknown> {
  switch (auth.mode) {
    case 'bearer':
      return { token: { token: auth.bearerToken ?? '' }, authSchemePreference: ['httpBearerAuth'] };
    case 'none':
      // An auth scheme that signs nothing: no Authorization header at all (B16).
      return {
        httpAuthSchemes: [{ schemeId: 'smithy.api#noAuth', identityProvider: () => async () => ({}), signer: { sign: async (req: unknown) => req } }],
        httpAuthSchemeProvider: () => [{ schemeId: 'smithy.api#noAuth' }],
      };
    case 'sigv4': {
      const source = auth.credentials;
      if (!source) throw new Error('internal: SigV4 client without a credential source');
      // The source caches and refreshes on its own schedule (B7). `memoized: true` tells the SDK
      // not to wrap it in its own cache, which would keep credentials without an expiration
      // forever and never see a refresh.
      const provider = Object.assign(
        async () => {
          const c = await source.get();
          return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
        },
        { memoized: true },
      );
      return { authSchemePreference: ['sigv4'], credentials: provider };
    }
  }
}

/** The control-plane client (ListInferenceProfiles …), same auth and transport choices. */
export async function createControlClient(spec: ClientSpec): Promise<BedrockClient> {
  quietSdk();
  const { BedrockClient } = await import('@aws-sdk/client-bedrock');
  return new BedrockClient({
    region: spec.region,
    endpoint: spec.endpoint,
    maxAttempts: 1,
    logger: silentLogger,
    requestHandler: (await requestHandler(spec.timeoutMs, spec.endpoint)) as never,
    ...authConfig(spec.auth),
  });
}
