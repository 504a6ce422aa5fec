/**
 * `runCredentialExport` in-process with real (small, fast) shell commands (issue 20): what it
 * passes to the command, each way a run can fail and the message and hint it gets, and when a
 * command that exited counts as finished although something it left behind holds stdout.
 * The full credential chain around it is exercised in export.test.ts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialExportError } from '../../src/bedrock/credential-errors.js';
import { DEFAULT_EXPORT_TIMEOUT_MS, EXPORT_TIMEOUT_SETTING, parseExportOutput, runCredentialExport } from '../../src/bedrock/credential-export.js';
import { makeTempDir } from '../helpers/temp.js';

const FORMAT_HINT =
  'it must print {"Credentials":{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…}} or the credential_process shape {"Version":1,"AccessKeyId":…,"SecretAccessKey":…}';
const RUN_IT_HINT = 'run the command in a terminal to see its output (bcode never shows it, as it may contain secrets)';
const FLAT = '{"Version":1,"AccessKeyId":"AKIDRUNTEST000000001","SecretAccessKey":"run-test-secret-0001"}';
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

async function failure(options: Parameters<typeof runCredentialExport>[0]): Promise<CredentialExportError> {
  try {
    await runCredentialExport(options);
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialExportError);
    return err as CredentialExportError;
  }
  throw new Error('expected the export to fail');
}

describe('runCredentialExport', () => {
  it('the defaults it is documented with', () => {
    expect(DEFAULT_EXPORT_TIMEOUT_MS).toBe(300_000);
    expect(EXPORT_TIMEOUT_SETTING).toBe('awsCredentialExportTimeoutMs');
  });

  it('runs the command in the given directory with the given environment, and parses what it prints', async () => {
    const dir = makeTempDir('bcode-export-run-');
    writeFileSync(path.join(dir, 'creds.json'), '{"Credentials":{"AccessKeyId":"AKIDRUNTEST000000002","SecretAccessKey":"run-test-secret-0002","SessionToken":"run-test-token-0002","Expiration":"2031-02-03T04:05:06Z"}}');
    const creds = await runCredentialExport({ command: 'test "$MARK" = yes && cat creds.json', env: { ...ENV, MARK: 'yes' }, cwd: dir, timeoutMs: 20_000 });
    expect(creds).toEqual({ accessKeyId: 'AKIDRUNTEST000000002', secretAccessKey: 'run-test-secret-0002', sessionToken: 'run-test-token-0002', expiration: new Date('2031-02-03T04:05:06Z') });
  });

  it('a command that fails: how it ended, the hint to run it by hand, and awsAuthRefresh may fix it; nothing it printed', async () => {
    const e = await failure({ command: 'echo stdout-words; echo stderr-words >&2; exit 3', env: ENV, timeoutMs: 20_000 });
    expect(e.message).toBe('awsCredentialExport `echo stdout-words; echo stderr-words >&2; exit 3` failed: it exited with code 3');
    expect(e.hint).toBe(RUN_IT_HINT);
    expect(e.fixableByAuthRefresh).toBe(true);
    expect(`${e.message}${e.hint}`.replace('echo stdout-words; echo stderr-words', '')).not.toMatch(/stdout-words|stderr-words/);
  });

  it('a command cancelled before it started fails as one that could not be started', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await failure({ command: 'true', env: ENV, timeoutMs: 20_000, signal: ac.signal });
    expect(e.message).toBe('awsCredentialExport `true` failed: it could not be started (cancelled before it started)');
    expect(e.fixableByAuthRefresh).toBe(true);
  });

  it('a command that takes too long is ended, naming the setting to raise; awsAuthRefresh would not help', async () => {
    const t0 = Date.now();
    const e = await failure({ command: 'sleep 20', env: ENV, timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(e.message).toBe('awsCredentialExport `sleep 20` timed out after 300 ms');
    expect(e.hint).toBe('make it finish sooner, or raise "awsCredentialExportTimeoutMs" in settings');
    expect(e.fixableByAuthRefresh).toBe(false);
  });

  it('more than 1 MB of output is refused with the format hint', async () => {
    const e = await failure({ command: "head -c 1100000 /dev/zero | tr '\\0' a", env: ENV, timeoutMs: 20_000 });
    expect(e.message).toBe("awsCredentialExport `head -c 1100000 /dev/zero | tr '\\0' a` printed more than 1 MB of output");
    expect(e.hint).toBe(FORMAT_HINT);
    expect(e.fixableByAuthRefresh).toBe(false);
  });

  it('an exit with whole JSON finishes at once, though a background process it left holds stdout', async () => {
    const t0 = Date.now();
    const creds = await runCredentialExport({ command: `printf '%s' '${FLAT}'; sleep 8 &`, env: ENV, timeoutMs: 20_000 });
    expect(Date.now() - t0).toBeLessThan(6_000);
    expect(creds.accessKeyId).toBe('AKIDRUNTEST000000001');
  });

  it('an exit with JSON that is not whole yet (or only blank) waits for the rest from the background', async () => {
    const half = FLAT.slice(0, 20);
    const rest = FLAT.slice(20);
    const creds = await runCredentialExport({ command: `printf '%s' '${half}'; (sleep 1; printf '%s' '${rest}') &`, env: ENV, timeoutMs: 20_000 });
    expect(creds.secretAccessKey).toBe('run-test-secret-0001');
    const blank = await runCredentialExport({ command: `printf '  \\n'; (sleep 1; printf '%s' '${FLAT}') &`, env: ENV, timeoutMs: 20_000 });
    expect(blank.secretAccessKey).toBe('run-test-secret-0001');
  });

  it('an Expiration must start with a four-digit year: an expanded year (+002031-…), which Date would read, means no expiry', () => {
    const out = (exp: string) => parseExportOutput(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDRUNTEST000000003', SecretAccessKey: 'run-test-secret-0003', Expiration: exp }), 'x');
    expect(new Date('+002031-02-03T04:05:06Z').getTime()).not.toBeNaN();
    expect(out('+002031-02-03T04:05:06Z').expiration).toBeUndefined();
    expect(out('2031-02-03T04:05:06Z').expiration).toEqual(new Date('2031-02-03T04:05:06Z'));
  });
});
