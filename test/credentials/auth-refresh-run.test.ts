/**
 * `awsAuthRefresh` run directly (B5): what the user sees of its output line by line (complete
 * lines as they come, the unfinished last line of each stream at the end, blank lines and
 * carriage returns dropped, secrets masked), and the exact failure and timeout messages.
 * The refresh-and-retry flow through the credential chain is in auth-refresh.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AuthRefreshError } from '../../src/bedrock/credential-errors.js';
import { AUTH_REFRESH_TIMEOUT_SETTING, DEFAULT_AUTH_REFRESH_TIMEOUT_MS, runAuthRefresh } from '../../src/bedrock/auth-refresh.js';
import { makeTempDir } from '../helpers/temp.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

async function notices(command: string, extra: Partial<Parameters<typeof runAuthRefresh>[0]> = {}): Promise<string[]> {
  const out: string[] = [];
  await runAuthRefresh({ command, env, timeoutMs: 10_000, onNotice: (t) => out.push(t), ...extra });
  return out;
}

async function failure(command: string, timeoutMs = 10_000): Promise<AuthRefreshError> {
  const err = await runAuthRefresh({ command, env, timeoutMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthRefreshError);
  return err as AuthRefreshError;
}

describe('runAuthRefresh', () => {
  it('the defaults: five minutes, set by awsAuthRefreshTimeoutMs', () => {
    expect(DEFAULT_AUTH_REFRESH_TIMEOUT_MS).toBe(300_000);
    expect(AUTH_REFRESH_TIMEOUT_SETTING).toBe('awsAuthRefreshTimeoutMs');
  });

  it('shows each non-blank line once, without its carriage return, including an unfinished last line of each stream', async () => {
    const lines = await notices(`printf 'Open https://device.sso.example/ in a browser\\r\\n\\n   \\n'; printf 'code: ABCD' ; printf 'half on stderr' >&2`);
    expect(lines.sort()).toEqual(['Open https://device.sso.example/ in a browser', 'code: ABCD', 'half on stderr'].sort());
  });

  it('a line split across writes is shown whole, once; stdout and stderr are not mixed into one line', async () => {
    const lines = await notices(`printf 'Wait'; sleep 0.1; printf 'ing for sign-in\\n'; printf 'err-a' >&2; sleep 0.1; printf 'err-b\\n' >&2; printf 'done\\n'`);
    expect(lines).toContain('Waiting for sign-in');
    expect(lines).toContain('err-aerr-b');
    expect(lines).toContain('done');
    expect(lines).toHaveLength(3);
  });

  it('only the carriage return of a CRLF line end is dropped; one inside the line (a redrawn progress line) stays', async () => {
    expect(await notices(`printf 'spin 1\\rspin 2\\r\\n'`)).toEqual(['spin 1\rspin 2']);
  });

  it('secrets in its output are masked', async () => {
    const lines = await notices(`echo 'fetched AKIAREFRESHTEST00001 for you'`);
    expect(lines).toEqual(['fetched [REDACTED] for you']);
  });

  it('gets the environment and the working directory it is given', async () => {
    const dir = makeTempDir('bcode-refresh-');
    const lines = await notices('echo "$BCODE_REFRESH_PROFILE"; pwd', { env: { ...env, BCODE_REFRESH_PROFILE: 'sso-dev' }, cwd: dir });
    expect(lines).toEqual(['sso-dev', dir]);
  });

  it('a failing command: the exit code named, the hint pointing at the output already shown', async () => {
    const err = await failure('exit 3');
    expect(err.message).toBe('awsAuthRefresh `exit 3` failed: it exited with code 3');
    expect(err.hint).toBe('its output is shown above; run it in a terminal to sign in, then try again');
  });

  it('a command that outlives its timeout: the time and the setting to raise', async () => {
    const t = Date.now();
    const err = await failure('sleep 20', 300);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(err.message).toBe('awsAuthRefresh `sleep 20` timed out after 300 ms');
    expect(err.hint).toBe('finish signing in sooner, or raise "awsAuthRefreshTimeoutMs" in settings');
  });

  it('success with no output at all shows nothing and needs no listener', async () => {
    expect(await notices('true')).toEqual([]);
    await expect(runAuthRefresh({ command: 'echo fine', env, timeoutMs: 10_000 })).resolves.toBeUndefined();
  });

  it('an abort ends it as a failure', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    const t = Date.now();
    const err = await runAuthRefresh({ command: 'sleep 20', env, timeoutMs: 60_000, signal: c.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(AuthRefreshError);
    expect((err as Error).message).toMatch(/^awsAuthRefresh `sleep 20` failed: it was killed by signal SIG/);
  });
});
