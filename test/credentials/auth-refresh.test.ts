import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
import { formatError } from '../../src/errors.js';
import { makeConfig, makeTempHome, writeCredentialsFile, writeScript } from './helpers.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const OLD = { accessKeyId: 'AKIAOLDKEYBEFORESSO1', secretAccessKey: 'old/secret/before/refresh/00000001' };
const NEW = { accessKeyId: 'ASIANEWKEYAFTERSSO01', secretAccessKey: 'new/secret/after/refresh/000000001', sessionToken: 'new-session-token-after-refresh-0001' };

function countOf(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
}

/** An awsAuthRefresh script that prints like `aws sso login`, counts its runs and rewrites the credentials file. */
function ssoLikeRefresh(home: ReturnType<typeof makeTempHome>): { command: string; count: string } {
  const count = join(home.home, 'refresh-count');
  const body = [
    `echo run >> '${count}'`,
    'echo "Attempting to automatically open the SSO authorization page in your default browser."',
    'echo "Then enter the code: WXYZ-1234" >&2',
    `cat > "$AWS_SHARED_CREDENTIALS_FILE" <<'EOF2'`,
    '[dev]',
    `aws_access_key_id = ${NEW.accessKeyId}`,
    `aws_secret_access_key = ${NEW.secretAccessKey}`,
    `aws_session_token = ${NEW.sessionToken}`,
    'EOF2',
    'echo "Successfully logged into Start URL: https://example.awsapps.com/start"',
  ].join('\n');
  return { command: writeScript(home.home, 'sso-login.sh', body), count };
}

