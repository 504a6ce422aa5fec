/**
 * Where SigV4 credentials come from (B3, B5–B7). Sources, first match wins:
 *   1. `awsCredentialExport` when configured (run at start and whenever its credentials expire
 *      or are rejected);
 *   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the effective environment — ahead of
 *      AWS_PROFILE, as the AWS CLI does (the SDK chain alone would prefer the profile);
 *   3. the AWS SDK default chain (`fromNodeProviderChain`): profiles, SSO, `aws login`,
 *      credential_process, web identity, container and instance metadata.
 * Credentials are cached until 5 minutes before their expiration (an hour when they carry none).
 * Every resolution — expiry-driven or `refresh()` — is single-flight: concurrent callers share it.
 */
import type { Config } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { profileDefined } from '../config/aws-profile.js';
import { isTrueWord } from '../config/env.js';
import { homedir } from 'node:os';
import { debug } from '../util/debug.js';
import { addSecret, redact, registerEnvSecrets } from '../util/redact.js';
import { AUTH_REFRESH_TIMEOUT_SETTING, DEFAULT_AUTH_REFRESH_TIMEOUT_MS, runAuthRefresh } from './auth-refresh.js';
import { bearerKeyRejectedError } from './bearer-key.js';
import { CredentialsError } from './credential-errors.js';
import { DEFAULT_EXPORT_TIMEOUT_MS, EXPORT_TIMEOUT_SETTING, formatDuration, runCredentialExport } from './credential-export.js';
import type { AwsCredentials, CredentialSource } from './credentials-types.js';

export interface CredentialHooks {
  /** Output of `awsAuthRefresh` and one-line notices about refreshes, meant for the user. */
  onNotice?: (text: string) => void;
  /** Clock for expiry decisions (tests inject one). */
  now?: () => number;
  authRefreshTimeoutMs?: number;
  exportTimeoutMs?: number;
  /** Kills a running awsCredentialExport / awsAuthRefresh when aborted (doctor's credentials timeout). */
  signal?: AbortSignal;
}

/** Refresh this long before the expiration, as the AWS SDK does. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;
/** How long credentials without an expiration are trusted before being resolved again. */
export const NO_EXPIRY_TTL_MS = 60 * 60_000;
const DEFAULT_CHAIN_TIMEOUT_MS = 60_000;

interface Cached {
  credentials: AwsCredentials;
  validUntil: number;
  source: string;
}

type Trigger = 'start' | 'expired' | 'rejected';

type ChainProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials & { $source?: Record<string, unknown> }>;

