/**
 * Bedrock's error wire shape: a status, an `x-amzn-ErrorType` header naming the exception with
 * its coral namespace, and a JSON body holding the message. The SDK picks the exception class
 * from the header, so the name and namespace must be exactly what Bedrock sends.
 */

const BEDROCK_NS = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
/** Authentication failures come from the AWS front door, not from Bedrock itself. */
const SERVICE_NS = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

export interface AwsErrorReply {
  status: number;
  errorType: string;
  namespace: string;
  message: string;
  /** Bedrock's front door answers some auth failures with a capital-M `Message` key. */
  capitalMessage?: boolean;
}

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INCOMPLETE_SIGNATURE =
  "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

/** Default status and message per exception name (the modelled ones and the auth-layer ones). */
const DEFAULTS: Record<string, { status: number; message: string; namespace?: string }> = {
  AccessDeniedException: { status: 403, message: "You don't have access to the model with the specified model ID." },
  ValidationException: { status: 400, message: 'The provided model identifier is invalid.' },
  ConflictException: { status: 400, message: 'The request conflicts with the current state of the resource.' },
  ServiceQuotaExceededException: { status: 400, message: 'Your request exceeds the service quota for your account.' },
  ResourceNotFoundException: { status: 404, message: 'The specified resource could not be found.' },
  ModelTimeoutException: { status: 408, message: 'Model has timed out in processing the request. Try your request again.' },
  ThrottlingException: { status: 429, message: 'Too many requests, please wait before trying again.' },
  ModelNotReadyException: { status: 429, message: 'The model specified in the request is not ready to serve inference requests.' },
  ModelErrorException: { status: 424, message: 'The model returned an error.' },
  ModelStreamErrorException: { status: 424, message: 'The model stream encountered an error.' },
  InternalServerException: { status: 500, message: 'The server encountered an internal error while processing the request.' },
  ServiceUnavailableException: { status: 503, message: 'Bedrock is unable to process your request.' },
  ExpiredTokenException: { status: 403, message: 'The security token included in the request is expired', namespace: SERVICE_NS },
  UnrecognizedClientException: { status: 403, message: 'The security token included in the request is invalid.', namespace: SERVICE_NS },
  InvalidSignatureException: { status: 403, message: SIGNATURE_MISMATCH, namespace: SERVICE_NS },
  IncompleteSignatureException: { status: 403, message: INCOMPLETE_SIGNATURE, namespace: SERVICE_NS },
};

export const MISSING_AUTH_MESSAGE = 'Authorization header is missing';
export const BAD_API_KEY_MESSAGE = 'Authentication failed: Please make sure your API Key is valid.';
export const INVALID_MODEL_MESSAGE = 'The provided model identifier is invalid.';

/** Accepts `ThrottlingException`, `throttlingException` or `throttling` and returns the canonical exception name. */
export function canonicalErrorType(name: string): string {
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  if (DEFAULTS[upper]) return upper;
  const withSuffix = upper.endsWith('Exception') ? upper : `${upper}Exception`;
  return withSuffix;
}

export function awsError(errorType: string, message?: string, status?: number): AwsErrorReply {
  const name = canonicalErrorType(errorType);
  const def = DEFAULTS[name];
  return {
    status: status ?? def?.status ?? 400,
    errorType: name,
    namespace: def?.namespace ?? BEDROCK_NS,
    message: message ?? def?.message ?? `${name} raised by the emulator scenario.`,
  };
}

/** The front door's missing-auth and bad-API-key answers: AccessDenied with a capital-M body. */
export function frontDoorDenied(message: string): AwsErrorReply {
  return { status: 403, errorType: 'AccessDeniedException', namespace: SERVICE_NS, message, capitalMessage: true };
}

export function errorHeaderValue(e: AwsErrorReply): string {
  return `${e.errorType}:${e.namespace}`;
}

export function errorBody(e: AwsErrorReply): string {
  return JSON.stringify(e.capitalMessage ? { Message: e.message } : { message: e.message });
}

/** A ValidationException in Bedrock's JSON-schema wording for malformed bodies. */
export function malformedInput(problems: string[]): AwsErrorReply {
  return awsError('ValidationException', `Malformed input request: ${problems.map((p) => `#: ${p}`).join('')}, please reformat your input and try again.`);
}
