/**
 * Figure 11: time to first request of `-p "say hi"` with OpenTelemetry on (B21: OTLP metrics and
 * events to a local receiver, STS identity from the emulator) against the same run with it off.
 * The SDK must load only after the first request went out, so the two should be close:
 * target ≤ 1.3× the telemetry-off figure.
 */
import { createServer } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentEnv } from './agents.js';
import { loadScenario, type AgentContext } from './context.js';
import { na, ratioOf, type Row } from './results.js';
import { runTimed } from './spawn-timed.js';
import { median, nowMs } from './stats.js';

export async function figureTelemetry(ctx: AgentContext): Promise<Row[]> {
  const o = ctx.options;
  const handle = await ctx.startEmulator({ authMode: 'lenient', now: nowMs });
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const cwd = path.join(tmpdir(), `bcode-bench-otel-${process.pid}`);
  try {
    mkdirSync(cwd, { recursive: true });
    const scenario = loadScenario(ctx.root, 'say-hi-scenario.json', {}, o.latency);
    const samples = { off: [] as number[], on: [] as number[] };
    let failure: string | undefined;
    const once = async (on: boolean): Promise<number | undefined> => {
      handle.setScenario(scenario);
      const mark = handle.requests.length;
      const env = {
        ...agentEnv(handle.url, ctx.homeOf(ctx.bcode)),
        ...(on ? { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, AWS_ENDPOINT_URL_STS: handle.url } : {}),
      };
      const run = await runTimed(ctx.bcode.command, [...ctx.bcode.args, '-p', 'say hi', '--output-format', 'json'], { env, cwd, timeoutMs: 60_000 });
      if (run.code !== 0) {
        failure = `exit ${run.code ?? run.signal} with telemetry ${on ? 'on' : 'off'}`;
        return undefined;
      }
      const first = handle.requests.slice(mark).find((r) => r.operation === 'InvokeModelWithResponseStream');
      return first ? first.receivedAt - run.startedAt : undefined;
    };
    for (let i = 0; i < o.warmup + o.runs && !failure; i++) {
      const off = await once(false);
      const on = await once(true);
      if (i >= o.warmup && off !== undefined && on !== undefined) {
        samples.off.push(off);
        samples.on.push(on);
      }
    }
    if (failure || samples.on.length === 0) return [na('11', 'time to first request, telemetry on', 'ms', failure ?? 'no samples', '≤ 1.3× telemetry off')];
    const on = median(samples.on);
    const off = median(samples.off);
    const ratio = ratioOf(on, off);
    return [{ figure: '11', what: 'time to first request, telemetry on', unit: 'ms', bcode: on, baselineLabel: 'telemetry off', baseline: off, ratio, target: '≤ 1.3× telemetry off', met: ratio == null ? null : ratio <= 1.3, samples: { bcode: samples.on, baseline: samples.off }, note: 'OTLP http/protobuf to a local receiver; the OpenTelemetry SDK loads after the first request' }];
  } finally {
    await handle.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(cwd, { recursive: true, force: true });
  }
}
