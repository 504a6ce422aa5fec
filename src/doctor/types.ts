/** One diagnostic of `bcode doctor` (B19). `skip`: not checked (it does not apply, or something it needs failed). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable machine name, e.g. `credentials`, `model.main` (used by --json consumers). */
  id: string;
  /** Short human label. */
  title: string;
  status: CheckStatus;
  /** One line: what was found. Never contains a secret. */
  detail: string;
  /** One line: how to fix it (for warn / fail / skip). */
  fix?: string;
}

export interface DoctorReport {
  /** True when no check failed (exit code 0). */
  ok: boolean;
  checks: CheckResult[];
  summary: Record<CheckStatus, number>;
}

export function makeReport(checks: CheckResult[]): DoctorReport {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.status]++;
  return { ok: summary.fail === 0, checks, summary };
}
