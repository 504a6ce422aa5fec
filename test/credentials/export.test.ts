import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialSource } from '../../src/bedrock/credentials.js';
import { formatError } from '../../src/errors.js';
import { addSecret, redact } from '../../src/util/redact.js';
import { makeConfig, writeScript } from './helpers.js';
import { makeTempDir } from '../helpers/temp.js';

const SECRET = 'exportSecretValue/DoNotLeak/0123456789abcdef';
const TOKEN = 'exportSessionTokenValueDoNotLeak0123456789';
const KEY_ID = 'ASIAEXPORTTESTKEY001';

function dir(): string {
  return makeTempDir('bcode-export-');
}

/** A script that counts its runs in `count` and prints `json`. */
function exporter(d: string, json: unknown, extra = ''): string {
  const countFile = join(d, 'count');
  return writeScript(d, 'export.sh', `echo run >> '${countFile}'\n${extra}\ncat <<'JSON'\n${JSON.stringify(json)}\nJSON`);
}

function runs(d: string): number {
  const f = join(d, 'count');
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').length : 0;
}

async function failureOf(command: string, hooks: Parameters<typeof createCredentialSource>[1] = {}): Promise<string> {
  const source = createCredentialSource(makeConfig({ awsCredentialExport: command }), hooks);
  try {
    await source.get();
  } catch (err) {
    return formatError(err);
  }
  throw new Error('expected get() to fail');
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(KEY_ID);
  expect(text).not.toContain('stderr-secret');
}

