/**
 * The checks `bcode doctor` answers by talking to Bedrock (or the gateway in
 * ANTHROPIC_BEDROCK_BASE_URL): credentials, identity, one tiny call per model, and the
 * region's inference profiles. Each gets an AbortSignal that the runner fires at its timeout.
 */
import type { Config } from '../config/types.js';
import { classifyModelId } from '../config/models.js';
import { BcodeError } from '../errors.js';
import { decodeShortTermKey, bearerKeyWarning } from '../bedrock/bearer-key.js';
import { CredentialsError } from '../bedrock/credential-errors.js';
import { AccessDeniedError, CredentialsExpiredError, CredentialsInvalidError } from '../bedrock/errors.js';
import type { AwsCredentials, CredentialSource } from '../bedrock/credentials-types.js';
import type { InferenceProfileSummary } from '../bedrock/profiles.js';
import { closestId, foundationIdOf } from '../bedrock/model-hints.js';
import type { Provider } from '../bedrock/types.js';
import type { CheckResult } from './types.js';

export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "in 42 min", "3 h 5 min ago". */
export function relative(ms: number): string {
  const abs = Math.abs(ms);
  const mins = Math.round(abs / 60_000);
  const text = mins < 60 ? `${Math.max(1, mins)} min` : `${Math.floor(mins / 60)} h ${mins % 60} min`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** At most the last 4 characters of an access key id; the rest is never shown. */
export function maskKeyId(id: string): string {
  return `…${id.slice(-4)}`;
}

/** True for errors that say the credentials themselves are bad (not the model, not IAM). */
export function isCredentialFailure(err: unknown): boolean {
  return err instanceof CredentialsError || err instanceof CredentialsInvalidError || err instanceof CredentialsExpiredError;
}

/** The error behind a failed check, for the runner's credential cross-check (never rendered). */
const causes = new WeakMap<CheckResult, unknown>();

export function errorOf(result: CheckResult): unknown {
  return causes.get(result);
}

export function failure(id: string, title: string, err: unknown): CheckResult {
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const result: CheckResult =
    err instanceof BcodeError
      ? { id, title, status: 'fail', detail: err.message, fix: err.hint }
      : { id, title, status: 'fail', detail: `unexpected error: ${msg}`, fix: 'run again with --debug and report it if it repeats' };
  causes.set(result, err);
  return result;
}

/** Temporary credentials closer than this to their expiry get a warning. */
export const EXPIRY_WARNING_MS = 10 * 60_000;

export interface CredentialOutcome {
  check: CheckResult;
  /** Set when SigV4 credentials resolved; later checks sign with the same source. */
  source?: CredentialSource;
  /** False when the live checks that need credentials cannot run. */
  usable: boolean;
}

export async function credentialCheck(config: Config, makeSource: () => Promise<CredentialSource>, now: number): Promise<CredentialOutcome> {
  const id = 'credentials';
  const title = 'credentials';
  if (config.auth.mode === 'none') {
    if (config.customEndpoint) {
      return { usable: true, check: { id, title, status: 'pass', detail: 'none: requests go unsigned (CLAUDE_CODE_SKIP_BEDROCK_AUTH); the gateway authenticates' } };
    }
    return {
      usable: true,
      check: {
        id,
        title,
        status: 'fail',
        detail: 'none: requests go unsigned (CLAUDE_CODE_SKIP_BEDROCK_AUTH), but they go straight to AWS, which rejects unsigned requests',
        fix: 'unset CLAUDE_CODE_SKIP_BEDROCK_AUTH, or set ANTHROPIC_BEDROCK_BASE_URL to the gateway that signs for you',
      },
    };
  }
  if (config.auth.mode === 'bearer') return { usable: true, check: bearerCheck(config, now) };
  let source: CredentialSource | undefined;
  try {
    source = await makeSource();
    const creds = await source.get();
    const detail = describeCredentials(source.describe(), creds, now);
    const left = creds.expiration ? creds.expiration.getTime() - now : Number.POSITIVE_INFINITY;
    const renew = config.awsAuthRefresh ? 'bcode runs awsAuthRefresh when they are rejected' : 'renew them (e.g. `aws sso login`), or set awsAuthRefresh / awsCredentialExport so bcode can';
    if (left <= 0) return { usable: true, source, check: { id, title, status: 'fail', detail: `${detail}: expired`, fix: renew } };
    if (left < EXPIRY_WARNING_MS) return { usable: true, source, check: { id, title, status: 'warn', detail: `${detail}: about to expire`, fix: renew } };
    return { usable: true, source, check: { id, title, status: 'pass', detail } };
  } catch (err) {
    return { usable: false, source, check: failure(id, title, err) };
  }
}

function describeCredentials(from: string, creds: AwsCredentials, now: number): string {
  const kind = creds.sessionToken ? 'temporary' : 'long-term';
  const exp = creds.expiration ? `expires ${iso(creds.expiration)} (${relative(creds.expiration.getTime() - now)})` : 'no expiry';
  return `${from}: ${kind} key ${maskKeyId(creds.accessKeyId)}, ${exp}`;
}

function bearerCheck(config: Config, now: number): CheckResult {
  const id = 'credentials';
  const title = 'credentials';
  const token = config.auth.bearerToken ?? '';
  const info = decodeShortTermKey(token);
  const from = `Bedrock API key from ${config.sources['auth.bearerToken'] ?? 'env:AWS_BEARER_TOKEN_BEDROCK'}`;
  if (!info) return { id, title, status: 'pass', detail: `${from}: long-term or opaque key, expiry not readable locally` };
  const detail = `${from}: short-term key for ${info.region ?? 'an unknown region'}, expires ${iso(info.expiresAt)} (${relative(info.expiresAt.getTime() - now)})`;
  if (info.expiresAt.getTime() <= now) return { id, title, status: 'fail', detail, fix: 'generate a new Bedrock API key (short-term keys last at most 12 hours)' };
  const warning = bearerKeyWarning(token, now, config.customEndpoint ? undefined : config.region);
  if (warning) return { id, title, status: 'warn', detail, fix: warning };
  return { id, title, status: 'pass', detail };
}

export interface CallerIdentity {
  arn: string;
  account: string;
}

/** Asks AWS STS who the credentials belong to (GetCallerIdentity needs no IAM permission). */
export type GetCallerIdentity = (region: string, credentials: AwsCredentials, signal: AbortSignal) => Promise<CallerIdentity>;

/** The regional STS endpoint (China regions live under amazonaws.com.cn). */
export function stsEndpoint(region: string): string {
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
}

/**
 * GetCallerIdentity over the STS query API, SigV4-signed with the signer bcode already ships
 * (no STS client package needed). Only the ARN and account are read from the answer.
 */
export function stsGetCallerIdentity(endpointFor: (region: string) => string = stsEndpoint): GetCallerIdentity {
  return (region, credentials, signal) => callerIdentity(endpointFor(region), region, credentials, signal);
}

async function callerIdentity(endpoint: string, region: string, credentials: AwsCredentials, signal: AbortSignal): Promise<CallerIdentity> {
  const [{ SignatureV4 }, { Hash }, { HttpRequest }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node'), import('@smithy/protocol-http')]);
  const url = new URL(endpoint);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const signer = new SignatureV4({ service: 'sts', region, credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(request);
  // Through the proxy and CA in effect (B27), like every other call.
  const { netFetch } = await import('../net/fetch.js');
  const res = await netFetch(url, { method: 'POST', headers: signed.headers, body, signal });
  const text = await res.text();
  const tag = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
  if (!res.ok) {
    const code = tag('Code') ?? `HTTP ${res.status}`;
    throw new Error(`${code}: ${tag('Message') ?? 'no message'}`);
  }
  return { arn: tag('Arn') ?? 'unknown ARN', account: tag('Account') ?? 'unknown' };
}

export async function identityCheck(config: Config, source: CredentialSource | undefined, getIdentity: GetCallerIdentity, signal: AbortSignal): Promise<CheckResult> {
  const id = 'identity';
  const title = 'identity';
  const skip = (detail: string, fix?: string): CheckResult => ({ id, title, status: 'skip', detail, fix });
  if (config.auth.mode === 'none') return skip('not checked: requests are unsigned');
  if (config.auth.mode === 'bearer') return skip('not checked: STS does not accept Bedrock API keys', 'the key acts with the permissions of the IAM identity that created it');
  if (config.customEndpoint) {
    return skip('not checked: ANTHROPIC_BEDROCK_BASE_URL is set, so bcode does not send these credentials to AWS STS', 'run `aws sts get-caller-identity` to see the identity');
  }
  if (!source) return skip('not checked: no credentials');
  try {
    const who = await getIdentity(config.region, await source.get(), signal);
    return { id, title, status: 'pass', detail: `${who.arn} (account ${who.account}, from STS GetCallerIdentity)` };
  } catch (err) {
    if (signal.aborted) throw err;
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { id, title, status: 'fail', detail: `STS GetCallerIdentity failed: ${msg}`, fix: 'check the credentials (see the credentials check) and that sts.' + config.region + '.amazonaws.com can be reached' };
  }
}

export type ProbeRole = 'main' | 'smallFast';

/** One tiny real call (max_tokens 1): the main model streamed, the small/fast model invoked, as bcode uses them. */
export async function modelProbe(config: Config, provider: Provider, role: ProbeRole, signal: AbortSignal, clock: () => number): Promise<CheckResult> {
  const target = role === 'main' ? config.models.main : config.models.smallFast;
  const id = role === 'main' ? 'answers.main' : 'answers.smallFast';
  const title = role === 'main' ? 'main model answers' : 'small/fast answers';
  const request = { max_tokens: 1, messages: [{ role: 'user' as const, content: 'Reply with one word: ok' }] };
  const started = clock();
  try {
    let stop: string | undefined;
    if (role === 'main') {
      for await (const event of provider.stream(request, { role, signal })) {
        if (event.type === 'message_delta') stop = event.delta.stop_reason ?? undefined;
      }
    } else {
      const message = await provider.invoke(request, { role, signal });
      stop = message.stop_reason ?? undefined;
    }
    const how = role === 'main' ? 'InvokeModelWithResponseStream' : 'InvokeModel';
    return { id, title, status: 'pass', detail: `${target.id} answered via ${how} in ${clock() - started} ms${stop ? ` (stop_reason ${stop})` : ''}` };
  } catch (err) {
    return failure(id, title, err);
  }
}

/** Configured model ids in the main region that a profile listing can confirm. */
function idsToMatch(config: Config): Array<{ label: string; id: string }> {
  const out = [{ label: 'main', id: config.models.main.id }];
  if (config.models.smallFast.region === config.region && config.models.smallFast.id !== config.models.main.id) out.push({ label: 'small/fast', id: config.models.smallFast.id });
  return out;
}

export function profilesCheck(config: Config, profiles: InferenceProfileSummary[]): CheckResult {
  const id = 'profiles';
  const title = 'inference profiles';
  const system = profiles.filter((p) => p.type === 'SYSTEM_DEFINED').length;
  const head = `${profiles.length} in ${config.region} (${system} system-defined, ${profiles.length - system} application)`;
  const listed = new Set(profiles.flatMap((p) => [p.id, p.arn]));
  const ids = profiles.map((p) => p.id).filter(Boolean);
  const found: string[] = [];
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const m of idsToMatch(config)) {
    const kind = classifyModelId(m.id);
    if (listed.has(m.id)) {
      found.push(m.label);
      continue;
    }
    const match = closestId(m.id, ids, config.region);
    if (kind === 'foundation-model' || (kind === 'arn' && m.id.includes(':foundation-model/'))) {
      // On-demand foundation ids are legitimate; only suggest a profile when one exists for the model.
      if (match && foundationIdOf(match) === foundationIdOf(m.id)) {
        problems.push(`${m.label} model is a foundation id; matching profile: ${match}`);
        fixes.push(`if it cannot be called on demand, set ${m.label === 'main' ? 'ANTHROPIC_MODEL' : 'ANTHROPIC_SMALL_FAST_MODEL'}=${match}`);
      }
      continue;
    }
    problems.push(`${m.label} model ${m.id} is not among them${match ? `; closest: ${match}` : ''}`);
    fixes.push(match ? `set ${m.label === 'main' ? 'ANTHROPIC_MODEL' : 'ANTHROPIC_SMALL_FAST_MODEL'}=${match}` : `pick a profile listed by \`aws bedrock list-inference-profiles --region ${config.region}\``);
  }
  const foundText = found.length ? `; listed: ${found.join(' and ')} model${found.length > 1 ? 's' : ''}` : '';
  if (problems.length === 0) return { id, title, status: 'pass', detail: `${head}${foundText}` };
  return { id, title, status: 'warn', detail: `${head}${foundText}; ${problems.join('; ')}`, fix: fixes.join('; ') };
}

export function profilesFailure(err: unknown): CheckResult {
  const result = failure('profiles', 'inference profiles', err);
  // bcode runs without ListInferenceProfiles; it only loses the profile hints in error messages.
  if (err instanceof AccessDeniedError) result.status = 'warn';
  return result;
}
