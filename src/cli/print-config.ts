import type { Config } from '../config/types.js';
import { configLines } from '../config/describe.js';
import { redact } from '../util/redact.js';

export { configLines };

/**
 * `bcode --print-config`: the resolved configuration on stdout, warnings on stderr, exit 0 —
 * or, without AWS_REGION, every other value still, then that error on stderr and exit 2.
 */
export function printConfig(config: Config, warnings: string[]): number {
  for (const w of warnings) process.stderr.write(`${redact(`bcode: warning: ${w}`)}\n`);
  process.stdout.write(`${configLines(config).join('\n')}\n`);
  if (!config.missingRegion) return 0;
  const { message, hint } = config.missingRegion;
  process.stderr.write(`${redact(hint ? `bcode: ${message}\n  hint: ${hint}` : `bcode: ${message}`)}\n`);
  return 2;
}
