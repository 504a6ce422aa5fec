/**
 * Rule parsing and the tool part of rule matching (rules.ts), in-process: where a path rule is
 * anchored, which tools a rule covers, what a rule's specifier becomes, and the error a bad rule
 * gives. A rule anchored in the wrong place, or a tool it wrongly does not cover, is a deny
 * rule that does not protect.
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { anchorPathPattern, defaultBases, EDIT_TOOLS, parseRule, parseRules, READ_TOOLS, ruleCoversTool, type RuleBases } from '../../src/permissions/rules.js';
import { configErrorOf } from '../helpers/config-error.js';

// Directories that do not exist, so no symlink resolution adds spellings.
const base: RuleBases = { cwd: '/nx/proj/sub', projectRoot: '/nx/proj', home: '/nx/home' };
const rule = (r: string, list: 'allow' | 'ask' | 'deny' = 'deny', b: RuleBases = base) => parseRule(r, list, b);

const errorOf = configErrorOf;

describe('anchoring of path rules', () => {
  it.each([
    ['//etc/hosts', ['/etc/hosts']],
    ['//etc/../etc/x', ['/etc/x']],
    ['~', ['/nx/home']],
    ['~/.ssh/**', ['/nx/home/.ssh/**']],
    ['/src/**', ['/nx/proj/src/**']],
    ['/', ['/nx/proj/']],
    ['./.env', ['/nx/proj/sub/.env']],
    ['./a/b', ['/nx/proj/sub/a/b']],
    ['a/b', ['/nx/proj/sub/a/b']],
    ['.env', ['/nx/proj/sub/**/.env']],
    ['secrets/', ['/nx/proj/sub/**/secrets/']],
    ['secrets//', ['/nx/proj/sub/**/secrets/']],
    ['*.pem', ['/nx/proj/sub/**/*.pem']],
    ['**', ['/nx/proj/sub/**']],
    ['./**', ['/nx/proj/sub/**']],
    ['./x', ['/nx/proj/sub/x']],
    ['./', ['/nx/proj/sub/']],
    ['a./', ['/nx/proj/sub/**/a./']],
    ['~x', ['/nx/proj/sub/**/~x']],
  ])('%s → %j', (spec, want) => {
    expect(anchorPathPattern(spec, base)).toEqual(want);
  });

  it('a base that is a symlink gives both spellings, as given first', () => {
    // /proc/self is a symlink on Linux; a base with it resolves elsewhere.
    const b: RuleBases = { cwd: '/proc/self', projectRoot: '/proc/self', home: '/proc/self' };
    const real = (globalThis.process.pid).toString();
    expect(anchorPathPattern('./x', b)).toEqual(['/proc/self/x', `/proc/${real}/x`]);
    expect(anchorPathPattern('/x', b)).toEqual(['/proc/self/x', `/proc/${real}/x`]);
    expect(anchorPathPattern('~/x', b)).toEqual(['/proc/self/x', `/proc/${real}/x`]);
    expect(anchorPathPattern('~', b)).toEqual(['/proc/self', `/proc/${real}`]);
  });
});

