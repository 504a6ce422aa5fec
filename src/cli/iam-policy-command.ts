import { redact } from '../util/redact.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';

/** Options of `bcode iam-policy`, as commander hands them over (global flags merged in). */
export interface IamPolicyCommandOptions {
  strict?: boolean;
  account?: string;
  cwd?: string;
  settings?: string;
  model?: string;
}

/**
 * `bcode iam-policy` (B20): prints the policy JSON on stdout and notes on stderr. Pure
 * computation from the configuration: no credentials are resolved and nothing is sent.
 */
export async function runIamPolicyCommand(opts: IamPolicyCommandOptions): Promise<number> {
  if (opts.account !== undefined && !/^\d{12}$/.test(opts.account)) {
    throw new UsageError(`--account must be a 12-digit AWS account id, got '${opts.account}'`, { hint: 'e.g. --account 123456789012 (`aws sts get-caller-identity` shows yours)' });
  }
  const { config, warnings } = await loadConfig({
    cwd: opts.cwd ?? process.cwd(),
    env: process.env,
    flags: { settings: opts.settings, model: opts.model },
  });
  for (const w of warnings) process.stderr.write(`${redact(`bcode: warning: ${w}`)}\n`);
  if (opts.account !== undefined && !opts.strict) process.stderr.write('bcode: note: --account only matters with --strict\n');
  const { buildIamPolicy } = await import('../doctor/iam-policy.js');
  const { policy, notes } = buildIamPolicy(config, { strict: opts.strict === true, accountId: opts.account });
  for (const n of notes) process.stderr.write(`bcode: note: ${n}\n`);
  process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return 0;
}
