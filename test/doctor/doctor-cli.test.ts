/**
 * `bcode doctor` end to end: the built CLI against the local emulator (127.0.0.1, port 0).
 * Every output of every run is kept and checked at the end for secrets.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_API_KEY, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { isRunning } from '../helpers/process.js';

interface JsonCheck {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}
interface JsonReport {
  version: number;
  ok: boolean;
  summary: Record<string, number>;
  checks: JsonCheck[];
}

const CRED = TEST_CREDENTIALS[0];
const TEMP = {
  accessKeyId: 'ASIAEMULATORTEMP0002',
  secretAccessKey: 'temporary/secret/for/doctor/tests/0002',
  sessionToken: 'IQoJb3JpZ2luX2VjEDoctorTestSessionToken0123456789abcdefABCDEF',
};
const WRONG_SECRET = 'not/the/right/secret/for/this/key/at/all';
const WRONG_API_KEY = 'ABSKd3Jvbmcta2V5LWZvci1kb2N0b3ItdGVzdHM=';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

let emulator: EmulatorHandle;
let root: string;
const outputs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [CRED, TEMP] });
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-doctor-'));
  mkdirSync(path.join(root, 'home'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});

afterAll(async () => {
  await emulator?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function baseEnv(): Record<string, string> {
  return {
    HOME: path.join(root, 'home'),
    BCODE_MANAGED_SETTINGS_DIR: path.join(root, 'managed'),
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CRED.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CRED.secretAccessKey,
    ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
    CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096',
  };
}


async function doctor(env: Record<string, string | undefined> = {}, args: string[] = []): Promise<CliResult> {
  const r = await runCli(['doctor', ...args], { cwd: path.join(root, 'project'), env: { ...baseEnv(), ...env }, timeoutMs: 30_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function doctorJson(env: Record<string, string | undefined> = {}, args: string[] = []): Promise<{ r: CliResult; report: JsonReport; check: (id: string) => JsonCheck }> {
  const r = await doctor(env, ['--json', ...args]);
  const report = JSON.parse(r.stdout) as JsonReport;
  const check = (id: string): JsonCheck => {
    const c = report.checks.find((x) => x.id === id);
    if (!c) throw new Error(`no check ${id} in ${r.stdout}`);
    return c;
  };
  return { r, report, check };
}

describe('bcode doctor against the emulator', () => {
  it('passes a healthy setup and exits 0', async () => {
    const { r, report, check } = await doctorJson();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(report.ok).toBe(true);
    expect(report.summary.fail).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual([
      'config',
      'region',
      'endpoint',
      'credentials',
      'identity',
      'models.main',
      'models.smallFast',
      'models.aliases',
      'models.capabilities',
      'answers.main',
      'answers.smallFast',
      'profiles',
      'guardrails',
      'caching',
      'tokens',
    ]);
    // Everything passes except identity: the emulator has no STS, and credentials never go to AWS behind a base URL.
    for (const c of report.checks.filter((x) => x.id !== 'identity')) expect(c.status, `${c.id}: ${c.detail}`).toBe('pass');
    expect(check('identity').status).toBe('skip');
    expect(check('identity').detail).toMatch(/^not checked: ANTHROPIC_BEDROCK_BASE_URL is set/);
    expect(check('region').detail).toBe('us-east-1 (env:AWS_REGION)');
    expect(check('credentials').detail).toBe('environment (AWS_ACCESS_KEY_ID): long-term key …0001, no expiry');
    expect(check('endpoint').detail).toContain(emulator.url);
    expect(check('answers.main').detail).toMatch(/^global\.anthropic\.claude-sonnet-4-5-20250929-v1:0 answered via InvokeModelWithResponseStream in \d+ ms/);
    expect(check('answers.smallFast').detail).toMatch(/^us\.anthropic\.claude-haiku-4-5-20251001-v1:0 answered via InvokeModel in \d+ ms/);
    expect(check('profiles').detail).toMatch(/^\d+ in us-east-1 \(\d+ system-defined, 1 application\); listed: main and small\/fast models$/);
    expect(check('tokens').detail).toBe('max output tokens 4096 (env:CLAUDE_CODE_MAX_OUTPUT_TOKENS); thinking off');

    // The model and profile checks really went to the emulator, signed.
    const ops = emulator.requests.map((q) => q.operation);
    expect(ops).toContain('InvokeModelWithResponseStream');
    expect(ops).toContain('InvokeModel');
    expect(ops).toContain('ListInferenceProfiles');
    expect(emulator.requests.every((q) => q.auth.ok)).toBe(true);
  });

  it('prints one line per check, fixes under warnings and a summary', async () => {
    const r = await doctor({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: '32000' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^pass {2}configuration {2,}no settings files/);
    expect(r.stdout).toMatch(/^pass {2}credentials {2,}environment \(AWS_ACCESS_KEY_ID\)/m);
    expect(r.stdout).toMatch(/^skip {2}identity {2,}not checked: /m);
    expect(r.stdout).toMatch(/^WARN {2}token settings {2,}max output tokens 32000 \(env:CLAUDE_CODE_MAX_OUTPUT_TOKENS\)/m);
    expect(r.stdout).toMatch(/^ +fix: export CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096 — /m);
    expect(lines.at(-1)).toBe('13 passed, 1 warning, 0 failed, 1 not checked — bcode is ready to use');
  });

  it('model capabilities (B22): the configured models from the table, with the 1M window under [1m]', async () => {
    const known = await doctorJson();
    expect(known.check('models.capabilities')).toMatchObject({ status: 'pass', detail: 'main: Claude Sonnet 4.5 (200k window, max output 64000); small/fast: Claude Haiku 4.5 (200k window, max output 64000)' });
    const wide = await doctorJson({ ANTHROPIC_MODEL: 'sonnet[1m]' });
    expect(wide.check('models.capabilities').detail).toMatch(/^main: Claude Sonnet 4\.5 \(1M window, max output 64000\)/);
  }, 60_000);

  it('model capabilities (B22): a limit above the model\'s, and an unknown model, warn', async () => {
    const over = await doctorJson({ ANTHROPIC_MODEL: 'us.anthropic.claude-opus-4-1-20250805-v1:0', CLAUDE_CODE_MAX_OUTPUT_TOKENS: '64000' });
    expect(over.check('models.capabilities')).toMatchObject({ status: 'warn', fix: 'export CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096' });
    expect(over.check('models.capabilities').detail).toContain("CLAUDE_CODE_MAX_OUTPUT_TOKENS 64000 is above Claude Opus 4.1's limit (32000), bcode sends 32000");
    const unknown = await doctorJson({ ANTHROPIC_SMALL_FAST_MODEL: 'us.anthropic.claude-haiku-9-v1:0' });
    expect(unknown.check('models.capabilities')).toMatchObject({ status: 'warn' });
    expect(unknown.check('models.capabilities').detail).toContain("small/fast: 'us.anthropic.claude-haiku-9-v1:0' is not in bcode's table (conservative request shape)");
  }, 60_000);

  it("bcode's own defaults raise no warning on a fresh setup", async () => {
    const r = await doctor({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pass {2}token settings {2,}max output tokens 4096 \(default\); thinking off$/m);
    expect(r.stdout).not.toMatch(/^WARN/m);
  });

  it('fails the credentials check on a wrong secret, with the fix, and exits 1', async () => {
    const { r, report, check } = await doctorJson({ AWS_SECRET_ACCESS_KEY: WRONG_SECRET });
    expect(r.code).toBe(1);
    expect(report.ok).toBe(false);
    const cred = check('credentials');
    expect(cred.status).toBe('fail');
    expect(cred.detail).toMatch(/rejected: The request signature we calculated does not match/);
    expect(cred.fix).toMatch(/^AWS_SECRET_ACCESS_KEY does not belong to AWS_ACCESS_KEY_ID/);
    // The rejection is reported once; the checks that could not run say so.
    for (const id of ['answers.main', 'answers.smallFast', 'profiles']) {
      expect(check(id).status).toBe('skip');
      expect(check(id).detail).toBe('not checked: the credentials were rejected (see the credentials check)');
    }
    expect(report.summary.fail).toBe(1);
  });

  it('runs awsAuthRefresh once on rejected credentials and shows its output on stderr', async () => {
    const settings = JSON.stringify({ awsAuthRefresh: 'echo open https://device.sso.example/ABCD to sign in' });
    const { r, check } = await doctorJson({ AWS_SECRET_ACCESS_KEY: WRONG_SECRET });
    expect(r.stderr).toBe('');
    const withRefresh = await doctor({ AWS_SECRET_ACCESS_KEY: WRONG_SECRET }, ['--json', '--settings', settings]);
    expect(withRefresh.code).toBe(1);
    expect(withRefresh.stderr.match(/device\.sso\.example\/ABCD/g)).toHaveLength(1);
    expect(JSON.parse(withRefresh.stdout).checks.find((c: JsonCheck) => c.id === 'credentials').status).toBe('fail');
    expect(check('credentials').status).toBe('fail');
  });

  it('--timeout 1 with a hanging awsCredentialExport: reports the timeout, kills the command and exits at once', async () => {
    const pidFile = path.join(root, 'export-sleep.pid');
    const settings = JSON.stringify({ awsCredentialExport: `sleep 30 & echo $! > ${pidFile}; wait` });
    const started = Date.now();
    const { r, check } = await doctorJson({}, ['--timeout', '1', '--settings', settings]);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(r.code).toBe(1);
    expect(check('credentials')).toMatchObject({ status: 'fail', detail: 'no answer within 1 s' });
    expect(check('identity').status).toBe('skip');
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isRunning(pid), { timeout: 2_000 }).toBe(false);
  });

  it('fails when no credentials resolve at all, and skips the live checks', async () => {
    const { r, check } = await doctorJson({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONFIG_FILE: path.join(root, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'none'), AWS_EC2_METADATA_DISABLED: 'true' });
    expect(r.code).toBe(1);
    expect(check('credentials').status).toBe('fail');
    expect(check('credentials').fix).toMatch(/aws configure|AWS_PROFILE/);
    expect(check('answers.main').status).toBe('skip');
  });

  it('names the inference-profile id when the model cannot be called on demand', async () => {
    const { r, check } = await doctorJson({ ANTHROPIC_MODEL: 'anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(r.code).toBe(1);
    const main = check('answers.main');
    expect(main.status).toBe('fail');
    expect(main.detail).toContain('cannot be called on demand');
    expect(main.fix).toContain(SONNET_PROFILE);
    expect(check('credentials').status).toBe('pass');
    expect(check('answers.smallFast').status).toBe('pass');
    const profiles = check('profiles');
    expect(profiles.status).toBe('warn');
    expect(profiles.fix).toContain(`ANTHROPIC_MODEL=${SONNET_PROFILE}`);
  });

  it('fails an unknown model id and suggests the closest profile', async () => {
    const { r, check } = await doctorJson({ ANTHROPIC_MODEL: 'us.anthropic.claude-sonet-4-5-20250929-v1:0' });
    expect(r.code).toBe(1);
    const main = check('answers.main');
    expect(main.status).toBe('fail');
    expect(main.detail).toContain("does not know model 'us.anthropic.claude-sonet-4-5-20250929-v1:0'");
    expect(main.fix).toContain(SONNET_PROFILE);
    // No "run bcode doctor" advice inside the doctor.
    expect(main.fix).not.toContain('bcode doctor');
    expect(check('profiles').detail).toContain('is not among them');
  });

  it('blames the small/fast region, not the credentials, when only that region is refused', async () => {
    const { r, check } = await doctorJson({ ANTHROPIC_SMALL_FAST_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'eu-west-1' });
    expect(r.code).toBe(1);
    expect(check('credentials').status).toBe('pass');
    expect(check('answers.main').status).toBe('pass');
    expect(check('region').detail).toContain('small/fast model calls go to eu-west-1');
    const small = check('answers.smallFast');
    expect(small.status).toBe('fail');
    expect(small.fix).toContain('ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION');
  });

  it('shows temporary credentials with their expiry, never the session token', async () => {
    const expires = new Date(Date.now() + 3 * 3600_000).toISOString();
    const { r, check } = await doctorJson({
      AWS_ACCESS_KEY_ID: TEMP.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEMP.secretAccessKey,
      AWS_SESSION_TOKEN: TEMP.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: expires,
    });
    expect(r.code).toBe(0);
    const cred = check('credentials');
    expect(cred.status).toBe('pass');
    expect(cred.detail).toMatch(/temporary key …0002, expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (2 h 5\d|3 h 0) min\)/);
  });

  it('reports a Bedrock API key without showing it', async () => {
    const { r, check } = await doctorJson({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_BEARER_TOKEN_BEDROCK: TEST_API_KEY });
    expect(r.code).toBe(0);
    expect(check('credentials').detail).toMatch(/^Bedrock API key from env:AWS_BEARER_TOKEN_BEDROCK: long-term or opaque key/);
    expect(check('identity').detail).toBe('not checked: STS does not accept Bedrock API keys');
    expect(check('answers.main').status).toBe('pass');
    expect(emulator.requests.at(-1)?.auth.kind).toBe('bearer');
  });

  it('fails a rejected Bedrock API key without showing it', async () => {
    const { r, check } = await doctorJson({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_BEARER_TOKEN_BEDROCK: WRONG_API_KEY });
    expect(r.code).toBe(1);
    expect(check('credentials')).toMatchObject({ status: 'fail', detail: expect.stringContaining('rejected: Bedrock rejected the API key') });
    expect(check('credentials').fix).toContain('generate a new one');
    expect(check('answers.main').status).toBe('skip');
  });

  it('fails a guardrail identifier without its version', async () => {
    const { r, check } = await doctorJson({ ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailIdentifier: gr-abc123' });
    expect(r.code).toBe(1);
    const g = check('guardrails');
    expect(g.status).toBe('fail');
    expect(g.fix).toContain('X-Amzn-Bedrock-GuardrailVersion');
  });

  it('passes guardrail headers that are complete, and warns when caching is off', async () => {
    // The guardrail exists (GetGuardrail, test/doctor/guardrail-doctor.test.ts); the scenario is only for that.
    emulator.setScenario({ turns: [], guardrails: [{ id: 'grabc123', version: '2', blockedInputWords: [] }] });
    try {
      const { r, check } = await doctorJson({
        ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailIdentifier: grabc123\nX-Amzn-Bedrock-GuardrailVersion: 2',
        DISABLE_PROMPT_CACHING: '1',
      });
      expect(r.code).toBe(0);
      expect(check('guardrails')).toMatchObject({ status: 'pass', detail: expect.stringContaining('guardrail grabc123 version 2') });
      expect(check('guardrail')).toMatchObject({ status: 'pass', detail: 'guardrail grabc123 v2: found (READY, name emulator-grabc123)' });
      expect(check('caching')).toMatchObject({ status: 'warn', fix: expect.stringContaining('DISABLE_PROMPT_CACHING') });
      const sent = emulator.requests.filter((q) => q.operation === 'InvokeModel').at(-1);
      expect(JSON.stringify(sent?.headers).toLowerCase()).toContain('grabc123');
    } finally {
      emulator.setScenario({ turns: [], whenExhausted: 'echo' });
    }
  });

  it('without AWS_REGION still reports every check it can: the region is one FAIL line, exit 1', async () => {
    const r = await doctor({ AWS_REGION: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^FAIL {2}region {2,}AWS_REGION is not set\n {8,}fix: export AWS_REGION=us-east-1 \(the region where your Bedrock models are enabled\)$/m);
    expect(r.stdout).toMatch(/^pass {2}credentials {2,}environment \(AWS_ACCESS_KEY_ID\)/m);
    expect(r.stdout).toMatch(/^pass {2}main model {2,}/m);
    expect(r.stdout).toMatch(/^skip {2}main model answers {2,}not checked: AWS_REGION is not set \(see the region check\)$/m);
    expect(r.stdout).toMatch(/^pass {2}token settings /m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/1 failed/);
  });

  it('exits 2 on a bad model id or a bad --timeout', async () => {
    const bad = await doctor({ ANTHROPIC_MODEL: 'not a model' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(/^bcode: ANTHROPIC_MODEL/);
    const t = await doctor({}, ['--timeout', 'soon']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^bcode: --timeout must be a whole number of seconds, got 'soon'\n {2}hint: /);
    expect(t.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes --model from the main command, before or after the subcommand', async () => {
    for (const args of [['--model', 'haiku', 'doctor', '--json'], ['doctor', '--json', '--model', 'haiku']]) {
      const r = await runCli(args, { cwd: path.join(root, 'project'), env: baseEnv() });
      outputs.push(r.stdout, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(report.checks.find((c) => c.id === 'models.main')?.detail).toMatch(/^us\.anthropic\.claude-haiku-4-5-20251001-v1:0 — inference profile \(flag:--model/);
    }
  });

  it('never prints a secret', () => {
    const all = outputs.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of [CRED.secretAccessKey, WRONG_SECRET, WRONG_API_KEY, TEMP.secretAccessKey, TEMP.sessionToken, TEST_API_KEY, CRED.accessKeyId, TEMP.accessKeyId]) {
      expect(all).not.toContain(secret);
    }
  });
});
