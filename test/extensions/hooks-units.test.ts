import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcodeTrustPath, isFolderTrusted, referenceStatePath, trustFolder } from '../../src/config/trust.js';
import { resolveHooks } from '../../src/extensions/hooks/config.js';
import { compileMatcher } from '../../src/extensions/hooks/matcher.js';
import { combineRuns } from '../../src/extensions/hooks/outcome.js';
import { matchingHooks, runHooks } from '../../src/extensions/hooks/runner.js';
import type { ConfiguredHook, HookRun } from '../../src/extensions/hooks/types.js';
import { makeTempDir } from '../helpers/temp.js';

const matches = (m: string | undefined, v: string) => {
  const c = compileMatcher(m);
  if ('error' in c) throw new Error(c.error);
  return c(v);
};

describe('matchers', () => {
  it('treats empty, absent and * as everything', () => {
    for (const m of [undefined, '', '*', ' ']) expect(matches(m, 'mcp__github__create_issue')).toBe(true);
  });
  it('matches names and | lists exactly, case-sensitively', () => {
    expect(matches('Write', 'Write')).toBe(true);
    expect(matches('Write', 'WriteFile')).toBe(false);
    expect(matches('Write', 'write')).toBe(false);
    expect(matches('Edit|Write', 'Edit')).toBe(true);
    expect(matches('Edit|Write', 'MultiEdit')).toBe(false);
    expect(matches('mcp__memory__create_entities', 'mcp__memory__create_entities')).toBe(true);
  });
  it('matches regular expressions against the whole name, MCP tool names included', () => {
    expect(matches('Notebook.*', 'NotebookEdit')).toBe(true);
    expect(matches('mcp__github__.*', 'mcp__github__create_issue')).toBe(true);
    expect(matches('mcp__github__.*', 'mcp__gitlab__create_issue')).toBe(false);
    expect(matches('mcp__.*__write.*', 'mcp__fs__write_file')).toBe(true);
    expect(matches('.*Edit', 'MultiEdit')).toBe(true);
  });
  it('reports an invalid expression', () => {
    expect(compileMatcher('Bash(')).toMatchObject({ error: expect.stringContaining("matcher 'Bash(' is not a valid regular expression") });
  });
});

const hook = (over: Partial<ConfiguredHook> = {}): ConfiguredHook => ({ event: 'PreToolUse', command: 'true', timeout: 60, scope: 'user', origin: 'u', ...over });
const run = (over: Partial<HookRun>): HookRun => ({ hook: hook(), exitCode: 0, stdout: '', stderr: '', timedOut: false, ...over });

describe('combining hook results', () => {
  it('ranks deny over ask over allow and keeps the first updatedInput', () => {
    const v = combineRuns('PreToolUse', [
      run({ json: { hookSpecificOutput: { permissionDecision: 'allow', updatedInput: { a: 1 } } } }),
      run({ json: { hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: 'no' } } }),
      run({ json: { hookSpecificOutput: { permissionDecision: 'ask', updatedInput: { a: 2 } } } }),
    ]);
    expect(v).toMatchObject({ permission: 'deny', permissionReason: 'no', updatedInput: { a: 1 } });
  });
  it('reads the older decision approve/block on PreToolUse', () => {
    expect(combineRuns('PreToolUse', [run({ json: { decision: 'block', reason: 'r' } })])).toMatchObject({ permission: 'deny', permissionReason: 'r' });
    expect(combineRuns('PreToolUse', [run({ json: { decision: 'approve' } })])).toMatchObject({ permission: 'allow' });
  });
  it('exit 2 blocks where the event can block and is only a message elsewhere', () => {
    expect(combineRuns('Stop', [run({ exitCode: 2, stderr: 'keep going' })]).block).toBe('keep going');
    const n = combineRuns('Notification', [run({ exitCode: 2, stderr: 'x' })]);
    expect(n.block).toBeUndefined();
    expect(n.userMessages[0]).toContain('(exit 2): x');
  });
  it('plain stdout is context on UserPromptSubmit and SessionStart, verbose output elsewhere', () => {
    expect(combineRuns('SessionStart', [run({ stdout: 'ctx\n' })]).context).toEqual(['ctx']);
    expect(combineRuns('PostToolUse', [run({ stdout: 'formatted 1 file\n' })])).toMatchObject({ context: [], verbose: ['formatted 1 file'] });
  });
  it('continue false stops with stopReason; systemMessage reaches the user; suppressOutput hides the answer from --verbose', () => {
    const v = combineRuns('PostToolUse', [run({ stdout: '{"continue":false}', json: { continue: false, stopReason: 'build broken', systemMessage: 'heads up', suppressOutput: true } })]);
    expect(v).toMatchObject({ stop: 'build broken', userMessages: ['heads up'], verbose: [] });
  });
  it('a non-zero exit other than 2 is a non-blocking error', () => {
    const v = combineRuns('PreToolUse', [run({ exitCode: 1, stderr: 'boom' })]);
    expect(v.block).toBeUndefined();
    expect(v.permission).toBeUndefined();
    expect(v.userMessages[0]).toMatch(/failed \(exit 1\): boom/);
  });
});

