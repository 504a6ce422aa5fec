import os from 'node:os';
import type { AgentEvent, FrontEnd } from '../agent/events.js';
import type { CallerIdentity } from '../bedrock/caller-identity.js';
import { costParts, priceFor, setPriceOverrides } from '../bedrock/prices.js';
import type { CallOptions, Provider } from '../bedrock/types.js';
import { sanitizeMetadataValue } from '../config/enterprise.js';
import type { Config } from '../config/types.js';
import { debug } from '../util/debug.js';
import { redact } from '../util/redact.js';
import { createTierGate } from '../models/service-tier.js';
import { LedgerWriter, ledgerPath, type LedgerEntry } from '../usage/ledger.js';
import { projectName } from '../usage/project.js';
import type { StandardAttributes, TelemetryRecord, TelemetrySink } from './records.js';

declare const BCODE_VERSION: string;
const VERSION = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

/**
 * The session's one subscription point for the enterprise features (B21, B25, B29). It sees every
 * AgentEvent on its way to the front end and
 *   - appends each model request's usage and price to the local ledger (src/usage/ledger.ts);
 *   - with CLAUDE_CODE_ENABLE_TELEMETRY, turns the events into TelemetryRecords for OpenTelemetry
 *     (otel.ts), whose packages load only after the first request has gone out;
 *   - gives the provider the per-request headers: service tier and request metadata;
 *   - asks STS once, in the background, whose credentials are in use.
 * Nothing here loads a heavy module up front.
 */
export interface Monitor {
  /** The front end the session emits to: the same events, observed on the way. */
  wrap(frontEnd: FrontEnd): FrontEnd;
  userPrompt(text: string): void;
  /** ProviderOptions.requestHeaders. */
  requestHeaders(opts: CallOptions, modelId: string): Promise<Record<string, string> | undefined>;
  /** Called once the provider exists: its credentials identify the caller. */
  attachProvider(provider: Provider): void;
  /** Flushes the telemetry (bounded) and closes the ledger. */
  close(): Promise<void>;
}

const IDENTITY_PLACEHOLDERS = /\$\{(user|account|arn)\}/;
/** How long close() waits for the last export (a collector that is down must not hang the exit). */
const FLUSH_LIMIT_MS = 5_000;
/** How long the telemetry start waits for STS's answer before exporting without the caller identity. */
const IDENTITY_WAIT_MS = 3_000;

