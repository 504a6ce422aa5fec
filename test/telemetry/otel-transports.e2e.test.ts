/**
 * OpenTelemetry (B21) transports beyond OTLP/HTTP, through the built CLI against the emulator:
 * OTLP over gRPC into a @grpc/grpc-js receiver; the console exporters, whose output goes to
 * stderr so that print mode's json and stream-json stay parseable; the OTLP exporters through a
 * real HTTP proxy (B27) and past it with NO_PROXY.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import type { Scenario } from '../../src/emulator/index.js';
import { makePki, type Pki } from '../net/pki.js';
import { startProxy, type TestProxy } from '../net/proxy-server.js';
import { makeTempDir } from '../helpers/temp.js';
import { OtlpGrpcReceiver } from './otlp-grpc-receiver.js';
import { OtlpReceiver } from './otlp-receiver.js';

const HEADER_SECRET = 'otlp-token-9c2e41aa70';
const PROMPT = 'write the notes file please';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const WRITE_THEN_ANSWER: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'notes.txt', content: 'one\ntwo\nthree' } }] } },
    { reply: { content: [{ type: 'text', text: 'wrote notes.txt' }] } },
  ],
};

let sb: Sandbox | undefined;
let receiver: OtlpReceiver | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await sb?.close();
  await receiver?.close();
  await proxy?.close();
  sb = undefined;
  receiver = undefined;
  proxy = undefined;
});

function otlpEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${HEADER_SECRET}`,
    ...extra,
  };
}

async function writeSession(env: Record<string, string>, args: string[] = ['--output-format', 'json']) {
  sb = await sandbox(WRITE_THEN_ANSWER);
  // The caller-identity call (STS) goes to the emulator too: nothing leaves the machine.
  return sb.run(['-p', PROMPT, '--permission-mode', 'acceptEdits', ...args], { env: { AWS_ENDPOINT_URL_STS: sb.emulator.url, ...env } });
}

/** The documented names and the emulator's token counts arrived (whatever the transport). */
function expectSession(r: OtlpReceiver, s: Sandbox): void {
  const usage = modelRequests(s.emulator).map((q) => q.usage!);
  expect(usage).toHaveLength(2);
  expect(r.sum('claude_code.session.count')).toBe(1);
  expect(r.sum('claude_code.token.usage', { type: 'input', model: MODEL })).toBe(usage.reduce((a, u) => a + u.input_tokens, 0));
  expect(r.sum('claude_code.token.usage', { type: 'output', model: MODEL })).toBe(usage.reduce((a, u) => a + u.output_tokens, 0));
  expect(r.sum('claude_code.cost.usage', { model: MODEL })).toBeGreaterThan(0);
  expect(r.sum('claude_code.lines_of_code.count', { type: 'added' })).toBe(3);
  expect(r.sum('claude_code.code_edit_tool.decision', { tool_name: 'Write', decision: 'accept' })).toBe(1);
  const names = r.events.map((e) => e.body);
  expect(names.filter((n) => n === 'claude_code.api_request')).toHaveLength(2);
  for (const n of ['user_prompt', 'tool_decision', 'tool_result']) expect(names).toContain(`claude_code.${n}`);
  expect(r.events.find((e) => e.body === 'claude_code.user_prompt')?.attributes.prompt).toBe('<REDACTED>');
}

describe('OTLP over gRPC', () => {
  it('metrics and events of a scripted session arrive at a gRPC collector with the documented names, the headers as metadata', async () => {
    const grpcReceiver = await new OtlpGrpcReceiver().start();
    receiver = grpcReceiver;
    const r = await writeSession(otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectSession(grpcReceiver, sb!);
    const paths = new Set(grpcReceiver.exports.map((e) => e.path));
    expect(paths).toEqual(new Set(['/v1/metrics', '/v1/logs']));
    for (const e of grpcReceiver.exports) expect(e.headers.authorization).toBe(`Bearer ${HEADER_SECRET}`);
    // The secret is in the transport metadata only, never in a record.
    expect(JSON.stringify([grpcReceiver.points, grpcReceiver.events])).not.toContain(HEADER_SECRET);
  });

  describe('over TLS with a private CA', () => {
    let pki: Pki;
    beforeAll(() => {
      pki = makePki(makeTempDir('bcode-otel-grpc-'), 'collector');
    });

    it('NODE_EXTRA_CA_CERTS from settings env makes the collector trusted (Node alone would not see it)', async () => {
      const grpcReceiver = await new OtlpGrpcReceiver({ key: pki.key, cert: pki.cert }).start();
      receiver = grpcReceiver;
      expect(grpcReceiver.url).toMatch(/^https:/);
      const r = await writeSession(otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), [
        '--output-format', 'json', '--settings', JSON.stringify({ env: { NODE_EXTRA_CA_CERTS: pki.caFile } }),
      ]);
      // No library noise either (grpc-js gives Node an IP address as TLS server name: DEP0123).
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expectSession(grpcReceiver, sb!);
    });

    it('without the CA nothing is exported (the certificate is not trusted) and the session is unaffected', async () => {
      const grpcReceiver = await new OtlpGrpcReceiver({ key: pki.key, cert: pki.cert }).start();
      receiver = grpcReceiver;
      const r = await writeSession(otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }));
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(grpcReceiver.exports).toEqual([]);
    });
  });

  it('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=grpc beside http/protobuf logs: each signal on its own transport', async () => {
    const grpcReceiver = await new OtlpGrpcReceiver().start();
    const httpReceiver = await new OtlpReceiver().start();
    receiver = grpcReceiver;
    try {
      const r = await writeSession(
        otlpEnv(httpReceiver.url, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: grpcReceiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }),
      );
      expect(r.code).toBe(0);
      expect(grpcReceiver.exports.map((e) => e.path)).not.toContain('/v1/logs');
      expect(grpcReceiver.sum('claude_code.session.count')).toBe(1);
      expect(httpReceiver.exports.map((e) => e.path)).not.toContain('/v1/metrics');
      expect(httpReceiver.events.map((e) => e.body)).toContain('claude_code.api_request');
    } finally {
      await httpReceiver.close();
    }
  });
});

