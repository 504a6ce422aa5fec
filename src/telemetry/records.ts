/**
 * What bcode reports to OpenTelemetry, in its own terms: the monitor (monitor.ts) turns the
 * session's AgentEvents into these; otel.ts (loaded only with telemetry on) turns them into the
 * metrics and events the reference product documents, under the same names.
 */
export type TelemetryRecord =
  | { kind: 'session' }
  | { kind: 'user_prompt'; length: number; text?: string }
  | {
      kind: 'api_request';
      model: string;
      costUsd: number;
      durationMs: number;
      input: number;
      output: number;
      cacheRead: number;
      cacheCreation: number;
      serviceTier?: string;
    }
  | { kind: 'api_error'; model: string; error: string; statusCode?: number; attempt?: number; durationMs: number }
  | { kind: 'tool_decision'; tool: string; decision: 'accept' | 'reject'; source: string }
  | { kind: 'tool_result'; tool: string; success: boolean; durationMs: number; error?: string }
  | { kind: 'lines_of_code'; added: number; removed: number }
  | { kind: 'commit' }
  | { kind: 'pull_request' }
  | { kind: 'active_time'; seconds: number };

/** Attributes every metric and event carries (the reference's standard attributes, plus the AWS caller). */
export interface StandardAttributes {
  'session.id'?: string;
  'app.version'?: string;
  'terminal.type'?: string;
  /** The STS principal name (IAM user or role session name), the AWS account and the caller ARN. */
  'user.name'?: string;
  'aws.account.id'?: string;
  'aws.principal.arn'?: string;
}

export interface TelemetrySink {
  record(r: TelemetryRecord, at: number): void;
  /** The caller identity arrived: later records carry it. */
  setIdentity(attrs: Pick<StandardAttributes, 'user.name' | 'aws.account.id' | 'aws.principal.arn'>): void;
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}
