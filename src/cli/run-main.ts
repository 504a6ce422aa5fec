import { UsageError } from '../errors.js';
import type { MainOptions } from './program.js';

/** Print mode and (later) interactive mode. Filled in by the agent-core issue. */
export async function runMain(_prompt: string, _opts: MainOptions): Promise<number> {
  throw new UsageError('print mode is not built yet', { hint: 'see the open issues' });
}
