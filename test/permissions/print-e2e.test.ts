/**
 * Permissions through the real path: the built CLI in print mode, talking to the emulator
 * over the signed Bedrock wire, with a scripted model that tries things. Each case asserts
 * what actually happened on disk and what the model was told in the next request.
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { emulatorEnv } from '../e2e/harness.js';
import { asUnprivileged, IS_ROOT, NOBODY, whySkipped } from '../helpers/privileges.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

interface World {
  root: string;
  project: string;
  outside: string;
  emulator: EmulatorHandle;
  run(args: string[]): Promise<CliResult>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.emulator.close();
  if (world) rmSync(world.root, { recursive: true, force: true });
  world = undefined;
});

/** One tool call, then a closing answer. */
function oneCall(name: string, input: Record<string, unknown>): Scenario {
  return {
    turns: [
      { reply: { content: [{ type: 'text', text: 'Trying it.' }, { type: 'tool_use', id: 'toolu_perm_1', name, input }], stop_reason: 'tool_use' } },
      { reply: { content: [{ type: 'text', text: 'Done.' }] } },
    ],
  };
}

async function setup(scenario: Scenario, projectSettings?: Record<string, unknown>): Promise<World> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-perm-e2e-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  const outside = path.join(root, 'outside');
  // The CLI's temp dir too, so whatever a run leaves there goes with the root.
  const tmp = path.join(root, 'tmp');
  for (const d of [home, project, outside, tmp]) mkdirSync(d);
  if (projectSettings) {
    mkdirSync(path.join(project, '.claude'));
    writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify(projectSettings));
  }
  const emulator = await startEmulator({ scenario });
  const env = { ...emulatorEnv(emulator.url, home), TMPDIR: tmp };
  world = { root, project, outside, emulator, run: (args) => runCli(args, { cwd: project, env, timeoutMs: 30_000 }) };
  return world;
}

/** The tool_result the CLI sent back to the model for our call (from the second model request). */
function toldTheModel(w: World): { text: string; isError: boolean } {
  const calls = w.emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');
  expect(calls.length).toBe(2);
  const messages = (calls[1]!.body as { messages: Array<{ role: string; content: unknown }> }).messages;
  const last = messages[messages.length - 1]!;
  const blocks = (Array.isArray(last.content) ? last.content : []) as Array<{ type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }>;
  const result = blocks.find((b) => b.type === 'tool_result' && b.tool_use_id === 'toolu_perm_1');
  expect(result).toBeDefined();
  const content = result!.content;
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  return { text, isError: result!.is_error === true };
}

function denials(r: CliResult): Array<{ tool_name: string; tool_use_id: string }> {
  return (JSON.parse(r.stdout) as { permission_denials: Array<{ tool_name: string; tool_use_id: string }> }).permission_denials;
}

