/**
 * Issue 6 through the built CLI: print mode against the emulator, with real export / refresh
 * commands, a real Bash tool call, and every output stream grepped for the fake secrets.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorCredential, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { shortTermKey, writeScript } from './helpers.js';
import { makeTempDir } from '../helpers/temp.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const FIRST: EmulatorCredential = { accessKeyId: 'ASIACLIFIRSTKEY00001', secretAccessKey: 'cli/first/secret/expires/midway/01', sessionToken: 'cli-first-session-token-expires-01' };
const SECOND: EmulatorCredential = { accessKeyId: 'ASIACLISECONDKEY0002', secretAccessKey: 'cli/second/secret/after/refresh/02', sessionToken: 'cli-second-session-token-after-002' };
/** Ambient secrets in the CLI's environment that must not reach the Bash tool. */
const AMBIENT = { AWS_ACCESS_KEY_ID: 'AKIACLIAMBIENTKEY001', AWS_SECRET_ACCESS_KEY: 'cli/ambient/secret/never/shown/001', AWS_SESSION_TOKEN: 'cli-ambient-session-token-never-01' };
const ALL_SECRETS = [FIRST.accessKeyId, SECOND.accessKeyId, FIRST.secretAccessKey, FIRST.sessionToken!, SECOND.secretAccessKey, SECOND.sessionToken!, AMBIENT.AWS_SECRET_ACCESS_KEY, AMBIENT.AWS_SESSION_TOKEN, AMBIENT.AWS_ACCESS_KEY_ID];

interface Box {
  root: string;
  home: string;
  project: string;
  emu: EmulatorHandle;
  count: string;
}

let box: Box | undefined;
afterEach(async () => {
  await box?.emu.close();
  box = undefined;
});

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '../../dist/cli.js'))) throw new Error('run `npm run build` first');
});

/** Model calls see FIRST expire as soon as one model call has been answered. */
async function makeBox(scenario: Scenario, credentials: EmulatorCredential[] = [{ ...FIRST, expiresAt: Date.now() + 30 * 60_000 }, SECOND]): Promise<Box> {
  const root = makeTempDir('bcode-cred-cli-');
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(join(home, '.claude'), { recursive: true });
  mkdirSync(project);
  const t0 = Date.now();
  let emu: EmulatorHandle | undefined = undefined;
  const isModel = (op?: string): boolean => op === 'InvokeModel' || op === 'InvokeModelWithResponseStream';
  emu = await startEmulator({
    scenario,
    credentials,
    now: () => ((emu?.requests.filter((r) => isModel(r.operation)).length ?? 0) >= 1 ? t0 + 60 * 60_000 : t0),
  });
  return { root, home, project, emu, count: join(root, 'count') };
}

function settings(b: Box, value: Record<string, unknown>): void {
  writeFileSync(join(b.home, '.claude', 'settings.json'), JSON.stringify(value));
}

function run(b: Box, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, {
    cwd: b.project,
    timeoutMs: 30_000,
    env: {
      HOME: b.home,
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      ANTHROPIC_BEDROCK_BASE_URL: b.emu.url,
      ANTHROPIC_MODEL: MODEL,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...AMBIENT,
      ...env,
    },
  });
}

function runs(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
}

/** Every file bcode wrote under HOME (transcripts, logs), concatenated. */
function everythingWritten(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out += everythingWritten(p);
    else if (!name.endsWith('.sh') && name !== 'settings.json') out += readFileSync(p, 'utf8');
  }
  return out;
}

function transcriptLines(home: string): unknown[] {
  const text = everythingWritten(join(home, '.claude'));
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

function exporterTwoStep(b: Box): string {
  const json = (c: EmulatorCredential): string => JSON.stringify({ Credentials: { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken } });
  return writeScript(
    b.root,
    'export.sh',
    `echo run >> '${b.count}'\necho 'exporter stderr ${FIRST.secretAccessKey}' >&2\nif [ "$(wc -l < '${b.count}')" -le 1 ]; then echo '${json(FIRST)}'; else echo '${json(SECOND)}'; fi`,
  );
}

const envToolScenario: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'env | sort', description: 'show environment' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'text', text: 'environment listed' }] } },
  ],
  whenExhausted: 'error',
};

function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) for (const s of ALL_SECRETS) expect(text).not.toContain(s);
}

