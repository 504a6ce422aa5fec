import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

const FM = (name: string) => `anthropic.claude-${name}-v1:0`;

/** Writes every level with its own `model`; each test then removes levels from the top. */
function writeAll(except: string[] = []): Record<string, string> {
  const files: Record<string, string> = {};
  const levels: Array<[string, string]> = [
    ['user', fx.userSettings],
    ['project', fx.projectSettings],
    ['local', fx.localSettings],
    ['managed', fx.managedSettings],
  ];
  for (const [level, path] of levels) if (!except.includes(level)) files[level] = fx.write(path, { model: FM(level), permissions: { allow: [`Read(${level})`] } });
  return files;
}

describe('settings precedence (highest first: managed, --settings, local, project, user)', () => {
  it('user settings apply when nothing else sets the value', async () => {
    const files = writeAll(['managed', 'local', 'project']);
    const { config } = await fx.load();
    expect(config.models.main.id).toBe(FM('user'));
    expect(config.sources['models.main']).toBe(`settings:${files.user}`);
  });

  it('project settings beat user settings', async () => {
    const files = writeAll(['managed', 'local']);
    const { config } = await fx.load();
    expect(config.models.main.id).toBe(FM('project'));
    expect(config.sources['models.main']).toBe(`settings:${files.project}`);
  });

  it('project local settings beat project settings', async () => {
    const files = writeAll(['managed']);
    const { config } = await fx.load();
    expect(config.models.main.id).toBe(FM('local'));
    expect(config.sources['models.main']).toBe(`settings:${files.local}`);
  });

  it('a --settings file beats project local settings', async () => {
    writeAll(['managed']);
    const flagFile = fx.write('extra/flag.json', { model: FM('flag') });
    const { config } = await fx.load({}, { settings: flagFile });
    expect(config.models.main.id).toBe(FM('flag'));
    expect(config.sources['models.main']).toBe(`settings:${flagFile}`);
  });

  it('--settings inline JSON beats project local settings', async () => {
    writeAll(['managed']);
    const { config } = await fx.load({}, { settings: JSON.stringify({ model: FM('inline') }) });
    expect(config.models.main.id).toBe(FM('inline'));
    expect(config.sources['models.main']).toBe('settings:--settings');
  });

  it('a relative --settings path is taken from the working directory', async () => {
    fx.write(join(fx.project, 'conf', 'x.json'), { model: FM('relative') });
    const { config } = await fx.load({}, { settings: 'conf/x.json' });
    expect(config.models.main.id).toBe(FM('relative'));
  });

  it('managed settings beat everything, --settings included', async () => {
    const files = writeAll();
    const { config } = await fx.load({}, { settings: JSON.stringify({ model: FM('inline') }) });
    expect(config.models.main.id).toBe(FM('managed'));
    expect(config.sources['models.main']).toBe(`settings:${files.managed}`);
  });

  it('managed-settings.d files merge in name order after the main managed file', async () => {
    fx.write(fx.managedSettings, { model: FM('main'), env: { MAX_THINKING_TOKENS: '1024', API_TIMEOUT_MS: '1000' } });
    fx.write(join(fx.managed, 'managed-settings.d', '20-b.json'), { model: FM('b') });
    const a = fx.write(join(fx.managed, 'managed-settings.d', '10-a.json'), { model: FM('a'), env: { API_TIMEOUT_MS: '2000' } });
    fx.write(join(fx.managed, 'managed-settings.d', 'notes.txt'), 'not json, not read');
    const { config } = await fx.load();
    expect(config.models.main.id).toBe(FM('b'));
    expect(config.apiTimeoutMs).toBe(2000);
    expect(config.sources.apiTimeoutMs).toBe(`settings:${a} env.API_TIMEOUT_MS`);
    expect(config.thinkingBudget).toBe(1024);
    expect(config.settingsFiles?.map((f) => f.path.slice(fx.managed.length + 1))).toEqual(['managed-settings.d/20-b.json', 'managed-settings.d/10-a.json', 'managed-settings.json']);
  });

  it('CLAUDE_CONFIG_DIR replaces ~/.claude for user settings', async () => {
    fx.write(fx.userSettings, { model: FM('home') });
    const other = fx.write('cfgdir/settings.json', { model: FM('configdir') });
    const { config } = await fx.load({ CLAUDE_CONFIG_DIR: join(fx.root, 'cfgdir') });
    expect(config.models.main.id).toBe(FM('configdir'));
    expect(config.sources['models.main']).toBe(`settings:${other}`);
  });

  it('arrays from every level are concatenated without duplicates', async () => {
    const files = writeAll();
    fx.write(fx.userSettings, { permissions: { allow: ['Read(user)', 'Read(project)'] } });
    const { config } = await fx.load({}, { allowedTools: ['Bash(npm test:*)'], disallowedTools: ['WebFetch'] });
    expect(config.permissions.allow).toEqual(['Read(managed)', 'Bash(npm test:*)', 'Read(local)', 'Read(project)', 'Read(user)']);
    expect(config.permissions.deny).toEqual(['WebFetch']);
    expect(config.sources['permissions.allow']).toBe(`settings:${files.managed}, flag:--allowedTools, settings:${files.local}, settings:${files.project}, settings:${fx.userSettings}`);
  });

  it('--permission-mode beats settings files but not managed settings', async () => {
    fx.write(fx.projectSettings, { permissions: { defaultMode: 'plan' } });
    let { config } = await fx.load({}, { permissionMode: 'acceptEdits' });
    expect(config.permissions.defaultMode).toBe('acceptEdits');
    expect(config.sources['permissions.defaultMode']).toBe('flag:--permission-mode');
    fx.write(fx.managedSettings, { permissions: { defaultMode: 'default' } });
    ({ config } = await fx.load({}, { permissionMode: 'bypassPermissions' }));
    expect(config.permissions.defaultMode).toBe('default');
  });
});

