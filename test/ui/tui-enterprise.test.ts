/**
 * The terminal UI and the enterprise features (B21, B29): /cost shows the service tier Bedrock
 * reported, and quitting with Ctrl-C still flushes the OpenTelemetry metrics.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';
import { PtyCli, typeLine, ptyBedrockEnv } from '../helpers/pty.js';
import { makeTempDir } from '../helpers/temp.js';
import { OtlpReceiver } from '../telemetry/otlp-receiver.js';

const LONG = 90_000;
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

let emulator: EmulatorHandle | undefined;
let cli: PtyCli | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await cli?.kill();
  cli = undefined;
  await emulator?.close();
  await receiver?.close();
  emulator = undefined;
  receiver = undefined;
});

describe('interactive UI: service tier and telemetry', () => {
  it('/cost names the tier Bedrock served the session on; Ctrl-C Ctrl-C still flushes the metrics', async () => {
    const root = makeTempDir('bcode-tui-ent-');
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    mkdirSync(home);
    mkdirSync(project);
    emulator = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'answer one' }] } }] } });
    receiver = await new OtlpReceiver().start();
    const cred = TEST_CREDENTIALS[0];
    cli = new PtyCli({
      cwd: project,
      args: [],
      env: {
        ...ptyBedrockEnv(emulator.url, home, path.join(root, 'managed'), cred),
        AWS_ENDPOINT_URL_STS: emulator.url,
        ANTHROPIC_MODEL: MODEL,
        ANTHROPIC_BEDROCK_SERVICE_TIER: 'default',
        CLAUDE_CODE_ENABLE_TELEMETRY: '1',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      },
    });
    const c = cli;
    await c.waitFor(/\/help for commands/);
    await typeLine(c, 'first');
    await c.waitFor(/answer one/);
    await typeLine(c, '/cost');
    await c.waitFor(/service tier: default \(as Bedrock reported it\)/);
    expect(emulator.requests.find((r) => r.operation === 'InvokeModelWithResponseStream')?.headers['x-amzn-bedrock-service-tier']).toBe('default');
    c.write('\x03');
    await c.waitForScreen(/Press Ctrl-C again/);
    c.write('\x03');
    expect(await c.waitExit()).toBe(0);
    const usage = emulator.requests.find((r) => r.operation === 'InvokeModelWithResponseStream')!.usage!;
    expect(receiver.sum('claude_code.session.count')).toBe(1);
    expect(receiver.sum('claude_code.token.usage', { type: 'input', model: MODEL })).toBe(usage.input_tokens);
  }, LONG);
});
