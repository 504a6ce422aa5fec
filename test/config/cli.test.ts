import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { Fixture } from './fixture.js';

// End to end through the built CLI (run `npm run build` first): a temporary HOME, project and
// managed-settings directory, nothing from the developer's shell.
const FAKE_BEARER = 'ABSKZmFrZS1iZWFyZXIta2V5LWZvci10ZXN0cw';
const FAKE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY99';
const FAKE_KEY_ID = 'AKIAFAKEFAKEFAKE1234';
const FAKE_GATEWAY_TOKEN = 'gw-token-5f2b7c91aa';

let fx: Fixture;
beforeAll(() => {
  fx = new Fixture();
  fx.write(fx.userSettings, { env: { AWS_PROFILE: 'from-user-settings' }, permissions: { allow: ['Read'] } });
  fx.write(fx.projectSettings, { model: 'opus', permissions: { allow: ['Bash(npm test:*)'] }, theme: 'dark', someUnknownKey: true });
  fx.write(fx.managedSettings, { permissions: { deny: ['WebFetch'] }, awsAuthRefresh: 'aws sso login --profile corp' });
});
afterAll(() => fx.cleanup());

function run(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, { cwd: fx.project, env: { HOME: fx.home, BCODE_MANAGED_SETTINGS_DIR: fx.managed, AWS_REGION: 'eu-west-1', ...env } });
}

function expectNoSecrets(text: string) {
  for (const secret of [FAKE_BEARER, FAKE_SECRET, FAKE_KEY_ID, FAKE_GATEWAY_TOKEN]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\n\s+at /);
}

