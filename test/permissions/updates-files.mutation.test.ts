/**
 * The permission engine's edges with the outside (in-process): the Agent SDK's permission
 * updates (updates.ts), the settings files rules are saved to and removed from
 * (settings-file.ts, rule-files.ts), the policy factory (index.ts: modes, bypass as root,
 * managed rules) and which git repository a command would use (git-repo.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { ConfigError } from '../../src/errors.js';
import { createPermissionPolicy } from '../../src/permissions/index.js';
import { discoverGitRepo, gitRunsTrusted, isTrustedGitDir } from '../../src/permissions/git-repo.js';
import { editRuleInFile, ruleOrigins } from '../../src/permissions/rule-files.js';
import { appendAllowRule, editPermissions, localSettingsPath } from '../../src/permissions/settings-file.js';
import { applyPermissionUpdates, ruleString } from '../../src/permissions/updates.js';
import type { PermissionMode, PermissionPolicy } from '../../src/permissions/types.js';
import { makeTempDir } from '../helpers/temp.js';
import { fakeConfig, makeWorld } from './fixture.js';
import { configErrorOf } from '../helpers/config-error.js';

const HINT = 'updatedPermissions takes the SDK\'s PermissionUpdate shapes, e.g. {"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"npm test:*"}],"behavior":"allow","destination":"session"}';

const errorOf = configErrorOf;
async function rejection(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** A policy that records what it is asked to do. */
function recorder(): PermissionPolicy & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    mode: 'default',
    decisions: [],
    decide: async () => ({ behavior: 'ask', reason: 'x' }),
    rememberAllow: async () => undefined,
    changeRules: (...a: unknown[]) => void calls.push(['changeRules', ...a]),
    setMode: (m: PermissionMode) => void calls.push(['setMode', m]),
    addDirectories: (d: readonly string[]) => void calls.push(['addDirectories', d]),
  };
}

describe('ruleString', () => {
  it('tool, or tool(content)', () => {
    expect(ruleString({ toolName: 'Bash' })).toBe('Bash');
    expect(ruleString({ toolName: 'Bash', ruleContent: 'npm test:*' })).toBe('Bash(npm test:*)');
    expect(ruleString({ toolName: 'Bash', ruleContent: '' })).toBe('Bash()');
  });
  it('refuses what is not a rule', () => {
    for (const v of [null, 'Bash', [], { toolName: '' }, { toolName: 3 }, {}]) {
      const e = errorOf(() => ruleString(v));
      expect(e.message).toBe('a permission update has a rule without a toolName');
      expect(e.hint).toBe(HINT);
    }
    expect(errorOf(() => ruleString({ toolName: 'Bash', ruleContent: 3 })).message).toBe('a permission update has a rule for Bash whose ruleContent is not a string');
  });
});

