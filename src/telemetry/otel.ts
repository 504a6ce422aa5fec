import type { Attributes, Counter } from '@opentelemetry/api';
import type { Config } from '../config/types.js';
import { debug } from '../util/debug.js';
import { redact } from '../util/redact.js';
import { exporterHttpAgent } from './http-agent.js';
import { headersHelper } from './headers-helper.js';
import type { StandardAttributes, TelemetryRecord, TelemetrySink } from './records.js';

declare const BCODE_VERSION: string;
const VERSION = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

/**
 * OpenTelemetry for bcode (B21), loaded only with CLAUDE_CODE_ENABLE_TELEMETRY=1 and only after
 * the first request went out (monitor.ts). The official SDK packages do the work: metrics through
 * a MeterProvider (OTLP over http/protobuf, http/json or grpc; a Prometheus scrape endpoint; the
 * console), events as log records through a LoggerProvider. Names and attributes are the ones
 * the reference product documents, so dashboards built for it keep working.
 */

type Env = Record<string, string | undefined>;
type Protocol = 'grpc' | 'http/json' | 'http/protobuf';

const METER = 'com.anthropic.claude_code';
const LOGGER = 'com.anthropic.claude_code.events';

function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
}

/** `k1=v1,k2=v2` (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES): values percent-decoded. */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // kept as written
    }
    if (key) out[key] = value;
  }
  return out;
}

