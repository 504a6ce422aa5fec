/**
 * `awsCredentialExport` output parsing (B6) at its edges: each malformed shape gets its own
 * message naming fields (never values), everything that looks like a value is registered for
 * redaction before any check can fail, and durations in messages read naturally.
 * The command runs themselves are in export.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CredentialExportError } from '../../src/bedrock/credential-errors.js';
import { formatDuration, parseExportOutput } from '../../src/bedrock/credential-export.js';
import { isRegisteredSecret, redact } from '../../src/util/redact.js';

const NAME = 'awsCredentialExport `x`';

function failure(stdout: string): CredentialExportError {
  try {
    parseExportOutput(stdout, NAME);
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialExportError);
    return err as CredentialExportError;
  }
  throw new Error('expected a failure');
}

describe('parseExportOutput', () => {
  it('the STS shape: keys, token and a valid Expiration', () => {
    const c = parseExportOutput(JSON.stringify({ Credentials: { AccessKeyId: 'AKIAPARSE00000000001', SecretAccessKey: 'parse/secret/0001', SessionToken: 'parse-token-0001', Expiration: '2031-02-03T04:05:06Z' } }), NAME);
    expect(c).toEqual({ accessKeyId: 'AKIAPARSE00000000001', secretAccessKey: 'parse/secret/0001', sessionToken: 'parse-token-0001', expiration: new Date('2031-02-03T04:05:06Z') });
  });

  it('the credential_process shape: long-term keys without a token; surrounding whitespace is fine', () => {
    const c = parseExportOutput(`\n  ${JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPARSE00000000002', SecretAccessKey: 'parse/secret/0002' })}\n`, NAME);
    expect(c).toEqual({ accessKeyId: 'AKIAPARSE00000000002', secretAccessKey: 'parse/secret/0002' });
    expect('sessionToken' in c).toBe(false);
    expect('expiration' in c).toBe(false);
  });

  it('an empty SessionToken in the credential_process shape means none', () => {
    const c = parseExportOutput(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPARSE00000000003', SecretAccessKey: 'parse/secret/0003', SessionToken: '' }), NAME);
    expect('sessionToken' in c).toBe(false);
  });

  it('an Expiration that is not an ISO date (or not a date at all) means no expiry', () => {
    const base = { Version: 1, AccessKeyId: 'AKIAPARSE00000000004', SecretAccessKey: 'parse/secret/0004' };
    // An array holding a date would pass a pattern test through string coercion: only a string counts.
    for (const Expiration of ['tomorrow', '1700000000', 1700000000, '2031-13-45T99:99:99Z', 'x2031-02-03T04:05:06Z', null, ['2031-02-03T04:05:06Z']]) {
      expect('expiration' in parseExportOutput(JSON.stringify({ ...base, Expiration }), NAME), String(Expiration)).toBe(false);
    }
    expect(parseExportOutput(JSON.stringify({ ...base, Expiration: '2031-02-03T04:05:06.123+02:00' }), NAME).expiration).toEqual(new Date('2031-02-03T02:05:06.123Z'));
  });

  it('each unusable output has its own message, and every one carries the format hint', () => {
    const cases: Array<[string, string]> = [
      ['', `${NAME} printed nothing`],
      ['  \n ', `${NAME} printed nothing`],
      ['{"Credentials":', `${NAME} printed output that is not JSON`],
      ['[1,2]', `${NAME} printed JSON that is not an object`],
      ['null', `${NAME} printed JSON that is not an object`],
      ['"AKIA"', `${NAME} printed JSON that is not an object`],
      ['{"Credentials":"AKIA"}', `${NAME} printed JSON whose "Credentials" is not an object`],
      ['{"Credentials":null}', `${NAME} printed JSON whose "Credentials" is not an object`],
      ['{"Credentials":[]}', `${NAME} printed JSON whose "Credentials" is not an object`],
      ['{"Credentials":{}}', `${NAME} printed JSON without Credentials.AccessKeyId, Credentials.SecretAccessKey, Credentials.SessionToken`],
      ['{"Credentials":{"AccessKeyId":"","SecretAccessKey":5,"SessionToken":"t"}}', `${NAME} printed JSON without Credentials.AccessKeyId, Credentials.SecretAccessKey`],
      ['{"Version":2,"AccessKeyId":"a","SecretAccessKey":"b"}', `${NAME} printed credential_process JSON with a "Version" other than 1`],
      ['{"AccessKeyId":"a","SecretAccessKey":"b"}', `${NAME} printed credential_process JSON with a "Version" other than 1`],
      ['{"Version":"1","AccessKeyId":"a","SecretAccessKey":"b"}', `${NAME} printed credential_process JSON with a "Version" other than 1`],
      ['{"Version":1,"SecretAccessKey":"b"}', `${NAME} printed JSON without AccessKeyId`],
      ['{"Version":1,"AccessKeyId":"a","SecretAccessKey":"b","SessionToken":7}', `${NAME} printed JSON whose SessionToken is not a string`],
      ['{"credentials":{}}', `${NAME} printed JSON without "Credentials"`],
    ];
    for (const [stdout, message] of cases) {
      const err = failure(stdout);
      expect(err.message, stdout).toBe(message);
      expect(err.hint, stdout).toMatch(/^it must print \{"Credentials":\{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…\}\} or the credential_process shape \{"Version":1,"AccessKeyId":…,"SecretAccessKey":…\}$/);
      expect(err.fixableByAuthRefresh).toBe(false);
    }
  });

  it('values are registered for redaction even when the output is then refused', () => {
    const err = failure(JSON.stringify({ Credentials: { AccessKeyId: 'half-valid-key-id-0005', SecretAccessKey: 'half/valid/secret/0005' } }));
    expect(err.message).toBe(`${NAME} printed JSON without Credentials.SessionToken`);
    expect(isRegisteredSecret('half-valid-key-id-0005')).toBe(true);
    expect(isRegisteredSecret('half/valid/secret/0005')).toBe(true);
    expect(redact('leaked half/valid/secret/0005 here')).toBe('leaked [REDACTED] here');
    failure(JSON.stringify({ Version: 1, AccessKeyId: 'flat-key-id-0006', SessionToken: 'flat-session-token-0006' }));
    expect(isRegisteredSecret('flat-key-id-0006')).toBe(true);
    expect(isRegisteredSecret('flat-session-token-0006')).toBe(true);
  });
});

describe('formatDuration', () => {
  it('milliseconds below a second, seconds (one decimal, none when whole) below two minutes, then minutes', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(1549)).toBe('1.5 s');
    expect(formatDuration(90_000)).toBe('90 s');
    expect(formatDuration(119_999)).toBe('120 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(150_000)).toBe('2.5 min');
    expect(formatDuration(300_000)).toBe('5 min');
  });
});
