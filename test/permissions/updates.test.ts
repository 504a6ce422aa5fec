/**
 * The Agent SDK's permission updates (src/permissions/updates.ts) on a real permission engine:
 * what each update changes for the running session, what it saves in which settings file, and
 * the updates that are refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { applyPermissionUpdates } from '../../src/permissions/updates.js';
import { createPermissionPolicy } from '../../src/permissions/index.js';
import { fakeConfig, makeWorld, policyFor } from './fixture.js';

const w = makeWorld();
afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));
const targets = { projectRoot: w.project, userDir: path.join(w.home, '.claude') };
const touch = { command: 'touch x.txt' };
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as { permissions: Record<string, unknown>; other?: unknown };

describe('applyPermissionUpdates', () => {
  it('addRules (session) changes the decision now and writes nothing', async () => {
    const policy = policyFor(w);
    expect((await policy.decide('Bash', touch)).behavior).toBe('ask');
    const written = await applyPermissionUpdates(policy, [{ type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'session' }], targets);
    expect(written).toEqual([]);
    expect(await policy.decide('Bash', touch)).toMatchObject({ behavior: 'allow', rule: 'Bash(touch:*)' });
  });

  it('each settings destination is its own file; other keys stay', async () => {
    const local = path.join(w.project, '.claude', 'settings.local.json');
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, JSON.stringify({ other: 1, permissions: { allow: ['Read'], deny: ['Bash(rm:*)'] } }));
    const policy = policyFor(w);
    const written = await applyPermissionUpdates(
      policy,
      [
        { type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'localSettings' },
        { type: 'removeRules', rules: [{ toolName: 'Bash', ruleContent: 'rm:*' }], behavior: 'deny', destination: 'localSettings' },
        { type: 'addRules', rules: [{ toolName: 'WebFetch' }], behavior: 'deny', destination: 'projectSettings' },
        { type: 'addDirectories', directories: [w.extra], destination: 'userSettings' },
      ],
      targets,
    );
    expect(written).toEqual([local, path.join(w.project, '.claude', 'settings.json'), path.join(w.home, '.claude', 'settings.json')]);
    expect(readJson(local)).toEqual({ other: 1, permissions: { allow: ['Read', 'Bash(touch:*)'], deny: [] } });
    expect(readJson(written[1]!).permissions).toEqual({ deny: ['WebFetch'] });
    expect(readJson(written[2]!).permissions).toEqual({ additionalDirectories: [w.extra] });
    // … and the session already follows them.
    expect((await policy.decide('WebFetch', { url: 'https://example.com', prompt: 'x' })).behavior).toBe('deny');
    expect((await policy.decide('Read', { file_path: path.join(w.extra, 'f') })).behavior).toBe('allow');
    fs.rmSync(path.join(w.project, '.claude'), { recursive: true, force: true });
    fs.rmSync(path.join(w.home, '.claude'), { recursive: true, force: true });
  });

  it('replaceRules replaces one list; setMode switches the mode and saves defaultMode', async () => {
    const policy = policyFor(w, { allow: ['Bash(ls:*)', 'Bash(cat:*)'] });
    await applyPermissionUpdates(
      policy,
      [
        { type: 'replaceRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'session' },
        { type: 'setMode', mode: 'acceptEdits', destination: 'localSettings' },
      ],
      targets,
    );
    expect(policy.listRules!().allow).toEqual(['Bash(touch:*)']);
    expect(policy.mode).toBe('acceptEdits');
    expect(readJson(path.join(w.project, '.claude', 'settings.local.json')).permissions).toEqual({ defaultMode: 'acceptEdits' });
    fs.rmSync(path.join(w.project, '.claude'), { recursive: true, force: true });
  });

  it.each([
    [[{ type: 'addRules', rules: [{ toolName: 'Bash' }], behavior: 'allow', destination: 'somewhere' }], /destination "somewhere"/],
    [[{ type: 'addRules', rules: [{ ruleContent: 'x' }], behavior: 'allow', destination: 'session' }], /a rule without a toolName/],
    [[{ type: 'addRules', rules: [{ toolName: 'Bash' }], behavior: 'maybe', destination: 'session' }], /behavior "maybe"/],
    [[{ type: 'setMode', mode: 'dontAsk', destination: 'session' }], /mode "dontAsk", which bcode does not have/],
    [[{ type: 'removeDirectories', directories: ['/x'], destination: 'session' }], /removeDirectories is not supported/],
    [[{ type: 'grantEverything', destination: 'session' }], /has the type "grantEverything"/],
  ])('refuses %j, and applies none of the list', async (bad, why) => {
    const policy = policyFor(w);
    const good = { type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch:*' }], behavior: 'allow', destination: 'session' };
    const err = await applyPermissionUpdates(policy, [good, ...bad], targets).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(why);
    expect((err as ConfigError).hint).toMatch(/PermissionUpdate/);
    expect((await policy.decide('Bash', touch)).behavior).toBe('ask');
  });
});

describe('managed rules stay', () => {
  it("an SDK host's removeRules / replaceRules cannot take away a managed deny or ask rule", async () => {
    const config = fakeConfig(w, { deny: ['Bash(rm:*)', 'Bash(curl:*)'], ask: ['Bash(git push:*)'] });
    (config as { mcp?: unknown }).mcp = { flagServers: [], strict: false, layers: [{ scope: 'managed', origin: '/etc/managed.json', data: { permissions: { deny: ['Bash(rm:*)'], ask: ['Bash(git push:*)'] } } }] };
    const policy = createPermissionPolicy(config, { cwd: w.project, uid: 1000, home: w.home });
    await applyPermissionUpdates(
      policy,
      [
        { type: 'removeRules', rules: [{ toolName: 'Bash', ruleContent: 'rm:*' }, { toolName: 'Bash', ruleContent: 'curl:*' }], behavior: 'deny', destination: 'session' },
        { type: 'replaceRules', rules: [{ toolName: 'Bash', ruleContent: 'ls:*' }], behavior: 'ask', destination: 'session' },
      ],
      targets,
    );
    // The managed rules decide as before; the user's own deny rule is gone.
    expect((await policy.decide('Bash', { command: 'rm -rf x' })).behavior).toBe('deny');
    expect((await policy.decide('Bash', { command: 'git push origin main' })).behavior).toBe('ask');
    expect((await policy.decide('Bash', { command: 'curl https://example.com' })).behavior).not.toBe('deny');
  });
});
