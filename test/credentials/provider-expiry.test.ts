import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
import { createProvider } from '../../src/bedrock/provider.js';
import { startEmulator, type EmulatorCredential, type EmulatorHandle } from '../../src/emulator/index.js';
import { formatError } from '../../src/errors.js';
import { redact } from '../../src/util/redact.js';
import { collect, makeConfig, simpleRequest } from '../bedrock/helpers.js';
import { makeTempHome, writeScript } from './helpers.js';
import { makeTempDir } from '../helpers/temp.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const FIRST: EmulatorCredential = { accessKeyId: 'ASIAEXPIRESMIDWAY001', secretAccessKey: 'first/secret/expires/midway/0000001', sessionToken: 'first-session-token-expires-0000001' };
const SECOND: EmulatorCredential = { accessKeyId: 'ASIAREFRESHEDKEY0002', secretAccessKey: 'second/secret/after/export/00000002', sessionToken: 'second-session-token-after-0000002' };

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function count(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
}

/** An exporter that hands out FIRST on its first run and SECOND on every later one. */
function twoStepExporter(dir: string): { command: string; countFile: string } {
  const countFile = join(dir, 'count');
  const json = (c: EmulatorCredential): string => JSON.stringify({ Credentials: { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken } });
  const command = writeScript(
    dir,
    'export.sh',
    `echo run >> '${countFile}'\nif [ "$(wc -l < '${countFile}')" -le 1 ]; then echo '${json(FIRST)}'; else echo '${json(SECOND)}'; fi\necho 'exporter chatter ${FIRST.secretAccessKey}' >&2`,
  );
  return { command, countFile };
}

const scenario = { turns: [{ reply: { content: [{ type: 'text' as const, text: 'first answer' }] } }], whenExhausted: 'echo' as const };

