import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childEnv, childEnvForConfig } from '../../src/util/child-env.js';
import { addSecret } from '../../src/util/redact.js';
import { makeConfig } from '../credentials/helpers.js';

/** What a real child process sees, as `env` prints it. */
function envSeenBy(env: Record<string, string>): Record<string, string> {
  const out = spawnSync('env', [], { env, encoding: 'utf8' });
  expect(out.status).toBe(0);
  return Object.fromEntries(
    out.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const SESSION_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/home/someone',
  AWS_PROFILE: 'dev',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIACHILDENVTEST0001',
  AWS_SECRET_ACCESS_KEY: 'child/env/secret/value/00000001',
  AWS_SESSION_TOKEN: 'child-env-session-token-00000001',
  AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-Y2hpbGQtZW52LWJlYXJlcg==',
  AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
  AWS_SECURITY_TOKEN: 'child-env-legacy-security-token-01',
  AWS_CREDENTIAL_SCOPE: 'us-east-1',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'child-env-container-auth-token-01',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/0a1b2c3d-child-env-guid',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/child-env-role',
  AWS_ROLE_SESSION_NAME: 'child-env-session',
  AWS_ACCOUNT_ID: '123456789012',
  AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://169.254.169.254',
  MY_TEAM_SETTING: 'from-settings-env',
  COPIED_EXPORT_SECRET: 'export-obtained-secret-in-env-0001',
};

const SECRET_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_SCOPE',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'COPIED_EXPORT_SECRET',
];

describe('child environment', () => {
  it('a real child sees none of the secret variables, but everything else', () => {
    addSecret('export-obtained-secret-in-env-0001');
    const seen = envSeenBy(childEnvForConfig(makeConfig({ env: SESSION_ENV })));
    for (const name of SECRET_NAMES) expect(seen[name], name).toBeUndefined();
    expect(seen.AWS_PROFILE).toBe('dev');
    expect(seen.AWS_REGION).toBe('eu-west-1');
    // Identifiers and endpoints that lead to no credential by themselves pass.
    expect(seen.AWS_ACCOUNT_ID).toBe('123456789012');
    expect(seen.AWS_EC2_METADATA_SERVICE_ENDPOINT).toBe('http://169.254.169.254');
    expect(seen.MY_TEAM_SETTING).toBe('from-settings-env');
    expect(seen.HOME).toBe('/home/someone');
    const all = Object.values(seen).join('\n');
    for (const name of SECRET_NAMES.filter((n) => n !== 'AWS_CREDENTIAL_SCOPE')) expect(all).not.toContain(SESSION_ENV[name as keyof typeof SESSION_ENV]);
  });

  it('with "passAwsCredentialsToTools": true in settings, the child sees them', () => {
    addSecret('export-obtained-secret-in-env-0001');
    const seen = envSeenBy(childEnvForConfig(makeConfig({ env: SESSION_ENV, settings: { passAwsCredentialsToTools: true } })));
    for (const name of SECRET_NAMES) expect(seen[name], name).toBe(SESSION_ENV[name as keyof typeof SESSION_ENV]);
  });

  it('only a literal true passes them through', () => {
    expect(childEnvForConfig(makeConfig({ env: SESSION_ENV, settings: { passAwsCredentialsToTools: 'yes' } })).AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });

  it('keeps the childEnv(env, options) contract and drops undefined values', () => {
    expect(childEnv({ A: 'x', B: undefined, AWS_SESSION_TOKEN: 't0k3n-value-000001' })).toEqual({ A: 'x' });
    // Dropped, not kept as a key with no value (a consumer copying it would pass the text "undefined").
    expect(Object.keys(childEnv({ A: 'x', B: undefined }))).toEqual(['A']);
    expect(childEnv({ AWS_SESSION_TOKEN: 't0k3n-value-000001' }, { passThroughAwsCredentials: true })).toEqual({ AWS_SESSION_TOKEN: 't0k3n-value-000001' });
  });

  it('any AWS_BEARER_TOKEN_<service> variable is held back, not only the Bedrock one, whatever its value', () => {
    const env = { AWS_BEARER_TOKEN_BEDROCK_EU: 'not-registered-bearer-0001', AWS_BEARER_TOKEN_X: 'not-registered-bearer-0002', MY_AWS_BEARER_TOKEN_: 'plain', NOT_AWS_BEARER_TOKEN_BEDROCK: 'plain' };
    expect(childEnv(env)).toEqual({ MY_AWS_BEARER_TOKEN_: 'plain', NOT_AWS_BEARER_TOKEN_BEDROCK: 'plain' });
  });
});
