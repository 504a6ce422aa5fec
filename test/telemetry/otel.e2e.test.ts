/**
 * OpenTelemetry (B21) through the built CLI against the emulator and a local OTLP receiver:
 * names, attributes and values as the reference product documents them; http/json and
 * http/protobuf; the Prometheus scrape endpoint; nothing loaded or sent when telemetry is off;
 * the flush on exit and on Ctrl-C; no secret in anything the receiver got.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { TEST_CREDENTIALS, type Scenario } from '../../src/emulator/index.js';
import { makeTempDir } from '../helpers/temp.js';
import { OtlpReceiver } from './otlp-receiver.js';

const ARN = 'arn:aws:sts::444455556666:assumed-role/Dev/alice@example.com';
const HEADER_SECRET = 'otlp-token-5b1f0c9e7d';
const PROMPT = 'write the notes file please';

const WRITE_THEN_ANSWER: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'notes.txt', content: 'one\ntwo\nthree' } }] } },
    { reply: { content: [{ type: 'text', text: 'wrote notes.txt' }] } },
  ],
};

let sb: Sandbox | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await sb?.close();
  await receiver?.close();
  sb = undefined;
  receiver = undefined;
});

/** Records every package the CLI process requires (print mode loads packages with require). */
let preload: string;
beforeAll(() => {
  const dir = makeTempDir('bcode-otel-');
  preload = path.join(dir, 'record-requires.cjs');
  writeFileSync(preload, "const M = require('node:module');\nconst fs = require('node:fs');\nconst load = M._load;\nM._load = function (request, ...rest) {\n  if (!request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:')) fs.appendFileSync(process.env.BCODE_TEST_REQUIRES, request + '\\n');\n  return load.call(this, request, ...rest);\n};\n");
});

function telemetryEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${HEADER_SECRET}`,
    OTEL_RESOURCE_ATTRIBUTES: 'department=payments,cost_center=cc-42',
    ...extra,
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.each(['http/json', 'http/protobuf'])('OTLP over %s', (protocol) => {
  it('exports the documented metrics and events with the emulator\'s token counts, the caller identity, and no secret', async () => {
    receiver = await new OtlpReceiver().start();
    sb = await sandbox(WRITE_THEN_ANSWER, { emulator: { credentials: [{ ...TEST_CREDENTIALS[0], arn: ARN }] } });
    const r = await sb.run(['-p', PROMPT, '--output-format', 'json', '--permission-mode', 'acceptEdits'], {
      env: { ...telemetryEnv(receiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }), AWS_ENDPOINT_URL_STS: sb.emulator.url, TERM_PROGRAM: 'test-term' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { total_cost_usd: number; session_id: string };
    const usage = modelRequests(sb.emulator).map((q) => q.usage!);
    const total = (k: keyof (typeof usage)[0]) => usage.reduce((a, u) => a + u[k], 0);

    // Exported with the protocol asked for, with the configured headers.
    const metricExports = receiver.exports.filter((e) => e.path === '/v1/metrics');
    expect(metricExports.length).toBeGreaterThan(0);
    for (const e of receiver.exports) {
      expect(e.contentType).toContain(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      expect(e.headers.authorization).toBe(`Bearer ${HEADER_SECRET}`);
    }

    // Metrics: names, attributes and values (the whole run ended before the 60 s interval: this is the flush on exit).
    const model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(receiver.sum('claude_code.session.count')).toBe(1);
    expect(receiver.sum('claude_code.token.usage', { type: 'input', model })).toBe(total('input_tokens'));
    expect(receiver.sum('claude_code.token.usage', { type: 'output', model })).toBe(total('output_tokens'));
    expect(receiver.sum('claude_code.token.usage', { type: 'cacheRead', model })).toBe(total('cache_read_input_tokens'));
    expect(receiver.sum('claude_code.token.usage', { type: 'cacheCreation', model })).toBe(total('cache_creation_input_tokens'));
    expect(receiver.sum('claude_code.cost.usage', { model })).toBeCloseTo(result.total_cost_usd, 10);
    expect(receiver.sum('claude_code.lines_of_code.count', { type: 'added' })).toBe(3);
    expect(receiver.sum('claude_code.code_edit_tool.decision', { tool_name: 'Write', decision: 'accept' })).toBe(1);
    expect(receiver.sum('claude_code.active_time.total', { type: 'cli' })).toBeGreaterThan(0);
    const units = Object.fromEntries(receiver.points.map((p) => [p.name, p.unit]));
    expect(units['claude_code.cost.usage']).toBe('USD');
    expect(units['claude_code.token.usage']).toBe('tokens');
    for (const p of receiver.points) {
      // Delta sums by default, as the reference exports them.
      expect(p.temporality).toBe(1);
      expect(p.attributes['session.id']).toBe(result.session_id);
      expect(p.attributes['terminal.type']).toBe('test-term');
      expect(p.attributes['user.name']).toBe('alice@example.com');
      expect(p.attributes['aws.account.id']).toBe('444455556666');
      expect(p.attributes['aws.principal.arn']).toBe(ARN);
      expect(p.resource).toMatchObject({ 'service.name': 'claude-code', department: 'payments', cost_center: 'cc-42' });
    }

    // Events.
    const byName = (n: string) => receiver!.events.filter((e) => e.body === `claude_code.${n}`);
    const prompt = byName('user_prompt');
    expect(prompt).toHaveLength(1);
    expect(prompt[0].attributes).toMatchObject({ 'event.name': 'user_prompt', prompt_length: PROMPT.length, prompt: '<REDACTED>' });
    const requests = byName('api_request');
    expect(requests.map((e) => e.attributes.input_tokens)).toEqual(usage.map((u) => u.input_tokens));
    expect(requests.map((e) => e.attributes.output_tokens)).toEqual(usage.map((u) => u.output_tokens));
    expect(requests.every((e) => e.attributes.model === model && typeof e.attributes.cost_usd === 'number')).toBe(true);
    expect(byName('tool_decision').map((e) => [e.attributes.tool_name, e.attributes.decision])).toEqual([['Write', 'accept']]);
    expect(byName('tool_result').map((e) => [e.attributes.tool_name, e.attributes.success])).toEqual([['Write', 'true']]);
    for (const e of receiver.events) expect(e.attributes['session.id']).toBe(result.session_id);

    // Never a secret: not the AWS keys, not the exporter's own token, not the prompt text.
    const all = receiver.everything();
    expect(all).not.toContain(TEST_CREDENTIALS[0].secretAccessKey);
    expect(all).not.toContain(TEST_CREDENTIALS[0].accessKeyId);
    expect(all).not.toContain(HEADER_SECRET);
    expect(all).not.toContain(PROMPT);
  });
});

describe('OpenTelemetry options', () => {
  it('OTEL_LOG_USER_PROMPTS=1 puts the prompt text in the user_prompt event; otelHeadersHelper adds its headers', async () => {
    receiver = await new OtlpReceiver().start();
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const settings = JSON.stringify({ otelHeadersHelper: `echo '{"x-collector-token":"helper-77"}'` });
    const r = await sb.run(['-p', PROMPT, '--settings', settings], { env: telemetryEnv(receiver.url, { OTEL_LOG_USER_PROMPTS: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', AWS_ENDPOINT_URL_STS: sb.emulator.url }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(receiver.events.find((e) => e.body === 'claude_code.user_prompt')?.attributes.prompt).toBe(PROMPT);
    expect(receiver.exports.length).toBeGreaterThan(0);
    for (const e of receiver.exports) expect(e.headers['x-collector-token']).toBe('helper-77');
  });

  it('the prometheus exporter serves the same metrics on its scrape endpoint while the session runs', async () => {
    const port = await freePort();
    sb = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }] } },
        { reply: { content: [{ type: 'text', text: 'done' }] }, faults: [{ kind: 'delay', firstByteMs: 4000 }] },
      ],
    });
    const emulator = sb.emulator;
    const run = sb.run(['-p', 'look'], { env: { AWS_ENDPOINT_URL_STS: emulator.url, CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(port), OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' } });
    // Wait until the second request is out (the first one's usage is recorded by then).
    const deadline = Date.now() + 15_000;
    while (modelRequests(emulator).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    let text = '';
    for (let i = 0; i < 40 && !/claude_code_token_usage/.test(text); i++) {
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text()).catch(() => '');
      if (!/claude_code_token_usage/.test(text)) await new Promise((r) => setTimeout(r, 100));
    }
    const r = await run;
    expect(r.code).toBe(0);
    const first = modelRequests(emulator)[0].usage!;
    const line = text.split('\n').find((l) => l.startsWith('claude_code_token_usage') && l.includes('type="input"'));
    expect(line, text).toBeDefined();
    expect(Number(line!.split(' ').pop())).toBe(first.input_tokens);
    expect(text).toMatch(/^claude_code_session_count\S*\{[^}]*session_id="[0-9a-f-]{36}"[^}]*\} 1$/m);
    expect(text).toMatch(/^claude_code_cost_usage\S*\{[^}]*model="us\.anthropic\.claude-sonnet-4-5-20250929-v1:0"/m);
  });

  it('with telemetry off no OpenTelemetry package is loaded and nothing is sent', async () => {
    receiver = await new OtlpReceiver().start();
    sb = await sandbox({ ...WRITE_THEN_ANSWER, whenExhausted: 'echo' });
    const dir = makeTempDir('bcode-otel-req-');
    const off = path.join(dir, 'off.txt');
    const on = path.join(dir, 'on.txt');
    writeFileSync(off, '');
    writeFileSync(on, '');
    const env = { ...telemetryEnv(receiver.url), AWS_ENDPOINT_URL_STS: sb.emulator.url, NODE_OPTIONS: `--require=${preload}` };
    const r1 = await sb.run(['-p', 'go', '--permission-mode', 'acceptEdits'], { env: { ...env, CLAUDE_CODE_ENABLE_TELEMETRY: '0', BCODE_TEST_REQUIRES: off } });
    expect(r1.code).toBe(0);
    expect(readFileSync(off, 'utf8')).not.toMatch(/@opentelemetry|client-sts/);
    expect(receiver.exports).toHaveLength(0);
    // The same run with telemetry on does load them (the check above can see them).
    const r2 = await sb.run(['-p', 'go again'], { env: { ...env, BCODE_TEST_REQUIRES: on } });
    expect(r2.code).toBe(0);
    expect(readFileSync(on, 'utf8')).toMatch(/@opentelemetry\/sdk-metrics/);
    expect(receiver.exports.length).toBeGreaterThan(0);
  });

  it('Ctrl-C mid-stream still flushes the metrics before bcode exits', async () => {
    receiver = await new OtlpReceiver().start();
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: words }], chunkChars: 8 }, faults: [{ kind: 'delay', betweenChunksMs: 40 }] }] });
    const emulator = sb.emulator;
    const r = await sb.run(['-p', 'talk'], {
      env: telemetryEnv(receiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', AWS_ENDPOINT_URL_STS: emulator.url }),
      onSpawn: (child) => {
        const wait = async () => {
          const deadline = Date.now() + 10_000;
          while (modelRequests(emulator).length < 1 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
          await new Promise((res) => setTimeout(res, 1_000));
          child.kill('SIGINT');
        };
        void wait();
      },
    });
    expect(r.code).toBe(130);
    expect(receiver.sum('claude_code.session.count')).toBe(1);
    expect(receiver.sum('claude_code.active_time.total', { type: 'cli' })).toBeGreaterThan(0);
    expect(receiver.events.some((e) => e.body === 'claude_code.user_prompt')).toBe(true);
  });

  it('a bad exporter or protocol name is a configuration error (exit 2, hint) before any request', async () => {
    sb = await sandbox({ turns: [] });
    const bad = await sb.run(['-p', 'hi'], { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_METRICS_EXPORTER: 'statsd' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bcode: OTEL_METRICS_EXPORTER must be otlp, prometheus, console, none .*\n\s*hint: /);
    const proto = await sb.run(['-p', 'hi'], { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' } });
    expect(proto.code).toBe(2);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});