describe('credentials through the provider and the emulator', () => {
  it('a credential that expires mid-session: the next request runs awsCredentialExport once and is retried with the new key', async () => {
    const now = Date.now();
    emu = await startEmulator({ scenario, credentials: [{ ...FIRST, expiresAt: now + 30 * 60_000 }, SECOND] });
    const dir = makeTempDir('bcode-prov-');
    const { command, countFile } = twoStepExporter(dir);
    const config = makeConfig(emu.url, { awsCredentialExport: command, env: { PATH: process.env.PATH ?? '' } });
    const notices: string[] = [];
    const provider = await createProvider(config);

    const first = await collect(provider.stream(simpleRequest('one'), { role: 'main', onNotice: (t) => notices.push(t) }));
    expect(first.some((e) => e.type === 'message_stop')).toBe(true);
    expect(count(countFile)).toBe(1);

    emu.advanceClock(31 * 60_000);
    const second = await collect(provider.stream(simpleRequest('two'), { role: 'main', onNotice: (t) => notices.push(t) }));
    expect(second.some((e) => e.type === 'message_stop')).toBe(true);
    expect(count(countFile)).toBe(2);

    const models = emu.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
    expect(models.map((r) => [r.auth.accessKeyId, r.status])).toEqual([
      [FIRST.accessKeyId, 200],
      [FIRST.accessKeyId, 403],
      [SECOND.accessKeyId, 200],
    ]);
    expect(models[1].auth.error ?? '').toMatch(/expired/i);
    // The session continues on the new key without running the exporter again.
    await provider.invoke(simpleRequest('three'), { role: 'smallFast' });
    expect(emu.requests.at(-1)?.auth.accessKeyId).toBe(SECOND.accessKeyId);
    expect(count(countFile)).toBe(2);
    // Nothing the exporter printed reached the user.
    const shown = notices.join('\n');
    for (const s of [FIRST.secretAccessKey, FIRST.sessionToken!, SECOND.secretAccessKey, SECOND.sessionToken!, 'exporter chatter']) expect(shown).not.toContain(s);
    expect(redact(`${SECOND.secretAccessKey} ${SECOND.sessionToken}`)).toBe('[REDACTED] [REDACTED]');
  });

  it('ten concurrent requests hitting an expired credential share one refresh', async () => {
    const now = Date.now();
    emu = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' }, credentials: [{ ...FIRST, expiresAt: now + 30 * 60_000 }, SECOND] });
    const dir = makeTempDir('bcode-prov-');
    const { command, countFile } = twoStepExporter(dir);
    const provider = await createProvider(makeConfig(emu.url, { awsCredentialExport: command, env: { PATH: process.env.PATH ?? '' } }));
    await provider.invoke(simpleRequest('warm'), { role: 'main' });
    emu.advanceClock(31 * 60_000);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.invoke(simpleRequest(`q${i}`), { role: i % 2 ? 'smallFast' : 'main' })));
    expect(results).toHaveLength(10);
    expect(count(countFile)).toBe(2);
    const ok = emu.requests.filter((r) => r.status === 200).slice(1);
    expect(ok).toHaveLength(10);
    expect(new Set(ok.map((r) => r.auth.accessKeyId))).toEqual(new Set([SECOND.accessKeyId]));
  });

  it('awsAuthRefresh that rewrites ~/.aws: the retried request is signed with the rewritten keys', async () => {
    emu = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' }, credentials: [{ ...FIRST, expiresAt: Date.now() + 60_000 }, SECOND] });
    const home = makeTempHome('dev', FIRST);
    const refresh = writeScript(
      home.home,
      'login.sh',
      `echo "Open https://device.sso.example/ and enter WXYZ-1234"\nprintf '[dev]\\naws_access_key_id = ${SECOND.accessKeyId}\\naws_secret_access_key = ${SECOND.secretAccessKey}\\naws_session_token = ${SECOND.sessionToken}\\n' > "$AWS_SHARED_CREDENTIALS_FILE"`,
    );
    const notices: string[] = [];
    const provider = await createProvider(makeConfig(emu.url, { awsAuthRefresh: refresh, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    await provider.invoke(simpleRequest('before'), { role: 'main' });
    emu.advanceClock(2 * 60_000);
    await provider.invoke(simpleRequest('after'), { role: 'main', onNotice: (t) => notices.push(t) });
    expect(notices).toContain('Open https://device.sso.example/ and enter WXYZ-1234');
    expect(emu.requests.map((r) => [r.auth.accessKeyId, r.status])).toEqual([
      [FIRST.accessKeyId, 200],
      [FIRST.accessKeyId, 403],
      [SECOND.accessKeyId, 200],
    ]);
  });

  it('a second rejection after the refresh is reported, not looped on', async () => {
    emu = await startEmulator({ scenario: { turns: [], whenExhausted: 'echo' }, credentials: [{ ...FIRST, expiresAt: Date.now() - 1000 }] });
    const dir = makeTempDir('bcode-prov-');
    const countFile = join(dir, 'count');
    const json = JSON.stringify({ Credentials: { AccessKeyId: FIRST.accessKeyId, SecretAccessKey: FIRST.secretAccessKey, SessionToken: FIRST.sessionToken } });
    const command = writeScript(dir, 'same.sh', `echo run >> '${countFile}'\necho '${json}'`);
    const provider = await createProvider(makeConfig(emu.url, { awsCredentialExport: command, env: { PATH: process.env.PATH ?? '' } }));
    const err = await provider.invoke(simpleRequest('x'), { role: 'main' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const text = formatError(err);
    expect(text.split('\n')[0]).toMatch(/^bcode: .*still rejected after refreshing the credentials/);
    expect(emu.requests).toHaveLength(2);
    expect(count(countFile)).toBe(2);
    for (const s of [FIRST.secretAccessKey, FIRST.sessionToken!]) expect(text).not.toContain(s);
  });

  it('the credential source can be shared by name: describe() after use', async () => {
    const dir = makeTempDir('bcode-prov-');
    const { command } = twoStepExporter(dir);
    const source = createCredentialSource(makeConfig('http://127.0.0.1:9', { awsCredentialExport: command, env: { PATH: process.env.PATH ?? '' } }));
    await source.get();
    expect(source.describe()).toBe('awsCredentialExport');
  });
});
