import { describe, expect, it } from 'vitest';
import { bearerKeyRejectedError, bearerKeyWarning, decodeShortTermKey } from '../../src/bedrock/bearer-key.js';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
import { formatError } from '../../src/errors.js';
import { redact } from '../../src/util/redact.js';
import { makeConfig, shortTermKey } from './helpers.js';

const ISSUED = new Date('2030-06-01T08:00:00Z');

describe('Bedrock API keys', () => {
  it('decodes a short-term key to its issue time, expiry and region', async () => {
    const key = await shortTermKey('eu-west-1', ISSUED, 43200);
    expect(decodeShortTermKey(key)).toEqual({ issuedAt: ISSUED, expiresAt: new Date('2030-06-01T20:00:00Z'), region: 'eu-west-1' });
  });

  it('long-term (opaque) keys and garbage decode to nothing and never warn', () => {
    expect(decodeShortTermKey('ABSKQmVkcm9ja0FQSUtleS1sb25nLXRlcm0tZXhhbXBsZQ==')).toBeUndefined();
    expect(decodeShortTermKey('bedrock-api-key-!!!notbase64')).toBeUndefined();
    expect(bearerKeyWarning('ABSKQmVkcm9ja0FQSUtleS1sb25nLXRlcm0tZXhhbXBsZQ==', Date.now())).toBeUndefined();
  });

  it('warns within 10 minutes of expiry and after it, without the key', async () => {
    const key = await shortTermKey('us-east-1', ISSUED, 3600);
    const expiry = ISSUED.getTime() + 3600_000;
    expect(bearerKeyWarning(key, expiry - 11 * 60_000)).toBeUndefined();
    const soon = bearerKeyWarning(key, expiry - 7 * 60_000);
    expect(soon).toBe('the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK expires at 2030-06-01T09:00:00Z (in 7 min); generate a new one before it runs out');
    const late = bearerKeyWarning(key, expiry + 12 * 60_000);
    expect(late).toBe('the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK expired at 2030-06-01T09:00:00Z (12 min ago); generate a new one');
    expect(soon).not.toContain(key.slice(16, 40));
  });

  it('warns when a short-term key was issued for another region', async () => {
    const key = await shortTermKey('eu-west-1', ISSUED, 43200);
    expect(bearerKeyWarning(key, ISSUED.getTime(), 'us-east-1')).toBe(
      'the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK was issued for eu-west-1, but requests go to us-east-1; short-term keys work only in their own region',
    );
    expect(bearerKeyWarning(key, ISSUED.getTime(), 'eu-west-1')).toBeUndefined();
  });

  it('a rejected key: says it cannot be refreshed, and why when the key tells', async () => {
    const key = await shortTermKey('us-east-1', ISSUED, 900);
    expect(formatError(bearerKeyRejectedError(key, ISSUED.getTime() + 3600_000))).toBe(
      'bcode: Bedrock rejected the API key in AWS_BEARER_TOKEN_BEDROCK (it expired at 2030-06-01T08:15:00Z)\n' +
        '  hint: bcode cannot refresh a Bedrock API key: generate a new one and set AWS_BEARER_TOKEN_BEDROCK, or unset it to use AWS credentials',
    );
    const source = createCredentialSource(makeConfig({ auth: { mode: 'bearer', bearerToken: 'ABSKbG9uZy10ZXJtLWtleS1mb3ItcmVmcmVzaC10ZXN0' } }));
    expect(source.describe()).toBe('Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)');
    await expect(source.refresh('rejected')).rejects.toThrow('Bedrock rejected the API key in AWS_BEARER_TOKEN_BEDROCK');
  });

  it('keys are registered for redaction', async () => {
    const key = await shortTermKey('us-east-1', ISSUED, 900);
    createCredentialSource(makeConfig({ auth: { mode: 'bearer', bearerToken: key }, env: { AWS_BEARER_TOKEN_BEDROCK: key } }));
    expect(redact(`token=${key.slice(16)}`)).not.toContain(key.slice(16));
    expect(redact(`the key is ${key}.`)).toBe('the key is [REDACTED].');
  });
});
