import { PRICES_CHECKED } from '../bedrock/prices.js';
import { UsageError } from '../errors.js';
import { ledgerPath, readLedger } from '../usage/ledger.js';
import { GROUPS, parseSince, renderTable, summarize, type GroupBy } from '../usage/report.js';

export interface UsageCommandOptions {
  since?: string;
  by?: string;
  json?: boolean;
}

/**
 * `bcode usage [--since <date|7d>] [--by day|model|project|session] [--json]` (B25): reads the
 * local ledger every session appends to and prints tokens and dollars. No configuration and no
 * network: it works without AWS_REGION or credentials.
 */
export async function runUsageCommand(opts: UsageCommandOptions): Promise<number> {
  const by = (opts.by ?? 'day') as GroupBy;
  if (!GROUPS.includes(by)) throw new UsageError(`--by must be one of ${GROUPS.join(', ')}, got '${String(opts.by).slice(0, 40)}'`, { hint: 'e.g. bcode usage --by model' });
  const since = opts.since !== undefined ? parseSince(opts.since, Date.now()) : undefined;
  const file = ledgerPath(process.env);
  const { entries, skipped } = readLedger(file);
  const summary = summarize(entries, by, since);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ledger: file, by, since: since === undefined ? null : new Date(since).toISOString(), pricesChecked: PRICES_CHECKED, skippedLines: skipped, rows: summary.rows, total: summary.total }, null, 2)}\n`);
    return 0;
  }
  if (summary.total.requests === 0) {
    process.stdout.write(`no usage recorded${since === undefined ? '' : ` since ${new Date(since).toISOString().slice(0, 10)}`} (ledger: ${file})\n`);
    return 0;
  }
  process.stdout.write(renderTable(summary, by));
  const notes = [`prices from bcode's table (checked ${PRICES_CHECKED}) or the \`pricing\` setting; global profiles at base rates, regional/geo profiles with Bedrock's premium where it applies`];
  if (summary.total.unpricedRequests > 0) notes.push(`${summary.total.unpricedRequests} request(s) to models with no known price count as $0 (add them to the \`pricing\` setting)`);
  if (skipped > 0) notes.push(`${skipped} unreadable line(s) in ${file} were skipped`);
  for (const note of notes) process.stderr.write(`bcode: note: ${note}\n`);
  return 0;
}
