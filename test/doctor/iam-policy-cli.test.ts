/** `bcode iam-policy` through the built CLI: the policy is parsed and checked statement by statement. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const APP_ARN = 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/team7sonnet';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-iam-'));
  mkdirSync(path.join(root, 'home'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function iamPolicy(env: Record<string, string | undefined> = {}, args: string[] = []): Promise<{ r: CliResult; policy: Policy; sid: (s: string) => Statement | undefined }> {
  const r = await runCli(['iam-policy', ...args], {
    cwd: path.join(root, 'project'),
    env: { HOME: path.join(root, 'home'), BCODE_MANAGED_SETTINGS_DIR: path.join(root, 'managed'), AWS_REGION: 'us-east-1', ...env },
  });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const policy = (r.code === 0 ? JSON.parse(r.stdout) : { Version: '', Statement: [] }) as Policy;
  return { r, policy, sid: (s) => policy.Statement.find((x) => x.Sid === s) };
}

const resources = (s: Statement | undefined): string[] => (s === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('bcode iam-policy', () => {
  it('default models, not strict: the documented actions on wildcard ARNs plus the marketplace statement', async () => {
    const { r, policy, sid } = await iamPolicy();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(policy.Version).toBe('2012-10-17');
    expect(sid('BcodeInvokeModels')).toEqual({
      Sid: 'BcodeInvokeModels',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: ['arn:aws:bedrock:*:*:inference-profile/*', 'arn:aws:bedrock:*:*:application-inference-profile/*', 'arn:aws:bedrock:*::foundation-model/*'],
    });
    expect(sid('BcodeListInferenceProfiles')).toEqual({
      Sid: 'BcodeListInferenceProfiles',
      Effect: 'Allow',
      Action: ['bedrock:ListInferenceProfiles'],
      Resource: ['arn:aws:bedrock:*:*:inference-profile/*', 'arn:aws:bedrock:*:*:application-inference-profile/*'],
    });
    // Least privilege: bcode never calls GetInferenceProfile.
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain('bedrock:GetInferenceProfile');
    expect(sid('BcodeMarketplaceSubscribe')).toEqual({
      Sid: 'BcodeMarketplaceSubscribe',
      Effect: 'Allow',
      Action: ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
    });
    // No bearer key configured: no CallWithBearerToken.
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain('bedrock:CallWithBearerToken');
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('default models, --strict: exact profile ARNs, the global model everywhere, the regional one in its geography', async () => {
    const { r, sid } = await iamPolicy({}, ['--strict', '--account', '111122223333']);
    expect(r.code).toBe(0);
    const invoke = resources(sid('BcodeInvokeModels'));
    expect(invoke).toContain(`arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.${SONNET}`);
    expect(invoke).toContain(`arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${HAIKU}`);
    // A global profile may route to any region.
    expect(invoke).toContain(`arn:aws:bedrock:*::foundation-model/${SONNET}`);
    expect(r.stderr).toContain('global inference profile');
    // The us. profile: the foundation model in each US destination region, none elsewhere.
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) expect(invoke).toContain(`arn:aws:bedrock:${region}::foundation-model/${HAIKU}`);
    expect(invoke.filter((a) => a.includes(HAIKU) && a.includes('foundation-model')).every((a) => /:bedrock:(us|ca)-[a-z]+-\d::/.test(a))).toBe(true);
    // No wildcard resource is left for model calls.
    expect(invoke.some((a) => a.endsWith('/*'))).toBe(false);
    expect(sid('BcodeListInferenceProfiles')?.Action).toEqual(['bedrock:ListInferenceProfiles']);
    expect(resources(sid('BcodeListInferenceProfiles'))).toEqual([
      'arn:aws:bedrock:us-east-1:111122223333:inference-profile/*',
      'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*',
    ]);
    expect(sid('BcodeMarketplaceSubscribe')?.Condition).toEqual({ StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } });
  });

  it('--strict without an account id: * in the account field, and a note saying so', async () => {
    const { r, sid } = await iamPolicy({}, ['--strict']);
    expect(r.code).toBe(0);
    expect(resources(sid('BcodeInvokeModels'))).toContain(`arn:aws:bedrock:us-east-1:*:inference-profile/global.${SONNET}`);
    expect(r.stderr).toContain('bcode: note: account id unknown');
    expect(r.stderr).toContain('--account');
  });

  it('an application-inference-profile ARN is kept as given, and its account is used', async () => {
    const strict = await iamPolicy({ ANTHROPIC_MODEL: APP_ARN, ANTHROPIC_SMALL_FAST_MODEL: `us.${HAIKU}` }, ['--strict']);
    expect(strict.r.code).toBe(0);
    const invoke = resources(strict.sid('BcodeInvokeModels'));
    expect(invoke).toContain(APP_ARN);
    expect(invoke).toContain(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}`);
    // The ARN does not name its model: the Anthropic foundation models stay allowed, with a note.
    expect(invoke).toContain('arn:aws:bedrock:*::foundation-model/anthropic.*');
    expect(strict.r.stderr).toContain('application inference profile');
    expect(resources(strict.sid('BcodeListInferenceProfiles'))).toContain('arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/*');
    expect(strict.r.stderr).not.toContain('account id unknown');

    const loose = await iamPolicy({ ANTHROPIC_MODEL: APP_ARN }, []);
    expect(resources(loose.sid('BcodeInvokeModels'))).toContain('arn:aws:bedrock:*:*:application-inference-profile/*');
  });

  it('a foundation-model id: only that model, only in its own region, under --strict', async () => {
    const env = { ANTHROPIC_MODEL: 'anthropic.claude-3-haiku-20240307-v1:0', ANTHROPIC_SMALL_FAST_MODEL: 'anthropic.claude-3-haiku-20240307-v1:0' };
    const strict = await iamPolicy(env, ['--strict']);
    expect(strict.r.code).toBe(0);
    expect(resources(strict.sid('BcodeInvokeModels'))).toEqual(['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0']);
    // Nothing but a foundation model: no account needed, so no note.
    expect(strict.r.stderr).toBe('');

    const loose = await iamPolicy(env);
    expect(resources(loose.sid('BcodeInvokeModels'))).toContain('arn:aws:bedrock:*::foundation-model/*');
  });

  it('a small/fast model in another region is narrowed in that region', async () => {
    const { sid } = await iamPolicy({ ANTHROPIC_SMALL_FAST_MODEL: `eu.${HAIKU}`, ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'eu-west-1' }, ['--strict', '--account', '111122223333']);
    const invoke = resources(sid('BcodeInvokeModels'));
    expect(invoke).toContain(`arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.${HAIKU}`);
    expect(invoke).toContain(`arn:aws:bedrock:eu-west-3::foundation-model/${HAIKU}`);
    expect(invoke.some((a) => a.includes(HAIKU) && a.includes(':us-'))).toBe(false);
    expect(resources(sid('BcodeListInferenceProfiles'))).toContain('arn:aws:bedrock:eu-west-1:111122223333:inference-profile/*');
  });

  it('adds bedrock:CallWithBearerToken when a Bedrock API key is configured, and never prints the key', async () => {
    const key = 'ABSKZmFrZS1rZXktZm9yLWlhbS1wb2xpY3ktdGVzdHM=';
    const { r, sid } = await iamPolicy({ AWS_BEARER_TOKEN_BEDROCK: key });
    expect(sid('BcodeBedrockApiKey')).toEqual({ Sid: 'BcodeBedrockApiKey', Effect: 'Allow', Action: ['bedrock:CallWithBearerToken'], Resource: '*' });
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('GovCloud regions use the aws-us-gov partition', async () => {
    const { sid } = await iamPolicy({ AWS_REGION: 'us-gov-west-1' }, ['--strict', '--account', '111122223333']);
    const invoke = resources(sid('BcodeInvokeModels'));
    expect(invoke.length).toBeGreaterThan(0);
    expect(invoke.every((a) => a.startsWith('arn:aws-us-gov:bedrock:'))).toBe(true);
  });

  it('GovCloud without --strict: the wildcards are spelt in the aws-us-gov partition', async () => {
    const { r, policy, sid } = await iamPolicy({ AWS_REGION: 'us-gov-west-1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(resources(sid('BcodeInvokeModels'))).toEqual([
      'arn:aws-us-gov:bedrock:*:*:inference-profile/*',
      'arn:aws-us-gov:bedrock:*:*:application-inference-profile/*',
      'arn:aws-us-gov:bedrock:*::foundation-model/*',
    ]);
    expect(resources(sid('BcodeListInferenceProfiles'))).toEqual(['arn:aws-us-gov:bedrock:*:*:inference-profile/*', 'arn:aws-us-gov:bedrock:*:*:application-inference-profile/*']);
    expect(policy.Statement.flatMap(resources).filter((a) => a.startsWith('arn:aws:'))).toEqual([]);
  });

  it('China without --strict: the wildcards are spelt in the aws-cn partition', async () => {
    const { r, policy, sid } = await iamPolicy({ AWS_REGION: 'cn-north-1', ANTHROPIC_MODEL: SONNET, ANTHROPIC_SMALL_FAST_MODEL: HAIKU });
    expect(r.code).toBe(0);
    expect(resources(sid('BcodeInvokeModels'))).toEqual([
      'arn:aws-cn:bedrock:*:*:inference-profile/*',
      'arn:aws-cn:bedrock:*:*:application-inference-profile/*',
      'arn:aws-cn:bedrock:*::foundation-model/*',
    ]);
    expect(resources(sid('BcodeListInferenceProfiles'))).toEqual(['arn:aws-cn:bedrock:*:*:inference-profile/*', 'arn:aws-cn:bedrock:*:*:application-inference-profile/*']);
    expect(policy.Statement.flatMap(resources).filter((a) => a.startsWith('arn:aws:'))).toEqual([]);
  });

  it('a small/fast region in another partition: both partitions are named, and a note says so', async () => {
    const { r, sid } = await iamPolicy({ AWS_REGION: 'us-east-1', ANTHROPIC_SMALL_FAST_MODEL: `us-gov.${HAIKU}`, ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'us-gov-west-1' });
    expect(r.code).toBe(0);
    const invoke = resources(sid('BcodeInvokeModels'));
    for (const p of ['aws', 'aws-us-gov']) {
      expect(invoke).toContain(`arn:${p}:bedrock:*:*:inference-profile/*`);
      expect(invoke).toContain(`arn:${p}:bedrock:*::foundation-model/*`);
    }
    expect(resources(sid('BcodeListInferenceProfiles'))).toContain('arn:aws-us-gov:bedrock:*:*:inference-profile/*');
    expect(r.stderr).toMatch(/^bcode: note: the small\/fast model \(us-gov-west-1\) is in the aws-us-gov partition, the main model \(us-east-1\) in aws/m);

    const strict = await iamPolicy({ AWS_REGION: 'us-east-1', ANTHROPIC_SMALL_FAST_MODEL: `us-gov.${HAIKU}`, ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'us-gov-west-1' }, ['--strict', '--account', '111122223333']);
    expect(resources(strict.sid('BcodeInvokeModels'))).toContain(`arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:inference-profile/us-gov.${HAIKU}`);
    expect(strict.r.stderr).toContain('aws-us-gov partition');
  });

  it('rejects a malformed --account and a missing AWS_REGION with exit 2', async () => {
    const bad = await iamPolicy({}, ['--strict', '--account', '12345']);
    expect(bad.r.code).toBe(2);
    expect(bad.r.stdout).toBe('');
    expect(bad.r.stderr).toMatch(/^bcode: --account must be a 12-digit AWS account id, got '12345'\n {2}hint: /);
    const noRegion = await iamPolicy({ AWS_REGION: undefined });
    expect(noRegion.r.code).toBe(2);
    expect(noRegion.r.stderr.split('\n')[0]).toBe('bcode: AWS_REGION is not set');
  });
});
