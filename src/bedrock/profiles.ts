import type { Config } from '../config/types.js';
import { createControlClient, type ClientAuth } from './clients.js';
import type { CredentialSource } from './credentials-types.js';
import { classifyError } from './errors.js';

/** One inference profile as bcode uses it (hints, `doctor`, model resolution). */
export interface InferenceProfileSummary {
  id: string;
  arn: string;
  name: string;
  type: 'SYSTEM_DEFINED' | 'APPLICATION' | string;
  status: string;
  /** Foundation-model ARNs the profile routes to. */
  modelArns: string[];
}

export interface ListProfilesOptions {
  region?: string;
  endpoint?: string;
  type?: 'SYSTEM_DEFINED' | 'APPLICATION';
  signal?: AbortSignal;
  /** Stop after this many pages (a safety bound). */
  maxPages?: number;
  /** Profiles per page, 1–1000 (default 1000). */
  pageSize?: number;
  credentials?: CredentialSource;
}

/**
 * Lists the region's inference profiles through `ListInferenceProfiles` (paging with
 * `nextToken`), on the control-plane endpoint, with the same auth mode as model calls.
 * Errors come out classified (an IAM denial names bedrock:ListInferenceProfiles).
 */
export async function listInferenceProfiles(config: Config, options: ListProfilesOptions = {}): Promise<InferenceProfileSummary[]> {
  const auth: ClientAuth = { mode: config.auth.mode, bearerToken: config.auth.bearerToken, credentials: options.credentials };
  if (auth.mode === 'sigv4' && !auth.credentials) {
    const { createCredentialSource } = await import('./credentials.js');
    auth.credentials = createCredentialSource(config, {});
  }
  const region = options.region ?? config.region;
  const endpoint = options.endpoint ?? config.controlEndpoint;
  const client = await createControlClient({ region, endpoint, auth, timeoutMs: Math.min(config.apiTimeoutMs, 30_000) });
  const { ListInferenceProfilesCommand } = await import('@aws-sdk/client-bedrock');
  const out: InferenceProfileSummary[] = [];
  let nextToken: string | undefined;
  const maxPages = options.maxPages ?? 20;
  try {
    for (let page = 0; page < maxPages; page++) {
      const res = await client.send(
        new ListInferenceProfilesCommand({ maxResults: options.pageSize ?? 1000, nextToken, typeEquals: options.type }),
        { abortSignal: options.signal },
      );
      for (const p of res.inferenceProfileSummaries ?? []) {
        out.push({
          id: p.inferenceProfileId ?? '',
          arn: p.inferenceProfileArn ?? '',
          name: p.inferenceProfileName ?? '',
          type: p.type ?? 'SYSTEM_DEFINED',
          status: p.status ?? 'ACTIVE',
          modelArns: (p.models ?? []).map((m) => m.modelArn ?? '').filter(Boolean),
        });
      }
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
  } catch (err) {
    throw classifyError(err, { region, endpoint, authMode: auth.mode, customEndpoint: config.customEndpoint, operation: 'control' });
  } finally {
    client.destroy();
  }
  return out;
}
