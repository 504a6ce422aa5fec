import { Console } from 'node:console';
import type { ReadableLogRecord, LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * OTEL_METRICS_EXPORTER=console and OTEL_LOGS_EXPORTER=console (B21). The SDK's own console
 * exporters print with `console.dir`, i.e. to stdout — where print mode's json and stream-json
 * results go, and a pipe reading them would choke on the first metric. These print the same
 * records, in the same shape as the SDK's, to stderr: stdout stays the result alone.
 */

type Done = Parameters<PushMetricExporter['export']>[1];
const SUCCESS = 0;
const FAILED = 1;

function stderrConsole(): Console {
  return new Console({ stdout: process.stderr, stderr: process.stderr, colorMode: false });
}

export class StderrMetricExporter implements PushMetricExporter {
  private readonly out = stderrConsole();
  private closed = false;

  constructor(private readonly temporality: AggregationTemporality) {}

  export(metrics: ResourceMetrics, done: Done): void {
    if (this.closed) return done({ code: FAILED });
    for (const scope of metrics.scopeMetrics) {
      for (const metric of scope.metrics) this.out.dir({ descriptor: metric.descriptor, dataPointType: metric.dataPointType, dataPoints: metric.dataPoints }, { depth: null });
    }
    done({ code: SUCCESS });
  }

  selectAggregationTemporality(): AggregationTemporality {
    return this.temporality;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

export class StderrLogRecordExporter implements LogRecordExporter {
  private readonly out = stderrConsole();

  export(records: ReadableLogRecord[], done: Done): void {
    for (const r of records) {
      this.out.dir(
        {
          resource: { attributes: r.resource.attributes },
          instrumentationScope: r.instrumentationScope,
          timestamp: r.hrTime[0] * 1_000_000 + Math.round(r.hrTime[1] / 1000),
          severityText: r.severityText,
          severityNumber: r.severityNumber,
          body: r.body,
          attributes: r.attributes,
        },
        { depth: 3 },
      );
    }
    done({ code: SUCCESS });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export { AggregationTemporality };
