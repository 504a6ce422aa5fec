import type { Config } from '../config/types.js';
import { debug } from '../util/debug.js';
import type { AwsCredentials } from './credentials-types.js';

/** Who the credentials in use belong to: STS GetCallerIdentity's answer (no secret in it). */
export interface CallerIdentity {
  arn: string;
  account: string;
  /** The last part of the ARN: the IAM user, or the role session name (often the person's e-mail). */
  user: string;
}

const TIMEOUT_MS = 5_000;

/** `arn:aws:sts::1234:assumed-role/Dev/alice@example.com` → `alice@example.com`; `…:user/bob` → `bob`. */
export function principalName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1] || resource;
}

/**
 * Asks STS who the credentials are, once, in the background (B21, B25): the AWS SDK's STS client
 * (loaded only here) with the same keys the model calls are signed with. The STS endpoint is the
 * SDK's usual one for the region, or AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL. Any failure gives
 * undefined (identity is an attribution nicety, never a reason to stop).
 */
export async function fetchCallerIdentity(config: Config, credentials: () => Promise<AwsCredentials>): Promise<CallerIdentity | undefined> {
  try {
    // The SDK's Node-version notice would land on the user's terminal mid-session (it is about the
    // SDK's future releases, not about this run).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const endpoint = config.env.AWS_ENDPOINT_URL_STS?.trim() || config.env.AWS_ENDPOINT_URL?.trim() || undefined;
    const { requestHandler } = await import('./clients.js');
    const client = new STSClient({
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      // Through the proxy and extra CAs in effect (B27), like every other call. requestHandler()
      // gives the SDK's own NodeHttpHandler, typed unknown so that its module stays a lazy import.
      requestHandler: (await requestHandler(TIMEOUT_MS, endpoint)) as never,
      credentials: async () => {
        const c = await credentials();
        return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
      },
      maxAttempts: 1,
    });
    try {
      const out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!out.Arn || !out.Account) return undefined;
      debug('identity', `caller ${out.Arn}`);
      return { arn: out.Arn, account: out.Account, user: principalName(out.Arn) };
    } finally {
      client.destroy();
    }
  } catch (err) {
    debug('identity', () => `GetCallerIdentity failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    return undefined;
  }
}
