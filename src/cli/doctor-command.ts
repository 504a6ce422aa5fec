import { loadCommandConfig } from './command-config.js';
import { UsageError } from '../errors.js';
import { redact } from '../util/redact.js';
import type { CheckResult, DoctorReport } from '../doctor/types.js';
import { renderReport } from '../doctor/render.js';

export { renderReport };

/** Options of `bcode doctor`, as commander hands them over (global flags merged in). */
export interface DoctorCommandOptions {
  json?: boolean;
  timeout?: string;
  debug?: boolean;
  debugFile?: string;
  cwd?: string;
  settings?: string;
  model?: string;
}

const MAX_TIMEOUT_S = 600;

/** `--timeout` in whole seconds, 1 to MAX_TIMEOUT_S, as milliseconds. */
function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  const problem = !/^\d+$/.test(value) ? 'must be a whole number of seconds' : seconds < 1 || seconds > MAX_TIMEOUT_S ? `must be from 1 to ${MAX_TIMEOUT_S} seconds` : undefined;
  if (problem) throw new UsageError(`--timeout ${problem}, got '${value}'`, { hint: 'e.g. --timeout 30 (the limit for each network check)' });
  return seconds * 1000;
}

/** The `--json` document: stable ids, one object per check. */
export function reportJson(report: DoctorReport): string {
  const checks = report.checks.map((c: CheckResult) => ({ id: c.id, title: c.title, status: c.status, detail: redact(c.detail), ...(c.fix ? { fix: redact(c.fix) } : {}) }));
  return `${JSON.stringify({ version: 1, ok: report.ok, summary: report.summary, checks }, null, 2)}\n`;
}

/**
 * `bcode doctor` (B19): checks the configuration, credentials, models and inference profiles,
 * prints one line per check and exits 0 (nothing failed), 1 (something failed) or 2 (the
 * configuration itself is invalid, reported like everywhere else before any check runs).
 */
export async function runDoctorCommand(opts: DoctorCommandOptions): Promise<number> {
  const timeoutMs = parseTimeout(opts.timeout);
  const { startDebug } = await import('./run-main.js');
  await startDebug(opts);
  // A missing region is one failed check among the others, not the end of the report.
  const { config, warnings } = await loadCommandConfig(opts);
  const { runDoctor } = await import('../doctor/run.js');
  // awsAuthRefresh may run when credentials are rejected; its output (a login URL, a code) is for the user.
  const onNotice = (text: string): void => void process.stderr.write(`${redact(text).trimEnd()}\n`);
  const report = await runDoctor(config, warnings, { timeoutMs, onNotice });
  process.stdout.write(opts.json ? reportJson(report) : renderReport(report));
  return report.ok ? 0 : 1;
}