function toolResultText(lines: unknown[]): string {
  const results: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'tool_result') results.push(JSON.stringify(o.content));
      else Object.values(o).forEach(walk);
    }
  };
  walk(lines);
  return results.join('\n');
}

describe('credentials through the built CLI', () => {
  it('expiry mid-session: awsCredentialExport runs once more, the retry uses the new key, no secret anywhere, Bash sees no secret vars', async () => {
    box = await makeBox(envToolScenario);
    settings(box, { awsCredentialExport: exporterTwoStep(box), env: { TEAM_SETTING: 'visible-to-tools' } });
    const r = await run(box, ['-p', 'list the environment', '--output-format', 'stream-json', '--verbose', '--debug', '--allowedTools', 'Bash']);
    expect(r.stderr).not.toMatch(/hint:/);
    expect(r.code).toBe(0);
    expect(runs(box.count)).toBe(2);
    const models = box.emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream');
    expect(models.map((q) => [q.auth.accessKeyId, q.status])).toEqual([
      [FIRST.accessKeyId, 200],
      [FIRST.accessKeyId, 403],
      [SECOND.accessKeyId, 200],
    ]);
    const lines = transcriptLines(box.home);
    const env = toolResultText(lines);
    expect(env).toContain('TEAM_SETTING=visible-to-tools');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) expect(env).not.toContain(`${name}=`);
    expect(r.stdout).toContain('environment listed');
    // The refresh retried the second turn only: the tool ran once, its call was shown once.
    expect(env.match(/TEAM_SETTING=/g)).toHaveLength(1);
    expect(r.stdout.match(/"name":"Bash"/g)).toHaveLength(1);
    expectNoSecrets(r.stdout, r.stderr, everythingWritten(box.home));
    expect(r.stdout + r.stderr).not.toContain('exporter stderr');
  });

  it('with "passAwsCredentialsToTools": true the Bash tool sees them (values still masked in every output)', async () => {
    box = await makeBox(envToolScenario, [{ ...FIRST }]);
    settings(box, { passAwsCredentialsToTools: true });
    const r = await run(box, ['-p', 'list the environment', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'], {
      AWS_ACCESS_KEY_ID: FIRST.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FIRST.secretAccessKey,
      AWS_SESSION_TOKEN: FIRST.sessionToken,
    });
    expect(r.code).toBe(0);
    const env = toolResultText(transcriptLines(box.home));
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) expect(env).toContain(`${name}=[REDACTED]`);
    expectNoSecrets(r.stdout, r.stderr, everythingWritten(box.home));
  });

  it.each([[[] as string[]], [['--output-format', 'stream-json', '--verbose']]])('awsAuthRefresh rewriting ~/.aws (%j): its output is shown on stderr and the retry is signed with the rewritten keys', async (format) => {
    box = await makeBox({ turns: [], whenExhausted: 'echo' });
    mkdirSync(join(box.home, '.aws'));
    writeFileSync(join(box.home, '.aws', 'credentials'), `[dev]\naws_access_key_id = ${FIRST.accessKeyId}\naws_secret_access_key = ${FIRST.secretAccessKey}\naws_session_token = ${FIRST.sessionToken}\n`);
    const login = writeScript(
      box.root,
      'login.sh',
      `echo run >> '${box.count}'\necho "Open https://device.sso.example/activate and enter the code WXYZ-1234"\nprintf '[dev]\\naws_access_key_id = ${SECOND.accessKeyId}\\naws_secret_access_key = ${SECOND.secretAccessKey}\\naws_session_token = ${SECOND.sessionToken}\\n' > "$HOME/.aws/credentials"`,
    );
    settings(box, { awsAuthRefresh: login });
    // Two turns: the first is answered with FIRST, then FIRST expires.
    box.emu.setScenario({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo hi' } }], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'all done' }] } },
      ],
    });
    const r = await run(box, ['-p', 'say hi', '--allowedTools', 'Bash', ...format], { AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    expect(r.code).toBe(0);
    // stdout stays machine-readable in stream-json mode: the sign-in output goes to stderr.
    if (format.length) for (const line of r.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(r.stderr).toContain('Open https://device.sso.example/activate and enter the code WXYZ-1234');
    expect(runs(box.count)).toBe(1);
    const models = box.emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream');
    expect(models.map((q) => [q.auth.accessKeyId, q.status])).toEqual([
      [FIRST.accessKeyId, 200],
      [FIRST.accessKeyId, 403],
      [SECOND.accessKeyId, 200],
    ]);
    expect(r.stdout).toContain('all done');
    expectNoSecrets(r.stdout, r.stderr, everythingWritten(join(box.home, '.claude')));
    expect(r.stdout).not.toContain('WXYZ-1234');
  });

  const failing: Array<[string, (b: Box) => string, (cmd: string) => string, Record<string, unknown>?]> = [
    ['a failing export command', (b) => writeScript(b.root, 'fail.sh', `echo '${SECOND.secretAccessKey}'\necho '${SECOND.sessionToken}' >&2\nexit 3`), (c) => `bcode: awsCredentialExport \`${c}\` failed: it exited with code 3`],
    ['a hanging export command', () => 'sleep 30', () => 'bcode: awsCredentialExport `sleep 30` timed out after 300 ms', { awsCredentialExportTimeoutMs: 300 }],
    ['bad JSON', (b) => writeScript(b.root, 'bad.sh', `echo 'SecretAccessKey: ${SECOND.secretAccessKey}'`), (c) => `bcode: awsCredentialExport \`${c}\` printed output that is not JSON`],
    [
      'missing SessionToken',
      (b) => writeScript(b.root, 'nosession.sh', `echo '{"Credentials":{"AccessKeyId":"${SECOND.accessKeyId}","SecretAccessKey":"${SECOND.secretAccessKey}"}}'`),
      (c) => `bcode: awsCredentialExport \`${c}\` printed JSON without Credentials.SessionToken`,
    ],
  ];

  for (const [name, make, line, extra] of failing) {
    it(`${name}: the exact error line, no secret, non-zero exit, transcript intact`, async () => {
      box = await makeBox({ turns: [], whenExhausted: 'echo' });
      const cmd = make(box);
      settings(box, { awsCredentialExport: cmd, ...extra });
      const r = await run(box, ['-p', 'hello']);
      expect(r.code).not.toBe(0);
      expect(r.stderr.split('\n')).toContain(line(cmd));
      expect(r.stderr).not.toContain('[REDACTED]');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expectNoSecrets(r.stdout, r.stderr, everythingWritten(join(box.home, '.claude')));
      // Whatever was written is whole JSON lines.
      expect(() => transcriptLines(box!.home)).not.toThrow();
      expect(box.emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream')).toHaveLength(0);
    });
  }

  it('a short-term bearer key about to run out: a one-line warning, the run goes on, the key appears nowhere', async () => {
    const key = await shortTermKey('us-east-1', new Date(Date.now() - 55 * 60_000), 3600);
    box = await makeBox({ turns: [{ reply: { content: [{ type: 'text', text: 'bearer ok' }] } }] });
    await box.emu.close();
    const emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'bearer ok' }] } }] }, apiKeys: [key] });
    box.emu = emu;
    const r = await run(box, ['-p', 'hello'], { AWS_BEARER_TOKEN_BEDROCK: key, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bearer ok');
    expect(r.stderr).toMatch(/the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK expires at \S+ \(in [45] min\); generate a new one before it runs out/);
    expect(emu.requests[0].auth.kind).toBe('bearer');
    const everything = r.stdout + r.stderr + everythingWritten(join(box.home, '.claude'));
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice('bedrock-api-key-'.length, 60));
  });

  it('an expired bearer key that Bedrock rejects: says so and that bcode cannot refresh it', async () => {
    const key = await shortTermKey('us-east-1', new Date(Date.now() - 2 * 3600_000), 3600);
    box = await makeBox({ turns: [], whenExhausted: 'echo' });
    const r = await run(box, ['-p', 'hello'], { AWS_BEARER_TOKEN_BEDROCK: key, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    expect(r.code).not.toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines.some((l) => /^bcode: Bedrock rejected the API key in AWS_BEARER_TOKEN_BEDROCK \(it expired at \S+\)$/.test(l))).toBe(true);
    expect(lines).toContain('  hint: bcode cannot refresh a Bedrock API key: generate a new one and set AWS_BEARER_TOKEN_BEDROCK, or unset it to use AWS credentials');
    expect(r.stdout + r.stderr + everythingWritten(join(box.home, '.claude'))).not.toContain(key.slice('bedrock-api-key-'.length, 60));
    // One request: a bearer key is not retried.
    expect(box.emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream')).toHaveLength(1);
  });
});