describe('console exporters', () => {
  const CONSOLE = { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_METRICS_EXPORTER: 'console', OTEL_LOGS_EXPORTER: 'console' };

  it('print to stderr: --output-format json keeps stdout one parseable result', async () => {
    const r = await writeSession(CONSOLE, ['--output-format', 'json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { type: string; result: string };
    expect(result.result).toBe('wrote notes.txt');
    expect(r.stdout).not.toContain('claude_code.');
    // The metrics (flushed on exit) and the events, in the SDK console exporters' shape.
    expect(r.stderr).toContain("name: 'claude_code.token.usage'");
    expect(r.stderr).toContain("name: 'claude_code.session.count'");
    expect(r.stderr).toContain("body: 'claude_code.api_request'");
    expect(r.stderr).toContain("body: 'claude_code.tool_result'");
  });

  it('print to stderr: every stream-json line on stdout stays a JSON object', async () => {
    const r = await writeSession(CONSOLE, ['--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect((JSON.parse(lines[lines.length - 1]) as { type: string }).type).toBe('result');
    expect(r.stderr).toContain("name: 'claude_code.cost.usage'");
  });
});

describe('OTLP through the proxy (B27)', () => {
  it('HTTP_PROXY: the OTLP http exporter reaches the collector through the proxy (its log), the model calls stay direct by NO_PROXY', async () => {
    receiver = await new OtlpReceiver().start();
    proxy = await startProxy();
    sb = await sandbox(WRITE_THEN_ANSWER);
    const emulatorHost = new URL(sb.emulator.url).host;
    const r = await sb.run(['-p', PROMPT, '--permission-mode', 'acceptEdits'], {
      env: { ...otlpEnv(receiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }), AWS_ENDPOINT_URL_STS: sb.emulator.url, HTTP_PROXY: proxy.url, NO_PROXY: emulatorHost },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectSession(receiver, sb);
    const through = [...proxy.requests, ...proxy.connects];
    expect(through.some((u) => u.includes(`${new URL(receiver!.url).host}/v1/metrics`))).toBe(true);
    expect(through.some((u) => u.includes(`${new URL(receiver!.url).host}/v1/logs`))).toBe(true);
    expect(through.some((u) => u.includes(emulatorHost))).toBe(false);
  });

  it('NO_PROXY naming the collector: it is reached directly, nothing through the proxy', async () => {
    receiver = await new OtlpReceiver().start();
    proxy = await startProxy();
    const r = await writeSession({ ...otlpEnv(receiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(r.code).toBe(0);
    expectSession(receiver, sb!);
    expect([...proxy.requests, ...proxy.connects]).toEqual([]);
  });

  it('gRPC: grpc_proxy sends the exporter through the proxy as a CONNECT tunnel to the collector', async () => {
    const grpcReceiver = await new OtlpGrpcReceiver().start();
    receiver = grpcReceiver;
    proxy = await startProxy();
    const r = await writeSession({ ...otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), grpc_proxy: proxy.url });
    expect(r.code).toBe(0);
    expectSession(grpcReceiver, sb!);
    expect(proxy.connects).toContain(grpcReceiver.address);
  });

  it('gRPC: upper-case HTTP_PROXY (which grpc-js ignores on its own) takes the exporter through the proxy too', async () => {
    const grpcReceiver = await new OtlpGrpcReceiver().start();
    receiver = grpcReceiver;
    proxy = await startProxy();
    sb = await sandbox(WRITE_THEN_ANSWER);
    const emulatorHost = new URL(sb.emulator.url).host;
    const r = await sb.run(['-p', PROMPT, '--permission-mode', 'acceptEdits'], {
      env: { ...otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), AWS_ENDPOINT_URL_STS: sb.emulator.url, HTTP_PROXY: proxy.url, NO_PROXY: emulatorHost },
    });
    expect(r.code).toBe(0);
    expectSession(grpcReceiver, sb);
    expect(proxy.connects).toEqual(expect.arrayContaining([grpcReceiver.address]));
    expect(proxy.connects.some((c) => c === emulatorHost)).toBe(false);
  });

  it('gRPC: NO_PROXY naming the collector with its port keeps it direct even with a lower-case http_proxy grpc-js would use', async () => {
    const grpcReceiver = await new OtlpGrpcReceiver().start();
    receiver = grpcReceiver;
    proxy = await startProxy();
    sb = await sandbox(WRITE_THEN_ANSWER);
    const emulatorHost = new URL(sb.emulator.url).host;
    const r = await sb.run(['-p', PROMPT, '--permission-mode', 'acceptEdits'], {
      env: {
        ...otlpEnv(grpcReceiver.url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
        AWS_ENDPOINT_URL_STS: sb.emulator.url,
        http_proxy: proxy.url,
        NO_PROXY: `${emulatorHost},${grpcReceiver.address}`,
      },
    });
    expect(r.code).toBe(0);
    expectSession(grpcReceiver, sb);
    expect([...proxy.connects, ...proxy.requests]).toEqual([]);
  });
});
