import { describe, expect, it } from 'vitest';
import { addSecret, isRegisteredSecret, redact, redactDeep, redactLiterals, registerEnvSecrets } from '../../src/util/redact.js';

describe('redact', () => {
  it('masks access key ids of every IAM prefix, not look-alikes', () => {
    expect(redact('key AKIAIOSFODNN7EXAMPLE used')).toBe('key [REDACTED] used');
    expect(redact('temporary ASIAY34FZKBOKMUTVV7A,')).toBe('temporary [REDACTED],');
    expect(redact('role AROAJ2UCCR6DPCEXAMPLE.')).toBe('role [REDACTED].');
    expect(redact('AKIA is a prefix; AKIASHORT is not a key; XAKIAIOSFODNN7EXAMPLEX neither')).toBe('AKIA is a prefix; AKIASHORT is not a key; XAKIAIOSFODNN7EXAMPLEX neither');
  });

  it('masks secret values in ini, env, JSON, YAML-ish and query forms, keeping the name', () => {
    expect(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('aws_secret_access_key = [REDACTED]');
    expect(redact('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY sh -c x')).toBe('AWS_SECRET_ACCESS_KEY=[REDACTED] sh -c x');
    expect(redact('{"SecretAccessKey":"abc/def+ghi/jkl+mnop","SessionToken":"tok1234567890abcdef"}')).toBe('{"SecretAccessKey":"[REDACTED]","SessionToken":"[REDACTED]"}');
    expect(redact("{ secretAccessKey: 'abc/def+ghi/jkl+mnop', sessionToken: 'zzzzzzzzzzzzzzzzzzzz' }")).toBe("{ secretAccessKey: '[REDACTED]', sessionToken: '[REDACTED]' }");
    // Placeholders in help text are not secrets.
    expect(redact('{"SecretAccessKey":…,"SessionToken":"x"}')).toBe('{"SecretAccessKey":…,"SessionToken":"x"}');
    expect(redact('aws_session_token: AQoDYXdzEJr/EXAMPLE+TOKEN')).toBe('aws_session_token: [REDACTED]');
    expect(redact('AWS_BEARER_TOKEN_BEDROCK=whatever-it-is-0123456789')).toBe('AWS_BEARER_TOKEN_BEDROCK=[REDACTED]');
    // Code that merely names these fields stays readable.
    expect(redact('const c = { sessionToken: this.token, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };')).toBe(
      'const c = { sessionToken: this.token, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };',
    );
    expect(redact('secretAccessKey: someVeryLongVariableName.trim()')).toBe('secretAccessKey: someVeryLongVariableName.trim()');
    expect(redact('https://bedrock.amazonaws.com/?X-Amz-Security-Token=abc%2Fdef%2Bghi%3D0123&X-Amz-Signature=0123abcd0123abcd0123abcd&X-Amz-Date=20300101T000000Z')).toBe(
      'https://bedrock.amazonaws.com/?X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Date=20300101T000000Z',
    );
    expect(redact('x-amz-security-token: IQoJb3JpZ2luX2VjEXAMPLE')).toBe('x-amz-security-token: [REDACTED]');
  });

  it('masks Authorization header values, SigV4 and Bearer', () => {
    expect(
      redact('Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20300101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024\nnext line'),
    ).toBe('Authorization: [REDACTED]\nnext line');
    expect(redact('{"authorization":"Bearer abcdefghijklmnop","host":"h"}')).toBe('{"authorization":"[REDACTED]","host":"h"}');
    expect(redact("curl -H 'Authorization: Bearer abc.def.ghi-123' https://x")).toBe("curl -H 'Authorization: [REDACTED]' https://x");
    expect(redact('sent Bearer abcdefghijklmnopqrst to it')).toBe('sent Bearer [REDACTED] to it');
    // In JSON text a line break is `\n`: the value ends there, the rest of the string stays.
    expect(redact(JSON.stringify({ text: 'Authorization: Bearer abcdefghijkl\nThat is all.' }))).toBe('{"text":"Authorization: [REDACTED]\\nThat is all."}');
  });

  it('masks bearer keys and STS session tokens by shape', () => {
    expect(redact('key bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbA== here')).toBe('key [REDACTED] here');
    expect(redact('key ABSKQmVkcm9ja0FQSUtleS1sb25nLXRlcm0tZXhhbXBsZQ== here')).toBe('key [REDACTED] here');
    expect(redact('token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD done')).toBe('token [REDACTED] done');
    expect(redact('ABSK alone is fine')).toBe('ABSK alone is fine');
  });

  it('masks registered literals wherever they appear, longest first', () => {
    addSecret('literal-secret-value-0001');
    addSecret('literal-secret-value-0001-and-more');
    addSecret('short');
    expect(redact('a literal-secret-value-0001-and-more b literal-secret-value-0001 c')).toBe('a [REDACTED] b [REDACTED] c');
    expect(redact('a short word')).toBe('a short word');
    expect(isRegisteredSecret('literal-secret-value-0001')).toBe(true);
    expect(isRegisteredSecret('short')).toBe(false);
  });

  it('registers the AWS secret variables of an environment', () => {
    registerEnvSecrets({ AWS_SECRET_ACCESS_KEY: 'envsecret+value/00001', AWS_SESSION_TOKEN: 'envsession-value-00001', AWS_BEARER_TOKEN_BEDROCK: 'envbearer-value-00001', AWS_REGION: 'us-east-1' });
    expect(redact('envsecret+value/00001 envsession-value-00001 envbearer-value-00001 us-east-1')).toBe('[REDACTED] [REDACTED] [REDACTED] us-east-1');
    expect(isRegisteredSecret('us-east-1')).toBe(false);
  });

  it('registers the container authorization token and the legacy security token', () => {
    registerEnvSecrets({ AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-token-value-0001', AWS_SECURITY_TOKEN: 'legacy-security-token-value-0001' });
    expect(redact('curl -H "$T" container-auth-token-value-0001; legacy-security-token-value-0001')).toBe('curl -H "$T" [REDACTED]; [REDACTED]');
  });

  it('redactLiterals masks registered values only, not shapes (what the model may see)', () => {
    addSecret('literal-only-secret-value-0001');
    expect(redactLiterals('k literal-only-secret-value-0001 AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      'k [REDACTED] AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    );
    expect(redactLiterals('')).toBe('');
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const once = redact('aws_secret_access_key=abc123456abc123456 Authorization: Bearer tokentoken AKIAIOSFODNN7EXAMPLE');
    expect(redact(once)).toBe(once);
    const plain = 'The token budget is 2000; see the secret garden. Authorization is required.';
    expect(redact(plain)).toBe(plain.replace('Authorization is required.', 'Authorization is required.'));
  });

  it('redactDeep masks strings inside objects and values under secret-named keys, without touching the input', () => {
    addSecret('deep-literal-secret-0001');
    const input = {
      type: 'assistant',
      content: [{ type: 'text', text: 'found deep-literal-secret-0001 and AKIAIOSFODNN7EXAMPLE' }],
      credentials: { accessKeyId: 'x', secretAccessKey: 'plainlookingvalue', sessionToken: 'plain2', expiration: new Date(0) },
      headers: { Authorization: 'anything', 'x-amz-security-token': 'anything' },
      count: 3,
      nothing: null,
    };
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    const out = redactDeep(input);
    expect(out).toEqual({
      type: 'assistant',
      content: [{ type: 'text', text: 'found [REDACTED] and [REDACTED]' }],
      credentials: { accessKeyId: 'x', secretAccessKey: '[REDACTED]', sessionToken: '[REDACTED]', expiration: new Date(0) },
      headers: { Authorization: '[REDACTED]', 'x-amz-security-token': '[REDACTED]' },
      count: 3,
      nothing: null,
    });
    expect(JSON.parse(JSON.stringify(input))).toEqual(copy);
  });

  it('redactDeep survives cycles and errors', () => {
    const a: Record<string, unknown> = { s: 'AKIAIOSFODNN7EXAMPLE' };
    a.self = a;
    const out = redactDeep(a) as Record<string, unknown>;
    expect(out.s).toBe('[REDACTED]');
    expect(out.self).toBe(out);
    expect(redactDeep({ e: new Error('bad key AKIAIOSFODNN7EXAMPLE') })).toEqual({ e: { name: 'Error', message: 'bad key [REDACTED]' } });
  });

  it('handles a large transcript quickly enough to sit on every output path', () => {
    for (let i = 0; i < 50; i++) addSecret(`bulk-registered-secret-${i}-abcdefgh`);
    const text = 'ordinary line of tool output with words and numbers 12345\n'.repeat(20_000);
    const t = performance.now();
    expect(redact(text)).toBe(text);
    // Reported, not asserted (no timing assertions): see the test output with --reporter verbose.
    console.log(`redact: ${(text.length / 1e6).toFixed(1)} MB in ${(performance.now() - t).toFixed(1)} ms`);
  });
});
