import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
import { formatError } from '../../src/errors.js';
import { makeConfig, makeTempHome } from './helpers.js';

// The SDK chain reads a few variables from process.env itself: keep it off the network.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const FILE_KEYS = { accessKeyId: 'AKIAFILEKEYCHAIN0001', secretAccessKey: 'file/secret/for/chain/test/000000001' };

describe('credential chain', () => {
  it('resolves a profile from the shared credentials file and says so', async () => {
    const home = makeTempHome('dev', FILE_KEYS);
    const source = createCredentialSource(makeConfig({ env: { ...home.env, AWS_PROFILE: 'dev' } }));
    expect(source.describe()).toBe('AWS SDK default chain (profile dev)');
    const creds = await source.get();
    expect(creds.accessKeyId).toBe(FILE_KEYS.accessKeyId);
    expect(creds.secretAccessKey).toBe(FILE_KEYS.secretAccessKey);
    expect(source.describe()).toBe('profile dev (shared credentials file)');
  });

  it('prefers environment keys over AWS_PROFILE, as the AWS CLI does', async () => {
    const home = makeTempHome('dev', FILE_KEYS);
    const env = { ...home.env, AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIAENVKEYWINS000001', AWS_SECRET_ACCESS_KEY: 'env/secret/wins/over/profile/000001', AWS_SESSION_TOKEN: 'env-session-token-000001' };
    const source = createCredentialSource(makeConfig({ env }));
    const creds = await source.get();
    expect(creds).toEqual({ accessKeyId: 'AKIAENVKEYWINS000001', secretAccessKey: 'env/secret/wins/over/profile/000001', sessionToken: 'env-session-token-000001' });
    expect(source.describe()).toBe('environment (AWS_ACCESS_KEY_ID)');
  });

  it('names the profile and how to fix it when nothing resolves', async () => {
    const home = makeTempHome('dev', FILE_KEYS);
    const source = createCredentialSource(makeConfig({ env: { ...home.env, AWS_PROFILE: 'missing' } }));
    const err = await source.get().catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2, message: `AWS profile 'missing' does not exist in ${home.env.AWS_CONFIG_FILE} or ${home.env.AWS_SHARED_CREDENTIALS_FILE}` });
    expect((err as { hint: string }).hint).toMatch(/^check the name in AWS_PROFILE .*`aws configure --profile missing`/);
  });
});

describe('credential chain failures name the real cause', () => {
  it('an SSO profile without a cached token says so, with the sign-in command in the hint', async () => {
    const home = makeTempHome('dev', FILE_KEYS);
    writeFileSync(
      home.configFile,
      '[profile corp]\nsso_session = corp-sso\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp-sso]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const source = createCredentialSource(makeConfig({ env: { ...home.env, AWS_PROFILE: 'corp' } }));
    // The SDK's SSO provider reads the file locations from process.env itself (the CLI applies
    // settings `env` to process.env, so there it sees the same values).
    const saved = { c: process.env.AWS_CONFIG_FILE, h: process.env.HOME };
    process.env.AWS_CONFIG_FILE = home.configFile;
    process.env.HOME = home.home;
    const err = await source.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    restore('AWS_CONFIG_FILE', saved.c);
    restore('HOME', saved.h);
    const text = formatError(err);
    expect(text.split('\n')[0]).toMatch(/^bcode: could not load AWS credentials for profile corp: .*(SSO|sso)/);
    expect(text.split('\n')[1]).toBe('  hint: sign in again (e.g. `aws sso login --profile corp`), or set "awsAuthRefresh" in settings to do it automatically');
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

describe('credential chain timeout', () => {
  it('a chain that does not answer in CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS fails with one clear line', async () => {
    const home = makeTempHome('dev', FILE_KEYS);
    writeFileSync(home.credentialsFile, '');
    writeFileSync(home.configFile, '[profile slow]\ncredential_process = sleep 2\n');
    const source = createCredentialSource(makeConfig({ env: { ...home.env, AWS_PROFILE: 'slow', CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS: '200' } }));
    const err = await source.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(formatError(err)).toBe(
      'bcode: AWS default-chain credential resolve timed out after 200 ms\n  hint: check network access to your identity provider, or raise CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS',
    );
  });
});
