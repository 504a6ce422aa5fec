import type { AgentEvent } from '../agent/events.js';
import { describeCall } from '../agent/dispatch.js';

type Denied = Extract<AgentEvent, { type: 'permission_denied' }>;

const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** A rule as a shell word: double quotes unless the rule holds characters the shell reads inside them. */
function shellWord(rule: string): string {
  if (/^[\w.:/@%+=,-]+$/.test(rule)) return rule;
  if (!/["$`\\!]/.test(rule)) return `"${rule}"`;
  return `'${rule.replace(/'/g, `'\\''`)}'`;
}

/**
 * The closing lines of a print-mode run that had denials: which calls were denied, why, and the
 * exact flag that would allow them next time (`--permission-mode acceptEdits` for edits inside
 * the working directory, `--allowedTools "<rule>"` otherwise). Calls a deny rule or plan mode
 * refused get no such advice: allowing them is a decision about those settings.
 */
export function denialSummary(denied: readonly Denied[]): string[] {
  if (denied.length === 0) return [];
  const lines = [`bcode: ${denied.length} tool call${denied.length === 1 ? ' was' : 's were'} denied (print mode cannot ask for permission):`];
  let acceptEdits = false;
  const rules: string[] = [];
  for (const d of denied) {
    lines.push(`  ${describeCall(d.name, d.input)}: ${d.reason.replace(/ \(permission is needed and nobody can be asked in this mode; allow it with --allowedTools or a settings rule\)$/, '')}`);
    if (!d.asked) continue;
    // An edit inside the working directory needs approval only in default mode.
    if (EDIT_TOOLS.has(d.name) && !/outside the working director/.test(d.reason) && !/\(rule /.test(d.reason)) acceptEdits = true;
    else for (const r of d.suggestedRules ?? []) if (!rules.includes(r)) rules.push(r);
  }
  const flags = [...(acceptEdits ? ['--permission-mode acceptEdits'] : []), ...(rules.length ? [`--allowedTools ${rules.map(shellWord).join(' ')}`] : [])];
  if (flags.length > 0) {
    lines.push(`  hint: to allow ${denied.length === 1 ? 'it' : 'them'}, run again with ${flags.join(' ')} (or add the rules to permissions.allow in .claude/settings.json)`);
  } else {
    lines.push('  hint: a deny rule or the permission mode refused these calls; change that setting if they should run');
  }
  return lines;
}