const SILENT_LOGGER = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createCredentialSource(config: Config, hooks: CredentialHooks = {}): CredentialSource {
  const now = hooks.now ?? Date.now;
  registerEnvSecrets(config.env);
  addSecret(config.auth.bearerToken);

  const authRefreshTimeoutMs = hooks.authRefreshTimeoutMs ?? timeoutSetting(config, AUTH_REFRESH_TIMEOUT_SETTING, DEFAULT_AUTH_REFRESH_TIMEOUT_MS);
  const exportTimeoutMs = hooks.exportTimeoutMs ?? timeoutSetting(config, EXPORT_TIMEOUT_SETTING, DEFAULT_EXPORT_TIMEOUT_MS);
  const chainTimeoutMs = positiveInt(config.env.CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS) ?? DEFAULT_CHAIN_TIMEOUT_MS;
  const skipCache = isTrueWord(config.env.CLAUDE_CODE_SKIP_AWS_CRED_CACHE?.trim() ?? '');
  const profile = config.auth.profile ?? nonEmpty(config.env.AWS_PROFILE);
  const exportCommand = nonEmpty(config.awsCredentialExport);
  const refreshCommand = nonEmpty(config.awsAuthRefresh);
  const commandEnv = config.env;

  let cached: Cached | undefined;
  let inflight: Promise<Cached> | undefined;
  let chain: ChainProvider | undefined;

  const notice = (text: string): void => hooks.onNotice?.(redact(text));

  function validUntil(credentials: AwsCredentials): number {
    if (skipCache) return now();
    const exp = credentials.expiration?.getTime();
    if (exp === undefined) return now() + NO_EXPIRY_TTL_MS;
    // Inside the margin already (a source that hands out short-lived credentials): use them
    // until they really expire rather than resolving again on every request.
    return exp - EXPIRY_MARGIN_MS > now() ? exp - EXPIRY_MARGIN_MS : exp;
  }

  async function fromChain(): Promise<Cached> {
    if (!chain) {
      // SSO and STS providers create SDK clients of their own; their Node-version notice is not
      // for bcode's users (the runtime client does the same, but may not exist yet, e.g. in doctor).
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
      // STS, SSO, SSO-OIDC token refresh and `aws login` go through the proxy and CA in effect (B27).
      const clientConfig = await networkClientConfig(chainTimeoutMs);
      chain = fromNodeProviderChain({
        ...(clientConfig ? { clientConfig } : {}),
        profile,
        filepath: nonEmpty(config.env.AWS_SHARED_CREDENTIALS_FILE),
        configFilepath: nonEmpty(config.env.AWS_CONFIG_FILE),
        // Files are re-read on every resolution so that what awsAuthRefresh rewrote takes effect.
        ignoreCache: true,
        logger: SILENT_LOGGER,
      }) as ChainProvider;
    }
    const resolving = chain({ forceRefresh: true });
    // After a timeout nobody awaits it any more; its late failure must not become an unhandled rejection.
    resolving.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CredentialsError(`AWS default-chain credential resolve timed out after ${formatDuration(chainTimeoutMs)}`, {
              hint: 'check network access to your identity provider, or raise CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS',
              fixableByAuthRefresh: true,
            }),
          ),
        chainTimeoutMs,
      );
    });
    try {
      const creds = await Promise.race([resolving, timeout]);
      const credentials = plain(creds);
      return { credentials, validUntil: validUntil(credentials), source: describeChainSource(creds.$source, profile) };
    } catch (err) {
      if (err instanceof CredentialsError) throw err;
      // STS / SSO / OIDC behind a proxy or a TLS-inspecting CA (B27): the network, not the sign-in.
      const net = await netFailureIn(err);
      if (net) throw new CredentialsError(`could not load AWS credentials${profile ? ` for profile ${profile}` : ''}: ${net.message}`, { hint: net.hint, cause: err });
      const undefinedProfile = profile !== undefined && !profileDefined(config.env, config.env.HOME?.trim() || homedir(), profile);
      // With awsAuthRefresh, the profile may be what the command writes (a script filling ~/.aws/credentials).
      if (undefinedProfile && !refreshCommand) {
        throw new ConfigError(`AWS profile '${profile}' does not exist in ${nonEmpty(config.env.AWS_CONFIG_FILE) ?? '~/.aws/config'} or ${nonEmpty(config.env.AWS_SHARED_CREDENTIALS_FILE) ?? '~/.aws/credentials'}`, {
          hint: `check the name in AWS_PROFILE (\`aws configure list-profiles\` lists them), or create it: \`aws configure --profile ${profile}\` or \`aws configure sso --profile ${profile}\``,
          cause: err,
        });
      }
      const detail = (profile ? await profileFailure() : undefined) ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
      throw new CredentialsError(`could not load AWS credentials${profile ? ` for profile ${profile}` : ''}: ${detail}`, {
        hint: undefinedProfile
          ? `the profile '${profile}' is in neither the AWS config nor the credentials file, and awsAuthRefresh did not write it: check AWS_PROFILE and the command`
          : profile
          ? `sign in again (e.g. \`aws sso login --profile ${profile}\`), or set "awsAuthRefresh" in settings to do it automatically`
          : 'run `aws configure`, set AWS_PROFILE, export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or set AWS_BEARER_TOKEN_BEDROCK',
        cause: err,
        fixableByAuthRefresh: true,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The chain reports only its last link's error ("Could not load credentials from any
   * providers"); the profile's own provider says what is actually wrong (unknown profile,
   * expired SSO session, failing credential_process).
   */
  async function profileFailure(): Promise<string | undefined> {
    try {
      const { fromIni } = await import('@aws-sdk/credential-providers');
      // The same proxy and CA as the chain: this call must not go anywhere the chain did not.
      const clientConfig = await networkClientConfig(chainTimeoutMs);
      await fromIni({ profile, filepath: nonEmpty(config.env.AWS_SHARED_CREDENTIALS_FILE), configFilepath: nonEmpty(config.env.AWS_CONFIG_FILE), ignoreCache: true, logger: SILENT_LOGGER, ...(clientConfig ? { clientConfig } : {}) })();
      return undefined;
    } catch (err) {
      const net = await netFailureIn(err);
      if (net) return net.message;
      return err instanceof Error && err.message ? err.message.split('\n')[0] : undefined;
    }
  }

  function fromEnvironment(): Cached | undefined {
    // Read from the effective environment (process env over settings `env`), which the SDK's own
    // fromEnv cannot see; the variables and their meaning are exactly the SDK's.
    const accessKeyId = nonEmpty(config.env.AWS_ACCESS_KEY_ID);
    const secretAccessKey = nonEmpty(config.env.AWS_SECRET_ACCESS_KEY);
    // Half a key pair and no profile to fall back on: say which half is missing.
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey) && !profile) {
      const [set, missing] = accessKeyId ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] : ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];
      throw new ConfigError(`${set} is set but ${missing} is not`, {
        hint: `export ${missing} too (the key id and secret are issued together), or unset ${set} to use AWS_PROFILE or \`aws configure\``,
      });
    }
    if (!accessKeyId || !secretAccessKey) return undefined;
    const credentials: AwsCredentials = { accessKeyId, secretAccessKey };
    const token = nonEmpty(config.env.AWS_SESSION_TOKEN);
    if (token) credentials.sessionToken = token;
    const exp = nonEmpty(config.env.AWS_CREDENTIAL_EXPIRATION);
    if (exp && !Number.isNaN(new Date(exp).getTime())) credentials.expiration = new Date(exp);
    return { credentials, validUntil: validUntil(credentials), source: 'environment (AWS_ACCESS_KEY_ID)' };
  }

  async function obtain(): Promise<Cached> {
    if (exportCommand) {
      const credentials = await runCredentialExport({ command: exportCommand, env: commandEnv, cwd: config.cwd, timeoutMs: exportTimeoutMs, signal: hooks.signal });
      return { credentials, validUntil: validUntil(credentials), source: 'awsCredentialExport' };
    }
    return fromEnvironment() ?? (await fromChain());
  }

  function expiredError(c: Cached): CredentialsError {
    const at = c.credentials.expiration?.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return new CredentialsError(`AWS credentials from ${c.source} expired at ${at}`, {
      hint: refreshCommand ? 'awsAuthRefresh ran but did not renew them; sign in again and retry' : 'renew them (e.g. sign in again), or set "awsAuthRefresh" in settings to do it automatically',
      fixableByAuthRefresh: true,
    });
  }

  async function refreshCommandThen(reason: string): Promise<Cached> {
    if (!refreshCommand) throw new Error('unreachable: no awsAuthRefresh');
    hooks.signal?.throwIfAborted();
    notice(`AWS credentials need refreshing (${reason}); running awsAuthRefresh`);
    await runAuthRefresh({ command: refreshCommand, env: commandEnv, cwd: config.cwd, timeoutMs: authRefreshTimeoutMs, onNotice: notice, signal: hooks.signal });
    const fresh = await obtain();
    if (isExpired(fresh)) throw expiredError(fresh);
    return fresh;
  }

  async function resolve(trigger: Trigger, reason: string, rejected?: AwsCredentials): Promise<Cached> {
    if (trigger === 'rejected' && refreshCommand) {
      // Resolve once more before running awsAuthRefresh (which may open a browser): the SDK or
      // the exporter often has newer credentials already, e.g. role credentials renewed from a
      // still-valid SSO token. Only the same (or no) credentials call for the sign-in command.
      let again: Cached | undefined;
      try {
        again = await obtain();
      } catch (err) {
        if (!(err instanceof CredentialsError && err.fixableByAuthRefresh)) throw err;
      }
      if (again && !isExpired(again) && rejected && !sameCredentials(again.credentials, rejected)) return again;
      return refreshCommandThen(reason);
    }
    let first: Cached;
    try {
      first = await obtain();
    } catch (err) {
      if (refreshCommand && err instanceof CredentialsError && err.fixableByAuthRefresh) return refreshCommandThen(trigger === 'start' ? 'they could not be loaded' : reason);
      throw err;
    }
    if (!isExpired(first)) return first;
    if (refreshCommand) return refreshCommandThen('they have expired');
    throw expiredError(first);
  }

  function isExpired(c: Cached): boolean {
    const exp = c.credentials.expiration?.getTime();
    return exp !== undefined && exp <= now();
  }

  function start(trigger: Trigger, reason: string, rejected?: AwsCredentials): Promise<Cached> {
    if (!inflight) {
      const t = performance.now();
      debug('credentials', trigger === 'start' ? 'resolving (first use)' : `resolving (${trigger}: ${reason})`);
      inflight = resolve(trigger, reason, rejected)
        .then((fresh) => {
          debug('credentials', () => `from ${fresh.source} in ${Math.round(performance.now() - t)} ms, key …${fresh.credentials.accessKeyId.slice(-4)}${fresh.credentials.expiration ? `, expires ${fresh.credentials.expiration.toISOString()}` : ', no expiry'}`);
          registerCredentials(fresh.credentials);
          cached = fresh;
          return fresh;
        })
        .finally(() => {
          inflight = undefined;
        });
    }
    return inflight;
  }

  const describeMode = (): string => {
    if (config.auth.mode === 'bearer') return 'Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)';
    if (config.auth.mode === 'none') return 'AWS auth skipped (CLAUDE_CODE_SKIP_BEDROCK_AUTH)';
    if (cached) return cached.source;
    if (exportCommand) return 'awsCredentialExport';
    if (config.env.AWS_ACCESS_KEY_ID && config.env.AWS_SECRET_ACCESS_KEY) return 'environment (AWS_ACCESS_KEY_ID)';
    return profile ? `AWS SDK default chain (profile ${profile})` : 'AWS SDK default chain';
  };

  return {
    describe: describeMode,

    async get(): Promise<AwsCredentials> {
      if (config.auth.mode !== 'sigv4') {
        throw new CredentialsError(`no AWS credentials are used in ${config.auth.mode === 'bearer' ? 'Bedrock API key' : 'skip-auth'} mode`);
      }
      // A refresh in progress means the cached credentials are suspect: wait for the new ones.
      if (inflight) return (await inflight).credentials;
      if (cached && cached.validUntil > now()) return cached.credentials;
      const fresh = await start(cached ? 'expired' : 'start', 'they are about to expire');
      return fresh.credentials;
    },

    async refresh(reason: string, rejected?: AwsCredentials): Promise<void> {
      if (config.auth.mode === 'bearer') throw bearerKeyRejectedError(config.auth.bearerToken ?? '', now());
      if (config.auth.mode === 'none') return;
      if (inflight) {
        await inflight;
        return;
      }
      // Another caller already replaced the rejected credentials: nothing left to do.
      if (rejected && cached && !sameCredentials(rejected, cached.credentials) && cached.validUntil > now()) return;
      await start('rejected', reason, rejected ?? cached?.credentials);
    },
  };
}