describe('print mode honours permissions end to end', () => {
  it('runs a command an --allowedTools rule allows', async () => {
    const w = await setup(oneCall('Bash', { command: 'touch allowed-marker', description: 'make a marker' }));
    const r = await w.run(['-p', 'make the marker', '--output-format', 'json', '--allowedTools', 'Bash(touch allowed-marker)']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'allowed-marker'))).toBe(true);
    const told = toldTheModel(w);
    expect(told.isError).toBe(false);
    expect(told.text).not.toMatch(/Permission denied/);
    expect(denials(r)).toEqual([]);
  });

  it('refuses a command a deny rule covers, even with Bash allowed, and tells the model why', async () => {
    const w = await setup(oneCall('Bash', { command: 'touch denied-marker', description: 'make a marker' }), { permissions: { allow: ['Bash'], deny: ['Bash(touch:*)'] } });
    const r = await w.run(['-p', 'make the marker', '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'denied-marker'))).toBe(false);
    const told = toldTheModel(w);
    expect(told.isError).toBe(true);
    expect(told.text).toMatch(/Permission denied/);
    expect(told.text).toContain('Bash(touch:*)');
    expect(denials(r)).toEqual([expect.objectContaining({ tool_name: 'Bash', tool_use_id: 'toolu_perm_1' })]);
  });

  it('does not let a command chained behind an allowed prefix run', async () => {
    const w = await setup(oneCall('Bash', { command: 'echo hello && touch chained-marker', description: 'greet' }));
    const r = await w.run(['-p', 'greet', '--output-format', 'json', '--allowedTools', 'Bash(echo:*)']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'chained-marker'))).toBe(false);
    const told = toldTheModel(w);
    expect(told.isError).toBe(true);
    expect(told.text).toMatch(/Permission denied/);
    expect(told.text).toContain('touch chained-marker');
    expect(denials(r)).toHaveLength(1);
  });

  it('does not write outside the project, even in acceptEdits mode', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-perm-out-'));
    const outsideFile = path.join(root, 'escaped.txt');
    try {
      const w = await setup(oneCall('Write', { file_path: outsideFile, content: 'escaped' }));
      const r = await w.run(['-p', 'write it', '--output-format', 'json', '--permission-mode', 'acceptEdits']);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(outsideFile)).toBe(false);
      const told = toldTheModel(w);
      expect(told.isError).toBe(true);
      expect(told.text).toMatch(/outside the working directory/);
      expect(denials(r)).toEqual([expect.objectContaining({ tool_name: 'Write' })]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('writes inside the project in acceptEdits mode', async () => {
    const w = await setup(oneCall('Write', { file_path: 'notes.txt', content: 'inside' }));
    const r = await w.run(['-p', 'write it', '--output-format', 'json', '--permission-mode', 'acceptEdits']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'notes.txt'))).toBe(true);
    expect(toldTheModel(w).isError).toBe(false);
  });

  it('keeps .env unread under a Read(./.env) deny: the secret never reaches the model', async () => {
    const w = await setup(oneCall('Read', { file_path: '.env' }), { permissions: { deny: ['Read(./.env)'] } });
    writeFileSync(path.join(w.project, '.env'), 'API_TOKEN=very-secret-value-42\n');
    const r = await w.run(['-p', 'read the env file', '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const told = toldTheModel(w);
    expect(told.isError).toBe(true);
    expect(told.text).toContain('Read(./.env)');
    expect(JSON.stringify(w.emulator.requests.map((q) => q.body))).not.toContain('very-secret-value-42');
    expect(denials(r)).toEqual([expect.objectContaining({ tool_name: 'Read' })]);
  });

  it('in acceptEdits, refuses a write to a protected path and lists it in permission_denials', async () => {
    const w = await setup(oneCall('Write', { file_path: '.git/hooks/pre-commit', content: '#!/bin/sh\ntouch pwned\n' }));
    mkdirSync(path.join(w.project, '.git', 'hooks'), { recursive: true });
    const r = await w.run(['-p', 'add a hook', '--output-format', 'json', '--permission-mode', 'acceptEdits']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, '.git', 'hooks', 'pre-commit'))).toBe(false);
    const told = toldTheModel(w);
    expect(told.isError).toBe(true);
    expect(told.text).toMatch(/protected path/);
    expect(denials(r)).toEqual([expect.objectContaining({ tool_name: 'Write', tool_use_id: 'toolu_perm_1' })]);
  });

  it('does not run a command hidden in an arithmetic subscript', async () => {
    const w = await setup(oneCall('Bash', { command: "[[ 'a[$(touch pwned)]' -eq 0 ]] && echo zero", description: 'compare' }));
    const r = await w.run(['-p', 'compare', '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'pwned'))).toBe(false);
    expect(toldTheModel(w).text).toMatch(/Permission denied.*arithmetic/);
    expect(denials(r)).toHaveLength(1);
  });

  it('keeps .env unread when a glob names it, even with Bash allowed', async () => {
    const w = await setup(oneCall('Bash', { command: 'cat .en*', description: 'show env' }), { permissions: { allow: ['Bash'], deny: ['Read(./.env)'] } });
    writeFileSync(path.join(w.project, '.env'), 'API_TOKEN=very-secret-value-43\n');
    const r = await w.run(['-p', 'show it', '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(toldTheModel(w).text).toContain('Read(./.env)');
    expect(JSON.stringify(w.emulator.requests.map((q) => q.body))).not.toContain('very-secret-value-43');
  });

  it('keeps a denied home file unread when a NAME=~/ word names it, even with Bash allowed', async () => {
    // bash expands the ~ after `x=`; the link makes `x=/home/…` the file itself.
    const w = await setup(oneCall('Bash', { command: 'ln -s / x= && cat x=~/.ssh/id_rsa', description: 'show the key' }), { permissions: { allow: ['Bash'], deny: ['Read(~/.ssh/**)'] } });
    mkdirSync(path.join(w.root, 'home', '.ssh'));
    writeFileSync(path.join(w.root, 'home', '.ssh', 'id_rsa'), 'KEY-very-secret-value-44\n');
    const r = await w.run(['-p', 'show it', '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(toldTheModel(w).text).toContain('Read(~/.ssh/**)');
    expect(denials(r)).toHaveLength(1);
    expect(existsSync(path.join(w.project, 'x='))).toBe(false);
    expect(JSON.stringify(w.emulator.requests.map((q) => q.body))).not.toContain('very-secret-value-44');
  });

  it('a bare Bash rule allows an output redirection inside the project', async () => {
    const w = await setup(oneCall('Bash', { command: 'echo hi > out.txt', description: 'write a file' }));
    const r = await w.run(['-p', 'write it', '--output-format', 'json', '--allowedTools', 'Bash']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'out.txt'))).toBe(true);
    expect(denials(r)).toEqual([]);
  });

  it('plan mode refuses a side-effecting command with a plan-mode reason', async () => {
    const w = await setup(oneCall('Bash', { command: 'touch plan-marker', description: 'make a marker' }));
    const r = await w.run(['-p', 'make the marker', '--output-format', 'json', '--permission-mode', 'plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.project, 'plan-marker'))).toBe(false);
    expect(toldTheModel(w).text).toMatch(/plan mode/);
  });

  it('stops before any request on an invalid rule, naming it', async () => {
    const w = await setup(oneCall('Bash', { command: 'true' }), { permissions: { deny: ['WebFetch(example.com)'] } });
    const r = await w.run(['-p', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: invalid permission rule 'WebFetch\(example\.com\)' in permissions\.deny: .*domain:example\.com/m);
    expect(r.stderr).toMatch(/hint: rules look like Tool or Tool\(specifier\)/);
    expect(w.emulator.requests).toHaveLength(0);
  });

  const bypassEnv = (w: World) => ({ ...emulatorEnv(w.emulator.url, path.join(w.root, 'home')), TMPDIR: path.join(w.root, 'tmp') });

  if (!IS_ROOT) whySkipped('permissions/print-e2e: bypassPermissions refused as root', 'the tests do not run as root (the unprivileged half runs)');
  it.runIf(IS_ROOT)('refuses bypassPermissions as root outside a sandbox with a one-line error', async () => {
    const w = await setup(oneCall('Bash', { command: 'touch bypass-marker' }));
    const r = await runCli(['-p', 'x', '--permission-mode', 'bypassPermissions'], { cwd: w.project, env: bypassEnv(w) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: bypassPermissions is refused when running as root/m);
    expect(r.stderr).toMatch(/hint: .*IS_SANDBOX=1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(w.emulator.requests).toHaveLength(0);
    expect(existsSync(path.join(w.project, 'bypass-marker'))).toBe(false);
  });

  const unprivileged = asUnprivileged();
  if (!unprivileged) whySkipped('permissions/print-e2e: bypassPermissions as an unprivileged user', 'running as root without setpriv to drop to nobody');
  it.runIf(unprivileged)('accepts bypassPermissions for an unprivileged user: the command runs with no rule allowing it', async () => {
    const w = await setup(oneCall('Bash', { command: 'touch bypass-marker', description: 'make a marker' }));
    // As root the CLI runs as nobody, who must own what it writes: HOME, TMPDIR, the project.
    if (IS_ROOT) for (const d of ['', 'home', 'tmp', 'project']) chownSync(path.join(w.root, d), NOBODY.uid, NOBODY.gid);
    const r = await runCli(['-p', 'x', '--permission-mode', 'bypassPermissions'], { cwd: w.project, env: bypassEnv(w), prefix: unprivileged });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(w.project, 'bypass-marker'))).toBe(true);
    expect(toldTheModel(w).isError).toBe(false);
  });
});
