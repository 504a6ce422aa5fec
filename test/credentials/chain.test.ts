import { describe, expect, it } from 'vitest';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
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
    await expect(source.get()).rejects.toThrow(/^could not load AWS credentials for profile missing: /);
  });
});
