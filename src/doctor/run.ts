/**
 * `bcode doctor` (B19) without any UI: runs every check and returns the results in a fixed
 * order. Configuration checks are immediate; credentials resolve first (the other live checks
 * sign with them), then identity, the model calls and the profile listing run concurrently,
 * each bounded by its own timeout. A credential rejection seen by any live call marks the
 * credentials check failed with that error's hint.
 */
import type { Config } from '../config/types.js';
import type { CredentialSource } from '../bedrock/credentials-types.js';
import type { InferenceProfileSummary } from '../bedrock/profiles.js';
import type { Provider } from '../bedrock/types.js';
import { BedrockError } from '../bedrock/errors.js';
import { redact } from '../util/redact.js';
import { capabilityCheck } from './model-table-check.js';
import { cachingCheck, configCheck, endpointCheck, guardrailCheck, modelChecks, regionCheck, tokensCheck } from './config-checks.js';
import {
  credentialCheck,
  errorOf,
  failure,
  identityCheck,
  isCredentialFailure,
  stsGetCallerIdentity,
  modelProbe,
  profilesCheck,
  profilesFailure,
  type GetCallerIdentity,
} from './live-checks.js';
import { makeReport, type CheckResult, type DoctorReport } from './types.js';
import { configuredGuardrail, guardrailLiveCheck, sdkGetGuardrail, type GetGuardrail } from './guardrail-live-check.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export interface DoctorDeps {
  /** Per-check time limit. */
  timeoutMs?: number;
  now?: () => number;
  /** `signal` fires when the credentials check times out: a command the source runs must end with it. */
  makeCredentialSource?: (config: Config, onNotice?: (text: string) => void, signal?: AbortSignal) => Promise<CredentialSource>;
  /** Notices from the credential layer (awsAuthRefresh output, refreshes), already redacted. */
  onNotice?: (text: string) => void;
  makeProvider?: (config: Config, credentials: CredentialSource | undefined) => Promise<Provider>;
  listProfiles?: (config: Config, credentials: CredentialSource | undefined, signal: AbortSignal) => Promise<InferenceProfileSummary[]>;
  getCallerIdentity?: GetCallerIdentity;
  getGuardrail?: GetGuardrail;
}

class CheckTimeout extends Error {}

/** Runs `fn` with a signal that aborts after `ms`; a timeout becomes a failed check. */
async function bounded(id: string, title: string, ms: number, fn: (signal: AbortSignal) => Promise<CheckResult>): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeout());
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } catch (err) {
    if (err instanceof CheckTimeout || controller.signal.aborted) {
      return { id, title, status: 'fail', detail: `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`, fix: 'check the network path to the endpoint; raise the limit with --timeout <seconds>' };
    }
    return failure(id, title, err);
  } finally {
    clearTimeout(timer);
  }
}

async function defaultCredentialSource(config: Config, onNotice?: (text: string) => void, signal?: AbortSignal): Promise<CredentialSource> {
  const { createCredentialSource } = await import('../bedrock/credentials.js');
  // The signal stays with the source: it only fires when the credentials check timed out, and then no later check uses the source.
  return createCredentialSource(config, { onNotice, signal });
}

async function defaultProvider(config: Config, credentials: CredentialSource | undefined): Promise<Provider> {
  const { createProvider } = await import('../bedrock/provider.js');
  // No retries: the doctor reports what a first attempt meets, quickly.
  return createProvider(config, { credentials, retry: { maxRetries: 0 } });
}

async function defaultListProfiles(config: Config, credentials: CredentialSource | undefined, signal: AbortSignal): Promise<InferenceProfileSummary[]> {
  const { listInferenceProfiles } = await import('../bedrock/profiles.js');
  return listInferenceProfiles(config, { credentials, signal, maxPages: 5 });
}

