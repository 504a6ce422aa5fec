import { afterEach, describe, expect, it } from 'vitest';
import { listInferenceProfiles } from '../../src/bedrock/profiles.js';
import { AccessDeniedError } from '../../src/bedrock/errors.js';
import { startEmulator, TEST_API_KEY, type EmulatorHandle } from '../../src/emulator/index.js';
import { TestCredentials, makeConfig } from './helpers.js';

const open: EmulatorHandle[] = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

describe('ListInferenceProfiles (hints, doctor)', () => {
  it('pages through every profile with nextToken, signed for the region', async () => {
    const emu = await startEmulator({ region: 'eu-west-1' });
    open.push(emu);
    const config = makeConfig(emu.url, { region: 'eu-west-1' });
    const all = await listInferenceProfiles(config, { credentials: new TestCredentials() });
    const paged = await listInferenceProfiles(config, { credentials: new TestCredentials(), pageSize: 2 });
    expect(all.length).toBeGreaterThan(4);
    expect(paged.map((p) => p.id)).toEqual(all.map((p) => p.id));
    const listCalls = emu.requests.filter((r) => r.operation === 'ListInferenceProfiles');
    expect(listCalls).toHaveLength(1 + Math.ceil(all.length / 2));
    expect(listCalls.every((r) => r.auth.ok && r.auth.region === 'eu-west-1')).toBe(true);
    expect(listCalls.slice(2).every((r) => r.rawPath.includes('nextToken='))).toBe(true);
    const sonnet = all.find((p) => p.id === 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sonnet?.arn).toContain(':inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sonnet?.modelArns.length).toBeGreaterThan(0);
  });

  it('filters by type and works with bearer keys', async () => {
    const emu = await startEmulator();
    open.push(emu);
    const config = makeConfig(emu.url, { auth: { mode: 'bearer', bearerToken: TEST_API_KEY } });
    const apps = await listInferenceProfiles(config, { type: 'APPLICATION' });
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.every((p) => p.type === 'APPLICATION')).toBe(true);
    expect(emu.requests[0].rawPath).toContain('type=APPLICATION');
    expect(emu.requests[0].auth.kind).toBe('bearer');
  });

  it('a key the endpoint does not know comes out as a typed credential error', async () => {
    const emu = await startEmulator({ credentials: [{ accessKeyId: 'AKIAEMULATOROTHER001', secretAccessKey: 'x'.repeat(40) }] });
    open.push(emu);
    const err = await listInferenceProfiles(makeConfig(emu.url), { credentials: new TestCredentials() }).catch((e: unknown) => e);
    // Unknown key → the front door rejects it; not an IAM denial but a typed credential error.
    expect((err as Error).name).toBe('CredentialsInvalidError');
    expect(err).not.toBeInstanceOf(AccessDeniedError);
  });
});
