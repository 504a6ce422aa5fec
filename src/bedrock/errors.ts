import { BcodeError, InterruptedError, type BcodeErrorOptions } from '../errors.js';
import { redact } from '../util/redact.js';
import { suggestProfileId } from './model-hints.js';
import { classifyNetFailure } from '../net/errors.js';

/**
 * One error class per way a Bedrock call can fail (B18, R1). `classifyError` turns whatever the
 * AWS SDK, the network or the stream decoder threw into one of these, by exception name and HTTP
 * status first; message wording only ever splits one exception name into finer cases (e.g. an
 * AccessDeniedException that is an IAM denial vs. model access not granted).
 */

/** What the retry loop and `RetryNotice.reason` need to know about a failure. */
export type BedrockFailureKind =
  | 'throttled'
  | 'model_not_ready'
  | 'quota_exceeded'
  | 'credentials_expired'
  | 'credentials_invalid'
  | 'clock_skew'
  | 'access_denied'
  | 'model_access'
  | 'on_demand_not_supported'
  | 'unknown_model'
  | 'context_too_long'
  | 'validation'
  | 'model_timeout'
  | 'model_error'
  | 'service_unavailable'
  | 'network'
  | 'endpoint_unreachable'
  | 'request_timeout'
  | 'stream_interrupted'
  | 'malformed_stream'
  | 'bad_content_type'
  | 'unknown';

export interface BedrockErrorDetails {
  kind: BedrockFailureKind;
  /** True when the same request may succeed if sent again after a wait. */
  retryable: boolean;
  status?: number;
  /** The AWS exception name (`ThrottlingException`), or the Node error code (`ECONNRESET`). */
  exceptionName?: string;
  requestId?: string;
}

export class BedrockError extends BcodeError {
  readonly kind: BedrockFailureKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly exceptionName?: string;
  readonly requestId?: string;

  constructor(message: string, details: BedrockErrorDetails, options: Omit<BcodeErrorOptions, 'exitCode'> = {}) {
    super(redact(message), { ...options, hint: options.hint === undefined ? undefined : redact(options.hint) });
    this.kind = details.kind;
    this.retryable = details.retryable;
    this.status = details.status;
    this.exceptionName = details.exceptionName;
    this.requestId = details.requestId;
  }
}

export class ThrottledError extends BedrockError {}
export class ModelNotReadyError extends BedrockError {}
export class QuotaExceededError extends BedrockError {}
export class CredentialsExpiredError extends BedrockError {}
export class CredentialsInvalidError extends BedrockError {}
/** Bedrock rejected the request's signing time: this computer's clock is off (not a credential problem). */
export class ClockSkewError extends BedrockError {}
export class AccessDeniedError extends BedrockError {}
/** The account has not been granted the model, or the Anthropic use-case form is missing. */
export class ModelAccessError extends BedrockError {}
export class OnDemandNotSupportedError extends BedrockError {}
export class UnknownModelError extends BedrockError {}
/** The prompt no longer fits the model's context window (the agent compacts and retries). */
export class ContextTooLongError extends BedrockError {}
export class BedrockValidationError extends BedrockError {}
export class ModelTimeoutError extends BedrockError {}
export class ModelError extends BedrockError {}
export class ServiceUnavailableError extends BedrockError {}
export class NetworkError extends BedrockError {}
export class EndpointUnreachableError extends BedrockError {}
export class RequestTimeoutError extends BedrockError {}
/**
 * The stream broke after content had already been handed to the caller. The provider never
 * replays such a stream on its own (the caller has shown half an answer); `retryable` says
 * whether re-running the whole turn is worth it.
 */
export class StreamInterruptedError extends BedrockError {}
export class MalformedStreamError extends BedrockError {}
export class BadContentTypeError extends BedrockError {}
export class UnknownBedrockError extends BedrockError {}

/** What classification may use to make a hint concrete. Nothing secret goes in here. */
export interface ErrorContext {
  modelId?: string;
  region?: string;
  endpoint?: string;
  authMode?: 'sigv4' | 'bearer' | 'none';
  /** True when ANTHROPIC_BEDROCK_BASE_URL points somewhere else than AWS. */
  customEndpoint?: boolean;
  /** Which of the settings that renew credentials are configured (hints must not suggest what is already there). */
  renewal?: { awsAuthRefresh: boolean; awsCredentialExport: boolean };
  operation?: 'stream' | 'invoke' | 'control';
}

