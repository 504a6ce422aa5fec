import { UsageError } from '../errors.js';

/** `bcode emulator`: filled in by the foundation issue. */
export async function runEmulatorCommand(_opts: Record<string, string>): Promise<number> {
  throw new UsageError('the emulator is not built yet');
}