describe('applyPermissionUpdates', () => {
  const root = makeTempDir('bcode-mut-upd-');
  const targets = { projectRoot: path.join(root, 'p'), userDir: path.join(root, 'u') };
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as { permissions: Record<string, unknown> };

  it('applies each kind to the session, in order', async () => {
    const p = recorder();
    const written = await applyPermissionUpdates(
      p,
      [
        { type: 'addRules', behavior: 'allow', rules: [{ toolName: 'Bash', ruleContent: 'a' }], destination: 'session' },
        { type: 'replaceRules', behavior: 'ask', rules: [{ toolName: 'Read' }], destination: 'cliArg' },
        { type: 'removeRules', behavior: 'deny', rules: [], destination: 'session' },
        { type: 'setMode', mode: 'plan', destination: 'session' },
        { type: 'addDirectories', directories: ['/d'], destination: 'session' },
      ],
      targets,
    );
    expect(written).toEqual([]);
    expect(p.calls).toEqual([
      ['changeRules', 'allow', 'add', ['Bash(a)']],
      ['changeRules', 'ask', 'replace', ['Read']],
      ['changeRules', 'deny', 'remove', []],
      ['setMode', 'plan'],
      ['addDirectories', ['/d']],
    ]);
    expect(fs.existsSync(targets.projectRoot)).toBe(false);
  });

  it('adding keeps the entries a file already lists and adds no duplicate', async () => {
    const local = path.join(targets.projectRoot, '.claude', 'settings.local.json');
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, JSON.stringify({ permissions: { allow: ['Bash(keep)', 'Bash(a)'], ask: ['Read', 'Grep'], additionalDirectories: ['/k', '/x'] } }));
    await applyPermissionUpdates(
      recorder(),
      [
        { type: 'addRules', behavior: 'allow', rules: [{ toolName: 'Bash', ruleContent: 'a' }, { toolName: 'Bash', ruleContent: 'b' }], destination: 'localSettings' },
        { type: 'removeRules', behavior: 'ask', rules: [{ toolName: 'Read' }], destination: 'localSettings' },
        { type: 'addDirectories', directories: ['/x', '/y'], destination: 'localSettings' },
      ],
      targets,
    );
    expect(read(local)).toEqual({ permissions: { allow: ['Bash(keep)', 'Bash(a)', 'Bash(b)'], ask: ['Grep'], additionalDirectories: ['/k', '/x', '/y'] } });
  });

  it('saves to the file of each destination, once per file, every other key kept', async () => {
    const local = path.join(targets.projectRoot, '.claude', 'settings.local.json');
    const project = path.join(targets.projectRoot, '.claude', 'settings.json');
    const user = path.join(targets.userDir, 'settings.json');
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, JSON.stringify({ keep: 1, permissions: { allow: ['Bash(a)', 7], ask: ['Read'], additionalDirectories: ['/x'] } }));
    const p = recorder();
    const written = await applyPermissionUpdates(
      p,
      [
        { type: 'addRules', behavior: 'allow', rules: [{ toolName: 'Bash', ruleContent: 'a' }, { toolName: 'Bash', ruleContent: 'b' }], destination: 'localSettings' },
        { type: 'removeRules', behavior: 'ask', rules: [{ toolName: 'Read' }], destination: 'localSettings' },
        { type: 'addDirectories', directories: ['/x', '/y'], destination: 'localSettings' },
        { type: 'replaceRules', behavior: 'deny', rules: [{ toolName: 'WebFetch' }], destination: 'projectSettings' },
        { type: 'setMode', mode: 'acceptEdits', destination: 'userSettings' },
      ],
      targets,
    );
    expect(written).toEqual([local, project, user]);
    expect(read(local)).toEqual({ keep: 1, permissions: { allow: ['Bash(a)', 'Bash(b)'], ask: [], additionalDirectories: ['/x', '/y'] } });
    expect(read(project)).toEqual({ permissions: { deny: ['WebFetch'] } });
    expect(read(user)).toEqual({ permissions: { defaultMode: 'acceptEdits' } });
    // replace drops what the file had.
    fs.writeFileSync(project, JSON.stringify({ permissions: { deny: ['Bash(x)'], allow: ['Read'] } }));
    await applyPermissionUpdates(p, [{ type: 'replaceRules', behavior: 'deny', rules: [{ toolName: 'Bash', ruleContent: 'y' }], destination: 'projectSettings' }], targets);
    expect(read(project)).toEqual({ permissions: { deny: ['Bash(y)'], allow: ['Read'] } });
    // A list that is not a list is started afresh.
    fs.writeFileSync(project, JSON.stringify({ permissions: { deny: 'Bash(x)', additionalDirectories: 'x' } }));
    await applyPermissionUpdates(p, [{ type: 'addRules', behavior: 'deny', rules: [{ toolName: 'Bash' }], destination: 'projectSettings' }, { type: 'addDirectories', directories: ['/z'], destination: 'projectSettings' }], targets);
    expect(read(project)).toEqual({ permissions: { deny: ['Bash'], additionalDirectories: ['/z'] } });
  });

  it('one malformed update applies none', async () => {
    const p = recorder();
    const bad: Array<[unknown, string]> = [
      ['x', 'a permission update is not an object'],
      [{ type: 'addRules', behavior: 'allow', rules: [], destination: 'nowhere' }, 'a permission update has the destination "nowhere" (expected session, cliArg, localSettings, projectSettings or userSettings)'],
      [{ type: 'addRules', behavior: 'allow', rules: [] }, 'a permission update has the destination null (expected session, cliArg, localSettings, projectSettings or userSettings)'],
      [{ type: 'addRules', behavior: 'never', rules: [], destination: 'session' }, 'a permission update addRules has the behavior "never" (expected allow, ask or deny)'],
      [{ type: 'removeRules', rules: [], destination: 'session' }, 'a permission update removeRules has the behavior null (expected allow, ask or deny)'],
      [{ type: 'replaceRules', behavior: 'deny', destination: 'session' }, 'a permission update replaceRules has no rules list'],
      [{ type: 'setMode', mode: 'yolo', destination: 'session' }, 'a permission update sets the mode "yolo", which bcode does not have (it has default, acceptEdits, plan, bypassPermissions)'],
      [{ type: 'setMode', destination: 'session' }, 'a permission update sets the mode null, which bcode does not have (it has default, acceptEdits, plan, bypassPermissions)'],
      [{ type: 'addDirectories', directories: 'x', destination: 'session' }, 'a permission update addDirectories needs a list of directory paths'],
      [{ type: 'addDirectories', directories: [''], destination: 'session' }, 'a permission update addDirectories needs a list of directory paths'],
      [{ type: 'addDirectories', directories: ['/a', 3], destination: 'session' }, 'a permission update addDirectories needs a list of directory paths'],
      [{ type: 'removeDirectories', directories: ['/a'], destination: 'session' }, 'a permission update removeDirectories is not supported by bcode; start a new session without the directory'],
      [{ type: 'frob', destination: 'session' }, 'a permission update has the type "frob"'],
      [{ destination: 'session' }, 'a permission update has the type null'],
    ];
    for (const [u, msg] of bad) {
      const e = await rejection(applyPermissionUpdates(p, [{ type: 'setMode', mode: 'plan', destination: 'session' }, u], targets));
      expect(e.message).toBe(msg);
      expect(e.hint).toBe(HINT);
    }
    expect(p.calls).toEqual([]);
    for (const mode of ['default', 'acceptEdits', 'plan', 'bypassPermissions']) await applyPermissionUpdates(p, [{ type: 'setMode', mode, destination: 'session' }], targets);
    expect(p.calls.map((c) => c[1])).toEqual(['default', 'acceptEdits', 'plan', 'bypassPermissions']);
  });

  it('a session that cannot change a thing says so', async () => {
    const bare: PermissionPolicy = { mode: 'default', decisions: [], decide: async () => ({ behavior: 'ask', reason: 'x' }), rememberAllow: async () => undefined };
    expect((await rejection(applyPermissionUpdates(bare, [{ type: 'addRules', behavior: 'allow', rules: [], destination: 'session' }], targets))).message).toBe('a permission update cannot be applied: this session cannot change its rules');
    expect((await rejection(applyPermissionUpdates(bare, [{ type: 'setMode', mode: 'plan', destination: 'session' }], targets))).message).toBe('a permission update cannot be applied: this session cannot change its mode');
    expect((await rejection(applyPermissionUpdates(bare, [{ type: 'addDirectories', directories: ['/a'], destination: 'session' }], targets))).message).toBe('a permission update cannot be applied: this session cannot add directories');
  });
});

