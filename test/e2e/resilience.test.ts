/**
 * R1, B28, B24, B26 through the built CLI against the emulator: retries after content arrived,
 * the stream watchdog, failover with its notices, guardrail-aware sessions and guard-content tags.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioContentBlock } from '../../src/emulator/index.js';
import { MODEL, modelRequests, REPO, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const ANSWER = 'A long answer that arrives in many small chunks, so the stream can break in the middle of it.';
const answer: ScenarioContentBlock[] = [{ type: 'text', text: ANSWER }];
const fastSleep = { NODE_OPTIONS: `--import=${path.join(REPO, 'test', 'helpers', 'fast-retry-sleep.mjs')}` };
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const FALLBACK = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('R1: mid-stream throttling, through the built CLI', () => {
  const scenario = {
    turns: [
      { reply: { content: answer }, faults: [{ kind: 'exception' as const, afterChunks: 4, exceptionType: 'throttlingException', message: 'Too many tokens, please wait before trying again.' }], times: 2 },
      { reply: { content: answer } },
    ],
  };

  it('text mode: two backoff waits on stderr, then the answer once on stdout and once in the transcript', async () => {
    sb = await sandbox(scenario);
    const r = await sb.run(['-p', 'hi'], { env: fastSleep });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    const waits = r.stderr.trim().split('\n');
    expect(waits).toHaveLength(2);
    waits.forEach((l, i) => expect(l).toMatch(new RegExp(`^bcode: Bedrock is throttling \\(429\\); retrying in \\d+\\.\\d s \\(attempt ${i + 1}/8\\), the answer starts again$`)));
    expect(modelRequests(sb.emulator)).toHaveLength(3);
    const assistant = sb.transcript().filter((e) => e.type === 'assistant');
    expect(assistant).toHaveLength(1);
    expect(JSON.stringify(assistant[0].message.content)).toBe(JSON.stringify(answer));
  });

  it('stream-json: each wait is system/api_retry with error_status 429; the assistant message is whole and single', async () => {
    sb = await sandbox(scenario);
    const r = await sb.run(['-p', 'hi', '--output-format', 'stream-json', '--verbose'], { env: fastSleep });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const retries = lines.filter((l) => l.type === 'system' && l.subtype === 'api_retry');
    expect(retries.map((l) => [l.attempt, l.error, l.error_status])).toEqual([
      [1, 'rate_limit', 429],
      [2, 'rate_limit', 429],
    ]);
    expect(retries.every((l) => typeof l.retry_delay_ms === 'number' && (l.retry_delay_ms as number) > 0)).toBe(true);
    const assistants = lines.filter((l) => l.type === 'assistant');
    expect(assistants).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: ANSWER });
  });
});

describe('B28: the stream watchdog, through the built CLI', () => {
  it('a stream that stalls after its first event is re-requested after BCODE_STREAM_IDLE_TIMEOUT_MS, not after API_TIMEOUT_MS', async () => {
    sb = await sandbox({ turns: [{ reply: { content: answer }, faults: [{ kind: 'stall', afterChunks: 2 }] }, { reply: { content: answer } }] });
    const t0 = Date.now();
    const r = await sb.run(['-p', 'hi'], { env: { ...fastSleep, BCODE_STREAM_IDLE_TIMEOUT_MS: '400' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    expect(r.stderr).toMatch(/^bcode: the connection failed; retrying in \d+\.\d s \(attempt 1\/8\), the answer starts again$/m);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(modelRequests(sb.emulator)).toHaveLength(2);
  });

  it('a bad BCODE_STREAM_IDLE_TIMEOUT_MS is a configuration error (exit 2, one line and a hint)', async () => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run(['-p', 'hi'], { env: { BCODE_STREAM_IDLE_TIMEOUT_MS: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: BCODE_STREAM_IDLE_TIMEOUT_MS .*\n\s*hint: /);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});

describe('B24: failover, through the built CLI', () => {
  it('modelFailover: the session finishes on the fallback, says so once, and returns to the main model after the cool-down', async () => {
    sb = await sandbox({
      unavailable: [{ modelId: MODEL, requests: 2 }],
      turns: [
        // Answered by the fallback, slowly enough for the 1-second cool-down to pass.
        { match: { modelId: FALLBACK }, faults: [{ kind: 'delay', firstByteMs: 1_200 }], reply: { content: [{ type: 'tool_use', name: 'Read', input: { file_path: 'notes.txt' } }] } },
        { match: { modelId: MODEL }, reply: { content: [{ type: 'text', text: 'done on the main model' }] } },
      ],
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(sb.project, 'notes.txt'), 'hello\n');
    const settings = JSON.stringify({ modelFailover: { models: [FALLBACK], afterFailures: 2, cooldownSeconds: 1 } });
    const r = await sb.run(['-p', 'read notes.txt', '--settings', settings, '--output-format', 'stream-json', '--verbose'], { env: fastSleep });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const switches = lines.filter((l) => l.type === 'system' && l.subtype === 'model_failover');
    expect(switches.map((l) => [l.from, l.to, l.reason])).toEqual([
      [MODEL, FALLBACK, 'rate_limit'],
      [FALLBACK, MODEL, 'cooldown_over'],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'done on the main model' });
    expect(modelRequests(sb.emulator).map((q) => [q.modelId, q.status])).toEqual([
      [MODEL, 429],
      [MODEL, 429],
      [FALLBACK, 200],
      [MODEL, 200],
    ]);
  });

  it('--fallback-model maps onto the list (text mode: one notice line)', async () => {
    sb = await sandbox({ unavailable: [{ modelId: MODEL }], turns: [{ match: { modelId: FALLBACK }, reply: { content: answer } }] });
    const r = await sb.run(['-p', 'hi', '--fallback-model', FALLBACK], { env: fastSleep });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    const notices = r.stderr.split('\n').filter((l) => l.includes('continuing on'));
    expect(notices).toEqual([`bcode: ${MODEL} is throttled (3 failed attempts); continuing on ${FALLBACK}, and trying ${MODEL} again in 5 min`]);
    expect(modelRequests(sb.emulator).map((q) => q.modelId)).toEqual([MODEL, MODEL, MODEL, FALLBACK]);
  });

  it('a bad modelFailover setting is refused before any request (exit 2)', async () => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run(['-p', 'hi', '--settings', JSON.stringify({ modelFailover: { models: [] } })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: .*modelFailover.*\n\s*hint: /);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});

describe('B26: guardrail-aware sessions, through the built CLI', () => {
  const guardrailHeaders = { ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailIdentifier: gr7abc\nX-Amzn-Bedrock-GuardrailVersion: 2\nX-Amzn-Bedrock-Trace: ENABLED' };
  const guardrails = [{ id: 'gr7abc', version: '2', blockedInputWords: ['forbidden'], blockedInputMessaging: 'Sorry, this request is blocked by policy.' }];

  it('an intervention is named; the blocked exchange stays in the transcript but is not sent with the next prompt, which works', async () => {
    sb = await sandbox({ guardrails, turns: [{ reply: { content: [{ type: 'text', text: 'Happy to help with that.' }] } }] }, { env: guardrailHeaders });
    const first = await sb.run(['-p', 'tell me the forbidden thing']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('Sorry, this request is blocked by policy.\n');
    expect(first.stderr).toBe('bcode: blocked by guardrail gr7abc v2 (input: word filter (1 match)); this exchange is kept in the transcript but not sent to the model again\n');

    const second = await sb.run(['-p', '--continue', 'what is 2+2?']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Happy to help with that.\n');
    const calls = modelRequests(sb.emulator);
    expect(calls).toHaveLength(2);
    const sent = JSON.stringify(calls[1].body);
    expect(sent).not.toContain('forbidden');
    expect(sent).not.toContain('blocked by policy');
    expect(sent).toContain('what is 2+2?');

    // The transcript keeps the blocked exchange, then the marker, then the next turn.
    const entries = sb.transcript();
    expect(entries.map((e) => e.type)).toEqual(['user', 'assistant', 'excluded', 'user', 'assistant']);
    expect(JSON.stringify(entries[0].message)).toContain('forbidden');
    expect(entries[2].excludedMessages).toBe(2);
  });

  it('stream-json: the intervention is a system/guardrail_intervened line', async () => {
    sb = await sandbox({ guardrails, turns: [] }, { env: guardrailHeaders });
    const r = await sb.run(['-p', 'forbidden', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const line = jsonLines(r.stdout).find((l) => l.subtype === 'guardrail_intervened');
    expect(line).toMatchObject({ type: 'system', guardrail_id: 'gr7abc', guardrail_version: '2', trace_summary: 'input: word filter (1 match)' });
  });

  it('guardrails.tagUserInput: guard-content tags wrap only what the user typed, so the system prompt is not judged', async () => {
    sb = await sandbox({ guardrails, turns: [{ reply: { content: answer } }] }, { env: guardrailHeaders });
    // The word is in the system prompt: without tags Bedrock judges all of the input and blocks it.
    const settings = JSON.stringify({ guardrails: { tagUserInput: true, tagSuffix: 'xyz123' } });
    const r = await sb.run(['-p', 'hello there', '--append-system-prompt', 'Never discuss the forbidden archive.', '--settings', settings]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    const body = modelRequests(sb.emulator)[0].body as { messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }>; system: unknown; 'amazon-bedrock-guardrailConfig': unknown };
    expect(body['amazon-bedrock-guardrailConfig']).toEqual({ tagSuffix: 'xyz123' });
    expect(body.messages[0].content[0].text).toBe('<amazon-bedrock-guardrails-guardContent_xyz123>hello there</amazon-bedrock-guardrails-guardContent_xyz123>');
    expect(JSON.stringify(body.system)).not.toContain('guardContent');

    // The same request without tagging is blocked: the system prompt is judged too.
    const untagged = await sb.run(['-p', 'hello there', '--append-system-prompt', 'Never discuss the forbidden archive.']);
    expect(untagged.stderr).toMatch(/blocked by guardrail gr7abc v2/);
  });
});

describe('the settings and flag, resolved like the main model', () => {
  it('modelFailover entries and --fallback-model go through the model resolver (aliases → profiles); --print-config shows them', async () => {
    sb = await sandbox({ turns: [] });
    const fromSettings = await sb.run(['--print-config', '--settings', JSON.stringify({ modelFailover: { models: ['haiku', FALLBACK], cooldownSeconds: 60 } })]);
    expect(fromSettings.code).toBe(0);
    expect(fromSettings.stdout).toMatch(/^models\.failover: us\.anthropic\.claude-haiku-[^,]+, global\.anthropic\.claude-sonnet-4-5-20250929-v1:0 \(after 3 failures, back after 60 s\)\s+\(settings:--settings\)$/m);
    const fromFlag = await sb.run(['--print-config', '--fallback-model', 'sonnet', '--settings', JSON.stringify({ fallbackModel: 'opus' })]);
    expect(fromFlag.stdout).toMatch(/^models\.failover: us\.anthropic\.claude-sonnet-[^ ]+ \(after 3 failures, back after 300 s\)\s+\(flag:--fallback-model\)$/m);
    const bad = await sb.run(['-p', 'hi', '--settings', JSON.stringify({ guardrails: { tagUserInput: true, tagSuffix: 'a-b' } })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("bcode: --settings: guardrails.tagSuffix must be 1 to 20 letters or digits (Bedrock's tagSuffix), found a string\n  hint: fix guardrails.tagSuffix in the --settings JSON\n");
  });
});
