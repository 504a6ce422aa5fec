import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createPermissionPolicy } from '../../src/permissions/index.js';
import { analyzeShell } from '../../src/permissions/shell.js';
import { fakeConfig, makeWorld, policyFor } from './fixture.js';

const w = makeWorld();
afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));

describe('invalid rules are ConfigErrors naming the rule and the expected shape', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['Bash(npm test', /closing parenthesis/],
    ['Bash()', /empty parentheses/],
    ['bash(ls)', /did you mean 'Bash'/],
    ['WebFetch(example.com)', /WebFetch\(domain:example\.com\)/],
    ['WebFetch(domain:exa mple.com)', /not a domain/],
    ['mcp__github(create)', /MCP rules take no specifier/],
    ['Read (x)', /expected Tool or Tool\(specifier\)/],
  ];
  for (const [rule, why] of bad) {
    it(`rejects '${rule}'`, () => {
      let err: unknown;
      try {
        policyFor(w, { deny: [rule] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.message).toContain(`'${rule.trim()}'`);
      expect(e.message).toContain('permissions.deny');
      expect(e.message).toMatch(why);
      expect(e.hint).toContain('Tool(specifier)');
      expect(e.exitCode).toBe(2);
    });
  }

  it('accepts the reference syntax', () => {
    expect(() =>
      policyFor(w, {
        allow: ['Bash(npm run test:*)', 'Bash(git diff:*)', 'Read(./.env)', 'Edit(/src/**/*.ts)', 'Read(//etc/hosts)', 'Read(~/notes/**)', 'WebFetch(domain:*.example.com)', 'mcp__github', 'mcp__github__get_issue', 'Task(Explore)', 'Agent(model:opus)', 'SomeFutureTool'],
      }),
    ).not.toThrow();
  });

  it('rejects an unknown permission mode', () => {
    expect(() => createPermissionPolicy(fakeConfig(w), { cwd: w.project, mode: 'yolo' as never })).toThrow(/unknown permission mode 'yolo'/);
  });
});

describe('bypassPermissions as root', () => {
  it('is refused for uid 0 without IS_SANDBOX', () => {
    expect(() => createPermissionPolicy(fakeConfig(w), { cwd: w.project, mode: 'bypassPermissions', uid: 0 })).toThrow(ConfigError);
    try {
      createPermissionPolicy(fakeConfig(w), { cwd: w.project, mode: 'bypassPermissions', uid: 0 });
    } catch (e) {
      expect((e as ConfigError).message).toMatch(/refused when running as root/);
      expect((e as ConfigError).hint).toMatch(/IS_SANDBOX=1/);
    }
  });
  it('is refused when it comes from defaultMode too', () => {
    expect(() => createPermissionPolicy(fakeConfig(w, { defaultMode: 'bypassPermissions' }), { cwd: w.project, uid: 0 })).toThrow(/root/);
  });
  it('is accepted for uid 0 with IS_SANDBOX=1', () => {
    const p = createPermissionPolicy(fakeConfig(w, {}, { IS_SANDBOX: '1' }), { cwd: w.project, mode: 'bypassPermissions', uid: 0 });
    expect(p.mode).toBe('bypassPermissions');
  });
  it('is accepted for a normal user', () => {
    expect(createPermissionPolicy(fakeConfig(w), { cwd: w.project, mode: 'bypassPermissions', uid: 1000 }).mode).toBe('bypassPermissions');
  });
});

describe('extra allow/deny from the factory options (--allowedTools / --disallowedTools)', () => {
  it('are merged with the settings rules', async () => {
    const p = policyFor(w, { allow: ['Bash(npm test)'] }, { allow: ['Bash(make:*)'], deny: ['Bash(make deploy)'] });
    expect((await p.decide('Bash', { command: 'make build' })).behavior).toBe('allow');
    expect((await p.decide('Bash', { command: 'make deploy' })).behavior).toBe('deny');
    expect((await p.decide('Bash', { command: 'npm test' })).behavior).toBe('allow');
  });
});