describe('settings files', () => {
  const root = makeTempDir('bcode-mut-sf-');

  it('appendAllowRule: .claude/settings.local.json, once, other keys kept, mode 600', async () => {
    const proj = path.join(root, 'a');
    expect(localSettingsPath(proj)).toBe(path.join(proj, '.claude', 'settings.local.json'));
    expect(await appendAllowRule(proj, 'Bash(a)')).toBe(localSettingsPath(proj));
    await appendAllowRule(proj, 'Bash(a)');
    await appendAllowRule(proj, 'Bash(z)');
    expect(JSON.parse(fs.readFileSync(localSettingsPath(proj), 'utf8')).permissions.allow).toEqual(['Bash(a)', 'Bash(z)']);
    fs.writeFileSync(localSettingsPath(proj), JSON.stringify({ k: 1, permissions: { allow: 'x', deny: ['Read'] } }));
    await appendAllowRule(proj, 'Bash(b)');
    expect(JSON.parse(fs.readFileSync(localSettingsPath(proj), 'utf8'))).toEqual({ k: 1, permissions: { allow: ['Bash(b)'], deny: ['Read'] } });
    expect(fs.readFileSync(localSettingsPath(proj), 'utf8').endsWith('}\n')).toBe(true);
    expect(fs.readFileSync(localSettingsPath(proj), 'utf8')).toContain('\n  "k": 1');
    expect(fs.statSync(localSettingsPath(proj)).mode & 0o777).toBe(0o600);
    // Nothing left beside it.
    expect(fs.readdirSync(path.dirname(localSettingsPath(proj)))).toEqual(['settings.local.json']);
    // An empty file is an empty object.
    fs.writeFileSync(localSettingsPath(proj), '  \n');
    await appendAllowRule(proj, 'Bash(c)');
    expect(JSON.parse(fs.readFileSync(localSettingsPath(proj), 'utf8'))).toEqual({ permissions: { allow: ['Bash(c)'] } });
  });

  it('editPermissions refuses a file it cannot read or that is not an object, and changes nothing', async () => {
    const f = path.join(root, 'b', 'settings.json');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const cases: Array<[string, string]> = [
      ['{bad', `${f} is not valid JSON, so the rule was not saved`],
      ['[1]', `${f} must hold a JSON object, so the rule was not saved`],
      ['null', `${f} must hold a JSON object, so the rule was not saved`],
      ['3', `${f} must hold a JSON object, so the rule was not saved`],
      ['{"permissions":[]}', `permissions in ${f} must be an object, so the rule was not saved`],
      ['{"permissions":null}', `permissions in ${f} must be an object, so the rule was not saved`],
      ['{"permissions":"x"}', `permissions in ${f} must be an object, so the rule was not saved`],
    ];
    for (const [text, msg] of cases) {
      fs.writeFileSync(f, text);
      const e = await rejection(editPermissions(f, (p) => void (p.allow = ['x'])));
      expect(e.message).toBe(msg);
      expect(e.hint).toMatch(/then allow again$/);
      expect(fs.readFileSync(f, 'utf8')).toBe(text);
    }
    const dir = path.join(root, 'b', 'adir');
    fs.mkdirSync(dir);
    const e = await rejection(editPermissions(dir, () => undefined));
    expect(e.message).toMatch(new RegExp(`^cannot read ${dir}: `));
    expect(e.hint).toBe('check the file permissions');
  });

  it('rule-files: which files hold a rule, and adding or removing it there', async () => {
    const a = path.join(root, 'c', 'local.json');
    const b = path.join(root, 'c', 'user.json');
    const missing = path.join(root, 'c', 'none.json');
    fs.mkdirSync(path.dirname(a), { recursive: true });
    fs.writeFileSync(a, JSON.stringify({ keep: true, permissions: { allow: [' Bash(a) ', 3], deny: ['Bash(a)'], ask: ['Bash(z)'] } }));
    // A non-string entry before the rule is skipped, not trimmed.
    fs.writeFileSync(b, JSON.stringify({ permissions: { allow: [null, 'Bash(a)'] } }));
    const config = { settingsFiles: [{ scope: 'local', path: a }, { scope: 'user', path: b }, { scope: 'project', path: missing }] } as unknown as Config;
    expect(await ruleOrigins(config, 'allow', 'Bash(a)')).toEqual([{ scope: 'local', path: a }, { scope: 'user', path: b }]);
    expect(await ruleOrigins(config, 'deny', ' Bash(a)')).toEqual([{ scope: 'local', path: a }]);
    expect(await ruleOrigins(config, 'ask', 'Bash(a)')).toEqual([]);
    expect(await ruleOrigins({} as Config, 'allow', 'Bash(a)')).toEqual([]);
    fs.writeFileSync(b, JSON.stringify({ permissions: 'x' }));
    expect(await ruleOrigins(config, 'allow', 'Bash(a)')).toEqual([{ scope: 'local', path: a }]);
    fs.writeFileSync(b, JSON.stringify({ permissions: { allow: 'Bash(a)' } }));
    expect(await ruleOrigins(config, 'allow', 'Bash(a)')).toEqual([{ scope: 'local', path: a }]);
    fs.writeFileSync(b, '');
    expect(await ruleOrigins(config, 'allow', 'Bash(a)')).toEqual([{ scope: 'local', path: a }]);

    await editRuleInFile(a, 'allow', ' Bash(a)', 'add');
    expect(JSON.parse(fs.readFileSync(a, 'utf8')).permissions.allow).toEqual([' Bash(a) ', 3]);
    await editRuleInFile(a, 'allow', ' Bash(b) ', 'add');
    expect(JSON.parse(fs.readFileSync(a, 'utf8')).permissions.allow).toEqual([' Bash(a) ', 3, 'Bash(b)']);
    await editRuleInFile(a, 'allow', ' Bash(a) ', 'remove');
    expect(JSON.parse(fs.readFileSync(a, 'utf8'))).toEqual({ keep: true, permissions: { allow: [3, 'Bash(b)'], deny: ['Bash(a)'], ask: ['Bash(z)'] } });
    expect(fs.readFileSync(a, 'utf8').endsWith('}\n')).toBe(true);
    const fresh = path.join(root, 'c', 'new', 'x.json');
    await editRuleInFile(fresh, 'deny', 'Read', 'add');
    expect(JSON.parse(fs.readFileSync(fresh, 'utf8'))).toEqual({ permissions: { deny: ['Read'] } });
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
    fs.writeFileSync(fresh, JSON.stringify({ permissions: { deny: 'Read' } }));
    await editRuleInFile(fresh, 'deny', 'Bash', 'add');
    expect(JSON.parse(fs.readFileSync(fresh, 'utf8'))).toEqual({ permissions: { deny: ['Bash'] } });
    fs.writeFileSync(fresh, '\n');
    await editRuleInFile(fresh, 'ask', 'Bash', 'add');
    expect(JSON.parse(fs.readFileSync(fresh, 'utf8'))).toEqual({ permissions: { ask: ['Bash'] } });
  });

  it('rule-files refuses a broken file and leaves it as it was', async () => {
    const f = path.join(root, 'd', 's.json');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const cases: Array<[string, string]> = [
      ['{bad', `${f} is not valid JSON, so it was not changed`],
      ['[]', `${f} must hold a JSON object, so it was not changed`],
      ['null', `${f} must hold a JSON object, so it was not changed`],
      ['"s"', `${f} must hold a JSON object, so it was not changed`],
      ['{"permissions":[]}', `permissions in ${f} must be an object, so it was not changed`],
      ['{"permissions":null}', `permissions in ${f} must be an object, so it was not changed`],
      ['{"permissions":1}', `permissions in ${f} must be an object, so it was not changed`],
    ];
    for (const [text, msg] of cases) {
      fs.writeFileSync(f, text);
      const e = await rejection(editRuleInFile(f, 'allow', 'Bash', 'add'));
      expect(e.message).toBe(msg);
      expect(e.hint).toBe('fix the file, then try again');
      expect(fs.readFileSync(f, 'utf8')).toBe(text);
    }
    fs.writeFileSync(f, '{bad');
    const e = await rejection(ruleOrigins({ settingsFiles: [{ scope: 'local', path: f }] } as unknown as Config, 'allow', 'Bash'));
    expect(e.message).toBe(`${f} is not valid JSON, so it was not changed`);
    const dir = path.join(root, 'd', 'adir');
    fs.mkdirSync(dir);
    const r = await rejection(editRuleInFile(dir, 'allow', 'Bash', 'add'));
    expect(r.message).toMatch(new RegExp(`^cannot read ${dir}: `));
    expect(r.hint).toBe('check the file permissions');
  });
});