describe('parsing', () => {
  it('path rules compile one matcher per anchored glob; only deny and ask rules ignore case, when asked', () => {
    const r = rule(' Read(./.env) ');
    expect(r).toMatchObject({ source: 'Read(./.env)', list: 'deny', tool: 'Read', specifier: './.env', anchored: ['/nx/proj/sub/.env'] });
    expect(r.paths![0]!.test('/nx/proj/sub/.env')).toBe(true);
    expect(r.paths![0]!.test('/nx/proj/sub/.ENV')).toBe(false);
    const ci = { ...base, caseInsensitive: true };
    expect(rule('Read(./.env)', 'deny', ci).paths![0]!.test('/nx/proj/sub/.ENV')).toBe(true);
    expect(rule('Read(./.env)', 'ask', ci).paths![0]!.test('/nx/proj/sub/.ENV')).toBe(true);
    expect(rule('Read(./.env)', 'allow', ci).paths![0]!.test('/nx/proj/sub/.ENV')).toBe(false);
    // The specifier is trimmed before anchoring.
    expect(rule('Edit( ./x )').anchored).toEqual(['/nx/proj/sub/x']);
    for (const t of [...READ_TOOLS, ...EDIT_TOOLS]) expect(rule(`${t}(./x)`).paths, t).toHaveLength(1);
  });

  it('Bash rules: :* at the end only, * alone is every command', () => {
    const prefix = rule('Bash(npm run test:*)');
    expect(prefix.command!.test('npm run test')).toBe(true);
    expect(prefix.command!.test('npm run test --watch')).toBe(true);
    expect(prefix.command!.test('npm run test:unit')).toBe(false);
    expect(rule('Bash(a:*b)').command!.test('a:xb')).toBe(true);
    expect(rule('Bash(a:*b)').command!.test('a xb')).toBe(false);
    expect(rule('Bash(*)')).toEqual({ source: 'Bash(*)', list: 'deny', tool: 'Bash' });
    expect(rule('Bash( * )')).toEqual({ source: 'Bash( * )', list: 'deny', tool: 'Bash' });
    expect(rule('Bash(ls)')).toMatchObject({ specifier: 'ls' });
    expect(rule('Bash(ls)').command!.test('ls')).toBe(true);
  });

  it('WebFetch rules take domain:host, lower-cased; *. is any subdomain; * is every host; a port is allowed', () => {
    expect(rule('WebFetch(domain:Example.COM)').domain).toEqual({ host: 'example.com', subdomains: false });
    expect(rule('WebFetch(domain:*.example.com)').domain).toEqual({ host: 'example.com', subdomains: true });
    expect(rule('WebFetch(domain:*)').domain).toEqual({ host: '*', subdomains: true });
    expect(rule('WebFetch( domain: example.com )').domain).toEqual({ host: 'example.com', subdomains: false });
    expect(rule('WebFetch(domain:localhost:8080)').domain).toEqual({ host: 'localhost:8080', subdomains: false });
    expect(rule('WebFetch(domain:a)').domain).toEqual({ host: 'a', subdomains: false });
    for (const bad of ['WebFetch(domain:-a.com)', 'WebFetch(domain:a.com-)', 'WebFetch(domain:a_b.com)', 'WebFetch(domain:a.com:)', 'WebFetch(domain:a.com:x)', 'WebFetch(domain:*.*)', 'WebFetch(domain:a b)', 'WebFetch(domain:)']) {
      expect(errorOf(() => rule(bad)).message, bad).toMatch(/is not a domain name/);
    }
    const e = errorOf(() => rule('WebFetch(example.com)'));
    expect(e.message).toBe("invalid permission rule 'WebFetch(example.com)' in permissions.deny: WebFetch rules take a domain, e.g. WebFetch(domain:example.com) or WebFetch(domain:*.example.com)");
    expect(errorOf(() => rule('WebFetch(domain:a b)')).message).toBe("invalid permission rule 'WebFetch(domain:a b)' in permissions.deny: 'a b' is not a domain name");
  });

  it('other tools: key:value, or the sub-agent type for Task and Agent', () => {
    expect(rule('Agent(model: opus )').param).toEqual({ key: 'model', value: 'opus' });
    expect(rule('Agent( model :opus)').param).toEqual({ key: 'model', value: 'opus' });
    expect(rule('Task( Explore )').param).toEqual({ key: 'subagent_type', value: 'Explore' });
    expect(rule('Agent(Explore)').param).toEqual({ key: 'subagent_type', value: 'Explore' });
    expect(rule('Custom(a:b:c)').param).toEqual({ key: 'a', value: 'b:c' });
    expect(rule('Custom(:b)').param).toBeUndefined();
    expect(rule('Custom(plain)').param).toBeUndefined();
    expect(rule('Custom(plain)').specifier).toBe('plain');
  });

  it('MCP rules: mcp__server, mcp__server__tool, mcp__server__* — no specifier', () => {
    expect(rule('mcp__github__*')).toEqual({ source: 'mcp__github__*', list: 'deny', tool: 'mcp__github' });
    expect(rule('mcp__git_hub-2__*')).toEqual({ source: 'mcp__git_hub-2__*', list: 'deny', tool: 'mcp__git_hub-2' });
    expect(rule('mcp__a__b__*').tool).toBe('mcp__a__b');
    expect(rule('mcp__github')).toEqual({ source: 'mcp__github', list: 'deny', tool: 'mcp__github' });
    expect(errorOf(() => rule('mcp__github(x)')).message).toMatch(/MCP rules take no specifier/);
    expect(errorOf(() => rule('xmcp__github__*')).message).toMatch(/expected Tool or Tool\(specifier\)/);
    expect(errorOf(() => rule('mcp__github__*x')).message).toMatch(/expected Tool or Tool\(specifier\)/);
  });

  it('bad rules name the rule, the list and what is wrong, with the syntax as hint', () => {
    const cases: Array<[unknown, string]> = [
      [42, "invalid permission rule '42' in permissions.ask: a rule must be a string"],
      ['  ', "invalid permission rule '  ' in permissions.ask: the rule is empty"],
      ['Bash(ls', "invalid permission rule 'Bash(ls' in permissions.ask: missing the closing parenthesis"],
      ['Bash(ls)x', "invalid permission rule 'Bash(ls)x' in permissions.ask: missing the closing parenthesis"],
      ['Bash)', "invalid permission rule 'Bash)' in permissions.ask: expected Tool or Tool(specifier)"],
      ['Ba sh', "invalid permission rule 'Ba sh' in permissions.ask: expected Tool or Tool(specifier)"],
      ['1Bash', "invalid permission rule '1Bash' in permissions.ask: expected Tool or Tool(specifier)"],
      ['1Bash(x)', "invalid permission rule '1Bash(x)' in permissions.ask: expected Tool or Tool(specifier)"],
      ['Bash()', "invalid permission rule 'Bash()' in permissions.ask: empty parentheses: write Bash to match every use, or give a specifier"],
      ['Bash(  )', "invalid permission rule 'Bash(  )' in permissions.ask: empty parentheses: write Bash to match every use, or give a specifier"],
      ['read(./x)', "invalid permission rule 'read(./x)' in permissions.ask: unknown tool 'read' (tool names are case-sensitive: did you mean 'Read'?)"],
    ];
    for (const [r, msg] of cases) {
      const e = errorOf(() => parseRule(r as string, 'ask', base));
      expect(e.message).toBe(msg);
      expect(e.hint).toBe('rules look like Tool or Tool(specifier), e.g. "Bash(npm run test:*)", "Read(./.env)", "Edit(/src/**)", "WebFetch(domain:example.com)", "mcp__github"');
    }
    // Names made of letters, digits, _ and -, starting with a letter or _.
    expect(rule('_my-Tool_2').tool).toBe('_my-Tool_2');
    expect(rule('T(a\nb)').specifier).toBe('a\nb');
  });

  it.each(['Bash', ...READ_TOOLS, ...EDIT_TOOLS, 'WebFetch', 'WebSearch', 'TodoWrite', 'Task', 'Agent', 'BashOutput', 'KillShell', 'KillBash', 'ExitPlanMode', 'SlashCommand', 'Skill'])('%s is a known tool: a wrong letter case is refused', (tool) => {
    expect(() => rule(tool)).not.toThrow();
    expect(errorOf(() => rule(tool.toLowerCase())).message).toContain(`did you mean '${tool}'?`);
    if (tool.toUpperCase() !== tool) expect(errorOf(() => rule(tool.toUpperCase())).message).toContain(`did you mean '${tool}'?`);
  });

  it('parseRules: none, a list, or a ConfigError for anything else', () => {
    expect(parseRules(undefined, 'allow', base)).toEqual([]);
    expect(parseRules(['Bash', 'Read'], 'allow', base).map((r) => r.tool)).toEqual(['Bash', 'Read']);
    const e = errorOf(() => parseRules('Bash' as never, 'allow', base));
    expect(e.message).toBe('permissions.allow must be a list of rules');
    expect(e.hint).toMatch(/^rules look like/);
  });
});