describe('runner', () => {
  it('dedupes identical commands and hands callbacks the event JSON', async () => {
    const seen: unknown[] = [];
    const hooks: ConfiguredHook[] = [hook({ command: 'echo a' }), hook({ command: 'echo a', scope: 'project' }), hook({ command: undefined, callback: async (input) => (seen.push(input), { decision: 'block', reason: 'cb' }) })];
    const matched = matchingHooks(hooks, 'PreToolUse', 'Bash');
    expect(matched).toHaveLength(2);
    const dir = makeTempDir('bcode-hooks-unit-');
    const runs = await runHooks(matched, { hook_event_name: 'PreToolUse', tool_name: 'Bash' }, { cwd: dir, projectDir: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(runs[0]).toMatchObject({ exitCode: 0, stdout: 'a\n' });
    expect(runs[1].json).toEqual({ decision: 'block', reason: 'cb' });
    expect(seen).toEqual([{ hook_event_name: 'PreToolUse', tool_name: 'Bash' }]);
  });
});

describe('which hooks run', () => {
  const layer = (scope: 'managed' | 'user' | 'project' | 'local' | 'flag', extra: Record<string, unknown> = {}) => ({
    scope,
    origin: `${scope}.json`,
    hooks: { Stop: [{ hooks: [{ type: 'command', command: `echo ${scope}` }] }] },
    ...extra,
  });
  it('keeps project hooks apart until the folder is trusted, and asks about trust only when there are some', () => {
    let asked = 0;
    const r = resolveHooks([layer('user'), layer('project'), layer('local')], { isTrusted: () => (asked++, false) });
    expect(r.hooks.map((h) => h.command)).toEqual(['echo user']);
    expect(r.untrusted.map((h) => h.command)).toEqual(['echo project', 'echo local']);
    expect(asked).toBe(1);
    resolveHooks([layer('user'), layer('flag')], { isTrusted: () => (asked++, false) });
    expect(asked).toBe(1);
  });
  it('disableAllHooks outside managed settings leaves managed hooks on', () => {
    const r = resolveHooks([layer('managed'), layer('user', { disableAllHooks: true })], { isTrusted: () => true });
    expect(r.hooks.map((h) => h.command)).toEqual(['echo managed']);
    expect(resolveHooks([layer('managed', { disableAllHooks: true }), layer('user')], { isTrusted: () => true }).hooks).toEqual([]);
  });
  it('names events and hook types it does not run', () => {
    const r = resolveHooks([{ scope: 'user', origin: 'u.json', hooks: { PermissionRequest: [{ hooks: [{ type: 'command', command: 'x' }] }], Stop: [{ hooks: [{ type: 'prompt', prompt: 'p' }] }] } }], { isTrusted: () => true });
    expect(r.hooks).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/hooks\.PermissionRequest: bcode does not run hooks for this event/);
    expect(r.notes.join('\n')).toMatch(/hooks of type 'prompt' are not run by bcode/);
  });
});

describe('folder trust', () => {
  it('reads the reference product’s hasTrustDialogAccepted (for the folder or a parent) and writes its own list atomically with mode 0600', async () => {
    const home = makeTempDir('bcode-trust-');
    const env = { HOME: home };
    const repo = path.join(home, 'src', 'repo');
    mkdirSync(repo, { recursive: true });
    expect(isFolderTrusted(repo, env).trusted).toBe(false);
    writeFileSync(referenceStatePath(env), JSON.stringify({ projects: { [path.join(home, 'src')]: { hasTrustDialogAccepted: true }, [repo]: { hasTrustDialogAccepted: false } } }));
    expect(isFolderTrusted(repo, env)).toEqual({ trusted: true, via: referenceStatePath(env) });
    writeFileSync(referenceStatePath(env), JSON.stringify({ projects: { [repo]: { hasTrustDialogAccepted: false } } }));
    expect(isFolderTrusted(repo, env).trusted).toBe(false);
    await trustFolder(repo, env, () => new Date('2026-01-02T03:04:05Z'));
    expect(isFolderTrusted(repo, env)).toEqual({ trusted: true, via: bcodeTrustPath(env) });
    expect(JSON.parse(readFileSync(bcodeTrustPath(env), 'utf8'))).toEqual({ folders: { [repo]: { trustedAt: '2026-01-02T03:04:05.000Z' } } });
    expect(statSync(bcodeTrustPath(env)).mode & 0o777).toBe(0o600);
    expect(isFolderTrusted(path.join(home, 'other'), env).trusted).toBe(false);
    expect(isFolderTrusted(path.join(home, 'other'), { ...env, BCODE_TRUST_PROJECT: '1' }).trusted).toBe(true);
  });
});