describe('createPermissionPolicy', () => {
  const w = makeWorld();
  afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));
  const cfg = (extra: Partial<Config> = {}, env: Record<string, string> = {}) => ({ ...fakeConfig(w, {}, env), ...extra }) as Config;

  it('the mode: option, else the settings default, else default', () => {
    expect(createPermissionPolicy(cfg(), { cwd: w.project, uid: 1000 }).mode).toBe('default');
    expect(createPermissionPolicy(fakeConfig(w, { defaultMode: 'plan' }), { cwd: w.project, uid: 1000 }).mode).toBe('plan');
    expect(createPermissionPolicy(fakeConfig(w, { defaultMode: 'plan' }), { cwd: w.project, uid: 1000, mode: 'acceptEdits' }).mode).toBe('acceptEdits');
  });

  it('bypassPermissions as root needs IS_SANDBOX (1, true or yes, any case, spaces trimmed); other modes and users do not', () => {
    const root = (env: Record<string, string>) => () => createPermissionPolicy(cfg({}, env), { cwd: w.project, uid: 0, mode: 'bypassPermissions' });
    const e = errorOf(root({}));
    expect(e.message).toBe('bypassPermissions is refused when running as root, because every command would run unchecked with full rights');
    expect(e.hint).toBe('run as a normal user, or set IS_SANDBOX=1 if this is a disposable sandbox or container');
    for (const v of ['1', 'true', 'YES', ' True ']) expect(root({ IS_SANDBOX: v }), v).not.toThrow();
    for (const v of ['0', 'no', '', 'sandbox']) expect(root({ IS_SANDBOX: v }), v).toThrow(ConfigError);
    expect(() => createPermissionPolicy(cfg(), { cwd: w.project, uid: 1000, mode: 'bypassPermissions' })).not.toThrow();
    expect(() => createPermissionPolicy(cfg(), { cwd: w.project, uid: 0, mode: 'acceptEdits' })).not.toThrow();
    // The same check guards a switch made later.
    const p = createPermissionPolicy(cfg(), { cwd: w.project, uid: 0 });
    expect(() => p.setMode!('bypassPermissions')).toThrow(/refused when running as root/);
    expect(() => p.setMode!('yolo' as PermissionMode)).toThrow("unknown permission mode 'yolo'");
    const e2 = errorOf(() => p.setMode!('yolo' as PermissionMode));
    expect(e2.hint).toBe('use one of: default, acceptEdits, plan, bypassPermissions');
    // The process's own uid when none is given.
    const own = () => createPermissionPolicy(cfg(), { cwd: w.project, mode: 'bypassPermissions' });
    if (process.getuid?.() === 0) expect(own).toThrow(ConfigError);
    else expect(own).not.toThrow();
  });

  it('rules from settings and options together; the home from the option, else HOME, else the user home', async () => {
    const p = createPermissionPolicy(fakeConfig(w, { deny: ['Read(~/.ssh/**)'], allow: ['Bash(a)'], ask: ['WebFetch'] }), { cwd: w.project, uid: 1000, allow: ['Bash(b)'], deny: ['Bash(c)'], ask: ['WebSearch'] });
    expect(p.listRules!()).toEqual({ allow: ['Bash(a)', 'Bash(b)'], ask: ['WebFetch', 'WebSearch'], deny: ['Read(~/.ssh/**)', 'Bash(c)'], additionalDirectories: [] });
    // HOME from the configuration's environment.
    expect((await p.decide('Read', { file_path: path.join(w.home, '.ssh', 'id_rsa') })).behavior).toBe('deny');
    const other = createPermissionPolicy(fakeConfig(w, { deny: ['Read(~/x)'] }), { cwd: w.project, uid: 1000, home: w.outside });
    expect((await other.decide('Read', { file_path: path.join(w.outside, 'x') })).behavior).toBe('deny');
    const noEnv = createPermissionPolicy({ ...fakeConfig(w, { deny: ['Read(~/x)'] }), env: { HOME: '' } } as Config, { cwd: w.project, uid: 1000 });
    expect(noEnv.isDenied!('Read', path.join(process.env.HOME ?? '/root', 'x'))).toBe(true);
    const undefinedEnv = createPermissionPolicy({ ...fakeConfig(w, { deny: ['Read(~/x)'] }), env: undefined } as unknown as Config, { cwd: w.project, uid: 1000 });
    expect(undefinedEnv.isDenied!('Read', path.join(process.env.HOME ?? '/root', 'x'))).toBe(true);
    // The project root, else the cwd, anchors `/` rules.
    const noRoot = createPermissionPolicy({ ...fakeConfig(w, { deny: ['Read(/x)'] }), projectRoot: '' } as Config, { cwd: w.outside, uid: 1000 });
    expect(noRoot.isDenied!('Read', path.join(w.outside, 'x'))).toBe(true);
    const withDirs = createPermissionPolicy(fakeConfig(w, { additionalDirectories: [w.extra] }), { cwd: w.project, uid: 1000 });
    expect(withDirs.listRules!().additionalDirectories).toEqual([w.extra]);
    const caseless = createPermissionPolicy(fakeConfig(w, { deny: ['Read(./.env)'] }), { cwd: w.project, uid: 1000, caseInsensitivePaths: true });
    expect(caseless.isDenied!('Read', path.join(w.project, '.ENV'))).toBe(true);
    // Settings with no lists at all, and no extra rules: every list is empty.
    const bare = createPermissionPolicy({ ...fakeConfig(w), permissions: {} } as Config, { cwd: w.project, uid: 1000 });
    expect(bare.listRules!()).toEqual({ allow: [], ask: [], deny: [], additionalDirectories: [] });
    let t = 0;
    const timed = createPermissionPolicy(cfg(), { cwd: w.project, uid: 1000, now: () => ++t + 100 });
    await timed.decide('TodoWrite', {});
    expect(timed.decisions[0]!.at).toBe(101);
  });

  it('managed deny and ask rules survive a host replacing the rules; other layers do not count', () => {
    const layers = [
      { scope: 'managed', data: { permissions: { deny: ['Bash(rm:*)', 5], ask: ['WebFetch'], allow: ['Bash'] } } },
      { scope: 'managed', data: { permissions: 'x' } },
      { scope: 'managed', data: { permissions: null } },
      { scope: 'managed', data: { permissions: 7 } },
      { scope: 'managed', data: {} },
      { scope: 'managed', data: { permissions: { deny: 'Bash(x)' } } },
      { scope: 'user', data: { permissions: { deny: ['Bash(y)'] } } },
    ];
    const p = createPermissionPolicy({ ...fakeConfig(w, { deny: ['Bash(rm:*)', 'Bash(y)'], ask: ['WebFetch'], allow: ['Bash'] }), mcp: { layers } } as unknown as Config, { cwd: w.project, uid: 1000 });
    p.changeRules!('deny', 'replace', []);
    p.changeRules!('ask', 'replace', []);
    p.changeRules!('allow', 'replace', []);
    expect(p.listRules!()).toEqual({ allow: [], ask: ['WebFetch'], deny: ['Bash(rm:*)'], additionalDirectories: [] });
  });
});

