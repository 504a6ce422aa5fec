import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/config/settings-files.js';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

describe('settings file validation', () => {
  it('names the file, key, expected type and found type for a wrong type', async () => {
    const file = fx.write(fx.projectSettings, { permissions: { allow: 'Bash(ls)' } });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: permissions.allow must be an array of strings, found a string`);
  });

  it('points at the array element with the wrong type', async () => {
    const file = fx.write(fx.userSettings, { permissions: { deny: ['Read', 42] } });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: permissions.deny[1] must be a string, found a number`);
  });

  it('reports a bad enum value with the allowed values', async () => {
    const file = fx.write(fx.projectSettings, { permissions: { defaultMode: 'yolo' } });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: permissions.defaultMode must be one of default, acceptEdits, plan, bypassPermissions, found 'yolo'`);
  });

  it('checks model, env, awsAuthRefresh and awsCredentialExport types', async () => {
    const file = fx.write(fx.projectSettings, { model: 3 });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: model must be a string, found a number`);
    fx.write(fx.projectSettings, { env: ['AWS_REGION=us-east-1'] });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: env must be an object of string values, found an array`);
    fx.write(fx.projectSettings, { env: { AWS_PROFILE: { name: 'x' } } });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: env.AWS_PROFILE must be a string, found an object`);
    fx.write(fx.projectSettings, { awsAuthRefresh: ['aws', 'sso', 'login'] });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: awsAuthRefresh must be a string, found an array`);
    fx.write(fx.projectSettings, { awsCredentialExport: null });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: awsCredentialExport must be a string, found null`);
    fx.write(fx.projectSettings, { permissions: [] });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: permissions must be an object, found an array`);
  });

  it('refuses a file that is not JSON without quoting its content', async () => {
    const file = fx.write(fx.localSettings, '{\n  "env": {"AWS_BEARER_TOKEN_BEDROCK": "ABSKsupersecretvalue",}\n}');
    const err = await fx.error();
    expect(err.split('\n')[0]).toMatch(new RegExp(`^bcode: ${file.replace(/[.]/g, '\\.')}: is not valid JSON( \\(.+\\))?$`));
    expect(err).not.toContain('supersecret');
    expect(err).toContain('hint: fix the JSON syntax');
  });

  it('refuses an empty file and a file holding something other than an object', async () => {
    const file = fx.write(fx.userSettings, '  \n');
    expect(await fx.errorLine()).toBe(`bcode: ${file}: file is empty; expected a JSON object`);
    fx.write(fx.userSettings, '[1, 2]');
    expect(await fx.errorLine()).toBe(`bcode: ${file}: must hold a JSON object, found an array`);
  });

  it('validates managed drop-in files and --settings inline JSON the same way', async () => {
    const file = fx.write(join(fx.managed, 'managed-settings.d', '10-x.json'), { permissions: { ask: 'Bash' } });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: permissions.ask must be an array of strings, found a string`);
    fx.cleanup();
    fx = new Fixture();
    expect(await fx.errorLine({}, { settings: '{"model": false}' })).toBe('bcode: --settings: model must be a string, found a boolean');
    expect(await fx.errorLine({}, { settings: '{"model": ' })).toMatch(/^bcode: --settings: is not valid JSON/);
  });

  it('fails when --settings names a missing file', async () => {
    expect(await fx.error({}, { settings: 'nope.json' })).toBe(
      `bcode: --settings: file not found: ${join(fx.project, 'nope.json')}\n  hint: pass a settings file path or inline JSON such as --settings '{"model":"sonnet"}'`,
    );
  });

  it('accepts numbers and booleans in env and keeps unknown keys', async () => {
    fx.write(fx.projectSettings, { env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: 4096, DISABLE_PROMPT_CACHING: true }, someFutureKey: { a: 1 } });
    const { config } = await fx.load();
    expect(config.maxOutputTokens).toBe(4096);
    expect(config.promptCaching).toBe(false);
    expect(config.settings.someFutureKey).toEqual({ a: 1 });
  });
});

describe('settings warnings', () => {
  it('warns once about each unknown key, naming the first file that has it', async () => {
    fx.write(fx.projectSettings, { fooBar: 1, permissions: { alow: ['Read'] } });
    fx.write(fx.userSettings, { fooBar: 2 });
    const { warnings } = await fx.load();
    expect(warnings).toEqual([
      `unknown setting 'fooBar' in ${fx.projectSettings} (kept, but it has no effect)`,
      `unknown setting 'permissions.alow' in ${fx.projectSettings} (kept, but it has no effect); did you mean 'permissions.allow'?`,
    ]);
  });

  it('lists documented but unimplemented settings only with --verbose', async () => {
    fx.write(fx.projectSettings, { theme: 'dark', spinnerTipsEnabled: true, permissions: { disableBypassPermissionsMode: 'disable' } });
    expect((await fx.load()).warnings).toEqual([]);
    expect((await fx.load({}, { verbose: true })).warnings).toEqual([
      'ignored settings: permissions.disableBypassPermissionsMode, spinnerTipsEnabled, theme (documented for Claude Code, not implemented by bcode)',
    ]);
  });
});

describe('project root', () => {
  it('is the nearest ancestor with .claude/ or .git/', () => {
    const deep = join(fx.project, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findProjectRoot(deep, join(fx.home, '.claude'))).toBe(fx.project);
    mkdirSync(join(fx.project, 'a', '.claude'));
    expect(findProjectRoot(deep, join(fx.home, '.claude'))).toBe(join(fx.project, 'a'));
  });

  it('does not take the user config directory for a project marker', () => {
    const dir = join(fx.home, 'work', 'loose');
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(fx.home, '.claude'), { recursive: true });
    expect(findProjectRoot(dir, join(fx.home, '.claude'))).toBe(dir);
  });

  it('reads project settings from the root when started in a subdirectory', async () => {
    fx.write(fx.projectSettings, { model: 'haiku' });
    const sub = join(fx.project, 'src');
    mkdirSync(sub);
    const { config } = await fx.load({}, {}, sub);
    expect(config.projectRoot).toBe(fx.project);
    expect(config.cwd).toBe(sub);
    expect(config.models.main.id).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('fails clearly when the working directory does not exist', async () => {
    expect(await fx.errorLine({}, {}, join(fx.root, 'missing'))).toBe(`bcode: working directory ${join(fx.root, 'missing')} does not exist or is not a directory`);
  });
});

describe('settings read by other layers', () => {
  it('checks the credential timeouts and the tool pass-through switch', async () => {
    const file = fx.write(fx.projectSettings, { awsAuthRefreshTimeoutMs: 0 });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: awsAuthRefreshTimeoutMs must be a positive whole number of milliseconds, at most 2147483647 (about 24.8 days), found 0`);
    fx.write(fx.projectSettings, { awsCredentialExportTimeoutMs: '30s' });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: awsCredentialExportTimeoutMs must be a positive whole number of milliseconds, at most 2147483647 (about 24.8 days), found a string`);
    fx.write(fx.projectSettings, { passAwsCredentialsToTools: 'yes' });
    expect(await fx.errorLine()).toBe(`bcode: ${file}: passAwsCredentialsToTools must be true or false, found a string`);
    fx.write(fx.projectSettings, { awsAuthRefreshTimeoutMs: 120000, awsCredentialExportTimeoutMs: 5000, passAwsCredentialsToTools: true });
    const { config, warnings } = await fx.load();
    expect(warnings).toEqual([]);
    expect(config.settings.awsAuthRefreshTimeoutMs).toBe(120000);
  });
});