describe('awsAuthRefresh', () => {
  it('after a rejection: shows the output as it comes, then re-resolves the chain with the rewritten keys', async () => {
    const home = makeTempHome('dev', OLD);
    const { command, count } = ssoLikeRefresh(home);
    const notices: string[] = [];
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: command, env: { ...home.env, AWS_PROFILE: 'dev' } }), { onNotice: (t) => notices.push(t) });
    const before = await source.get();
    expect(before.accessKeyId).toBe(OLD.accessKeyId);
    expect(countOf(count)).toBe(0);

    await source.refresh('Bedrock answered ExpiredTokenException', before);
    expect(countOf(count)).toBe(1);
    expect(notices[0]).toBe('AWS credentials need refreshing (Bedrock answered ExpiredTokenException); running awsAuthRefresh');
    expect(notices).toContain('Attempting to automatically open the SSO authorization page in your default browser.');
    expect(notices).toContain('Then enter the code: WXYZ-1234');
    // stdout and stderr interleave as they come; within stdout the order is kept.
    const done = notices.indexOf('Successfully logged into Start URL: https://example.awsapps.com/start');
    expect(done).toBeGreaterThan(notices.indexOf('Attempting to automatically open the SSO authorization page in your default browser.'));
    const after = await source.get();
    expect(after).toEqual(NEW);
  });

  it('ten concurrent refreshes run the command exactly once', async () => {
    const home = makeTempHome('dev', OLD);
    const { command, count } = ssoLikeRefresh(home);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: command, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    const rejected = await source.get();
    await Promise.all(Array.from({ length: 10 }, () => source.refresh('were rejected', rejected)));
    expect(countOf(count)).toBe(1);
    // A request that failed with the old keys but reports it only now does not start another refresh.
    await source.refresh('were rejected', rejected);
    expect(countOf(count)).toBe(1);
    expect((await source.get()).accessKeyId).toBe(NEW.accessKeyId);
    // A rejection of the new keys does.
    await source.refresh('were rejected', await source.get());
    expect(countOf(count)).toBe(2);
  });

  it('runs when the sign-in has lapsed at start (profile cannot be resolved), then uses the new keys', async () => {
    const home = makeTempHome('other', OLD);
    writeFileSync(home.credentialsFile, '');
    const { command, count } = ssoLikeRefresh(home);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: command, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    expect((await source.get()).accessKeyId).toBe(NEW.accessKeyId);
    expect(countOf(count)).toBe(1);
  });

  it('runs when the chain credentials are expired by their timestamp (credential_process profile)', async () => {
    const home = makeTempHome('dev', OLD);
    writeFileSync(home.credentialsFile, '');
    const marker = join(home.home, 'fresh');
    const proc = writeScript(
      home.home,
      'process.sh',
      `if [ -f '${marker}' ]; then exp=2099-01-01T00:00:00Z; else exp=$(date -u -d '@'$(( $(date +%s) + 600 )) +%Y-%m-%dT%H:%M:%SZ); fi\n` +
        `echo '{"Version":1,"AccessKeyId":"${NEW.accessKeyId}","SecretAccessKey":"${NEW.secretAccessKey}","SessionToken":"${NEW.sessionToken}","Expiration":"'$exp'"}'`,
    );
    writeFileSync(home.configFile, `[profile dev]\ncredential_process = ${proc}\n`);
    const count = join(home.home, 'count');
    // Real time + 20 min is past the 10-minute expiration the first process output carries.
    let offset = 0;
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: `echo x >> '${count}'; touch '${marker}'`, env: { ...home.env, AWS_PROFILE: 'dev' } }), {
      now: () => Date.now() + offset,
    });
    const first = await source.get();
    expect(first.expiration!.getTime()).toBeLessThan(Date.parse('2099-01-01T00:00:00Z'));
    expect(source.describe()).toBe('credential_process (profile dev)');
    offset = 20 * 60_000;
    const second = await source.get();
    expect(countOf(count)).toBe(1);
    expect(second.expiration!.toISOString()).toBe('2099-01-01T00:00:00.000Z');
  });

  it('gets no input: stdin is closed', async () => {
    const home = makeTempHome('dev', OLD);
    const notices: string[] = [];
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: 'if read line; then echo got input; else echo stdin closed; fi', env: { ...home.env, AWS_PROFILE: 'dev' } }), {
      onNotice: (t) => notices.push(t),
    });
    await source.refresh('were rejected');
    expect(notices).toContain('stdin closed');
  });

  it('a failing command: one clear error, its output already shown', async () => {
    const home = makeTempHome('dev', OLD);
    const notices: string[] = [];
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: 'echo "Error loading SSO Token" >&2; exit 255', env: { ...home.env, AWS_PROFILE: 'dev' } }), {
      onNotice: (t) => notices.push(t),
    });
    const err = await source.refresh('were rejected').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(formatError(err)).toBe(
      'bcode: awsAuthRefresh `echo "Error loading SSO Token" >&2; exit 255` failed: it exited with code 255\n  hint: its output is shown above; run it in a terminal to sign in, then try again',
    );
    expect(notices).toContain('Error loading SSO Token');
    // Not stuck: the next refresh runs the command again.
    await expect(source.refresh('were rejected')).rejects.toThrow(/exited with code 255/);
    expect(notices.filter((n) => n === 'Error loading SSO Token')).toHaveLength(2);
  });

  it('a hanging command times out with a clear message', async () => {
    const home = makeTempHome('dev', OLD);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: 'sleep 30', env: { ...home.env, AWS_PROFILE: 'dev' } }), { authRefreshTimeoutMs: 250 });
    const err = await source.refresh('were rejected').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(formatError(err)).toBe('bcode: awsAuthRefresh `sleep 30` timed out after 250 ms\n  hint: finish signing in sooner, or raise "awsAuthRefreshTimeoutMs" in settings');
  });

  it('the timeout comes from settings when no hook overrides it', async () => {
    const home = makeTempHome('dev', OLD);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: 'sleep 30', settings: { awsAuthRefreshTimeoutMs: 200 }, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    await expect(source.refresh('were rejected')).rejects.toThrow('awsAuthRefresh `sleep 30` timed out after 200 ms');
  });

  it('environment keys that are expired by timestamp cannot be renewed by the command: reported, not looped', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    let now = t0;
    const home = makeTempHome('dev', OLD);
    const count = join(home.home, 'count');
    const env = { ...home.env, AWS_ACCESS_KEY_ID: 'AKIAENVEXPIRING00001', AWS_SECRET_ACCESS_KEY: 'env/expiring/secret/000000001', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:10:00Z' };
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: `echo x >> '${count}'`, env }), { now: () => now });
    await source.get();
    now = t0 + 11 * 60_000;
    await expect(source.get()).rejects.toThrow('AWS credentials from environment (AWS_ACCESS_KEY_ID) expired at 2030-01-01T00:10:00Z');
    expect(countOf(count)).toBe(1);
  });

  it('rewriting the file without running the command is not picked up until the cache lapses', async () => {
    const home = makeTempHome('dev', OLD);
    const source = createCredentialSource(makeConfig({ env: { ...home.env, AWS_PROFILE: 'dev' } }));
    await source.get();
    writeCredentialsFile(home.credentialsFile, 'dev', NEW);
    expect((await source.get()).accessKeyId).toBe(OLD.accessKeyId);
    // Without awsAuthRefresh a rejection still re-resolves the chain.
    await source.refresh('were rejected');
    expect((await source.get()).accessKeyId).toBe(NEW.accessKeyId);
  });

  it('after a rejection, newer credentials the chain already has are used without running the command', async () => {
    const home = makeTempHome('dev', OLD);
    const { command, count } = ssoLikeRefresh(home);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: command, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    const rejected = await source.get();
    // Something else (the SDK's own renewal, another tool) already put new keys in place.
    writeCredentialsFile(home.credentialsFile, 'dev', NEW);
    await source.refresh('Bedrock answered ExpiredTokenException', rejected);
    expect(countOf(count)).toBe(0);
    expect(await source.get()).toEqual(NEW);
  });

  it('requests that arrive during a refresh wait for its result instead of using the rejected keys', async () => {
    const home = makeTempHome('dev', OLD);
    const { command } = ssoLikeRefresh(home);
    const source = createCredentialSource(makeConfig({ awsAuthRefresh: command, env: { ...home.env, AWS_PROFILE: 'dev' } }));
    const rejected = await source.get();
    const refreshing = source.refresh('Bedrock answered ExpiredTokenException', rejected);
    const during = await source.get();
    await refreshing;
    expect(during.accessKeyId).toBe(NEW.accessKeyId);
  });
});
