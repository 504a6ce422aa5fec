import type { Config } from '../config/types.js';
import { runShellCommand } from '../bedrock/shell-command.js';
import { childEnvForConfig } from '../util/child-env.js';
import { addSecret } from '../util/redact.js';

/** The reference's default: the helper's headers are asked for again after 29 minutes. */
const DEFAULT_DEBOUNCE_MS = 29 * 60_000;
const TIMEOUT_MS = 30_000;

/**
 * `otelHeadersHelper` (settings): a command whose standard output is a JSON object of header
 * names to string values, sent on every OTLP export (e.g. a short-lived collector token). It runs
 * when telemetry starts and again once its answer is older than
 * CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS. The values are secrets: registered with the
 * redaction layer, never shown. A failing helper gives a one-line warning and no headers.
 */
export function headersHelper(config: Config): () => Promise<Record<string, string>> {
  const command = typeof config.settings.otelHeadersHelper === 'string' ? config.settings.otelHeadersHelper.trim() : '';
  if (!command) return async () => ({});
  const debounceRaw = Number(config.env.CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS);
  const debounceMs = Number.isInteger(debounceRaw) && debounceRaw > 0 ? debounceRaw : DEFAULT_DEBOUNCE_MS;
  let cached: { at: number; headers: Record<string, string> } | undefined;
  let running: Promise<Record<string, string>> | undefined;
  let warned = false;
  const warn = (what: string) => {
    if (warned) return;
    warned = true;
    process.stderr.write(`bcode: warning: otelHeadersHelper ${what}\n  hint: the command must print a JSON object of header names to string values, e.g. {"Authorization":"Bearer …"}\n`);
  };
  const run = async (): Promise<Record<string, string>> => {
    const r = await runShellCommand({ command, env: childEnvForConfig(config), cwd: config.cwd, timeoutMs: TIMEOUT_MS, captureStdout: true, maxStdoutBytes: 64 * 1024 });
    if (r.spawnError || r.timedOut || r.code !== 0) {
      warn(r.timedOut ? `did not finish within ${TIMEOUT_MS / 1000} s` : `failed (exit ${r.code ?? r.signal ?? 'error'}); OTLP exports go without its headers`);
      return {};
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.stdout);
    } catch {
      warn('printed something that is not JSON (its output is not shown: it may hold secrets)');
      return {};
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      warn('printed JSON that is not an object of string values');
      return {};
    }
    const headers = parsed as Record<string, string>;
    for (const v of Object.values(headers)) addSecret(v);
    return headers;
  };
  return async () => {
    if (cached && Date.now() - cached.at < debounceMs) return cached.headers;
    running ??= run().then((headers) => {
      cached = { at: Date.now(), headers };
      running = undefined;
      return headers;
    });
    return running;
  };
}