describe('settings env (B8)', () => {
  it('applies to bcode itself, with the higher file winning per variable', async () => {
    fx.write(fx.userSettings, { env: { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'user-profile' } });
    fx.write(fx.projectSettings, { env: { AWS_PROFILE: 'project-profile' } });
    const { config } = await fx.load({ AWS_REGION: undefined });
    expect(config.region).toBe('eu-west-1');
    expect(config.sources.region).toBe(`settings:${fx.userSettings} env.AWS_REGION`);
    expect(config.auth.profile).toBe('project-profile');
    expect(config.env.AWS_PROFILE).toBe('project-profile');
  });

  it('loses to the shell for the same variable', async () => {
    fx.write(fx.managedSettings, { env: { AWS_REGION: 'eu-west-1' } });
    const { config } = await fx.load({ AWS_REGION: 'us-west-2' });
    expect(config.region).toBe('us-west-2');
    expect(config.sources.region).toBe('env:AWS_REGION');
  });

  it('fills a variable the shell has set to an empty string', async () => {
    fx.write(fx.projectSettings, { env: { AWS_REGION: 'ap-northeast-1' } });
    const { config } = await fx.load({ AWS_REGION: '' });
    expect(config.region).toBe('ap-northeast-1');
  });

  it('names the settings file in the error for a bad value it supplied', async () => {
    fx.write(fx.projectSettings, { env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: 'lots' } });
    expect(await fx.errorLine()).toBe(`bcode: CLAUDE_CODE_MAX_OUTPUT_TOKENS must be a whole number ≥ 1, got 'lots' (set in ${fx.projectSettings} env)`);
  });
});

describe('model precedence (flag, then env, then settings)', () => {
  it('--model beats ANTHROPIC_MODEL, which beats the model setting', async () => {
    fx.write(fx.managedSettings, { model: FM('settings') });
    let { config } = await fx.load({ ANTHROPIC_MODEL: FM('env') }, { model: FM('flag') });
    expect(config.models.main.id).toBe(FM('flag'));
    expect(config.sources['models.main']).toBe('flag:--model');
    ({ config } = await fx.load({ ANTHROPIC_MODEL: FM('env') }));
    expect(config.models.main.id).toBe(FM('env'));
    expect(config.sources['models.main']).toBe('env:ANTHROPIC_MODEL');
    ({ config } = await fx.load());
    expect(config.models.main.id).toBe(FM('settings'));
  });
});

describe('errors about values from settings env', () => {
  it('name the file for a bad region', async () => {
    fx.write(fx.userSettings, { env: { AWS_REGION: 'Europe' } });
    expect(await fx.errorLine({ AWS_REGION: undefined })).toBe(`bcode: AWS_REGION must be an AWS region such as us-east-1, got 'Europe' (set in ${fx.userSettings} env)`);
  });

  it('name the file when Bedrock is switched off there', async () => {
    fx.write(fx.projectSettings, { env: { CLAUDE_CODE_USE_BEDROCK: 'false' } });
    expect(await fx.errorLine()).toBe(`bcode: bcode runs only on Amazon Bedrock, but CLAUDE_CODE_USE_BEDROCK=false (set in ${fx.projectSettings} env) turns Bedrock off`);
  });
});
