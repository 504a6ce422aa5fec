import { afterEach, describe, expect, it } from 'vitest';
import { GetInferenceProfileCommand, ListInferenceProfilesCommand, paginateListInferenceProfiles, type InferenceProfileSummary } from '@aws-sdk/client-bedrock';
import { APPLICATION_PROFILE_ID, applicationProfileArn, startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { controlClient } from './sdk.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('control plane: inference profiles', () => {
  it('pages ListInferenceProfiles with maxResults/nextToken and filters by type', async () => {
    emu = await startEmulator({ region: 'us-west-2' });
    const client = controlClient(emu);
    const first = await client.send(new ListInferenceProfilesCommand({ maxResults: 5, typeEquals: 'SYSTEM_DEFINED' }));
    expect(first.inferenceProfileSummaries).toHaveLength(5);
    expect(first.nextToken).toBeTruthy();
    const all: InferenceProfileSummary[] = [];
    for await (const page of paginateListInferenceProfiles({ client, pageSize: 5 }, { typeEquals: 'SYSTEM_DEFINED' })) all.push(...(page.inferenceProfileSummaries ?? []));
    const ids = all.map((p) => p.inferenceProfileId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'apac.anthropic.claude-haiku-4-5-20251001-v1:0']));
    expect(ids.some((id) => id?.includes('opus'))).toBe(true);
    expect(all.every((p) => p.type === 'SYSTEM_DEFINED' && p.status === 'ACTIVE')).toBe(true);
    expect(all[0].createdAt).toBeInstanceOf(Date);
    expect(all[0].inferenceProfileArn).toMatch(/^arn:aws:bedrock:us-west-2:111122223333:inference-profile\//);
    expect(all[0].models?.[0].modelArn).toMatch(/^arn:aws:bedrock:[a-z0-9-]+::foundation-model\/anthropic\./);

    const apps = await client.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }));
    expect(apps.inferenceProfileSummaries?.map((p) => p.inferenceProfileArn)).toEqual([applicationProfileArn('us-west-2')]);
    expect(emu.requests.every((r) => r.auth.ok && r.operation === 'ListInferenceProfiles')).toBe(true);
  });

  it('GetInferenceProfile by id and by application-profile ARN; unknown → ResourceNotFoundException', async () => {
    emu = await startEmulator();
    const client = controlClient(emu);
    const sys = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }));
    expect(sys.models?.[0].modelArn).toContain('anthropic.claude-haiku-4-5-20251001-v1:0');
    const app = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: applicationProfileArn('us-east-1') }));
    expect(app).toMatchObject({ type: 'APPLICATION', inferenceProfileId: APPLICATION_PROFILE_ID });
    expect(app.models?.[0].modelArn).toContain('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(emu.requests[1].auth.ok).toBe(true);
    const err = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.nothing-v1:0' })).catch((e: Error) => e);
    expect((err as Error).name).toBe('ResourceNotFoundException');
  });

  it('rejects an out-of-range maxResults like the service', async () => {
    emu = await startEmulator();
    const err = await controlClient(emu).send(new ListInferenceProfilesCommand({ maxResults: 0 })).catch((e: Error) => e);
    expect((err as Error).name).toBe('ValidationException');
  });
});
