/**
 * The sandbox through the real path: the built CLI in print mode against the emulator, a
 * scripted model making Bash calls, and assertions on the file system, on what the model was
 * told, and on what reached Bedrock. Runs only where bubblewrap works (CI installs it); where it
 * does not, the test says so instead of passing silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS } from '../../src/emulator/index.js';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { requireBwrapInCi } from '../helpers/bwrap.js';

const HAVE_BWRAP = requireBwrapInCi('test/sandbox e2e');

let box: Sandbox | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

/** One assistant message with these Bash calls, then a closing answer. */
function bashCalls(commands: Array<string | { command: string; run_in_background?: boolean }>, more: Scenario['turns'] = []): Scenario {
  const uses = commands.map((c, i) => ({ type: 'tool_use' as const, id: `toolu_sb_${i}`, name: 'Bash', input: typeof c === 'string' ? { command: c } : c }));
  return { turns: [{ reply: { content: [{ type: 'text', text: 'Running.' }, ...uses], stop_reason: 'tool_use' } }, ...more, { reply: { content: [{ type: 'text', text: 'Done.' }] } }] };
}

/** What the model was told for each call, from the request after the calls. */
function results(b: Sandbox, requestIndex = 1): Record<string, string> {
  const req = modelRequests(b.emulator)[requestIndex]!;
  const messages = (req.body as { messages: Array<{ content: unknown }> }).messages;
  const blocks = messages[messages.length - 1]!.content as Array<{ type: string; tool_use_id: string; content: unknown }>;
  return Object.fromEntries(blocks.filter((x) => x.type === 'tool_result').map((x) => [x.tool_use_id, typeof x.content === 'string' ? x.content : JSON.stringify(x.content)]));
}