describe('git repositories', () => {
  const root = fs.realpathSync(makeTempDir('bcode-mut-git-'));
  const mk = (...s: string[]) => {
    const d = path.join(root, ...s);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const fakeGitDir = (dir: string) => {
    mk(path.relative(root, dir), 'objects');
    mk(path.relative(root, dir), 'refs');
    fs.writeFileSync(path.join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  };

  it('a .git directory, found walking up', () => {
    const top = mk('normal');
    mk('normal', '.git');
    mk('normal', 'a', 'b');
    expect(discoverGitRepo(path.join(top, 'a', 'b'))).toEqual({ gitDir: path.join(top, '.git'), top });
    expect(gitRunsTrusted([path.join(top, 'a')])).toBe(true);
  });

  it('a .git file pointing elsewhere; an unreadable or pointless one is judged itself', () => {
    const wt = mk('wt');
    const target = mk('normal', '.git', 'worktrees', 'wt');
    fs.writeFileSync(path.join(wt, '.git'), `gitdir:   ${target}  \n`);
    expect(discoverGitRepo(wt)).toEqual({ gitDir: target, top: wt });
    const rel = mk('rel');
    fs.writeFileSync(path.join(rel, '.git'), 'x\ngitdir: ../normal/.git\n');
    expect(discoverGitRepo(rel)).toEqual({ gitDir: path.join(root, 'normal', '.git'), top: rel });
    const planted = mk('planted');
    fakeGitDir(mk('planted', 'fake'));
    fs.writeFileSync(path.join(planted, '.git'), 'gitdir: fake\n');
    expect(discoverGitRepo(planted)).toEqual({ gitDir: path.join(planted, 'fake'), top: planted });
    expect(gitRunsTrusted([planted])).toBe(false);
    const none = mk('none');
    fs.writeFileSync(path.join(none, '.git'), 'nothing here');
    expect(discoverGitRepo(none)).toEqual({ gitDir: path.join(none, '.git'), top: none });
    // Only the start of a line counts.
    const mid = mk('mid');
    fs.writeFileSync(path.join(mid, '.git'), 'x gitdir: /elsewhere');
    expect(discoverGitRepo(mid)?.gitDir).toBe(path.join(mid, '.git'));
    // Only the first 4096 characters of the pointer are read.
    const long = mk('long');
    fs.writeFileSync(path.join(long, '.git'), `${'x'.repeat(4100)}\ngitdir: ${target}\n`);
    expect(discoverGitRepo(long)?.gitDir).toBe(path.join(long, '.git'));
    // A pointer to nowhere names the place it points to (not resolvable, so kept as written).
    const gone = mk('gone');
    fs.writeFileSync(path.join(gone, '.git'), 'gitdir: missing/dir\n');
    expect(discoverGitRepo(gone)).toEqual({ gitDir: path.join(gone, 'missing', 'dir'), top: gone });
  });

  it('a directory that is itself a repository (bare) counts only with HEAD, objects and refs', () => {
    const bare = mk('bare.git');
    fakeGitDir(bare);
    expect(discoverGitRepo(path.join(bare))).toEqual({ gitDir: bare });
    expect(gitRunsTrusted([bare])).toBe(false);
    const noHead = mk('nohead');
    mk('nohead', 'objects');
    mk('nohead', 'refs');
    const noObjects = mk('noobjects');
    fs.writeFileSync(path.join(noObjects, 'HEAD'), 'x');
    mk('noobjects', 'refs');
    const noRefs = mk('norefs');
    fs.writeFileSync(path.join(noRefs, 'HEAD'), 'x');
    mk('norefs', 'objects');
    const headDir = mk('headdir', 'HEAD');
    mk('headdir', 'objects');
    mk('headdir', 'refs');
    const refsFile = mk('refsfile');
    fs.writeFileSync(path.join(refsFile, 'HEAD'), 'x');
    mk('refsfile', 'objects');
    fs.writeFileSync(path.join(refsFile, 'refs'), 'x');
    for (const d of [noHead, noObjects, noRefs, path.dirname(headDir), refsFile]) expect(discoverGitRepo(d), d).toBeUndefined();
  });

  it('no repository up to the root: undefined, which is trusted (git then fails harmlessly)', () => {
    expect(discoverGitRepo(mk('plain', 'x'))).toBeUndefined();
    expect(gitRunsTrusted([path.join(root, 'plain', 'x')])).toBe(true);
    expect(gitRunsTrusted([])).toBe(true);
    expect(gitRunsTrusted([path.join(root, 'plain'), path.join(root, 'bare.git')])).toBe(false);
  });

  it('a symlinked .git is resolved', () => {
    const top = mk('linked');
    fs.symlinkSync(path.join(root, 'normal', '.git'), path.join(top, '.git'));
    expect(discoverGitRepo(top)).toEqual({ gitDir: path.join(root, 'normal', '.git'), top });
  });

  it('trusted: any component named .git, in any case', () => {
    expect(isTrustedGitDir('/a/.git')).toBe(true);
    expect(isTrustedGitDir('/a/.GIT/worktrees/x')).toBe(true);
    expect(isTrustedGitDir('/a/x.git')).toBe(false);
    expect(isTrustedGitDir('/a/git')).toBe(false);
  });
});