describe('awsCredentialExport', () => {
  it('reads the nested Credentials shape and says where the credentials came from', async () => {
    const d = dir();
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: '2099-01-01T00:00:00Z' } });
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }));
    expect(source.describe()).toBe('awsCredentialExport');
    expect(await source.get()).toEqual({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date('2099-01-01T00:00:00Z') });
    expect(source.describe()).toBe('awsCredentialExport');
    // Obtained values are registered for redaction.
    expect(redact(`x ${SECRET} y ${TOKEN}`)).toBe('x [REDACTED] y [REDACTED]');
  });

  it('reads the flat credential_process shape, where SessionToken is optional', async () => {
    const d = dir();
    const cmd = exporter(d, { Version: 1, AccessKeyId: 'AKIAFLATPROCESS00001', SecretAccessKey: 'flat/process/secret/value/00000001' });
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }));
    expect(await source.get()).toEqual({ accessKeyId: 'AKIAFLATPROCESS00001', secretAccessKey: 'flat/process/secret/value/00000001' });
  });

  it('runs at start even when environment keys are present, and gives the command the environment', async () => {
    const d = dir();
    const cmd = writeScript(d, 'env-export.sh', `printf '{"Credentials":{"AccessKeyId":"%s","SecretAccessKey":"s3cr3t-from-export-00001","SessionToken":"tok-from-export-000001"}}' "$EXPORT_KEY_ID"`);
    const config = makeConfig({
      awsCredentialExport: cmd,
      env: { PATH: process.env.PATH ?? '', EXPORT_KEY_ID: 'ASIAFROMENVIRONMENT1', AWS_ACCESS_KEY_ID: 'AKIAAMBIENTKEY000001', AWS_SECRET_ACCESS_KEY: 'ambient/secret/0000000001' },
    });
    const creds = await createCredentialSource(config).get();
    expect(creds.accessKeyId).toBe('ASIAFROMENVIRONMENT1');
  });

  it('finishes when the command exits with whole JSON, though a background child it left holds stdout (issue 17)', async () => {
    const d = dir();
    const pidFile = join(d, 'bg.pid');
    // The background sleep inherits stdout: the pipe stays open until it ends (or the 5-minute export limit).
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN } }, `sleep 30 & echo $! > '${pidFile}'`);
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }));
    const started = Date.now();
    try {
      expect((await source.get()).accessKeyId).toBe(KEY_ID);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('caches credentials until 5 minutes before Expiration, then runs the command again', async () => {
    const d = dir();
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    let now = t0;
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: '2030-01-01T00:20:00Z' } });
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }), { now: () => now });
    await source.get();
    expect(runs(d)).toBe(1);
    now = t0 + 14 * 60_000;
    await source.get();
    expect(runs(d)).toBe(1);
    now = t0 + 15 * 60_000;
    await source.get();
    expect(runs(d)).toBe(2);
  });

  it('caches credentials without Expiration for an hour', async () => {
    const d = dir();
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    let now = t0;
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN } });
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }), { now: () => now });
    await source.get();
    now = t0 + 59 * 60_000;
    await source.get();
    expect(runs(d)).toBe(1);
    now = t0 + 60 * 60_000;
    await source.get();
    expect(runs(d)).toBe(2);
  });

  it('ten concurrent first requests run the command once', async () => {
    const d = dir();
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN } });
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd }));
    const all = await Promise.all(Array.from({ length: 10 }, () => source.get()));
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set([KEY_ID]));
    expect(runs(d)).toBe(1);
  });

  it('non-zero exit: names the command and the exit code, quotes none of its output', async () => {
    const d = dir();
    const cmd = writeScript(d, 'fail.sh', `echo '{"Credentials":{"SecretAccessKey":"${SECRET}"}}'\necho 'stderr-secret ${TOKEN}' >&2\nexit 3`);
    const text = await failureOf(cmd);
    expect(text).toBe(
      `bcode: awsCredentialExport \`${cmd}\` failed: it exited with code 3\n  hint: run the command in a terminal to see its output (bcode never shows it, as it may contain secrets)`,
    );
    expectNoSecret(text);
  });

  it('a command that cannot be found fails the same way (the shell exits 127)', async () => {
    const text = await failureOf('bcode-no-such-exporter-command --json');
    expect(text.split('\n')[0]).toBe('bcode: awsCredentialExport `bcode-no-such-exporter-command --json` failed: it exited with code 127');
  });

  it('timeout: a hanging command is ended with a clear message (command text itself redacted)', async () => {
    addSecret(SECRET);
    const text = await failureOf(`echo ${SECRET}; sleep 30`, { exportTimeoutMs: 300 });
    expect(text).toBe(
      'bcode: awsCredentialExport `echo [REDACTED]; sleep 30` timed out after 300 ms\n  hint: make it finish sooner, or raise "awsCredentialExportTimeoutMs" in settings',
    );
  });

  it('output that is not JSON', async () => {
    const d = dir();
    const cmd = writeScript(d, 'notjson.sh', `echo "AccessKeyId=${KEY_ID} SecretAccessKey=${SECRET}"`);
    const text = await failureOf(cmd);
    expect(text.split('\n')[0]).toBe(`bcode: awsCredentialExport \`${cmd}\` printed output that is not JSON`);
    expect(text.split('\n')[1]).toMatch(/^ {2}hint: it must print \{"Credentials":/);
    expectNoSecret(text);
  });

  it('missing SessionToken in the Credentials shape', async () => {
    const d = dir();
    const cmd = exporter(d, { Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET } });
    const text = await failureOf(cmd);
    expect(text.split('\n')[0]).toBe(`bcode: awsCredentialExport \`${cmd}\` printed JSON without Credentials.SessionToken`);
    expectNoSecret(text);
  });

  it('missing several fields, and JSON of the wrong shape', async () => {
    const d = dir();
    const cmd = exporter(d, { Credentials: { SessionToken: TOKEN } });
    expect((await failureOf(cmd)).split('\n')[0]).toBe(`bcode: awsCredentialExport \`${cmd}\` printed JSON without Credentials.AccessKeyId, Credentials.SecretAccessKey`);
    const d2 = dir();
    const cmd2 = exporter(d2, { creds: { a: SECRET } });
    expect((await failureOf(cmd2)).split('\n')[0]).toBe(`bcode: awsCredentialExport \`${cmd2}\` printed JSON without "Credentials"`);
    const d3 = dir();
    const cmd3 = exporter(d3, { Version: 2, AccessKeyId: KEY_ID, SecretAccessKey: SECRET });
    expect((await failureOf(cmd3)).split('\n')[0]).toBe(`bcode: awsCredentialExport \`${cmd3}\` printed credential_process JSON with a "Version" other than 1`);
    expect((await failureOf('true')).split('\n')[0]).toBe('bcode: awsCredentialExport `true` printed nothing');
  });

  it('after a failed export, awsAuthRefresh runs and the export is tried again', async () => {
    const d = dir();
    const marker = join(d, 'signed-in');
    const cmd = writeScript(d, 'export.sh', `[ -f '${marker}' ] || exit 1\necho '{"Credentials":{"AccessKeyId":"${KEY_ID}","SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}}'`);
    const notices: string[] = [];
    const source = createCredentialSource(makeConfig({ awsCredentialExport: cmd, awsAuthRefresh: `echo signing in; touch '${marker}'` }), { onNotice: (t) => notices.push(t) });
    expect((await source.get()).accessKeyId).toBe(KEY_ID);
    expect(notices).toEqual(['AWS credentials need refreshing (they could not be loaded); running awsAuthRefresh', 'signing in']);
  });

  it('rejects a timeout setting that is not a positive number', () => {
    expect(() => createCredentialSource(makeConfig({ awsCredentialExport: 'true', settings: { awsCredentialExportTimeoutMs: '5s' } }))).toThrow(
      'settings "awsCredentialExportTimeoutMs" must be a positive whole number of milliseconds',
    );
  });
});
