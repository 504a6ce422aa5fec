import { UsageError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { MainOptions } from './program.js';

/** Print mode: filled in by the agent-core issue. */
export async function runPrint(_prompt: string, _opts: MainOptions, _config: Config, _warnings: string[]): Promise<number> {
  throw new UsageError('print mode is not built yet');
}