export const IAM_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
  'bedrock:ListInferenceProfiles',
];

const EVENT_STREAM = 'application/vnd.amazon.eventstream';

/** The exact wording documented for this failure (bedrock-wire.md §1.2). */
export function badContentTypeMessage(contentType: string): string {
  return `Bedrock streaming response has content-type "${contentType}"; expected "${EVENT_STREAM}"`;
}

export function badContentTypeError(contentType: string, ctx: ErrorContext = {}): BadContentTypeError {
  return new BadContentTypeError(
    badContentTypeMessage(contentType),
    { kind: 'bad_content_type', retryable: false, status: 200 },
    {
      hint: ctx.customEndpoint
        ? 'the endpoint in ANTHROPIC_BEDROCK_BASE_URL answered with something other than a Bedrock event stream; make the gateway pass InvokeModelWithResponseStream responses through unchanged'
        : 'something between bcode and Bedrock (a proxy?) rewrote the streaming response; let application/vnd.amazon.eventstream pass through unchanged',
    },
  );
}

interface ErrorShape {
  name: string;
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
  originalStatusCode?: number;
}

function shapeOf(err: unknown): ErrorShape {
  if (typeof err !== 'object' || err === null) return { name: 'Error', message: String(err) };
  const e = err as Record<string, unknown>;
  const meta = (e.$metadata ?? {}) as Record<string, unknown>;
  const response = (e.$response ?? {}) as Record<string, unknown>;
  const status =
    typeof meta.httpStatusCode === 'number'
      ? meta.httpStatusCode
      : typeof response.statusCode === 'number'
        ? response.statusCode
        : undefined;
  // The SDK copies a capital-M `Message` body member onto `message`, but be sure.
  const rawMessage = typeof e.message === 'string' && e.message ? e.message : typeof e.Message === 'string' ? e.Message : '';
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: rawMessage,
    status,
    code: typeof e.code === 'string' ? e.code : undefined,
    requestId: typeof meta.requestId === 'string' ? meta.requestId : undefined,
    originalStatusCode: typeof e.originalStatusCode === 'number' ? e.originalStatusCode : undefined,
  };
}

/** Lower-cases and drops an `Exception` suffix, so stream event names (`throttlingException`) and class names match. */
function normName(name: string): string {
  return name.replace(/Exception$/i, '').toLowerCase();
}

const NETWORK_RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR']);
/** OpenSSL's words for "the other side does not speak TLS" (an https:// URL to a plain-HTTP port). */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request/i;

const NETWORK_FATAL = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

