import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { assertConsistent, modelRequests, REPO, sandbox, type Sandbox } from './harness.js';

const demoScenario = JSON.parse(readFileSync(path.join(REPO, 'examples/scenarios/demo.json'), 'utf8')) as Scenario;
const fixture = path.join(REPO, 'examples/demo/project');

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

beforeAll(() => {
  // The fixture really is broken before the agent runs.
  const r = spawnSync(process.execPath, ['--test'], { cwd: fixture, encoding: 'utf8' });
  expect(r.status).not.toBe(0);
});

describe('print mode fixes a failing test (Read → Edit → Bash → answer)', () => {
  it('edits the file, the tests pass, the transcript is complete', async () => {
    sb = await sandbox(demoScenario, { fixture });
    const r = await sb.run(['-p', 'Fix the failing test', '--verbose']);
    expect(r.stderr).not.toMatch(/^bcode: (?!warning)/m);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Fixed: `add()` in src/math.js subtracted its arguments (`a - b`); it now returns `a + b`. The test suite passes (2 tests, 0 failures).');
    // Progress went to stderr (--verbose): the tool calls, and the usage line.
    expect(r.stderr).toMatch(/● Bash\(node --test\)/);
    expect(r.stderr).toMatch(/● Read\(src\/math\.js\)/);
    expect(r.stderr).toMatch(/● Edit\(src\/math\.js\)/);
    expect(r.stderr).toMatch(/usage: \d+ input, \d+ output, \d+ cache read, \d+ cache write tokens · cost \$/);

    expect(readFileSync(path.join(sb.project, 'src/math.js'), 'utf8')).toContain('return a + b;');
    const tests = spawnSync(process.execPath, ['--test'], { cwd: sb.project, encoding: 'utf8' });
    expect(tests.status).toBe(0);

    const calls = modelRequests(sb.emulator);
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.status === 200 && c.auth.ok)).toBe(true);

    const entries = sb.transcript();
    expect(entries.map((e) => e.type)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    assertConsistent(entries);
    // The transcript never holds the credentials the CLI was given.
    const raw = JSON.stringify(entries);
    expect(raw).not.toContain('emulator/secret/key');
  });
});