export async function runDoctor(config: Config, warnings: string[], deps: DoctorDeps = {}): Promise<DoctorReport> {
  const ms = deps.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const now = deps.now ?? Date.now;
  const makeSource = deps.makeCredentialSource ?? defaultCredentialSource;

  const before: CheckResult[] = [configCheck(config, warnings), regionCheck(config), endpointCheck(config)];
  const models = [...modelChecks(config), capabilityCheck(config)];
  const after: CheckResult[] = [guardrailCheck(config), cachingCheck(config), tokensCheck(config)];

  let source: CredentialSource | undefined;
  let usable = false;
  const credentials = await bounded('credentials', 'credentials', ms, async (signal) => {
    const outcome = await credentialCheck(config, () => makeSource(config, deps.onNotice, signal), now());
    source = outcome.source;
    usable = outcome.usable;
    return outcome.check;
  });

  const why = config.missingRegion ? 'AWS_REGION is not set (see the region check)' : 'no usable credentials (see the credentials check)';
  const skipped = (id: string, title: string): CheckResult => ({ id, title, status: 'skip', detail: `not checked: ${why}` });
  let live: CheckResult[];
  // B26: only when the headers name a guardrail.
  let guardrail: CheckResult | undefined;
  if (!usable || config.missingRegion) {
    if (configuredGuardrail(config)) guardrail = skipped('guardrail', 'guardrail exists');
    live = [skipped('identity', 'identity'), skipped('answers.main', 'main model answers'), skipped('answers.smallFast', 'small/fast answers'), skipped('profiles', 'inference profiles')];
  } else {
    const provider = await (deps.makeProvider ?? defaultProvider)(config, source);
    const listProfiles = deps.listProfiles ?? defaultListProfiles;
    const sameModel = config.models.smallFast.id === config.models.main.id && config.models.smallFast.region === config.models.main.region;
    const probe = (role: 'main' | 'smallFast', id: string, title: string) => bounded(id, title, ms, (signal) => modelProbe(config, provider, role, signal, now));
    const checkGuardrail = configuredGuardrail(config)
      ? bounded('guardrail', 'guardrail exists', ms, async (signal) => (await guardrailLiveCheck(config, source, deps.getGuardrail ?? sdkGetGuardrail, signal))!)
      : Promise.resolve(undefined);
    const [identity, main, small, profiles, guardrailResult] = await Promise.all([
      bounded('identity', 'identity', ms, (signal) => identityCheck(config, source, deps.getCallerIdentity ?? stsGetCallerIdentity(), signal)),
      probe('main', 'answers.main', 'main model answers'),
      sameModel
        ? Promise.resolve<CheckResult>({ id: 'answers.smallFast', title: 'small/fast answers', status: 'skip', detail: 'not checked separately: same model and region as the main model' })
        : probe('smallFast', 'answers.smallFast', 'small/fast answers'),
      bounded('profiles', 'inference profiles', ms, async (signal) => {
        try {
          return profilesCheck(config, await listProfiles(config, source, signal));
        } catch (err) {
          return profilesFailure(err);
        }
      }),
      checkGuardrail,
    ]);
    live = [identity, main, small, profiles];
    guardrail = guardrailResult;
    // A rejection seen only by the small/fast model in its own region says more about that region than about the credentials.
    const otherRegion = config.models.smallFast.region !== config.region;
    const rejected = (otherRegion ? [identity, main, profiles] : live).map(errorOf).find(isCredentialFailure);
    if (!rejected && otherRegion && isCredentialFailure(errorOf(small))) {
      live[2] = {
        ...small,
        fix: config.customEndpoint
          ? `the endpoint accepts the credentials for ${config.region} but not for ${config.models.smallFast.region}: ANTHROPIC_BEDROCK_BASE_URL may serve one region only — unset ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION, or use a gateway that serves both`
          : `the credentials work in ${config.region} but not in ${config.models.smallFast.region}: check that the region is enabled for the account and that no policy (SCP, permission boundary) denies it`,
      };
    }
    if (rejected) {
      if (credentials.status !== 'fail') {
        const f = failure('credentials', 'credentials', rejected);
        credentials.status = 'fail';
        credentials.detail = `${credentials.detail} — rejected: ${f.detail.replace(/^AWS rejected the credentials: /, '').replace(/ \(still rejected after refreshing the credentials\)$/, '')}`;
        credentials.fix = credentialFix(config, rejected, credentials.detail) ?? f.fix;
      }
      // The other live checks learnt nothing about themselves: say so once, above.
      const quiet = (c: CheckResult): CheckResult => (isCredentialFailure(errorOf(c)) ? { id: c.id, title: c.title, status: 'skip', detail: 'not checked: the credentials were rejected (see the credentials check)' } : c);
      live = live.map(quiet);
      if (guardrail) guardrail = quiet(guardrail);
    }
  }

  // Proxy and CA in effect, and whether each endpoint was reached through them (B27).
  const { networkCheck } = await import('./network-check.js');
  const network = await networkCheck(config, { sts: live[0], runtime: live[1], control: live[3] });
  if (network) before.push(network);
  const checks = [...before, credentials, live[0], ...models, live[1], live[2], live[3], after[0], ...(guardrail ? [guardrail] : []), ...after.slice(1)];
  return makeReport(checks.map(clean));
}

/** A fix that names the variable to correct, for the rejections whose cause is certain. */
function credentialFix(config: Config, err: unknown, detail: string): string | undefined {
  if (config.auth.mode !== 'sigv4') return undefined;
  const name = err instanceof BedrockError ? err.exceptionName : undefined;
  const text = err instanceof Error ? err.message : '';
  const fromEnv = detail.startsWith('environment');
  if (name === 'InvalidSignatureException' || /signature we calculated does not match/i.test(text)) {
    return fromEnv
      ? 'AWS_SECRET_ACCESS_KEY does not belong to AWS_ACCESS_KEY_ID: export the secret that was issued with this key id (or unset both to use AWS_PROFILE)'
      : 'the secret access key does not match the access key id: fix the profile in ~/.aws/credentials, or run `aws configure` again';
  }
  if (name === 'UnrecognizedClientException' || /security token included in the request is invalid/i.test(text)) {
    return fromEnv
      ? 'AWS does not know AWS_ACCESS_KEY_ID (deleted or deactivated key, or a session token missing or from other credentials): export current credentials'
      : 'AWS does not know this access key (deleted or deactivated, or a stale session token): get fresh credentials for the profile';
  }
  return undefined;
}

/** References to `bcode doctor` inside hints are noise here: this is the doctor. */
function withoutSelfReference(text: string): string {
  return text
    .replace(/\s*\(run `bcode doctor`[^)]*\)/g, '')
    .replace(/;?\s*run `bcode doctor`( to [^;]*)?/g, '')
    .trim();
}

/** Every line goes through the redaction layer once more, whatever produced it. */
function clean(c: CheckResult): CheckResult {
  const out: CheckResult = { id: c.id, title: c.title, status: c.status, detail: redact(c.detail) };
  if (c.fix) out.fix = redact(withoutSelfReference(c.fix));
  return out;
}