describe('rememberAllow', () => {
  const settingsFile = () => path.join(w.project, '.claude', 'settings.local.json');

  it('creates .claude/settings.local.json and applies the rule at once', async () => {
    fs.rmSync(path.join(w.project, '.claude'), { recursive: true, force: true });
    const p = policyFor(w);
    expect((await p.decide('Bash', { command: 'npm run test -- -u' })).behavior).toBe('ask');
    await p.rememberAllow('Bash(npm run test:*)');
    expect((await p.decide('Bash', { command: 'npm run test -- -u' })).behavior).toBe('allow');
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual({ permissions: { allow: ['Bash(npm run test:*)'] } });
  });

  it('keeps other keys, does not duplicate, and leaves no temporary files', async () => {
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    fs.writeFileSync(settingsFile(), JSON.stringify({ model: 'opus', env: { A: '1' }, permissions: { allow: ['Bash(ls)'], deny: ['Read(./.env)'] } }));
    const p = policyFor(w);
    await p.rememberAllow('Edit(/src/**)');
    await p.rememberAllow('Edit(/src/**)');
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual({ model: 'opus', env: { A: '1' }, permissions: { allow: ['Bash(ls)', 'Edit(/src/**)'], deny: ['Read(./.env)'] } });
    expect(fs.readdirSync(path.dirname(settingsFile()))).toEqual(['settings.local.json']);
  });

  it('refuses to overwrite a file that is not valid JSON', async () => {
    fs.writeFileSync(settingsFile(), '{ broken');
    await expect(policyFor(w).rememberAllow('Bash(ls)')).rejects.toThrow(/not valid JSON/);
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe('{ broken');
  });

  it('rejects an invalid rule without touching the file', async () => {
    fs.writeFileSync(settingsFile(), '{}');
    await expect(policyFor(w).rememberAllow('bash(ls)')).rejects.toThrow(ConfigError);
    expect(fs.readFileSync(settingsFile(), 'utf8')).toBe('{}');
  });
});

describe('decision log and decision details', () => {
  it('records every decision with tool, input, behavior, reason and rule', async () => {
    const p = policyFor(w, { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] });
    await p.decide('Bash', { command: 'npm test' });
    await p.decide('Read', { file_path: path.join(w.project, '.env') });
    await p.decide('Write', { file_path: path.join(w.project, 'x'), content: '' });
    expect(p.decisions.map((d) => [d.tool, d.behavior, d.rule])).toEqual([
      ['Bash', 'allow', 'Bash(npm test)'],
      ['Read', 'deny', 'Read(./.env)'],
      ['Write', 'ask', undefined],
    ]);
    expect(p.decisions[0]!.input).toEqual({ command: 'npm test' });
    expect(p.decisions.every((d) => d.reason.length > 0 && typeof d.at === 'number')).toBe(true);
  });

  it('suggests one rule per command that needs approval', async () => {
    const d = await policyFor(w).decide('Bash', { command: 'npm run build && cargo test --all' });
    expect(d.behavior).toBe('ask');
    expect(d.suggestedRules).toEqual(['Bash(npm run build)', 'Bash(cargo test:*)']);
  });

  it('uses the Bash tool’s own directory when given', async () => {
    const p = policyFor(w);
    expect((await p.decide('Bash', { command: 'cat passwd' }, { shellCwd: w.outside })).behavior).toBe('ask');
    expect((await p.decide('Bash', { command: 'ls' }, { shellCwd: w.outside })).behavior).toBe('ask');
    expect((await p.decide('Bash', { command: 'ls' }, { shellCwd: path.join(w.project, 'src') })).behavior).toBe('allow');
  });
});

describe('isDenied (for search tools filtering their results)', () => {
  it('reports paths a deny rule covers, under any spelling', () => {
    const p = policyFor(w, { deny: ['Read(./.env)', 'Read(./secrets/**)'] });
    expect(p.isDenied?.('Grep', path.join(w.project, '.env'))).toBe(true);
    expect(p.isDenied?.('Glob', path.join(w.project, 'src', '..', 'secrets', 'k'))).toBe(true);
    expect(p.isDenied?.('Grep', path.join(w.project, 'src', 'a.ts'))).toBe(false);
    expect(p.isDenied?.('Write', path.join(w.project, '.env'))).toBe(false);
  });
});