function short(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function modelLabel(ctx: ErrorContext): string {
  return ctx.modelId ? `model '${ctx.modelId}'` : 'the model';
}

function regionLabel(ctx: ErrorContext): string {
  return ctx.region ? ` in ${ctx.region}` : '';
}

/**
 * Maps anything thrown while talking to Bedrock to a typed BcodeError with a hint. BcodeErrors
 * pass through unchanged (the credential source already explains its own failures).
 */
export function classifyError(err: unknown, ctx: ErrorContext = {}): BcodeError {
  if (err instanceof BcodeError) return err;
  // The proxy or the trust store, not Bedrock (B27): named as such, with the variable to fix.
  const net = classifyNetFailure(err, ctx.endpoint);
  if (net) return net;
  const s = shapeOf(err);
  if (s.name === 'AbortError' || (err instanceof Error && s.code === 'ABORT_ERR')) return new InterruptedError();
  const name = normName(s.name);
  const msg = short(s.message);
  const details = (kind: BedrockFailureKind, retryable: boolean): BedrockErrorDetails => ({
    kind,
    retryable,
    status: s.status,
    exceptionName: s.name,
    requestId: s.requestId,
  });
  const lower = msg.toLowerCase();
  const where = `${modelLabel(ctx)}${regionLabel(ctx)}`;

  // The transport marks a rejection for the request's time that correcting the clock did not fix.
  const skew = (err as { clockSkew?: { offsetMs?: number } } | null)?.clockSkew;
  if (skew && typeof skew === 'object') return clockSkew(msg, details('clock_skew', false), skew.offsetMs);

  switch (name) {
    case 'throttling':
      // "Too many tokens" is a rate limit here, never a context-size problem.
      return new ThrottledError(`Bedrock throttled the request: ${msg}`, details('throttled', true), {
        hint: `bcode waits and retries automatically; if it keeps happening, ask for a higher Bedrock quota for ${where}, use a cross-region inference profile (global. / us. …), or lower CLAUDE_CODE_MAX_OUTPUT_TOKENS (quotas count max_tokens)`,
      });
    case 'modelnotready':
      return new ModelNotReadyError(`The model is not ready to serve requests yet: ${msg}`, details('model_not_ready', true), {
        hint: 'bcode retries automatically; if it persists, try again in a few minutes',
      });
    case 'servicequotaexceeded':
      return new QuotaExceededError(`Bedrock service quota exceeded: ${msg}`, details('quota_exceeded', false), {
        hint: `request a quota increase for ${where} in the Service Quotas console, or use another inference profile / region`,
      });
    case 'expiredtoken':
    case 'requestexpired':
      return credentialsExpired(msg, details('credentials_expired', false), ctx);
    case 'invalidsignature':
    case 'signaturedoesnotmatch':
      if (/expired/i.test(msg)) return credentialsExpired(msg, details('credentials_expired', false), ctx);
      return credentialsInvalid(msg, details('credentials_invalid', false), ctx);
    case 'unrecognizedclient':
    case 'invalidclienttokenid':
    case 'incompletesignature':
    case 'missingauthenticationtoken':
    case 'credentialsprovidererror':
      return credentialsInvalid(msg, details('credentials_invalid', false), ctx);
    case 'accessdenied':
      return accessDenied(msg, details('access_denied', false), ctx);
    case 'ftuformnotfilled':
      return modelAccess(msg, details('model_access', false), ctx);
    case 'resourcenotfound':
      if (/use case|use-case/i.test(msg)) return modelAccess(msg, details('model_access', false), ctx);
      return unknownModel(msg, details('unknown_model', false), ctx);
    case 'validation':
      return validation(msg, details('validation', false), ctx);
    case 'modeltimeout':
      return new ModelTimeoutError(`The model timed out while processing the request: ${msg}`, details('model_timeout', false), {
        hint: 'try again; very large outputs can take long — lower CLAUDE_CODE_MAX_OUTPUT_TOKENS or split the task',
      });
    case 'modelstreamerror':
    case 'modelerror': {
      const original = s.originalStatusCode;
      const retryable = original === undefined || original === 429 || original >= 500;
      return new ModelError(`The model failed while answering: ${msg}`, details('model_error', retryable), {
        hint: retryable ? 'a transient model failure; bcode retries it automatically' : 'the model rejected the request; check the request size and parameters',
      });
    }
    case 'internalserver':
    case 'serviceunavailable':
      return serviceUnavailable(msg, details('service_unavailable', true), ctx);
    case 'conflict':
      return new BedrockValidationError(`Bedrock rejected the request: ${msg}`, details('validation', false), {
        hint: 'retry in a moment; another operation on the same resource is in progress',
      });
    case 'streamidletimeout':
      // B28: the stream started, then went silent past BCODE_STREAM_IDLE_TIMEOUT_MS.
      return new NetworkError(`The Bedrock stream went silent: ${msg}`, details('network', true), {
        hint: 'bcode re-requests a stalled stream automatically; raise BCODE_STREAM_IDLE_TIMEOUT_MS (milliseconds) if the model pauses longer',
      });
    case 'timeouterror':
    case 'requesttimeout':
      return new RequestTimeoutError(`No response from Bedrock within the request timeout: ${msg}`, details('request_timeout', true), {
        hint: 'raise API_TIMEOUT_MS (milliseconds) if large answers take longer; bcode retries automatically',
      });
  }

  const code = s.code ?? (NETWORK_RETRYABLE.has(s.name) || NETWORK_FATAL.has(s.name) ? s.name : undefined);
  if ((code === 'EPROTO' || code?.startsWith('ERR_SSL_')) && s.status === undefined) {
    const endpoint = ctx.endpoint ?? 'the Bedrock endpoint';
    if (NOT_TLS.test(s.message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
      return new EndpointUnreachableError(`TLS with ${endpoint} failed: the server does not speak TLS (HTTPS) on that port`, { ...details('endpoint_unreachable', false), exceptionName: code }, {
        hint: ctx.customEndpoint
          ? `if the gateway serves plain HTTP, use http:// in ANTHROPIC_BEDROCK_BASE_URL (${endpoint.replace(/^https:/, 'http:')}); otherwise check its port`
          : 'something between bcode and AWS (a proxy?) answers without TLS: check HTTPS_PROXY and your network',
      });
    }
    return new EndpointUnreachableError(`TLS with ${endpoint} failed (${code})`, { ...details('endpoint_unreachable', false), exceptionName: code }, {
      hint: 'check the endpoint URL and, behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate',
    });
  }
  if (code && NETWORK_FATAL.has(code)) {
    return new EndpointUnreachableError(`Cannot reach ${ctx.endpoint ?? 'the Bedrock endpoint'}: ${code}`, { ...details('endpoint_unreachable', false), exceptionName: code }, {
      hint: ctx.customEndpoint
        ? 'check ANTHROPIC_BEDROCK_BASE_URL (host, port, scheme) and that the gateway is running'
        : 'check your network connection, proxy settings and AWS_REGION',
    });
  }
  if (code && (NETWORK_RETRYABLE.has(code) || code === 'ETIMEDOUT')) {
    return new NetworkError(`The connection to Bedrock failed: ${code}`, { ...details('network', true), exceptionName: code }, {
      hint: 'a network problem; bcode retries automatically — check your connection or proxy if it persists',
    });
  }
  if (/socket hang up|ECONNRESET|premature close|aborted/i.test(msg) && s.status === undefined) {
    return new NetworkError(`The connection to Bedrock was reset: ${msg}`, details('network', true), {
      hint: 'a network problem; bcode retries automatically — check your connection or proxy if it persists',
    });
  }

  // No exception name we know: fall back to the HTTP status class.
  const st = s.status;
  if (st === 429) return classifyError(Object.assign(new Error(msg), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }), ctx);
  if (st !== undefined && st >= 500) return serviceUnavailable(msg || `HTTP ${st}`, details('service_unavailable', true), ctx);
  if (st === 401) return credentialsInvalid(msg || 'HTTP 401', details('credentials_invalid', false), ctx);
  if (st === 403) {
    if (lower.includes('expired')) return credentialsExpired(msg, details('credentials_expired', false), ctx);
    return accessDenied(msg || 'HTTP 403', details('access_denied', false), ctx);
  }
  if (st === 404 && ctx.customEndpoint) {
    // Not Bedrock's "model not found" (that is ResourceNotFoundException or a ValidationException):
    // the gateway has no such path, usually a wrong prefix in the base URL.
    return new EndpointUnreachableError(`${ctx.endpoint ?? 'ANTHROPIC_BEDROCK_BASE_URL'} does not serve Bedrock's model API: HTTP 404${s.name && s.name !== '404' ? ` (${s.name})` : ''} for /model/…/${ctx.operation === 'invoke' ? 'invoke' : 'invoke-with-response-stream'}`, details('endpoint_unreachable', false), {
      hint: 'check the path prefix in ANTHROPIC_BEDROCK_BASE_URL: bcode appends /model/<id>/invoke-with-response-stream to it (e.g. https://gateway.example.com/bedrock, not …/bedrock/model)',
    });
  }
  if (st === 404) return unknownModel(msg || 'HTTP 404', details('unknown_model', false), ctx);
  if (st === 408) return new ModelTimeoutError(`Bedrock timed out: ${msg || 'HTTP 408'}`, details('model_timeout', false), { hint: 'try again; lower CLAUDE_CODE_MAX_OUTPUT_TOKENS for very long answers' });
  if (st === 400) return validation(msg || 'HTTP 400', details('validation', false), ctx);
  return new UnknownBedrockError(
    `Bedrock call failed: ${s.name}${st ? ` (HTTP ${st})` : ''}${msg ? `: ${msg}` : ''}`,
    details('unknown', false),
    { hint: 'run `bcode doctor` to check region, credentials and model access; run again with --debug for details' },
  );
}

function clockSkew(msg: string, d: BedrockErrorDetails, offsetMs: number | undefined): BedrockError {
  const minutes = offsetMs === undefined ? 0 : Math.round(Math.abs(offsetMs) / 60_000);
  const how = minutes >= 1 ? `this computer's clock is about ${minutes} min ${offsetMs! > 0 ? 'behind' : 'ahead of'} AWS's` : "check this computer's clock";
  return new ClockSkewError(`Bedrock rejected the request's time (clock skew): ${msg}`, d, {
    hint: `${how}; turn on network time sync (e.g. \`timedatectl set-ntp true\`, or Date & Time settings) — refreshing credentials does not help`,
  });
}

function credentialsExpired(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  const hint =
    ctx.authMode === 'bearer'
      ? 'your Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) has expired; generate a new one'
      : ctx.renewal?.awsCredentialExport
        ? 'awsCredentialExport ran, and its credentials are still rejected as expired: run the command in a terminal and check the Expiration it prints, and that this computer\'s clock is right'
        : ctx.renewal?.awsAuthRefresh
          ? 'awsAuthRefresh ran, and the credentials are still rejected as expired: sign in by hand (e.g. `aws sso login`), check that the command renews this profile, then retry'
          : 'refresh your AWS credentials (e.g. `aws sso login`), or set `awsAuthRefresh` / `awsCredentialExport` in settings so bcode can do it for you';
  return new CredentialsExpiredError(`AWS credentials expired: ${msg}`, d, { hint });
}

function credentialsInvalid(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  const hint =
    ctx.authMode === 'bearer'
      ? 'check AWS_BEARER_TOKEN_BEDROCK: the key must be a valid Bedrock API key for this region, and the identity needs bedrock:CallWithBearerToken'
      : ctx.authMode === 'none'
        ? 'CLAUDE_CODE_SKIP_BEDROCK_AUTH is set, so requests go unsigned; the endpoint requires authentication — unset it or fix the gateway'
        : 'check the AWS credentials bcode uses (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, `aws sts get-caller-identity`); run `bcode doctor`';
  return new CredentialsInvalidError(`AWS rejected the credentials: ${msg}`, d, { hint });
}

function accessDenied(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  // Bedrock answers three different problems with AccessDeniedException; the wording is the only split.
  if (/authentication failed|api key|authorization header is missing/i.test(msg)) {
    return credentialsInvalid(msg, { ...d, kind: 'credentials_invalid' }, ctx);
  }
  if (/aws-marketplace|don't have access to the model|don\u2019t have access to the model|model access/i.test(msg)) {
    return modelAccess(msg, { ...d, kind: 'model_access' }, ctx);
  }
  const actions = ctx.authMode === 'bearer' ? [...IAM_ACTIONS, 'bedrock:CallWithBearerToken'] : IAM_ACTIONS;
  return new AccessDeniedError(`Access denied by AWS: ${msg}`, d, {
    hint: `grant the identity ${actions.join(', ')} on the model's foundation-model and inference-profile ARNs (run \`bcode iam-policy\` for the exact policy)`,
  });
}

function modelAccess(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  const marketplace = /aws-marketplace/i.test(msg);
  const form = /use case|ftu/i.test(msg) || d.exceptionName === 'FTUFormNotFilled';
  const hint = marketplace
    ? 'allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe for the identity (first use of an Anthropic model subscribes the account)'
    : form
      ? 'submit the Anthropic use-case form once per account: Bedrock console → Model catalog → pick the Claude model → "Submit use case details"'
      : `enable access to ${modelLabel(ctx)}${regionLabel(ctx)} in the Bedrock console (Model access / Model catalog), then try again`;
  return new ModelAccessError(`No access to ${modelLabel(ctx)}: ${msg || 'model not enabled for this account'}`, d, { hint });
}

function unknownModel(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  return new UnknownModelError(`Bedrock does not know ${modelLabel(ctx)}${regionLabel(ctx)}: ${msg}`, d, {
    hint: `check ANTHROPIC_MODEL / --model; run \`bcode doctor\` to list the inference profiles of ${ctx.region ?? 'your region'}`,
  });
}

function validation(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  if (/on-demand throughput/i.test(msg)) {
    const suggestion = ctx.modelId ? suggestProfileId(ctx.modelId, ctx.region) : undefined;
    return new OnDemandNotSupportedError(`${modelLabel(ctx)} cannot be called on demand${regionLabel(ctx)}: ${msg}`, { ...d, kind: 'on_demand_not_supported' }, {
      hint: suggestion
        ? `use an inference profile id such as ${suggestion} (set ANTHROPIC_MODEL or --model)`
        : 'use an inference profile id (us./eu./apac./global. + the model id) instead of the foundation model id',
    });
  }
  if (/model identifier is invalid|model id is invalid|invalid model/i.test(msg)) {
    return unknownModel(msg, { ...d, kind: 'unknown_model' }, ctx);
  }
  if (/prompt is too long|input is too long|too many input tokens|exceeds? the (model'?s? )?(maximum )?context|context (window|length)/i.test(msg)) {
    return new ContextTooLongError(`The conversation is too long for ${modelLabel(ctx)}: ${msg}`, { ...d, kind: 'context_too_long' }, {
      hint: 'start a new session (without --continue or --resume), or give the task less to read at once (smaller files, a narrower request)',
    });
  }
  if (/guardrail/i.test(msg)) {
    return new BedrockValidationError(`Bedrock Guardrails rejected the request: ${msg}`, d, {
      hint: 'check X-Amzn-Bedrock-GuardrailIdentifier / X-Amzn-Bedrock-GuardrailVersion in ANTHROPIC_CUSTOM_HEADERS',
    });
  }
  return new BedrockValidationError(`Bedrock rejected the request: ${msg}`, d, {
    hint: 'check the model id, CLAUDE_CODE_MAX_OUTPUT_TOKENS and MAX_THINKING_TOKENS for this model; run with --debug for the request',
  });
}

function serviceUnavailable(msg: string, d: BedrockErrorDetails, ctx: ErrorContext): BedrockError {
  return new ServiceUnavailableError(`Bedrock is unavailable: ${msg}`, d, {
    hint: `a server-side problem${regionLabel(ctx)}; bcode retries automatically — if it persists, try a cross-region inference profile (global. …) or another region`,
  });
}

const ANTHROPIC_ERROR_TYPES: Record<string, [string, number]> = {
  overloaded_error: ['ServiceUnavailableException', 503],
  api_error: ['InternalServerException', 500],
  rate_limit_error: ['ThrottlingException', 429],
  invalid_request_error: ['ValidationException', 400],
  permission_error: ['AccessDeniedException', 403],
  not_found_error: ['ResourceNotFoundException', 404],
};

/** An Anthropic `error` stream event, classified like the Bedrock exception it corresponds to. */
export function fromAnthropicErrorEvent(error: { type?: string; message?: string }, ctx: ErrorContext = {}): BcodeError {
  const [name, status] = ANTHROPIC_ERROR_TYPES[error.type ?? ''] ?? ['UnknownError', 0];
  const err = Object.assign(new Error(error.message ?? error.type ?? 'stream error'), { name, $metadata: status ? { httpStatusCode: status } : {} });
  return classifyError(err, ctx);
}

/** True for errors that mean "refresh the credentials and try once more" (B7). */
export function isCredentialError(err: unknown): boolean {
  return err instanceof CredentialsExpiredError || (err instanceof CredentialsInvalidError && err.exceptionName !== 'CredentialsProviderError');
}

/** Short label for RetryNotice.reason, in the vocabulary stream-json uses. */
export function retryReason(err: BedrockError): string {
  switch (err.kind) {
    case 'throttled':
    case 'quota_exceeded':
      return 'rate_limit';
    case 'model_not_ready':
    case 'service_unavailable':
      return err.status === 503 || /serviceunavailable/i.test(err.exceptionName ?? '') ? 'overloaded' : 'server_error';
    case 'network':
    case 'request_timeout':
      return 'network_error';
    default:
      return 'server_error';
  }
}

/** The HTTP status a retried failure stands for (stream-json `error_status`); mid-stream exceptions have none of their own. */
export function retryStatus(err: BedrockError): number | undefined {
  if (err.status !== undefined && err.status !== 200) return err.status;
  switch (err.kind) {
    case 'throttled':
    case 'model_not_ready':
      return 429;
    case 'service_unavailable':
      return /serviceunavailable/i.test(err.exceptionName ?? '') ? 503 : 500;
    default:
      return undefined;
  }
}