describe.skipIf(!HAVE_BWRAP)('the Bash sandbox (bubblewrap)', () => {
  it('a command a rule allowed writes in the working directory and nowhere else, and is told why', async () => {
    box = await sandbox(bashCalls(['touch inside.txt && echo made', 'touch ../outside.txt', 'touch "$TMPDIR/private" && ls "$TMPDIR"; touch /tmp/bcode-sandbox-test-private']));
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash', '--output-format', 'json']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(box.project, 'inside.txt'))).toBe(true);
    expect(existsSync(path.join(box.project, '..', 'outside.txt'))).toBe(false);
    const told = results(box);
    expect(told.toolu_sb_0).toContain('made');
    expect(told.toolu_sb_1).toContain('Read-only file system');
    expect(told.toolu_sb_1).toContain('blocked by the sandbox: write outside the working directory');
    // A private temp dir is writable; the machine's /tmp is not.
    expect(told.toolu_sb_2).toMatch(/^private\n.*Read-only file system/s);
    expect(existsSync('/tmp/bcode-sandbox-test-private')).toBe(false);
  });

  it('in acceptEdits a redirect into the project is an allowed edit, so the sandbox lets it write there', async () => {
    box = await sandbox(bashCalls(['printf made > out.txt && cat out.txt']));
    const r = await box.run(['-p', 'go', '--permission-mode', 'acceptEdits']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(box.project, 'out.txt'), 'utf8')).toBe('made');
  });

  it('the same command runs unsandboxed when sandbox.enabled is false', async () => {
    box = await sandbox(bashCalls(['touch ../outside.txt']));
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash', '--settings', '{"sandbox":{"enabled":false}}']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(box.project, '..', 'outside.txt'))).toBe(true);
  });

  it('commands cannot see bcode’s environment or other processes, nor credential stores', async () => {
    box = await sandbox(bashCalls(['cat /proc/$PPID/environ /proc/1/environ | tr "\\0" "\\n" | grep -cE "AWS_(SECRET|ACCESS|SESSION)" ; ls /proc | grep -cE "^[0-9]+$"', 'cat ~/.aws/credentials', 'ls ~/.ssh']));
    mkdirSync(path.join(box.home, '.aws'));
    mkdirSync(path.join(box.home, '.ssh'));
    const secret = TEST_CREDENTIALS[0]!.secretAccessKey;
    writeFileSync(path.join(box.home, '.aws', 'credentials'), `[default]\naws_secret_access_key = ${secret}\n`);
    writeFileSync(path.join(box.home, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n');
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash']);
    expect(r.code).toBe(0);
    const told = results(box);
    const [awsVars, pids] = told.toolu_sb_0!.split('\n').map(Number);
    expect(awsVars).toBe(0);
    // Only the sandbox's own processes: its init, the shell and the pipeline.
    expect(pids).toBeLessThan(8);
    expect(told.toolu_sb_1).toContain('Permission denied');
    expect(told.toolu_sb_1).toContain('blocked by the sandbox');
    expect(told.toolu_sb_2).toContain('Permission denied');
    for (const req of box.emulator.requests) {
      const body = JSON.stringify(req.body);
      expect(body).not.toContain(secret);
      expect(body).not.toContain('PRIVATE KEY');
    }
  });

  it('a command allowed as read-only cannot write even inside the project, and has no network', async () => {
    // `git status` is auto-allowed; the repository's own config asks git to run a program.
    box = await sandbox(bashCalls(['git status --short']));
    execFileSync('git', ['init', '-q'], { cwd: box.project });
    const marker = path.join(box.project, 'fsmonitor-ran');
    execFileSync('git', ['config', 'core.fsmonitor', `touch ${marker}; false`], { cwd: box.project });
    writeFileSync(path.join(box.project, 'a.txt'), 'a\n');
    const r = await box.run(['-p', 'go', '--output-format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).permission_denials).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(results(box).toolu_sb_0).toContain('a.txt');
  });

  it('protected files stay read-only even for commands a rule allowed', async () => {
    box = await sandbox(bashCalls(['mkdir -p .claude; echo x >> .git/config; echo "{}" > .claude/settings.local.json; echo "#!/bin/sh" > .git/hooks/pre-commit; echo ok']));
    execFileSync('git', ['init', '-q'], { cwd: box.project });
    mkdirSync(path.join(box.project, '.claude'));
    const before = readFileSync(path.join(box.project, '.git', 'config'), 'utf8');
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(box.project, '.git', 'config'), 'utf8')).toBe(before);
    expect(existsSync(path.join(box.project, '.claude', 'settings.local.json'))).toBe(false);
    expect(existsSync(path.join(box.project, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('files a Read deny rule names are hidden from a program the parse cannot see into, also behind a symlink', async () => {
    box = await sandbox(bashCalls(['npm run test']));
    writeFileSync(path.join(box.project, '.env'), 'CANARY_TOP_SECRET\n');
    mkdirSync(path.join(box.project, 'sub'));
    writeFileSync(path.join(box.project, 'sub', '.env'), 'CANARY_SUB_SECRET\n');
    symlinkSync('.env', path.join(box.project, 'link-to-env'));
    // An allowed test script that reads what it should not (the model could have written it).
    writeFileSync(path.join(box.project, 'reader.py'), 'for f in [".env", "link-to-env", "sub/.env"]:\n    try:\n        print(open(f).read())\n    except OSError as e:\n        print("blocked", e)\nprint("END")\n');
    writeFileSync(path.join(box.project, 'package.json'), JSON.stringify({ scripts: { test: 'python3 reader.py' } }));
    const r = await box.run(['-p', 'go', '--settings', JSON.stringify({ permissions: { allow: ['Bash(npm run test:*)'], deny: ['Read(.env)'] } })]);
    expect(r.code).toBe(0);
    for (const req of box.emulator.requests) expect(JSON.stringify(req.body)).not.toMatch(/CANARY_(TOP|SUB)_SECRET/);
    expect(results(box).toolu_sb_0).toContain('END');
    expect(results(box).toolu_sb_0).toContain('Permission denied');
  });

  it('a background shell runs in the sandbox and is ended when bcode exits', async () => {
    const tag = `sleep 3${Math.floor(Math.random() * 1000)}.5`;
    box = await sandbox(
      bashCalls([{ command: `touch ../bg-outside.txt; echo started; ${tag}`, run_in_background: true }], [
        { reply: { content: [{ type: 'tool_use', id: 'toolu_sb_out', name: 'BashOutput', input: { bash_id: 'bash_1' } }], stop_reason: 'tool_use' } },
      ]),
    );
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(box.project, '..', 'bg-outside.txt'))).toBe(false);
    const alive = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(tag) && !l.includes('ps -eo'));
    expect(alive).toEqual([]);
  });
});

describe('without a sandbox', () => {
  it('says once that the sandbox is off and how to fix it, and still runs under the rules', async () => {
    box = await sandbox(bashCalls(['echo one', 'echo two']));
    // A PATH with bash but without bwrap.
    const bin = path.join(box.home, 'bin');
    mkdirSync(bin);
    for (const p of ['bash', 'echo']) symlinkSync(execFileSync('bash', ['-c', `command -v ${p} || echo /bin/${p}`]).toString().trim(), path.join(bin, p));
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash'], { env: { PATH: bin } });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('sandbox is off'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install bubblewrap');
    expect(results(box).toolu_sb_1).toBe('two');
  });

  it('sandbox.failIfUnavailable refuses to run commands instead', async () => {
    box = await sandbox(bashCalls(['echo should-not-run']));
    const bin = path.join(box.home, 'bin');
    mkdirSync(bin);
    symlinkSync(execFileSync('bash', ['-c', 'command -v bash']).toString().trim(), path.join(bin, 'bash'));
    const r = await box.run(['-p', 'go', '--allowedTools', 'Bash', '--settings', '{"sandbox":{"failIfUnavailable":true}}'], { env: { PATH: bin } });
    expect(r.code).toBe(0);
    const told = results(box).toolu_sb_0!;
    expect(told).toContain('sandbox is required');
    expect(told).not.toContain('should-not-run\n');
  });
});