function registerCredentials(c: AwsCredentials): void {
  addSecret(c.accessKeyId);
  addSecret(c.secretAccessKey);
  addSecret(c.sessionToken);
}

function sameCredentials(a: AwsCredentials, b: AwsCredentials): boolean {
  return a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey && a.sessionToken === b.sessionToken;
}

/** Copies only the fields bcode uses, dropping SDK bookkeeping. */
function plain(c: AwsCredentials): AwsCredentials {
  const out: AwsCredentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  if (c.sessionToken) out.sessionToken = c.sessionToken;
  if (c.expiration) out.expiration = c.expiration;
  return out;
}

/** Names the provider that won, from the SDK's credential feature markers. */
export function describeChainSource(source: Record<string, unknown> | undefined, profile: string | undefined): string {
  const has = (k: string): boolean => source !== undefined && k in source;
  const p = profile ?? 'default';
  if (has('CREDENTIALS_PROFILE_SSO') || has('CREDENTIALS_PROFILE_SSO_LEGACY') || has('CREDENTIALS_SSO') || has('CREDENTIALS_SSO_LEGACY')) return `SSO profile ${p}`;
  if (has('CREDENTIALS_PROFILE_LOGIN') || has('CREDENTIALS_LOGIN')) return `aws login (profile ${p})`;
  if (has('CREDENTIALS_PROFILE_PROCESS') || has('CREDENTIALS_PROCESS')) return `credential_process (profile ${p})`;
  if (has('CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN') || has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN') || has('CREDENTIALS_STS_ASSUME_ROLE_WEB_ID')) return 'web identity token';
  if (has('CREDENTIALS_PROFILE_SOURCE_PROFILE') || has('CREDENTIALS_STS_ASSUME_ROLE')) return `assumed role (profile ${p})`;
  if (has('CREDENTIALS_HTTP')) return 'container credentials';
  if (has('CREDENTIALS_IMDS')) return 'instance metadata (IMDS)';
  if (has('CREDENTIALS_ENV_VARS')) return 'environment (AWS_ACCESS_KEY_ID)';
  if (has('CREDENTIALS_PROFILE')) return `profile ${p} (shared credentials file)`;
  return profile ? `AWS SDK default chain (profile ${profile})` : 'AWS SDK default chain';
}

function timeoutSetting(config: Config, key: string, fallback: number): number {
  const value = config.settings[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`settings "${key}" must be a positive whole number of milliseconds`, { hint: `e.g. "${key}": ${fallback}` });
  }
  return value;
}

function positiveInt(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value : undefined;
}

/** The inner SDK clients' request handler, when a proxy or extra CA applies; undefined otherwise. */
async function networkClientConfig(timeoutMs: number): Promise<{ requestHandler: never } | undefined> {
  const { networkSetup } = await import('../net/state.js');
  const setup = await networkSetup();
  if (!setup.anyProxy && !setup.ca) return undefined;
  const { requestHandler } = await import('./clients.js');
  return { requestHandler: (await requestHandler(timeoutMs)) as never };
}

/** A proxy or certificate failure anywhere in the chain's error and its causes. */
async function netFailureIn(err: unknown): Promise<import('../net/errors.js').NetError | undefined> {
  const { netErrorIn, classifyNetFailure } = await import('../net/errors.js');
  // Certificate failures are recognised without knowing the host the chain was calling.
  return netErrorIn(err) ?? classifyNetFailure(err, undefined);
}