function protocolFor(env: Env, signal: 'METRICS' | 'LOGS'): Protocol {
  const v = (env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  return v === 'grpc' || v === 'http/json' ? v : 'http/protobuf';
}

/** The signal's endpoint: its own variable as given, else the base endpoint plus `/v1/<signal>` (HTTP). */
function urlFor(env: Env, signal: 'METRICS' | 'LOGS', protocol: Protocol): string {
  const own = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim();
  if (own) return own;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || (protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318');
  if (protocol === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/${signal.toLowerCase()}`;
}

function intervalMs(env: Env, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

export async function startTelemetry(config: Config, standard: StandardAttributes): Promise<TelemetrySink> {
  const env: Env = config.env;
  const [api, { MeterProvider, PeriodicExportingMetricReader }, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  // The SDK's own diagnostics stay off the user's terminal unless --debug.
  api.diag.setLogger({ error: (m) => debug('otel', m), warn: (m) => debug('otel', m), info: () => {}, debug: () => {}, verbose: () => {} }, api.DiagLogLevel.WARN);

  const resource = resources.resourceFromAttributes({
    'service.name': 'claude-code',
    'service.version': VERSION,
    'bcode.version': VERSION,
    ...parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES),
  });

  const staticHeaders = parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS);
  const helper = headersHelper(config);
  const headers = async (): Promise<Record<string, string>> => ({ ...staticHeaders, ...(await helper()) });
  const cumulative = (env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE ?? '').trim().toLowerCase() === 'cumulative';

  // Metrics.
  const readers: import('@opentelemetry/sdk-metrics').MetricReader[] = [];
  const metricInterval = intervalMs(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000);
  for (const kind of listOf(env.OTEL_METRICS_EXPORTER)) {
    if (kind === 'console') {
      // To stderr, not stdout (where the SDK's ConsoleMetricExporter writes): see console-exporters.ts.
      const { StderrMetricExporter, AggregationTemporality } = await import('./console-exporters.js');
      const exporter = new StderrMetricExporter(cumulative ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA);
      readers.push(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: metricInterval }));
    }
    else if (kind === 'prometheus') {
      const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
      const port = Number(env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464);
      const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || undefined;
      readers.push(new PrometheusExporter({ port: Number.isInteger(port) && port >= 0 ? port : 9464, ...(host ? { host } : {}) }, (err) => err && debug('otel', `prometheus endpoint: ${String(err)}`)));
    } else if (kind === 'otlp') {
      const protocol = protocolFor(env, 'METRICS');
      const url = urlFor(env, 'METRICS', protocol);
      // AggregationTemporalityPreference: DELTA = 0 (the reference's default), CUMULATIVE = 1.
      const common = { url, headers, temporalityPreference: cumulative ? 1 : 0 };
      let exporter: import('@opentelemetry/sdk-metrics').PushMetricExporter;
      if (protocol === 'grpc') {
        await (await import('./grpc-proxy.js')).alignGrpcProxy(url);
        const credentials = await (await import('./grpc-tls.js')).grpcTlsCredentials(url, 'METRICS', env);
        const m = await import('@opentelemetry/exporter-metrics-otlp-grpc');
        // gRPC takes OTEL_EXPORTER_OTLP_HEADERS from the environment itself (otelHeadersHelper: HTTP protocols only).
        exporter = new m.OTLPMetricExporter({ url, temporalityPreference: common.temporalityPreference, ...(credentials ? { credentials } : {}) });
      } else if (protocol === 'http/json') {
        const m = await import('@opentelemetry/exporter-metrics-otlp-http');
        exporter = new m.OTLPMetricExporter({ ...common, httpAgentOptions: exporterHttpAgent(config, url) });
      } else {
        const m = await import('@opentelemetry/exporter-metrics-otlp-proto');
        exporter = new m.OTLPMetricExporter({ ...common, httpAgentOptions: exporterHttpAgent(config, url) });
      }
      readers.push(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: metricInterval }));
    }
  }
  const meterProvider = readers.length > 0 ? new MeterProvider({ resource, readers }) : undefined;

  // Events (log records).
  let loggerProvider: import('@opentelemetry/sdk-logs').LoggerProvider | undefined;
  const logKinds = listOf(env.OTEL_LOGS_EXPORTER);
  if (logKinds.length > 0) {
    const logs = await import('@opentelemetry/sdk-logs');
    const delay = intervalMs(env, 'OTEL_LOGS_EXPORT_INTERVAL', 5_000);
    const processors: import('@opentelemetry/sdk-logs').LogRecordProcessor[] = [];
    for (const kind of logKinds) {
      if (kind === 'console') {
        const { StderrLogRecordExporter } = await import('./console-exporters.js');
        processors.push(new logs.BatchLogRecordProcessor({ exporter: new StderrLogRecordExporter(), scheduledDelayMillis: delay }));
      }
      else if (kind === 'otlp') {
        const protocol = protocolFor(env, 'LOGS');
        const url = urlFor(env, 'LOGS', protocol);
        let exporter: import('@opentelemetry/sdk-logs').LogRecordExporter;
        if (protocol === 'grpc') {
          await (await import('./grpc-proxy.js')).alignGrpcProxy(url);
          const credentials = await (await import('./grpc-tls.js')).grpcTlsCredentials(url, 'LOGS', env);
          const m = await import('@opentelemetry/exporter-logs-otlp-grpc');
          exporter = new m.OTLPLogExporter({ url, ...(credentials ? { credentials } : {}) });
        } else if (protocol === 'http/json') {
          const m = await import('@opentelemetry/exporter-logs-otlp-http');
          exporter = new m.OTLPLogExporter({ url, headers, httpAgentOptions: exporterHttpAgent(config, url) });
        } else {
          const m = await import('@opentelemetry/exporter-logs-otlp-proto');
          exporter = new m.OTLPLogExporter({ url, headers, httpAgentOptions: exporterHttpAgent(config, url) });
        }
        processors.push(new logs.BatchLogRecordProcessor({ exporter, scheduledDelayMillis: delay }));
      }
    }
    loggerProvider = new logs.LoggerProvider({ resource, processors });
  }

  const meter = meterProvider?.getMeter(METER, VERSION);
  const counter = (name: string, description: string, unit: string): Counter | undefined => meter?.createCounter(name, { description, unit });
  const m = {
    session: counter('claude_code.session.count', 'Count of CLI sessions started', 'count'),
    lines: counter('claude_code.lines_of_code.count', 'Count of lines of code modified', 'count'),
    pr: counter('claude_code.pull_request.count', 'Number of pull requests created', 'count'),
    commit: counter('claude_code.commit.count', 'Number of git commits created', 'count'),
    cost: counter('claude_code.cost.usage', 'Cost of the session', 'USD'),
    tokens: counter('claude_code.token.usage', 'Number of tokens used', 'tokens'),
    editDecision: counter('claude_code.code_edit_tool.decision', 'Count of code editing tool permission decisions', 'count'),
    active: counter('claude_code.active_time.total', 'Total active time in seconds', 's'),
  };
  const logger = loggerProvider?.getLogger(LOGGER, VERSION);

  let attrs: Attributes = { ...standard };
  let sequence = 0;
  let promptId = '';
  const event = (name: string, at: number, fields: Attributes): void => {
    if (!logger) return;
    // Every value passes the redaction layer: no secret leaves in an event.
    const clean: Attributes = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = typeof v === 'string' ? redact(v) : v;
    logger.emit({
      body: `claude_code.${name}`,
      timestamp: at,
      attributes: { ...attrs, 'event.name': name, 'event.timestamp': new Date(at).toISOString(), 'event.sequence': sequence++, ...(promptId ? { 'prompt.id': promptId } : {}), ...clean },
    });
  };

  return {
    setIdentity(identity) {
      attrs = { ...attrs, ...identity };
    },
    record(r: TelemetryRecord, at: number) {
      switch (r.kind) {
        case 'session':
          m.session?.add(1, attrs);
          return;
        case 'user_prompt':
          promptId = globalThis.crypto.randomUUID();
          event('user_prompt', at, { prompt_length: r.length, prompt: r.text ?? '<REDACTED>' });
          return;
        case 'api_request': {
          const withModel = { ...attrs, model: r.model };
          m.cost?.add(r.costUsd, withModel);
          m.tokens?.add(r.input, { ...withModel, type: 'input' });
          m.tokens?.add(r.output, { ...withModel, type: 'output' });
          m.tokens?.add(r.cacheRead, { ...withModel, type: 'cacheRead' });
          m.tokens?.add(r.cacheCreation, { ...withModel, type: 'cacheCreation' });
          event('api_request', at, {
            model: r.model,
            cost_usd: r.costUsd,
            duration_ms: r.durationMs,
            input_tokens: r.input,
            output_tokens: r.output,
            cache_read_tokens: r.cacheRead,
            cache_creation_tokens: r.cacheCreation,
            ...(r.serviceTier ? { service_tier: r.serviceTier } : {}),
          });
          return;
        }
        case 'api_error':
          event('api_error', at, { model: r.model, error: r.error, status_code: r.statusCode, attempt: r.attempt, duration_ms: r.durationMs });
          return;
        case 'tool_decision':
          if (r.tool === 'Edit' || r.tool === 'MultiEdit' || r.tool === 'Write') m.editDecision?.add(1, { ...attrs, tool_name: r.tool, decision: r.decision, source: r.source });
          event('tool_decision', at, { tool_name: r.tool, decision: r.decision, source: r.source });
          return;
        case 'tool_result':
          event('tool_result', at, { tool_name: r.tool, success: String(r.success), duration_ms: r.durationMs, error: r.error });
          return;
        case 'lines_of_code':
          if (r.added > 0) m.lines?.add(r.added, { ...attrs, type: 'added' });
          if (r.removed > 0) m.lines?.add(r.removed, { ...attrs, type: 'removed' });
          return;
        case 'commit':
          m.commit?.add(1, attrs);
          return;
        case 'pull_request':
          m.pr?.add(1, attrs);
          return;
        case 'active_time':
          m.active?.add(r.seconds, { ...attrs, type: 'cli' });
          return;
      }
    },
    async shutdown() {
      await Promise.all([meterProvider?.shutdown(), loggerProvider?.shutdown()]);
    },
  };
}

