/** The doctor's runner and live checks with fake credentials, provider, profile listing and STS. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { AwsCredentials, CredentialSource } from '../../src/bedrock/credentials-types.js';
import { AccessDeniedError, ThrottledError } from '../../src/bedrock/errors.js';
import type { InferenceProfileSummary } from '../../src/bedrock/profiles.js';
import type { Provider } from '../../src/bedrock/types.js';
import { runDoctor, type DoctorDeps } from '../../src/doctor/run.js';
import { stsGetCallerIdentity } from '../../src/doctor/live-checks.js';
import { renderReport } from '../../src/cli/doctor-command.js';
import { isRunning } from '../helpers/process.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-doctor-unit-'));
mkdirSync(path.join(root, '.git'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CREDS: AwsCredentials = { accessKeyId: 'AKIAUNITTESTKEY00042', secretAccessKey: 'unit/test/secret/value/000000000042' };

async function config(env: Record<string, string> = {}, settings?: string): Promise<Config> {
  const { config } = await loadConfig({
    cwd: root,
    env: { HOME: root, BCODE_MANAGED_SETTINGS_DIR: path.join(root, 'managed'), AWS_REGION: 'us-west-2', CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096', ...env },
    flags: { settings },
  });
  return config;
}


function source(creds: AwsCredentials = CREDS): CredentialSource {
  return { describe: () => 'SSO profile corp', get: async () => creds, refresh: async () => {} };
}

const answering: Provider = {
  async *stream() {
    yield { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 1 } } as never;
  },
  invoke: async () => ({ stop_reason: 'max_tokens' }) as never,
};

function profiles(ids: string[]): InferenceProfileSummary[] {
  return ids.map((id) => ({ id, arn: `arn:aws:bedrock:us-west-2:111122223333:inference-profile/${id}`, name: id, type: 'SYSTEM_DEFINED', status: 'ACTIVE', modelArns: [] }));
}

const LISTED = profiles(['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0']);

function deps(over: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    timeoutMs: 2_000,
    makeCredentialSource: async () => source(),
    makeProvider: async () => answering,
    listProfiles: async () => LISTED,
    getCallerIdentity: async () => ({ arn: 'arn:aws:sts::111122223333:assumed-role/dev/me', account: '111122223333' }),
    ...over,
  };
}

describe('runDoctor', () => {
  it('reports the STS identity when the credentials go to AWS itself', async () => {
    const report = await runDoctor(await config(), [], deps());
    expect(report.ok).toBe(true);
    const identity = report.checks.find((c) => c.id === 'identity');
    expect(identity).toMatchObject({ status: 'pass', detail: 'arn:aws:sts::111122223333:assumed-role/dev/me (account 111122223333, from STS GetCallerIdentity)' });
    expect(report.checks.find((c) => c.id === 'credentials')?.detail).toBe('SSO profile corp: long-term key …0042, no expiry');
    expect(report.checks.find((c) => c.id === 'endpoint')?.detail).toContain('https://bedrock-runtime.us-west-2.amazonaws.com');
  });

  it('an STS failure fails the identity check only', async () => {
    const report = await runDoctor(await config(), [], deps({ getCallerIdentity: async () => Promise.reject(new Error('AccessDenied: no')) }));
    const identity = report.checks.find((c) => c.id === 'identity');
    expect(identity?.status).toBe('fail');
    expect(identity?.detail).toBe('STS GetCallerIdentity failed: AccessDenied: no');
    expect(report.checks.find((c) => c.id === 'credentials')?.status).toBe('pass');
  });

  it('a check that does not answer in time fails with the time limit', async () => {
    const hanging: Provider = {
      // eslint-disable-next-line require-yield
      async *stream(_req, opts) {
        await new Promise((_, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      invoke: answering.invoke,
    };
    const report = await runDoctor(await config(), [], deps({ timeoutMs: 100, makeProvider: async () => hanging }));
    const main = report.checks.find((c) => c.id === 'answers.main');
    expect(main).toMatchObject({ status: 'fail', detail: 'no answer within 100 ms' });
    expect(main?.fix).toContain('--timeout');
    expect(report.checks.find((c) => c.id === 'answers.smallFast')?.status).toBe('pass');
  });

  it('a credentials timeout kills the awsCredentialExport or awsAuthRefresh it is waiting for', async () => {
    const cases = [
      { name: 'export', settings: (pidFile: string) => ({ awsCredentialExport: `sleep 30 & echo $! > ${pidFile}; wait` }) },
      { name: 'refresh', settings: (pidFile: string) => ({ awsCredentialExport: 'exit 1', awsAuthRefresh: `sleep 30 & echo $! > ${pidFile}; wait` }) },
    ];
    for (const c of cases) {
      const pidFile = path.join(root, `${c.name}.pid`);
      const started = Date.now();
      const report = await runDoctor(await config({}, JSON.stringify(c.settings(pidFile))), [], deps({ timeoutMs: 1_000, makeCredentialSource: undefined }));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(report.checks.find((x) => x.id === 'credentials')).toMatchObject({ status: 'fail', detail: 'no answer within 1 s' });
      expect(existsSync(pidFile)).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await expect.poll(() => isRunning(pid), { timeout: 2_000 }).toBe(false);
    }
  });

  it('expired credentials fail the credentials check', async () => {
    const expired = { ...CREDS, sessionToken: 'x'.repeat(40), expiration: new Date(Date.now() - 3600_000) };
    const report = await runDoctor(await config(), [], deps({ makeCredentialSource: async () => source(expired) }));
    const cred = report.checks.find((c) => c.id === 'credentials');
    expect(cred).toMatchObject({ status: 'fail', detail: expect.stringMatching(/temporary key …0042, expires .* \(1 h 0 min ago\): expired$/) });
    expect(cred?.fix).toContain('aws sso login');
  });

  it('credentials about to expire are a warning', async () => {
    const soon = { ...CREDS, sessionToken: 'x'.repeat(40), expiration: new Date(Date.now() + 4 * 60_000) };
    const report = await runDoctor(await config(), [], deps({ makeCredentialSource: async () => source(soon) }));
    expect(report.checks.find((c) => c.id === 'credentials')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/\(in 4 min\): about to expire$/) });
    expect(report.ok).toBe(true);
  });

  it('a denied ListInferenceProfiles is a warning, a throttled model a failure', async () => {
    const denied = new AccessDeniedError('not authorized to perform bedrock:ListInferenceProfiles', { kind: 'access_denied', retryable: false, status: 403 }, { hint: 'grant bedrock:ListInferenceProfiles' });
    const throttled = new ThrottledError('Too many requests', { kind: 'throttled', retryable: true, status: 429 }, { hint: 'wait and retry' });
    const provider: Provider = { stream: answering.stream, invoke: async () => Promise.reject(throttled) };
    const report = await runDoctor(await config(), [], deps({ listProfiles: async () => Promise.reject(denied), makeProvider: async () => provider }));
    expect(report.checks.find((c) => c.id === 'profiles')).toMatchObject({ status: 'warn', fix: 'grant bedrock:ListInferenceProfiles' });
    expect(report.checks.find((c) => c.id === 'answers.smallFast')).toMatchObject({ status: 'fail', detail: 'Too many requests' });
    expect(report.ok).toBe(false);
  });

  it('unsigned requests straight to AWS fail; behind a gateway they pass', async () => {
    const direct = await runDoctor(await config({ CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' }), [], deps());
    expect(direct.checks.find((c) => c.id === 'credentials')?.status).toBe('fail');
    const gateway = await runDoctor(await config({ CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1', ANTHROPIC_BEDROCK_BASE_URL: 'https://gw.example.com/bedrock' }), [], deps());
    expect(gateway.checks.find((c) => c.id === 'credentials')?.status).toBe('pass');
    expect(gateway.checks.find((c) => c.id === 'identity')?.status).toBe('skip');
  });

  it('names the small/fast model\'s own regional endpoint', async () => {
    const report = await runDoctor(await config({ ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'eu-west-1', ANTHROPIC_SMALL_FAST_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' }), [], deps());
    expect(report.checks.find((c) => c.id === 'endpoint')?.detail).toBe(
      'regional: runtime https://bedrock-runtime.us-west-2.amazonaws.com, control plane https://bedrock.us-west-2.amazonaws.com; small/fast model runtime https://bedrock-runtime.eu-west-1.amazonaws.com',
    );
  });

  it('warns about plain HTTP to a remote gateway', async () => {
    const report = await runDoctor(await config({ ANTHROPIC_BEDROCK_BASE_URL: 'http://gw.example.com' }), [], deps());
    expect(report.checks.find((c) => c.id === 'endpoint')).toMatchObject({ status: 'warn', fix: expect.stringContaining('https://') });
  });

  it('renders aligned lines and never a secret', async () => {
    const report = await runDoctor(await config(), ['unknown setting \'fooBar\' in /x/settings.json (kept, but it has no effect)'], deps());
    const text = renderReport(report);
    expect(text).toMatch(/^WARN {2}configuration {2,}unknown setting 'fooBar'/m);
    expect(text).toMatch(/^pass {2}identity {2,}arn:aws:sts::111122223333:assumed-role\/dev\/me/m);
    expect(text).not.toContain(CREDS.secretAccessKey);
    expect(text).not.toContain(CREDS.accessKeyId);
  });
});

describe('stsGetCallerIdentity', () => {
  async function withServer(status: number, body: string, fn: (url: string, seen: IncomingMessage[]) => Promise<void>): Promise<void> {
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'text/xml' }).end(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('signs GetCallerIdentity for sts in the region and reads the ARN and account', async () => {
    const xml = '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/dev</Arn><UserId>AIDAX</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';
    await withServer(200, xml, async (url, seen) => {
      const who = await stsGetCallerIdentity(() => url)('eu-west-1', CREDS, new AbortController().signal);
      expect(who).toEqual({ arn: 'arn:aws:iam::111122223333:user/dev', account: '111122223333' });
      expect(seen[0].method).toBe('POST');
      expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAUNITTESTKEY00042\/\d{8}\/eu-west-1\/sts\/aws4_request, SignedHeaders=/);
    });
  });

  it('turns an STS error document into one line', async () => {
    const xml = '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>';
    await withServer(403, xml, async (url) => {
      await expect(stsGetCallerIdentity(() => url)('us-east-1', CREDS, new AbortController().signal)).rejects.toThrow('InvalidClientTokenId: The security token included in the request is invalid.');
    });
  });
});