describe('bcode --print-config', () => {
  it('prints every resolved value with its source, warnings on stderr, exit 0', async () => {
    const r = await run(['--print-config'], { MAX_THINKING_TOKENS: '2048', CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096', DISABLE_PROMPT_CACHING: '1' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `projectRoot: ${fx.project}  (nearest directory with .claude/ or .git/)`,
        `settingsFile: ${fx.managedSettings}  (managed)`,
        `settingsFile: ${fx.projectSettings}  (project)`,
        `settingsFile: ${fx.userSettings}  (user)`,
        'region: eu-west-1  (env:AWS_REGION)',
        'endpoint: https://bedrock-runtime.eu-west-1.amazonaws.com  (default)',
        'controlEndpoint: https://bedrock.eu-west-1.amazonaws.com  (default)',
        'auth.mode: sigv4  (default)',
        `auth.profile: from-user-settings  (settings:${fx.userSettings} env.AWS_PROFILE)`,
        `models.main: eu.anthropic.claude-opus-4-5-20251101-v1:0  (settings:${fx.projectSettings}, alias opus → built-in)`,
        'models.smallFast: eu.anthropic.claude-haiku-4-5-20251001-v1:0  (default)',
        'models.smallFast.region: eu-west-1  (env:AWS_REGION)',
        'maxOutputTokens: 4096  (env:CLAUDE_CODE_MAX_OUTPUT_TOKENS)',
        'thinkingBudget: 2048  (env:MAX_THINKING_TOKENS)',
        'promptCaching: off  (env:DISABLE_PROMPT_CACHING)',
        'apiTimeoutMs: 600000  (default)',
        `awsAuthRefresh: aws sso login --profile corp  (settings:${fx.managedSettings})`,
        `permissions.allow: ["Bash(npm test:*)","Read"]  (settings:${fx.projectSettings}, settings:${fx.userSettings})`,
        `permissions.deny: ["WebFetch"]  (settings:${fx.managedSettings})`,
      ]),
    );
    for (const line of lines) expect(line).toMatch(/^[\w.-]+: .* {2}\(.+\)$/);
    expect(r.stderr).toBe(`bcode: warning: unknown setting 'someUnknownKey' in ${fx.projectSettings} (kept, but it has no effect)\n`);
  });

  it('lists ignored settings with --verbose', async () => {
    const r = await run(['--print-config', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('bcode: warning: ignored settings: theme (documented for Claude Code, not implemented by bcode)\n');
  });

  it('names sandbox keys bcode does not act on even without --verbose (a security setting is never dropped silently)', async () => {
    const settings = JSON.stringify({ sandbox: { enabled: true, autoAllowBashIfSandboxed: false, ignoreViolations: {}, filesystem: { denyRead: ['~/x'] } } });
    const r = await run(['--print-config', '--settings', settings]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('bcode: warning: sandbox.autoAllowBashIfSandboxed, sandbox.ignoreViolations: not implemented by bcode, no effect (see docs/sandbox.md)\n');
    expect(r.stderr).not.toMatch(/sandbox\.(enabled|filesystem)/);
    const bad = await run(['--print-config', '--settings', '{"sandbox":{"enabled":"yes"}}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/sandbox\.enabled must be true or false, found a string/);
  });

  it('never shows a secret, only that it is set', async () => {
    const r = await run(['--print-config'], {
      AWS_BEARER_TOKEN_BEDROCK: FAKE_BEARER,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
      AWS_ACCESS_KEY_ID: FAKE_KEY_ID,
      ANTHROPIC_CUSTOM_HEADERS: `X-Amzn-Bedrock-GuardrailIdentifier: gr-abc\nX-Gateway-Key: ${FAKE_GATEWAY_TOKEN}`,
    });
    expect(r.code).toBe(0);
    expectNoSecrets(r.stdout + r.stderr);
    expect(r.stdout).toContain('auth.mode: bearer  (env:AWS_BEARER_TOKEN_BEDROCK)\n');
    expect(r.stdout).toContain('auth.bearerToken: set (hidden)  (env:AWS_BEARER_TOKEN_BEDROCK)\n');
    expect(r.stdout).toContain('env.AWS_SECRET_ACCESS_KEY: set (hidden)  (env:AWS_SECRET_ACCESS_KEY)\n');
    expect(r.stdout).toContain('customHeaders.X-Amzn-Bedrock-GuardrailIdentifier: gr-abc  (env:ANTHROPIC_CUSTOM_HEADERS)\n');
    expect(r.stdout).toContain('customHeaders.X-Gateway-Key: set (hidden)  (env:ANTHROPIC_CUSTOM_HEADERS)\n');
  });

  it('shows the gateway endpoint, no auth and the small/fast region', async () => {
    const r = await run(['--print-config', '--model', 'anthropic.claude-sonnet-4-5-20250929-v1:0'], {
      ANTHROPIC_BEDROCK_BASE_URL: 'http://127.0.0.1:9/bedrock',
      CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1',
      ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'us-west-2',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('endpoint: http://127.0.0.1:9/bedrock  (env:ANTHROPIC_BEDROCK_BASE_URL)\n');
    expect(r.stdout).toContain('auth.mode: none  (env:CLAUDE_CODE_SKIP_BEDROCK_AUTH)\n');
    expect(r.stdout).toContain('models.main: anthropic.claude-sonnet-4-5-20250929-v1:0  (flag:--model)\n');
    expect(r.stdout).toContain('models.smallFast.region: us-west-2  (env:ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION)\n');
    expect(r.stdout).toContain('models.smallFast.endpoint: http://127.0.0.1:9/bedrock  (env:ANTHROPIC_BEDROCK_BASE_URL)\n');
  });
});

describe('bad configuration through the CLI: one line, exit 2, no stack, no secret', () => {
  const secrets = { AWS_BEARER_TOKEN_BEDROCK: FAKE_BEARER, AWS_SECRET_ACCESS_KEY: FAKE_SECRET, AWS_ACCESS_KEY_ID: FAKE_KEY_ID };
  const cases: Array<[string, Record<string, string | undefined>, string[], string]> = [
    ['bad AWS_REGION', { AWS_REGION: 'Frankfurt' }, [], "bcode: AWS_REGION must be an AWS region such as us-east-1, got 'Frankfurt'\n  hint: e.g. export AWS_REGION=us-east-1\n"],
    ['Bedrock switched off', { CLAUDE_CODE_USE_BEDROCK: '0' }, [], 'bcode: bcode runs only on Amazon Bedrock, but CLAUDE_CODE_USE_BEDROCK=0 turns Bedrock off\n  hint: unset CLAUDE_CODE_USE_BEDROCK or set it to 1\n'],
    ['bad thinking budget', { MAX_THINKING_TOKENS: '100' }, [], "bcode: MAX_THINKING_TOKENS must be 0 or at least 1024 (Bedrock's smallest thinking budget), got 100\n  hint: export MAX_THINKING_TOKENS=1024, or 0 to turn thinking off\n"],
    ['bad model flag', {}, ['--model', 'gpt 4'], "bcode: --model is not a Bedrock model id: 'gpt 4' contains whitespace\n"],
    ['bad custom header line holding a token', { ANTHROPIC_CUSTOM_HEADERS: `X-Ok: 1\nX-Gateway-Key ${FAKE_GATEWAY_TOKEN}` }, [], "bcode: ANTHROPIC_CUSTOM_HEADERS line 2 has no ':'; each line must be 'Name: value'\n"],
    ['bad --settings JSON', {}, ['--settings', `{"env": {"AWS_SECRET_ACCESS_KEY": "${FAKE_SECRET}"`], 'bcode: --settings: is not valid JSON'],
    ['wrong type in --settings', {}, ['--settings', '{"permissions": {"allow": "Read"}}'], 'bcode: --settings: permissions.allow must be an array of strings, found a string\n'],
  ];

  it.each(cases)('%s', async (_name, env, args, expected) => {
    const r = await run(['--print-config', ...args], { ...secrets, ...env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    if (expected.endsWith('\n') && expected.includes('hint:')) expect(r.stderr).toBe(expected);
    else expect(r.stderr.startsWith(expected)).toBe(true);
    expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('names the file and key of a wrong type in a settings file', async () => {
    const local = fx.write(fx.localSettings, { permissions: { additionalDirectories: 'src' } });
    try {
      const r = await run(['--print-config'], secrets);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`bcode: ${local}: permissions.additionalDirectories must be an array of strings, found a string\n  hint: fix permissions.additionalDirectories in ${local} (e.g. "additionalDirectories": ["../docs"])\n`);
    } finally {
      fx.write(fx.localSettings, {});
    }
  });

  it('without AWS_REGION prints every other value, then the error, exit 2', async () => {
    const r = await run(['--print-config'], { ...secrets, AWS_BEARER_TOKEN_BEDROCK: undefined, AWS_REGION: undefined });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('region: (not set)  (AWS_REGION)\n');
    expect(r.stdout).toContain('endpoint: (needs AWS_REGION)  (default)\n');
    expect(r.stdout).toMatch(/^models\.main: .+ {2}\(settings:/m);
    expect(r.stdout).toContain('maxOutputTokens: 4096  (default)\n');
    expect(r.stderr.endsWith('bcode: AWS_REGION is not set\n  hint: export AWS_REGION=us-east-1 (the region where your Bedrock models are enabled)\n')).toBe(true);
    expectNoSecrets(r.stdout + r.stderr);
  });

  it('names the profile region when AWS_REGION is missing', async () => {
    const cfg = fx.write('aws-config', '[profile corp]\nregion = eu-central-1\n');
    const r = await run(['--print-config'], { AWS_REGION: undefined, AWS_PROFILE: 'corp', AWS_CONFIG_FILE: cfg });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').at(-3)).toBe("bcode: AWS_REGION is not set; your profile 'corp' uses eu-central-1 — export AWS_REGION=eu-central-1");
  });

  it('refuses a relative --cwd that does not exist', async () => {
    const r = await run(['--print-config', '--cwd', join(fx.root, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`bcode: working directory ${join(fx.root, 'nowhere')} does not exist or is not a directory\n  hint: pass an existing directory to --cwd\n`);
  });
});
