/**
 * A8 / A14 / R4 under SIGKILL: a scripted print-mode session that edits files (checkpoints), runs
 * a redirecting Bash command and compacts, killed at 20 moments spread over its run. After every
 * kill: every transcript of the directory loads and its tool calls have their results; each
 * file the run changed on disk has the assistant message that asked for it in the transcript (no
 * completed step lost); every checkpoint object is whole (its content hashes to its name) and
 * every index line points at one; and `--continue` finishes the session.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { checkpointDir, type CheckpointRecord } from '../../src/session/checkpoints.js';
import { loadSession } from '../../src/session/resume.js';
import { readTranscript, sanitizeCwd } from '../../src/session/transcript.js';
import { assertConsistent, sandbox, type Sandbox } from './harness.js';

const KILLS = 20;
const FILES = ['f1.txt', 'f2.txt', 'f3.txt'];

const script: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'f1.txt', content: 'one\n'.repeat(2000) } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'a.txt' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: 'f1.txt', old_string: 'one\n', new_string: 'uno\n', replace_all: true } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'b.txt' } }], stop_reason: 'tool_use' } },
    { match: { lastUserTextContains: 'Do not call any tools' }, reply: { content: [{ type: 'text', text: 'Goal: edit the files. Files: f1.txt edited.' }], output_tokens: 300 } },
    { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'f2.txt', content: 'two\n' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: 'f2.txt', old_string: 'two', new_string: 'dos' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo three > f3.txt' } }], stop_reason: 'tool_use' } },
    { reply: { content: [{ type: 'text', text: 'all done' }] } },
  ],
};
/** After a kill, --continue: any request (a compaction's summary too) gets this answer. */
const finish: Scenario = { turns: [{ reply: { content: [{ type: 'text', text: 'continued' }] } }], whenExhausted: 'repeat-last' };

let sb: Sandbox;
beforeAll(async () => {
  // Two thirds of this window is about where the old default (16,000 less the answer's room) compacted.
  sb = await sandbox(script, { env: { BCODE_AUTO_COMPACT_WINDOW: '16600' } });
  for (const c of ['a', 'b']) writeFileSync(path.join(sb.project, `${c}.txt`), Array.from({ length: 400 }, (_, i) => `${c}${i} lorem ipsum dolor sit amet`).join('\n'));
});
afterAll(() => sb.close());

const RUN = ['-p', 'edit the files', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(echo:*)'];
const sessionsDir = () => path.join(sb.home, '.claude', 'projects', sanitizeCwd(sb.project));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function runKilledAfter(ms: number | undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsed: number }> {
  sb.emulator.setScenario(script);
  for (const f of FILES) rmSync(path.join(sb.project, f), { force: true });
  const t0 = performance.now();
  const r = await sb.run(RUN, {
    timeoutMs: 60_000,
    onSpawn: (child) => {
      if (ms !== undefined) setTimeout(() => child.kill('SIGKILL'), ms);
    },
  });
  return { code: r.code, signal: r.signal, elapsed: performance.now() - t0 };
}

function checkEverything(): { sessions: number } {
  const env = { HOME: sb.home };
  const ids = readdirSync(sessionsDir())
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length));
  for (const id of ids) {
    const loaded = loadSession(env, sb.project, id);
    // Tool calls answered, in the loaded conversation (a cut-off call gets its error result).
    const asEntries = loaded.messages.map((message) => ({ message }) as never);
    assertConsistent(asEntries);

    const dir = checkpointDir(loaded.file);
    if (!existsSync(dir)) continue;
    const objects = path.join(dir, 'objects');
    const names = existsSync(objects) ? readdirSync(objects).filter((n) => !n.startsWith('.')) : [];
    for (const n of names) expect(sha(readFileSync(path.join(objects, n))), `object ${n} of ${id} is whole`).toBe(n);
    const index = existsSync(path.join(dir, 'index.jsonl')) ? readFileSync(path.join(dir, 'index.jsonl'), 'utf8').split('\n') : [];
    for (const line of index) {
      let r: CheckpointRecord;
      try {
        r = JSON.parse(line) as CheckpointRecord;
      } catch {
        continue; // a torn last line: never counted
      }
      if (r.kind === 'before' && r.sha) expect(names, `index line of ${id} points at a stored object`).toContain(r.sha);
    }
  }
  return { sessions: ids.length };
}

/** The killed run's own transcript: each file it changed on disk was asked for by a message the transcript kept. */
function checkNoStepLost(): void {
  const dir = sessionsDir();
  const latest = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t)[0]!.f;
  const text = JSON.stringify(readTranscript(path.join(dir, latest)));
  if (existsSync(path.join(sb.project, 'f1.txt'))) expect(text).toContain('"file_path":"f1.txt"');
  if (existsSync(path.join(sb.project, 'f2.txt'))) expect(text).toContain('"file_path":"f2.txt"');
  if (existsSync(path.join(sb.project, 'f3.txt'))) expect(text).toContain('echo three > f3.txt');
}

it(`survives SIGKILL at ${KILLS} moments of a session that checkpoints and compacts`, async () => {
  // A whole run first: how long it takes, and that it really checkpoints and compacts.
  const whole = await runKilledAfter(undefined);
  expect(whole.code).toBe(0);
  const firstId = readdirSync(sessionsDir()).find((f) => f.endsWith('.jsonl'))!;
  const types = readFileSync(path.join(sessionsDir(), firstId), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { type: string }).type);
  expect(types).toContain('compaction');
  expect(readFileSync(path.join(sb.project, 'f1.txt'), 'utf8')).toBe('uno\n'.repeat(2000));
  const index = readFileSync(path.join(checkpointDir(path.join(sessionsDir(), firstId)), 'index.jsonl'), 'utf8');
  // f1 (did not exist, then its first content), f2 (same), f3 through the Bash redirect.
  expect(index).toContain('f3.txt');
  checkEverything();

  const killedMidway: number[] = [];
  for (let i = 1; i <= KILLS; i++) {
    const at = Math.round((whole.elapsed * i) / (KILLS + 1));
    const r = await runKilledAfter(at);
    if (r.signal === 'SIGKILL') killedMidway.push(at);
    checkEverything();
    checkNoStepLost();
    sb.emulator.setScenario(finish);
    const cont = await sb.run(['-p', '-c', 'finish', '--permission-mode', 'acceptEdits'], { timeoutMs: 60_000 });
    // A run killed just before its compaction compacts now: that notice is all stderr may hold.
    expect(cont.stderr.replace(/^compacted \d+ messages? into a summary.*\n/m, '')).toBe('');
    expect(cont.code).toBe(0);
    expect(cont.stdout).toBe('continued\n');
    checkEverything();
  }
  // Most kills land inside the run (the last few may come after a fast run ended).
  expect(killedMidway.length).toBeGreaterThanOrEqual(KILLS / 2);
}, 300_000);