describe('mode switching, rule listing, odd inputs', () => {
  it('setMode changes decisions at once and refuses bypass as root', async () => {
    const p = policyFor(w, {}, { uid: 0 });
    const write = { file_path: path.join(w.project, 'src', 'n.ts'), content: '' };
    expect((await p.decide('Write', write)).behavior).toBe('ask');
    p.setMode?.('acceptEdits');
    expect(p.mode).toBe('acceptEdits');
    expect((await p.decide('Write', write)).behavior).toBe('allow');
    p.setMode?.('plan');
    expect((await p.decide('Write', write)).behavior).toBe('deny');
    expect(() => p.setMode?.('bypassPermissions')).toThrow(/root/);
    expect(p.mode).toBe('plan');
  });

  it('lists the rules in force, including remembered ones', async () => {
    fs.rmSync(path.join(w.project, '.claude'), { recursive: true, force: true });
    const p = policyFor(w, { allow: ['Bash(ls)'], deny: ['Read(./.env)'], additionalDirectories: ['../extra'] }, { allow: ['Edit'] });
    await p.rememberAllow('Bash(make:*)');
    expect(p.listRules?.()).toEqual({ allow: ['Bash(ls)', 'Edit', 'Bash(make:*)'], ask: [], deny: ['Read(./.env)'], additionalDirectories: ['../extra'] });
  });

  it('concurrent "always allow" answers are all saved', async () => {
    fs.rmSync(path.join(w.project, '.claude'), { recursive: true, force: true });
    const p = policyFor(w);
    await Promise.all(['Bash(a)', 'Bash(b)', 'Bash(c)', 'Bash(d)'].map((r) => p.rememberAllow(r)));
    const saved = JSON.parse(fs.readFileSync(path.join(w.project, '.claude', 'settings.local.json'), 'utf8')) as { permissions: { allow: string[] } };
    expect(saved.permissions.allow.sort()).toEqual(['Bash(a)', 'Bash(b)', 'Bash(c)', 'Bash(d)']);
  });

  it('never throws on malformed tool input from the model', async () => {
    const p = policyFor(w);
    for (const [tool, input] of [
      ['Bash', null],
      ['Bash', { command: 42 }],
      ['Read', 'x'],
      ['Write', {}],
      ['WebFetch', { url: 'not a url' }],
      ['Glob', { pattern: 7 }],
      ['mcp__x__y', undefined],
    ] as const) {
      const d = await p.decide(tool, input);
      expect(['ask', 'allow', 'deny']).toContain(d.behavior);
      expect(d.reason).toBeTruthy();
    }
    expect((await p.decide('Bash', null)).behavior).toBe('ask');
    expect((await p.decide('Write', {})).behavior).toBe('ask');
  });
});

describe('shell analysis', () => {
  it('finds every simple command and classifies redirects', async () => {
    const a = await analyzeShell('a && b || c; d | e\nf $(g `h`) <(i) > out 2>&1 < in');
    expect(a.commands.map((c) => c.words[0]!.raw)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(a.redirects.map((r) => [r.op, r.kind, r.target.value])).toEqual([
      ['>', 'write', 'out'],
      ['>&', 'dup', '1'],
      ['<', 'read', 'in'],
    ]);
  });
  it('sees commands inside a heredoc body', async () => {
    const a = await analyzeShell('cat <<EOF\n$(touch marker)\nEOF');
    expect(a.commands.map((c) => c.text)).toEqual(['cat', 'touch marker']);
  });
  it('unquotes literal words and keeps expansions raw', async () => {
    const a = await analyzeShell(`echo "a b" 'c' d\\ e $HOME *.ts ~/x`);
    expect(a.commands[0]!.words.map((x) => x.value)).toEqual(['echo', 'a b', 'c', 'd e', undefined, undefined, undefined]);
    expect(a.commands[0]!.text).toBe(`echo 'a b' c 'd e' $HOME *.ts ~/x`);
  });
});
