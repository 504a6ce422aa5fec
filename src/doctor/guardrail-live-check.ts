/**
 * B26/B14: the guardrail named in ANTHROPIC_CUSTOM_HEADERS, checked against the control plane's
 * GetGuardrail — does that identifier and version exist in this region, and is it READY? A pair
 * Bedrock does not know makes every model request fail, so this is worth one call up front. The
 * SDK client is loaded only when a guardrail is configured.
 */
import type { Config } from '../config/types.js';
import type { CredentialSource } from '../bedrock/credentials-types.js';
import { classifyError } from '../bedrock/errors.js';
import { guardrailHeaders, guardrailLabel } from '../bedrock/guardrail.js';
import { failure } from './live-checks.js';
import { partitionOf } from './iam-policy.js';
import type { CheckResult } from './types.js';

export interface GuardrailInfo {
  id: string;
  arn: string;
  name: string;
  version: string;
  status: string;
}

export type GetGuardrail = (config: Config, credentials: CredentialSource | undefined, identifier: string, version: string, signal: AbortSignal) => Promise<GuardrailInfo>;

const ID = 'guardrail';
const TITLE = 'guardrail exists';

/** The identifier and version the headers name, when both are there (the config check reports a half-set pair). */
export function configuredGuardrail(config: Config): { id: string; version: string } | undefined {
  const g = guardrailHeaders(config.customHeaders);
  return g.id && g.version ? { id: g.id, version: g.version } : undefined;
}

/** GetGuardrail through @aws-sdk/client-bedrock, on the control-plane endpoint, with the auth mode of model calls. */
export const sdkGetGuardrail: GetGuardrail = async (config, credentials, identifier, version, signal) => {
  const [{ createControlClient }, { GetGuardrailCommand }] = await Promise.all([import('../bedrock/clients.js'), import('@aws-sdk/client-bedrock')]);
  const auth = { mode: config.auth.mode, bearerToken: config.auth.bearerToken, credentials };
  const client = await createControlClient({ region: config.region, endpoint: config.controlEndpoint, auth, timeoutMs: Math.min(config.apiTimeoutMs, 30_000) });
  try {
    const res = await client.send(new GetGuardrailCommand({ guardrailIdentifier: identifier, guardrailVersion: version }), { abortSignal: signal });
    return { id: res.guardrailId ?? identifier, arn: res.guardrailArn ?? '', name: res.name ?? '', version: res.version ?? version, status: res.status ?? 'unknown' };
  } finally {
    client.destroy();
  }
};

function exceptionName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

export async function guardrailLiveCheck(config: Config, credentials: CredentialSource | undefined, get: GetGuardrail, signal: AbortSignal): Promise<CheckResult | undefined> {
  const configured = configuredGuardrail(config);
  if (!configured) return undefined;
  const label = guardrailLabel(configured);
  const where = `ANTHROPIC_CUSTOM_HEADERS (${config.sources.customHeaders ?? 'env'})`;
  try {
    const g = await get(config, credentials, configured.id, configured.version, signal);
    const detail = `${label}: found (${g.status}, name ${g.name || '(none)'})`;
    if (g.status === 'READY') return { id: ID, title: TITLE, status: 'pass', detail };
    return {
      id: ID,
      title: TITLE,
      status: g.status === 'FAILED' || g.status === 'DELETING' ? 'fail' : 'warn',
      detail,
      fix: `Bedrock applies a guardrail only when it is READY: wait for ${g.status.toLowerCase()} to finish, or fix it in the Bedrock console (Guardrails → ${g.name || configured.id})`,
    };
  } catch (err) {
    if (signal.aborted) throw err;
    const name = exceptionName(err);
    if (name === 'ResourceNotFoundException') {
      return {
        id: ID,
        title: TITLE,
        status: 'fail',
        detail: `${label}: not found in ${config.region}; every model request naming it will be refused`,
        fix: `fix X-Amzn-Bedrock-GuardrailIdentifier / X-Amzn-Bedrock-GuardrailVersion in ${where}: \`aws bedrock list-guardrails --region ${config.region}\` lists the guardrails, and a version must be published (or DRAFT)`,
      };
    }
    if (name === 'AccessDeniedException') {
      const id = configured.id.includes('/') ? configured.id.slice(configured.id.lastIndexOf('/') + 1) : configured.id;
      return {
        id: ID,
        title: TITLE,
        status: 'warn',
        detail: `${label}: not checked — no permission bedrock:GetGuardrail`,
        fix: `allow bedrock:GetGuardrail on arn:${partitionOf(config.region)}:bedrock:${config.region}:<account>:guardrail/${id} (\`bcode iam-policy\` includes it) so the doctor can check it; model requests do not need it`,
      };
    }
    if (name === 'ValidationException') {
      return {
        id: ID,
        title: TITLE,
        status: 'fail',
        detail: `${label}: Bedrock refused the identifier or version (${(err as Error).message.split('\n')[0]})`,
        fix: `the identifier is the guardrail's id or ARN and the version a number or DRAFT: fix them in ${where}`,
      };
    }
    // Credentials, network and the rest: classified like every other call, so the doctor's credential cross-check sees them.
    return failure(ID, TITLE, classifyError(err, { region: config.region, endpoint: config.controlEndpoint, authMode: config.auth.mode, customEndpoint: config.customEndpoint, operation: 'control' }));
  }
}
