import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/types.js';
import { adaptScenario } from '../../bench/lib/adapt-scenario.js';
import { fillTemplate } from '../../bench/lib/agents.js';
import { BenchUsageError, parseOptions } from '../../bench/lib/options.js';
import { inputCost, totalCost } from '../../bench/lib/prices.js';
import { renderTable } from '../../bench/lib/results.js';
import { toolDurations } from '../../bench/lib/session-run.js';
import { median } from '../../bench/lib/stats.js';
import { costUnits, isSummaryRequest, longProfile, longStats } from '../../bench/lib/fig-long-session.js';
import { describeProfile, promptParts } from '../../bench/lib/long-session-profile.js';
import { longScript, missingEdits, SUMMARY_REQUEST_MARK, SUMMARY_TEXT_MARK, writeLongProject } from '../../bench/lib/long-session-script.js';
import { summaryInstruction } from '../../src/agent/compaction.js';
import type { RecordedRequest } from '../../src/emulator/types.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../helpers/temp.js';

describe('bench helpers', () => {
  it('median of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('prices a Sonnet 4.5 request at Bedrock rates: writes 1.25×, reads 0.1× of input; regional +10%', () => {
    const u = { input_tokens: 1_000_000, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000, output_tokens: 1_000_000 };
    expect(inputCost(u, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeCloseTo(3 + 3.75 + 0.3);
    expect(totalCost(u, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeCloseTo(3 + 3.75 + 0.3 + 15);
    expect(totalCost(u, 'us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBeCloseTo((1 + 1.25 + 0.1 + 5) * 1.1);
  });

  it('fills {{root}} everywhere in a scenario and leaves unknown names alone', () => {
    expect(fillTemplate({ a: ['{{root}}/x', { b: '{{other}}' }], n: 1 }, { root: '/p' })).toEqual({ a: ['/p/x', { b: '{{other}}' }], n: 1 });
  });

  it('turns Grep and Glob calls into grep/find for an agent without them, and only then', () => {
    const scenario: Scenario = {
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Grep', input: { pattern: "it's\\(", output_mode: 'content', '-n': true, path: '/p/src' } }] } },
        { reply: { content: [{ type: 'tool_use', name: 'Glob', input: { pattern: 'src/**/*.mjs' } }, { type: 'tool_use', name: 'Read', input: { file_path: '/p/a' } }] } },
      ],
    };
    expect(adaptScenario(scenario, ['Grep', 'Glob', 'Read']).replaced).toEqual([]);
    const { scenario: out, replaced } = adaptScenario(scenario, ['Read', 'Bash']);
    expect(replaced).toEqual(['Grep', 'Glob']);
    expect(out.turns[0].reply!.content[0]).toMatchObject({ name: 'Bash', input: { command: "grep -rnE -- 'it'\\''s\\(' '/p/src'" } });
    expect(out.turns[1].reply!.content[0]).toMatchObject({ name: 'Bash', input: { command: "find 'src' -name '*.mjs'" } });
    expect(out.turns[1].reply!.content[1]).toMatchObject({ name: 'Read' });
  });

  it('sums tool durations from stream-json tool events but never the session result', () => {
    const lines = [
      JSON.stringify({ type: 'system', subtype: 'init', duration_ms: 1 }),
      JSON.stringify({ type: 'user', message: {}, tool_use_result: { durationMs: 12 } }),
      JSON.stringify({ type: 'tool_finished', durationMs: 3 }),
      JSON.stringify({ type: 'result', duration_ms: 999 }),
    ].join('\n');
    expect(toolDurations(lines)).toEqual({ totalMs: 15, count: 2 });
    expect(toolDurations(JSON.stringify({ type: 'result', duration_ms: 5 }))).toBeUndefined();
  });

  it('parses options and rejects bad ones', () => {
    const o = parseOptions(['--runs', '7', '--only', '1,6', '--peer', 'claude -x', '--latency', 'realistic'], 'out.json');
    expect(o).toMatchObject({ runs: 7, warmup: 1, latency: 'realistic', peer: 'claude -x', out: 'out.json' });
    expect([...o.only]).toEqual([1, 6]);
    expect(parseOptions(['--smoke'], 'x')).toMatchObject({ runs: 1, warmup: 0, smoke: true });
    expect(() => parseOptions(['--latency', 'slow'], 'x')).toThrow(BenchUsageError);
    expect(() => parseOptions(['--frobnicate'], 'x')).toThrow(/unknown option '--frobnicate'/);
  });

  it('renders a table with verdicts and one note per shared reason', () => {
    const t = renderTable([
      { figure: '2', what: 'ttfr', unit: 'ms', bcode: 50.4, baselineLabel: 'node -e 0', baseline: 40.2, ratio: 1.25, target: '≤ 1.6×', met: true },
      { figure: '4a', what: 'x', unit: 'ms', bcode: null, note: 'n/a (no print mode)' },
      { figure: '4b', what: 'y', unit: 'ms', bcode: null, target: '≤ 5 ms', met: null, note: 'n/a (no print mode)' },
    ]);
    expect(t).toMatch(/^2 +│ ttfr +│ 50\.4 ms │ 40\.2 ms \(node -e 0\) │ 1\.25× │ ≤ 1\.6× │ met$/m);
    expect(t).toMatch(/^4b .*│ n\/a$/m);
    expect(t).toContain('[4a, 4b] n/a (no print mode)');
  });
  it('long session script: one first reply per task matched on its words, every edit applies once, summaries answered at any time', () => {
    const dir = makeTempDir('bcode-bench-long-');
    writeLongProject(dir, 200);
    const { prompts, scenario, edits } = longScript(dir, 200, 'small');
    expect(prompts).toHaveLength(200);
    expect(longScript(dir, 200, 'small').prompts).toEqual(prompts); // deterministic
    const firsts = scenario.turns.filter((t) => t.match);
    expect(firsts.map((t) => t.match!.lastUserTextContains)).toEqual(prompts.map((_, k) => `Task ${k}:`));
    for (const [k, p] of prompts.entries()) {
      expect(p.startsWith(`Task ${k}:`)).toBe(true);
      // No prompt names another task's marker, nor looks like a summary request.
      expect(prompts.filter((q) => q.includes(`Task ${k}:`))).toEqual([p]);
      expect(p).not.toContain(SUMMARY_REQUEST_MARK);
    }
    expect(edits.length).toBe(40);
    // Each Edit's old_string is in its file exactly once, so every scripted edit can apply.
    for (const t of scenario.turns) {
      for (const b of t.reply?.content ?? []) {
        if (b.type !== 'tool_use' || b.name !== 'Edit') continue;
        const input = b.input as { file_path: string; old_string: string; new_string: string };
        expect(readFileSync(input.file_path, 'utf8').split(input.old_string)).toHaveLength(2);
      }
    }
    expect(missingEdits(dir, edits)).toHaveLength(40);
    const first = edits[0];
    const f = path.join(dir, first.file);
    writeFileSync(f, readFileSync(f, 'utf8').replace(first.line.replace('[x]', '[ ]'), first.line));
    expect(missingEdits(dir, edits)).toHaveLength(39);
    // bcode's own summary instruction is recognised as a summary request (so is the reference's: it says "Do NOT call any tools").
    expect(summaryInstruction()).toContain(SUMMARY_REQUEST_MARK);
    expect(scenario.anytime?.[0]?.match?.lastUserTextContains).toBe(SUMMARY_REQUEST_MARK);
  });

  it('long session accounting: cost units, cache-read share and the summaries\' share', () => {
    const req = (text: string, u: [number, number, number], modelId = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'): RecordedRequest =>
      ({ operation: 'InvokeModelWithResponseStream', modelId, status: 200, body: { messages: [{ role: 'user', content: [{ type: 'text', text }] }] }, usage: { input_tokens: u[0], cache_creation_input_tokens: u[1], cache_read_input_tokens: u[2], output_tokens: 10 } }) as unknown as RecordedRequest;
    expect(costUnits({ input_tokens: 100, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 5 })).toBe(100 + 125 + 100);
    const rs = [req('Task 0: a', [0, 1000, 0]), req('Task 1: b', [0, 100, 1000]), req(summaryInstruction(), [10, 0, 1100]), req('title', [50, 0, 0], 'us.anthropic.claude-haiku-4-5-20251001-v1:0')];
    expect(rs.map(isSummaryRequest)).toEqual([false, false, true, false]);
    const s = longStats(rs, 2, 1);
    expect(s.requests).toBe(3); // the small model's call is not the session's
    expect(s.compactions).toBe(1);
    expect(s.units).toBeCloseTo(1250 + 125 + 100 + 10 + 110);
    expect(s.compactionUnits).toBeCloseTo(120);
    expect(s.cacheReadShare).toBeCloseTo(2100 / 3210);
  });

  it('long session profile: each prompt split into its parts the way the emulator counts, compactions with their sizes', () => {
    const sonnet = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const use = { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/p/a.ts' } };
    const result = { type: 'tool_result', tool_use_id: 't1', content: '1\tx'.repeat(50), cache_control: { type: 'ephemeral' } };
    const body = (messages: unknown[]) => ({ system: [{ type: 'text', text: 's'.repeat(400) }], tools: [{ name: 'Read', description: 'd'.repeat(200), input_schema: {} }], messages });
    const turn = [{ role: 'user', content: 'Task 0: go' }, { role: 'assistant', content: [{ type: 'text', text: 'Reading.' }, use] }, { role: 'user', content: [result] }];
    const parts = promptParts(body(turn), (t) => t.includes(SUMMARY_TEXT_MARK));
    // Each block as the emulator counts it: its JSON with the role, without cache_control, 4 characters a token.
    const tokens = (x: unknown) => Math.ceil(JSON.stringify(x).length / 4);
    expect(parts.get('system prompt')).toBe(tokens({ role: undefined, type: 'text', text: 's'.repeat(400) }));
    expect(parts.get('Read calls')).toBe(tokens({ role: 'assistant', ...use }));
    expect(parts.get('Read results')).toBe(tokens({ role: 'user', type: 'tool_result', tool_use_id: 't1', content: '1\tx'.repeat(50) }));
    expect(parts.get('user prompts')).toBe(tokens({ role: 'user', type: 'text', text: 'Task 0: go' }));
    expect(parts.get('assistant text')).toBe(tokens({ role: 'assistant', type: 'text', text: 'Reading.' }));
    expect([...parts.keys()].sort()).toEqual(['Read calls', 'Read results', 'assistant text', 'system prompt', 'tool definitions', 'user prompts']);

    const req = (b: unknown, u: [number, number, number]): RecordedRequest =>
      ({ operation: 'InvokeModelWithResponseStream', modelId: sonnet, status: 200, body: b, usage: { input_tokens: u[0], cache_creation_input_tokens: u[1], cache_read_input_tokens: u[2], output_tokens: 1 } }) as unknown as RecordedRequest;
    const summaryMsg = { role: 'user', content: [{ type: 'text', text: `Summary: ${SUMMARY_TEXT_MARK}.` }] };
    const reminder = { role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }] };
    const rs = [
      req(body(turn), [0, 800, 0]),
      req(body([...turn, { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] }, { role: 'user', content: summaryInstruction() }]), [0, 100, 800]),
      req(body([summaryMsg, reminder, { role: 'assistant', content: [{ type: 'text', text: 'ok' }] }]), [100, 0, 200]),
    ];
    const p = longProfile(rs);
    expect(p.requests).toBe(3);
    expect(p.compactions).toHaveLength(1);
    expect(p.compactions[0].request).toBe(2);
    expect(p.compactions[0].before).toBeGreaterThan(p.compactions[0].after);
    expect(p.parts.find((x) => x.part === 'summary')?.tokens).toBeCloseTo(tokens({ role: 'user', ...summaryMsg.content[0] }) / 3);
    expect(p.parts.find((x) => x.part === 'reminders')).toBeDefined();
    expect(p.parts.map((x) => x.tokens)).toEqual([...p.parts.map((x) => x.tokens)].sort((a, b) => b - a));
    const total = p.parts.reduce((n, x) => n + x.tokens, 0);
    expect(p.avgContext).toBeCloseTo(total);
    // Units: reads 0.1 × 1000, writes 1.25 × 900, uncached 100.
    expect(p.unitShares.read).toBeCloseTo(100 / 1325);
    expect(p.unitShares.write).toBeCloseTo(1125 / 1325);
    expect(p.unitShares.uncached).toBeCloseTo(100 / 1325);
    const line = describeProfile(p);
    expect(line).toMatch(/^avg prompt \d+\.\dk tokens over 3 requests = /);
    expect(line).toContain('compacted at request 2 (');
    expect(line).toContain('units from cache reads 7.5%, writes 85%, uncached 7.5%');
  });
});
