/**
 * R4 under SIGKILL: the built CLI, driven by a scripted model against the emulator, edits a large
 * file (every line changes) and is killed at a different moment of the write each time. After
 * every kill the file is exactly the old content or exactly the new one, never a torn mix. A
 * killed writer's temp file cannot be removed by anyone at that moment; it is always bcode's own
 * (`.<name>.<killed pid>-<hex>.tmp`) and the next edit of that file removes it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { sandbox, type Sandbox } from './harness.js';

const FILE = 'big.txt';
// ~10 MB in long lines, each changed by the edit: writing and syncing it takes long enough to be
// hit mid-way, and a write cut short or done in place would leave a mix of old and new lines.
const LINES = 40_000;
const PAD = 'x'.repeat(240);
const OLD = Array.from({ length: LINES }, (_, i) => `${String(i).padStart(6, '0')} old ${PAD}\n`).join('');
const NEW = OLD.replaceAll(' old ', ' new ');
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const OLD_SHA = sha(OLD);
const NEW_SHA = sha(NEW);
const TEMP = new RegExp(`^\\.${FILE.replace('.', '\\.')}\\.(\\d+)-[0-9a-f]{8}\\.tmp$`);

const scenario: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: FILE, limit: 3 } }] } },
    { match: { lastToolResultContains: '000001 old' }, reply: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: FILE, old_string: ' old ', new_string: ' new ', replace_all: true } }] } },
    { match: { lastToolResultContains: FILE }, reply: { content: [{ type: 'text', text: 'Every line updated.' }] } },
  ],
};

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox(scenario);
});
afterAll(() => sb.close());

interface Run {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms after the spawn of the first and the last change in the directory (the write's window). */
  firstChange?: number;
  lastChange?: number;
}

/**
 * One run of the CLI; with `killAfterMs`, SIGKILL that long after the first change it makes in
 * the project directory (its temp file appearing — or, were it to write in place, the file itself).
 */
async function runOnce(killAfterMs?: number): Promise<Run> {
  sb.emulator.setScenario(scenario);
  writeFileSync(path.join(sb.project, FILE), OLD);
  let child: import('node:child_process').ChildProcess | undefined;
  const run: Partial<Run> = {};
  const t0 = performance.now();
  const watcher = watch(sb.project, () => {
    if (!child) return;
    const now = performance.now() - t0;
    if (run.firstChange === undefined) {
      run.firstChange = now;
      if (killAfterMs !== undefined) setTimeout(() => child?.kill('SIGKILL'), killAfterMs);
    }
    run.lastChange = now;
  });
  try {
    const r = await sb.run(['-p', 'update every line', '--permission-mode', 'acceptEdits'], { onSpawn: (c) => (child = c), timeoutMs: 60_000 });
    return { pid: child!.pid!, code: r.code, signal: r.signal, ...run };
  } finally {
    watcher.close();
  }
}

function state(): { content: 'old' | 'new' | 'torn'; leftovers: string[] } {
  const hash = sha(readFileSync(path.join(sb.project, FILE)));
  const content = hash === OLD_SHA ? 'old' : hash === NEW_SHA ? 'new' : 'torn';
  return { content, leftovers: readdirSync(sb.project).filter((n) => n !== FILE) };
}

describe('SIGKILL in the middle of a large Edit (R4)', () => {
  it('leaves the file exactly old or exactly new every time; a killed write leaves only its own temp file, which the next edit removes', async () => {
    // An uninterrupted run first: it must finish, and it measures the write's window.
    const full = await runOnce();
    expect(full.code).toBe(0);
    expect(state()).toEqual({ content: 'new', leftovers: [] });
    expect(full.firstChange).toBeDefined();
    const window = Math.max(5, full.lastChange! - full.firstChange!);

    const outcomes: string[] = [];
    // Through the write (0, 1/16 … 15/16 of the window measured above), then past its end (the
    // window varies with the machine's load, so the last ones reach 2, 3, 5 and 8 times it).
    const delays = [...Array.from({ length: 16 }, (_, k) => (window * k) / 16), window * 2, window * 3, window * 5, window * 8].map(Math.round);
    for (const delay of delays) {
      const run = await runOnce(delay);
      const s = state();
      outcomes.push(`${delay}ms:${s.content}`);
      expect(s.content, `kill ${delay} ms into the write (window ${window.toFixed(0)} ms)`).not.toBe('torn');
      if (run.signal !== 'SIGKILL') expect(run.code).toBe(0);
      // Before creating its temp file, a write removes the killed writers' temp files.
      for (const name of s.leftovers) {
        const m = TEMP.exec(name);
        expect(m, `unexpected file beside ${FILE}: ${name}`).not.toBeNull();
        expect(Number(m![1]), `${name} is not the temp file of the run just killed`).toBe(run.pid);
      }
      if (s.content === 'new') expect(s.leftovers).toEqual([]);
    }
    // The kills landed both before and after the rename.
    expect(outcomes.some((o) => o.endsWith(':old')), outcomes.join(' ')).toBe(true);
    expect(outcomes.some((o) => o.endsWith(':new')), outcomes.join(' ')).toBe(true);

    // A last, complete edit: the new content and nothing left beside it.
    const last = await runOnce();
    expect(last.code).toBe(0);
    expect(state()).toEqual({ content: 'new', leftovers: [] });
  }, 240_000);
});