export function createMonitor(config: Config, options: { sessionId: () => string }): Monitor {
  const enterprise = config.enterprise ?? { telemetry: false };
  setPriceOverrides(enterprise.pricing);
  const project = projectName(config.projectRoot || config.cwd);
  const ledger = config.env.BCODE_USAGE_LEDGER === '0' ? undefined : new LedgerWriter(ledgerPath(config.env));

  let identity: CallerIdentity | undefined;
  let identityPromise: Promise<CallerIdentity | undefined> | undefined;
  const needIdentityForHeaders = Object.values(enterprise.requestMetadata ?? {}).some((v) => IDENTITY_PLACEHOLDERS.test(v));

  // Telemetry: records wait in `pending` until the OpenTelemetry SDK is loaded.
  let sink: TelemetrySink | undefined;
  let sinkLoading: Promise<TelemetrySink | undefined> | undefined;
  const pending: Array<[TelemetryRecord, number]> = [];
  const emitRecord = (r: TelemetryRecord): void => {
    if (!enterprise.telemetry) return;
    if (sink) sink.record(r, Date.now());
    else pending.push([r, Date.now()]);
  };
  const standard = (): StandardAttributes => {
    const a: StandardAttributes = {};
    if (config.env.OTEL_METRICS_INCLUDE_SESSION_ID !== 'false') a['session.id'] = options.sessionId();
    if (config.env.OTEL_METRICS_INCLUDE_VERSION === 'true') a['app.version'] = VERSION;
    const term = config.env.TERM_PROGRAM || config.env.TERM;
    if (term) a['terminal.type'] = term;
    if (identity) Object.assign(a, identityAttributes(identity));
    return a;
  };
  let attached: Provider | undefined;
  const tiers = createTierGate({ force: config.env.BCODE_SERVICE_TIER_FORCE === '1', describe: (id) => attached?.describeModel?.(id) });
  const loadSink = (): void => {
    if (!enterprise.telemetry || sinkLoading) return;
    if (attached) startIdentity(attached);
    sinkLoading = import('./otel.js')
      .then(async ({ startTelemetry }) => {
        // The caller identity (asked for when the session started) is what splits cost per user on
        // a shared account: worth a bounded wait here, off the request path (records queue meanwhile).
        if (identityPromise && !identity) await Promise.race([identityPromise, new Promise((r) => setTimeout(r, IDENTITY_WAIT_MS).unref())]);
        const s = await startTelemetry(config, standard());
        sink = s;
        for (const [r, at] of pending.splice(0)) s.record(r, at);
        return s;
      })
      .catch((err: unknown) => {
        // Telemetry must never break the session: one notice, then nothing more is collected.
        enterprise.telemetry = false;
        pending.length = 0;
        process.stderr.write(`${redact(`bcode: warning: OpenTelemetry could not start: ${err instanceof Error ? err.message : String(err)}`)}\n`);
        return undefined;
      });
  };

  const startIdentity = (provider: Provider): void => {
    if (identityPromise || !provider.credentials) return;
    const credentials = provider.credentials;
    identityPromise = import('../bedrock/caller-identity.js')
      .then(({ fetchCallerIdentity }) => fetchCallerIdentity(config, credentials))
      .then((id) => {
        identity = id;
        if (id) sink?.setIdentity(identityAttributes(id));
        return id;
      });
  };

  // Per-event state.
  const tools = new Map<string, { name: string; input: unknown }>();
  let requestStarted = Date.now();
  let sessionCounted = false;

  const observe = (event: AgentEvent): void => {
    switch (event.type) {
      case 'session_start':
        requestStarted = Date.now();
        if (!sessionCounted) {
          sessionCounted = true;
          emitRecord({ kind: 'session' });
        }
        return;
      case 'stream_event':
        if (event.event.type === 'message_start') loadSink();
        return;
      case 'usage': {
        loadSink();
        const u = event.usage;
        const durationMs = Date.now() - requestStarted;
        requestStarted = Date.now();
        const price = priceFor(event.model);
        const parts = price ? costParts(price, u) : { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
        const entry: LedgerEntry = {
          v: 1,
          ts: new Date().toISOString(),
          session: options.sessionId(),
          project,
          model: event.model,
          scope: price?.scope ?? (event.model.toLowerCase().includes('global.') ? 'global' : 'regional'),
          ...(u.service_tier ? { tier: u.service_tier } : {}),
          input: u.input_tokens ?? 0,
          output: u.output_tokens ?? 0,
          cacheRead: u.cache_read_input_tokens ?? 0,
          cacheWrite: u.cache_creation_input_tokens ?? 0,
          cost: { ...parts, total: event.costUsd },
          priced: price !== undefined,
          ...(identity ? { user: identity.user, account: identity.account } : {}),
        };
        ledger?.append(entry);
        emitRecord({
          kind: 'api_request',
          model: event.model,
          costUsd: event.costUsd,
          durationMs,
          input: entry.input,
          output: entry.output,
          cacheRead: entry.cacheRead,
          cacheCreation: entry.cacheWrite,
          serviceTier: u.service_tier,
        });
        return;
      }
      case 'retrying':
        emitRecord({ kind: 'api_error', model: config.models.main.id, error: event.notice.reason, attempt: event.notice.attempt, durationMs: Date.now() - requestStarted });
        return;
      case 'error':
        loadSink();
        emitRecord({ kind: 'api_error', model: config.models.main.id, error: redact(event.message).slice(0, 500), durationMs: Date.now() - requestStarted });
        return;
      case 'tool_started':
        tools.set(event.id, { name: event.name, input: event.input });
        emitRecord({ kind: 'tool_decision', tool: event.name, decision: 'accept', source: 'config' });
        return;
      case 'permission_denied':
        emitRecord({ kind: 'tool_decision', tool: event.name, decision: 'reject', source: event.asked ? 'user_reject' : 'config' });
        return;
      case 'tool_finished': {
        const call = tools.get(event.id);
        tools.delete(event.id);
        emitRecord({ kind: 'tool_result', tool: event.name, success: !event.isError, durationMs: event.durationMs, ...(event.isError ? { error: 'tool error' } : {}) });
        if (!event.isError && call) {
          const lines = linesChanged(call.name, call.input);
          if (lines && (lines.added > 0 || lines.removed > 0)) emitRecord({ kind: 'lines_of_code', ...lines });
          const shell = call.name === 'Bash' ? String((call.input as { command?: unknown } | null)?.command ?? '') : '';
          if (/\bgit\s+(?:-\S+\s+)*commit\b/.test(shell)) emitRecord({ kind: 'commit' });
          if (/\bgh\s+pr\s+create\b/.test(shell)) emitRecord({ kind: 'pull_request' });
        }
        return;
      }
      case 'done':
        emitRecord({ kind: 'active_time', seconds: event.result.durationMs / 1000 });
        return;
      default:
        return;
    }
  };

  return {
    wrap(frontEnd) {
      const wrapped: FrontEnd = {
        emit(event) {
          try {
            observe(event);
          } catch (err) {
            debug('telemetry', () => `monitor: ${err instanceof Error ? err.message : String(err)}`);
          }
          frontEnd.emit(event);
        },
      };
      if (frontEnd.askPermission) wrapped.askPermission = frontEnd.askPermission.bind(frontEnd);
      return wrapped;
    },
    userPrompt(text) {
      const logText = config.env.OTEL_LOG_USER_PROMPTS === '1' || config.env.OTEL_LOG_USER_PROMPTS === 'true';
      emitRecord({ kind: 'user_prompt', length: text.length, ...(logText ? { text: redact(text) } : {}) });
    },
    async requestHeaders(opts, modelId) {
      const headers: Record<string, string> = {};
      const background = opts.background === true || opts.role === 'smallFast';
      const tier = background ? (enterprise.backgroundServiceTier ?? enterprise.serviceTier) : enterprise.serviceTier;
      const sent = tier ? await tiers.decide(tier, modelId, opts.onNotice) : undefined;
      if (sent) headers['X-Amzn-Bedrock-Service-Tier'] = sent;
      if (enterprise.requestMetadata) {
        if (needIdentityForHeaders && identityPromise && !identity) await identityPromise;
        const values: Record<string, string> = {
          user: identity?.user ?? osUser(),
          account: identity?.account ?? '',
          arn: identity?.arn ?? '',
          os_user: osUser(),
          project,
          session: options.sessionId(),
          model: modelId,
          region: config.region,
        };
        const out: Record<string, string> = {};
        for (const [key, template] of Object.entries(enterprise.requestMetadata)) {
          const resolved = template.replace(/\$\{(\w+)\}/g, (_m, name: string) => values[name] ?? '');
          // A value that carries a known secret is dropped whole, not partly masked.
          out[key] = redact(resolved) === resolved ? sanitizeMetadataValue(resolved) : 'redacted';
        }
        headers['X-Amzn-Bedrock-Request-Metadata'] = JSON.stringify(out);
      }
      return Object.keys(headers).length > 0 ? headers : undefined;
    },
    attachProvider(provider) {
      attached = provider;
      // Request metadata naming the caller needs the answer before the first request; telemetry
      // asks only once that request is out (loading the STS client costs start-up time).
      if (needIdentityForHeaders) startIdentity(provider);
    },
    async close() {
      ledger?.close();
      if (!sinkLoading && pending.length > 0) loadSink();
      if (!sinkLoading) return;
      const timer = new Promise<void>((resolve) => setTimeout(resolve, FLUSH_LIMIT_MS).unref());
      await Promise.race([
        (async () => {
          // The caller identity, when it is on its way, is worth a short wait: it is what splits cost per user.
          if (identityPromise && !identity) await Promise.race([identityPromise, new Promise((r) => setTimeout(r, 1_000).unref())]);
          const s = await sinkLoading;
          await s?.shutdown();
        })().catch((err: unknown) => debug('telemetry', () => `flush failed: ${err instanceof Error ? err.message : String(err)}`)),
        timer,
      ]);
    },
  };
}

function identityAttributes(id: CallerIdentity): Pick<StandardAttributes, 'user.name' | 'aws.account.id' | 'aws.principal.arn'> {
  return { 'user.name': id.user, 'aws.account.id': id.account, 'aws.principal.arn': id.arn };
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Lines added and removed by a successful file-editing tool call (A3's Edit, MultiEdit, Write). */
export function linesChanged(tool: string, input: unknown): { added: number; removed: number } | undefined {
  const i = (input ?? {}) as Record<string, unknown>;
  const count = (s: unknown) => (typeof s === 'string' && s.length > 0 ? s.split('\n').length : 0);
  switch (tool) {
    case 'Edit':
      return { added: count(i.new_string), removed: count(i.old_string) };
    case 'MultiEdit': {
      const edits = Array.isArray(i.edits) ? (i.edits as Array<Record<string, unknown>>) : [];
      let added = 0;
      let removed = 0;
      for (const e of edits) {
        added += count(e.new_string);
        removed += count(e.old_string);
      }
      return { added, removed };
    }
    case 'Write':
      return { added: count(i.content), removed: 0 };
    default:
      return undefined;
  }
}
