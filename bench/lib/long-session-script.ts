/**
 * The 200-turn session of figure 12, generated (deterministically) rather than kept as a fixture:
 * a small project of source files and task lists, and one scripted user turn after another, each
 * a small task with a tool call or two (Read, Read + Edit, Bash `wc`, two Reads) and an answer of
 * varying length, so the conversation grows the way a working session does until the agent has to
 * compact it.
 *
 * The script matches each turn's first request on the user's words only ("Task 17:"), so any
 * agent can run it whatever system prompt and tools it sends; the follow-up requests (after a
 * tool result) take the next reply in order. A summary request (automatic compaction) can come at
 * any moment and is answered by an `anytime` turn: both bcode's and the reference product's
 * summary instructions tell the model not to "call any tools", and no task says that.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario, ScenarioContentBlock, ScenarioTurn } from '../../src/emulator/types.js';

/** Words both agents' summary requests contain, and nothing else in the session does. */
export const SUMMARY_REQUEST_MARK = 'call any tools';
/** Words of the scripted summary itself, which each agent carries into the compacted conversation. */
export const SUMMARY_TEXT_MARK = 'the user works through numbered tasks';

const MODULES = 20;
const TOPICS = 50;

const WORDS = (
  'cache parser token window request stream retry budget index module config session ' +
  'buffer handler queue limit record render schema option default result status branch ' +
  'commit review header footer layout column filter reducer selector adapter client server'
).split(' ');

/** A tiny seeded generator: the same script on every run and for every agent. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function words(next: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

function prose(next: () => number, chars: number): string {
  const out: string[] = [];
  let len = 0;
  while (len < chars) {
    const s = words(next, 8 + Math.floor(next() * 10));
    const sentence = `${s[0].toUpperCase()}${s.slice(1)}.`;
    out.push(sentence);
    len += sentence.length + 1;
  }
  return out.join(' ');
}

export const modulePath = (i: number) => `src/module-${i}.ts`;
export const topicPath = (i: number) => `notes/topic-${i}.md`;
const itemLine = (k: number, done: boolean) => `- [${done ? 'x' : ' '}] item ${k}:`;

/** Writes the project: source modules of 2–9 KB and one task list per topic. */
export function writeLongProject(dir: string, turns: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  mkdirSync(path.join(dir, 'notes'), { recursive: true });
  const next = rng(7);
  for (let i = 0; i < MODULES; i++) {
    const fns = 20 + Math.floor(next() * 80);
    const lines = [`// module ${i}: ${words(next, 6)}`];
    for (let j = 0; j < fns; j++) lines.push(`export function ${WORDS[j % WORDS.length]}${i}_${j}(x: number): number {\n  return x * ${j + 1} + ${i}; // ${words(next, 4)}\n}`);
    writeFileSync(path.join(dir, modulePath(i)), `${lines.join('\n')}\n`);
  }
  for (let t = 0; t < TOPICS; t++) {
    const lines = [`# Topic ${t}`, '', prose(next, 200 + Math.floor(next() * 400)), ''];
    for (let k = t; k < Math.max(turns, TOPICS); k += TOPICS) lines.push(`${itemLine(k, false)} ${words(next, 6)}`);
    writeFileSync(path.join(dir, topicPath(t)), `${lines.join('\n')}\n`);
  }
}

export interface LongScript {
  prompts: string[];
  scenario: Scenario;
  /** The edits the script makes (file, the line that must then be there). */
  edits: Array<{ file: string; line: string }>;
}

const read = (dir: string, rel: string): ScenarioContentBlock => ({ type: 'tool_use', name: 'Read', input: { file_path: path.join(dir, rel) } });
const say = (text: string): ScenarioContentBlock => ({ type: 'text', text });

