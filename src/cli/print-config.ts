import type { Config } from '../config/types.js';

/** `bcode --print-config`: filled in by the configuration issue. */
export function printConfig(config: Config, _warnings: string[]): number {
  process.stdout.write(`region: ${config.region}\n`);
  return 0;
}
