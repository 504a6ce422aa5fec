/**
 * A local OTLP/HTTP receiver for tests: takes metrics and logs exports in http/json and
 * http/protobuf, decodes them (protobuf through protobufjs with the OTLP message layout written
 * out below, the subset the tests read) and keeps the raw bodies and headers so that a test can
 * scan everything that arrived for secrets.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

// The OTLP field numbers (opentelemetry-proto: collector/{metrics,logs}/v1, metrics/v1, logs/v1, common/v1).
const PROTO = `
syntax = "proto3";
package otlp;
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message Scope { string name = 1; string version = 2; }
message NumberDataPoint { repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Metric { string name = 1; string description = 2; string unit = 3; Sum sum = 7; }
message ScopeMetrics { Scope scope = 1; repeated Metric metrics = 2; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message LogRecord { fixed64 time_unix_nano = 1; AnyValue body = 5; repeated KeyValue attributes = 6; }
message ScopeLogs { Scope scope = 1; repeated LogRecord log_records = 2; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`;
const root = protobuf.parse(PROTO).root;
const MetricsRequest = root.lookupType('otlp.ExportMetricsServiceRequest');
const LogsRequest = root.lookupType('otlp.ExportLogsServiceRequest');

type Json = Record<string, unknown>;
export type Attrs = Record<string, string | number | boolean>;

export interface Point {
  name: string;
  unit: string;
  value: number;
  /** OTLP AggregationTemporality: 1 delta, 2 cumulative. */
  temporality: number;
  attributes: Attrs;
  resource: Attrs;
}

export interface LogEvent {
  body: string;
  attributes: Attrs;
  resource: Attrs;
}

export interface Export {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

function anyValue(v: Json | undefined): string | number | boolean {
  if (!v) return '';
  for (const k of ['stringValue', 'boolValue', 'intValue', 'doubleValue']) if (v[k] !== undefined) return k === 'intValue' ? Number(v[k]) : (v[k] as string | number | boolean);
  return '';
}

function attrs(list: unknown): Attrs {
  const out: Attrs = {};
  for (const kv of (list as Array<{ key: string; value: Json }> | undefined) ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

export class OtlpReceiver {
  readonly exports: Export[] = [];
  readonly points: Point[] = [];
  readonly events: LogEvent[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        const raw = Buffer.concat(parts);
        const contentType = String(req.headers['content-type'] ?? '');
        try {
          this.ingest(req.url ?? '', contentType, req.headers, raw);
        } catch (err) {
          res.writeHead(400).end(String(err));
          return;
        }
        res.writeHead(200, { 'content-type': contentType.includes('json') ? 'application/json' : 'application/x-protobuf' });
        res.end(contentType.includes('json') ? '{}' : undefined);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Keeps and decodes one export (also what the gRPC receiver hands its bodies to). */
  ingest(path: string, contentType: string, headers: IncomingHttpHeaders, raw: Buffer): void {
    this.exports.push({ path, contentType, headers, raw });
    this.decode(path, contentType, raw);
  }

  private decode(path: string, contentType: string, raw: Buffer): void {
    const json = contentType.includes('json');
    const toObject = (t: protobuf.Type) => t.toObject(t.decode(raw), { longs: Number, defaults: false, oneofs: false }) as Json;
    if (path.endsWith('/v1/metrics')) {
      const body = json ? (JSON.parse(raw.toString('utf8')) as Json) : toObject(MetricsRequest);
      for (const rm of (body.resourceMetrics as Json[] | undefined) ?? []) {
        const resource = attrs((rm.resource as Json | undefined)?.attributes);
        for (const sm of (rm.scopeMetrics as Json[] | undefined) ?? []) {
          for (const m of (sm.metrics as Json[] | undefined) ?? []) {
            for (const dp of ((m.sum as Json | undefined)?.dataPoints as Json[] | undefined) ?? []) {
              this.points.push({ name: String(m.name), unit: String(m.unit ?? ''), value: Number(dp.asDouble ?? dp.asInt ?? 0), temporality: Number((m.sum as Json).aggregationTemporality ?? 0), attributes: attrs(dp.attributes), resource });
            }
          }
        }
      }
    } else if (path.endsWith('/v1/logs')) {
      const body = json ? (JSON.parse(raw.toString('utf8')) as Json) : toObject(LogsRequest);
      for (const rl of (body.resourceLogs as Json[] | undefined) ?? []) {
        const resource = attrs((rl.resource as Json | undefined)?.attributes);
        for (const sl of (rl.scopeLogs as Json[] | undefined) ?? []) {
          for (const lr of (sl.logRecords as Json[] | undefined) ?? []) this.events.push({ body: String(anyValue(lr.body as Json)), attributes: attrs(lr.attributes), resource });
        }
      }
    }
  }

  /** Sum of a metric's data points (delta temporality: every export adds), optionally filtered by attributes. */
  sum(name: string, where: Attrs = {}): number {
    return this.points.filter((p) => p.name === name && Object.entries(where).every(([k, v]) => p.attributes[k] === v)).reduce((a, p) => a + p.value, 0);
  }

  /** Every byte that arrived, as text (for secret scans). */
  everything(): string {
    return this.exports.map((e) => `${e.raw.toString('latin1')}\n${JSON.stringify(this.points)}\n${JSON.stringify(this.events)}`).join('\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