/** The scripted session: `turns` user prompts and the model's side of each. */
export function longScript(dir: string, turns: number, smallModel: string): LongScript {
  const next = rng(42);
  const prompts: string[] = [];
  const scripted: ScenarioTurn[] = [];
  const edits: LongScript['edits'] = [];
  for (let k = 0; k < turns; k++) {
    const m = (k * 7) % MODULES;
    const t = k % TOPICS;
    const ask = prose(next, 40 + Math.floor(next() * 300));
    const first = (content: ScenarioContentBlock[]): ScenarioTurn => ({ match: { lastUserTextContains: `Task ${k}:` }, reply: { content, stop_reason: 'tool_use' } });
    const then = (content: ScenarioContentBlock[]): ScenarioTurn => ({ reply: { content, stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn' } });
    switch (k % 5) {
      case 0:
        prompts.push(`Task ${k}: explain what ${modulePath(m)} does. ${ask}`);
        scripted.push(first([say(`Reading ${modulePath(m)}.`), read(dir, modulePath(m))]), then([say(prose(next, 900 + Math.floor(next() * 800)))]));
        break;
      case 1:
        prompts.push(`Task ${k}: tick off item ${k} in ${topicPath(t)}. ${ask}`);
        scripted.push(
          first([read(dir, topicPath(t))]),
          then([{ type: 'tool_use', name: 'Edit', input: { file_path: path.join(dir, topicPath(t)), old_string: itemLine(k, false), new_string: itemLine(k, true) } }]),
          then([say(`Ticked off item ${k}. ${prose(next, 100 + Math.floor(next() * 200))}`)]),
        );
        edits.push({ file: topicPath(t), line: itemLine(k, true) });
        break;
      case 2:
        prompts.push(`Task ${k}: how long are ${modulePath(m)} and ${topicPath(t)}? ${ask}`);
        scripted.push(
          first([{ type: 'tool_use', name: 'Bash', input: { command: `wc -l ${modulePath(m)} ${topicPath(t)}`, description: 'Count lines' } }]),
          then([say(prose(next, 80 + Math.floor(next() * 150)))]),
        );
        break;
      case 3:
        prompts.push(`Task ${k}: review ${modulePath((m + 3) % MODULES)}. ${ask}`);
        scripted.push(first([read(dir, modulePath((m + 3) % MODULES))]), then([say(prose(next, 400 + Math.floor(next() * 600)))]));
        break;
      default:
        prompts.push(`Task ${k}: compare ${modulePath(m)} with the notes in ${topicPath(t)}. ${ask}`);
        scripted.push(first([say('Reading both.'), read(dir, modulePath(m)), read(dir, topicPath(t))]), then([say(prose(next, 500 + Math.floor(next() * 700)))]));
    }
  }
  const summary = [
    '<analysis>The session so far is a run of small tasks on one project.</analysis>',
    '<summary>',
    `1. Goal: ${SUMMARY_TEXT_MARK} on the project: explaining and reviewing the modules in src/, ticking off items in the task lists in notes/, counting lines.`,
    `2. Decisions: answers stay short; edits only tick items off. ${prose(rng(3), 600)}`,
    `3. Files: src/module-*.ts were read; notes/topic-*.md had items ticked off. ${prose(rng(4), 600)}`,
    '4. Errors: none.',
    '5. Open work: the next numbered task the user sends.',
    '6. User preferences: none beyond the tasks.',
    '</summary>',
  ].join('\n');
  const scenario: Scenario = {
    name: 'bench-long-session',
    turns: scripted,
    anytime: [{ match: { lastUserTextContains: SUMMARY_REQUEST_MARK }, reply: { content: [say(summary)], stop_reason: 'end_turn' } }],
    // Titles and other small-model calls: answered, never part of the script.
    sideModels: [smallModel],
    side: [{ reply: { content: [say('Working through numbered tasks')] }, times: 1_000_000 }],
    whenExhausted: 'error',
  };
  return { prompts, scenario, edits };
}

/** The edits that did not happen (an Edit refused or failed). */
export function missingEdits(dir: string, edits: LongScript['edits']): string[] {
  return edits.filter((e) => !readFileSync(path.join(dir, e.file), 'utf8').includes(e.line)).map((e) => `${e.file}: ${e.line}`);
}
