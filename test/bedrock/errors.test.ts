import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import {
  AccessDeniedError,
  BedrockValidationError,
  ContextTooLongError,
  CredentialsExpiredError,
  CredentialsInvalidError,
  EndpointUnreachableError,
  ModelAccessError,
  ModelError,
  ModelNotReadyError,
  ModelTimeoutError,
  NetworkError,
  OnDemandNotSupportedError,
  QuotaExceededError,
  RequestTimeoutError,
  ServiceUnavailableError,
  ThrottledError,
  UnknownBedrockError,
  UnknownModelError,
  badContentTypeMessage,
  classifyError,
  fromAnthropicErrorEvent,
  isCredentialError,
  retryReason,
  type BedrockError,
} from '../../src/bedrock/errors.js';
import { addSecret } from '../../src/util/redact.js';

/** An error shaped like the AWS SDK's service exceptions. */
function aws(name: string, status: number, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'req-1' }, ...extra });
}

const ctx = { modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'eu-west-1', authMode: 'sigv4' as const };

describe('classifyError: by exception name and status', () => {
  const cases: Array<[Error, new (...a: never[]) => BedrockError, boolean]> = [
    [aws('ThrottlingException', 429, 'Too many tokens, please wait before trying again.'), ThrottledError, true],
    [aws('ModelNotReadyException', 429, 'not ready'), ModelNotReadyError, true],
    [aws('ServiceQuotaExceededException', 400, 'quota'), QuotaExceededError, false],
    [aws('ExpiredTokenException', 403, 'The security token included in the request is expired'), CredentialsExpiredError, false],
    [aws('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'), CredentialsInvalidError, false],
    [aws('InvalidSignatureException', 403, 'Signature expired: 20250101T000000Z is now earlier than 20250101T000500Z'), CredentialsExpiredError, false],
    [aws('InvalidSignatureException', 403, 'The request signature we calculated does not match the signature you provided.'), CredentialsInvalidError, false],
    [aws('InvalidClientTokenId', 403, 'The security token included in the request is invalid'), CredentialsInvalidError, false],
    [aws('AccessDeniedException', 403, 'User: arn:aws:iam::1:user/x is not authorized to perform: bedrock:InvokeModel'), AccessDeniedError, false],
    [aws('AccessDeniedException', 403, "You don't have access to the model with the specified model ID."), ModelAccessError, false],
    [aws('AccessDeniedException', 403, 'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe)'), ModelAccessError, false],
    [aws('FTUFormNotFilled', 404, 'Model use case details have not been submitted for this account.'), ModelAccessError, false],
    [aws('ValidationException', 400, 'Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.'), OnDemandNotSupportedError, false],
    [aws('ValidationException', 400, 'The provided model identifier is invalid.'), UnknownModelError, false],
    [aws('ResourceNotFoundException', 404, 'Model not found'), UnknownModelError, false],
    [aws('ValidationException', 400, 'prompt is too long: 210000 tokens > 200000 maximum'), ContextTooLongError, false],
    [aws('ValidationException', 400, 'Malformed input request: #: extraneous key [stream] is not permitted'), BedrockValidationError, false],
    [aws('ModelTimeoutException', 408, 'Model has timed out'), ModelTimeoutError, false],
    [aws('ModelStreamErrorException', 424, 'stream error', { originalStatusCode: 500 }), ModelError, true],
    [aws('ModelStreamErrorException', 424, 'stream error', { originalStatusCode: 400 }), ModelError, false],
    [aws('InternalServerException', 500, 'internal'), ServiceUnavailableError, true],
    [aws('ServiceUnavailableException', 503, 'unavailable'), ServiceUnavailableError, true],
    [aws('Unknown', 502, '<html>Bad gateway</html>'), ServiceUnavailableError, true],
    [aws('Unknown', 429, 'slow down'), ThrottledError, true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), NetworkError, true],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), EndpointUnreachableError, false],
    [Object.assign(new Error('a request has exceeded the configured 10 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), RequestTimeoutError, true],
    [aws('WeirdException', 418, 'teapot'), UnknownBedrockError, false],
  ];
  for (const [err, cls, retryable] of cases) {
    it(`${err.name} ${(err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? ''} → ${cls.name}`, () => {
      const e = classifyError(err, ctx) as BedrockError;
      expect(e).toBeInstanceOf(cls);
      expect(e.retryable).toBe(retryable);
      expect(e.hint).toBeTruthy();
      expect(e.message).not.toContain('\n');
    });
  }

  it('treats stream exception member names (lower camel) like class names', () => {
    expect(classifyError(Object.assign(new Error('x'), { name: 'throttlingException' }))).toBeInstanceOf(ThrottledError);
    expect(classifyError(Object.assign(new Error('x'), { name: 'internalServerException' }))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('never reads "Too many tokens" throttling as a context overflow', () => {
    const e = classifyError(aws('ThrottlingException', 429, 'Too many tokens per day, please wait before trying again.'));
    expect(e).toBeInstanceOf(ThrottledError);
    expect(e).not.toBeInstanceOf(ContextTooLongError);
  });

  it('does not trust wording alone: a 400 ValidationException saying "throttl" is still validation', () => {
    expect(classifyError(aws('ValidationException', 400, 'throttling config invalid'))).toBeInstanceOf(BedrockValidationError);
  });

  it('on-demand hint names the profile id for the region', () => {
    const msg = 'Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported.';
    expect(classifyError(aws('ValidationException', 400, msg), ctx).hint).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(classifyError(aws('ValidationException', 400, msg), { ...ctx, region: 'us-west-2' }).hint).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(classifyError(aws('ValidationException', 400, msg), { ...ctx, region: 'ap-northeast-1' }).hint).toContain('apac.anthropic');
    expect(classifyError(aws('ValidationException', 400, msg), { ...ctx, region: 'sa-east-1' }).hint).toContain('global.anthropic');
  });

  it('access-denied hint lists the IAM actions', () => {
    const hint = classifyError(aws('AccessDeniedException', 403, 'User: x is not authorized to perform: bedrock:InvokeModelWithResponseStream')).hint ?? '';
    expect(hint).toContain('bedrock:InvokeModel');
    expect(hint).toContain('bedrock:InvokeModelWithResponseStream');
  });

  it('unknown-model hint points at bcode doctor', () => {
    expect(classifyError(aws('ValidationException', 400, 'The provided model identifier is invalid.'), ctx).hint).toContain('bcode doctor');
  });

  it('bearer-key rejections are credential errors (the emulator/front door wording)', () => {
    const e = classifyError(aws('AccessDeniedException', 403, 'Authentication failed: Please make sure your API Key is valid.'), { authMode: 'bearer' });
    expect(e).toBeInstanceOf(CredentialsInvalidError);
    expect(isCredentialError(e)).toBe(true);
    expect(e.hint).toContain('AWS_BEARER_TOKEN_BEDROCK');
  });

  it('Anthropic error events map like their Bedrock counterparts', () => {
    const overloaded = fromAnthropicErrorEvent({ type: 'overloaded_error', message: 'Overloaded' }) as BedrockError;
    expect(overloaded).toBeInstanceOf(ServiceUnavailableError);
    expect(overloaded.retryable).toBe(true);
    expect(fromAnthropicErrorEvent({ type: 'rate_limit_error', message: 'slow' })).toBeInstanceOf(ThrottledError);
    expect(fromAnthropicErrorEvent({ type: 'invalid_request_error', message: 'bad' })).toBeInstanceOf(BedrockValidationError);
    expect(fromAnthropicErrorEvent({ type: 'mystery', message: 'x' })).toBeInstanceOf(UnknownBedrockError);
  });

  it('bearer-mode IAM denials also name bedrock:CallWithBearerToken', () => {
    const e = classifyError(aws('AccessDeniedException', 403, 'User: x is not authorized to perform: bedrock:CallWithBearerToken'), { authMode: 'bearer' });
    expect(e).toBeInstanceOf(AccessDeniedError);
    expect(e.hint).toContain('bedrock:CallWithBearerToken');
  });

  it('aborts become InterruptedError', () => {
    expect(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBeInstanceOf(InterruptedError);
  });

  it('keeps secrets out of messages', () => {
    const secret = 'SECRETSECRETSECRET1234';
    addSecret(secret);
    const e = classifyError(aws('UnrecognizedClientException', 403, `token ${secret} is invalid`));
    expect(e.message).not.toContain(secret);
  });

  it('the content-type message is the documented one', () => {
    expect(badContentTypeMessage('text/html')).toBe('Bedrock streaming response has content-type "text/html"; expected "application/vnd.amazon.eventstream"');
  });

  it('retry reasons use the stream-json vocabulary', () => {
    expect(retryReason(classifyError(aws('ThrottlingException', 429, 'x')) as BedrockError)).toBe('rate_limit');
    expect(retryReason(classifyError(aws('ServiceUnavailableException', 503, 'x')) as BedrockError)).toBe('overloaded');
    expect(retryReason(classifyError(aws('InternalServerException', 500, 'x')) as BedrockError)).toBe('server_error');
  });
});