describe('which tools a rule covers', () => {
  const covers = (r: string, tool: string) => ruleCoversTool(rule(r), tool);
  it('Read covers the read tools, Edit the edit tools, and nothing else', () => {
    for (const t of ['Read', 'Glob', 'Grep', 'LS', 'NotebookRead']) expect(covers('Read', t), t).toBe(true);
    for (const t of ['Edit', 'Write', 'MultiEdit', 'NotebookEdit']) expect(covers('Edit', t), t).toBe(true);
    for (const t of ['Edit', 'Write', 'Bash']) expect(covers('Read', t), t).toBe(false);
    for (const t of ['Read', 'Grep', 'Bash']) expect(covers('Edit', t), t).toBe(false);
    expect(covers('Grep', 'Read')).toBe(false);
    expect(covers('Write', 'Edit')).toBe(false);
  });
  it('Task and Agent, KillShell and KillBash are the same tool', () => {
    expect(covers('Task', 'Agent')).toBe(true);
    expect(covers('Agent', 'Task')).toBe(true);
    expect(covers('KillShell', 'KillBash')).toBe(true);
    expect(covers('KillBash', 'KillShell')).toBe(true);
    expect(covers('Task', 'KillBash')).toBe(false);
    expect(covers('KillShell', 'Agent')).toBe(false);
    expect(covers('Agent', 'Agent')).toBe(true);
    // Each direction of each alias on its own: the alias names cover nothing else, nor are covered by anything else.
    for (const alias of ['Task', 'Agent', 'KillShell', 'KillBash']) {
      expect(covers(alias, 'Bash'), `${alias} → Bash`).toBe(false);
      expect(covers('Bash', alias), `Bash → ${alias}`).toBe(false);
    }
  });
  it('mcp__server covers its own tools only; mcp__server__tool only itself', () => {
    expect(covers('mcp__gh', 'mcp__gh__issue')).toBe(true);
    expect(covers('mcp__gh', 'mcp__ghx__issue')).toBe(false);
    expect(covers('mcp__gh', 'mcp__gh')).toBe(true);
    expect(covers('mcp__gh__issue', 'mcp__gh__issue__x')).toBe(false);
    expect(covers('mcp__gh__*', 'mcp__gh__issue')).toBe(true);
    expect(ruleCoversTool({ source: 'x', list: 'deny', tool: 'gh' }, 'gh__x')).toBe(false);
    // Only an mcp__ rule covers the tools below it: a name that merely contains __ does not.
    expect(covers('my__srv', 'my__srv__tool')).toBe(false);
  });
});

describe('defaultBases', () => {
  it('resolves the directories; home defaults to the user home', () => {
    expect(defaultBases('/a/b/../c', '/a/./p', '/h')).toEqual({ cwd: '/a/c', projectRoot: '/a/p', home: '/h' });
    expect(defaultBases('/a', '/a').home).toBe(os.homedir());
  });
});
