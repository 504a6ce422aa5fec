/** The doctor's report for people: `bcode doctor` prints it, the UI's /doctor shows it. */
import { redact } from '../util/redact.js';
import type { CheckStatus, DoctorReport } from './types.js';

const LABEL: Record<CheckStatus, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** The human report: one line per check, a `fix:` line under each that needs one, a summary. */
export function renderReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${LABEL[c.status]}  ${c.title.padEnd(width)}  ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(8 + width)}fix: ${c.fix}`);
  }
  const s = report.summary;
  const parts = [`${s.pass} passed`, `${s.warn} warning${s.warn === 1 ? '' : 's'}`, `${s.fail} failed`, `${s.skip} not checked`];
  lines.push('', `${parts.join(', ')} — ${report.ok ? 'bcode is ready to use' : 'fix the FAIL lines above, then run `bcode doctor` again'}`);
  return `${lines.map(redact).join('\n')}\n`;
}
