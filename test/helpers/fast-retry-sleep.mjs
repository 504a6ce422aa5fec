/**
 * Test seam, preloaded into the built CLI with `node --import`: the provider's retry backoff
 * (waits started from `realSleep`, up to 30 s each by default) runs 1000× faster, so a test can
 * drive the full retry bound through the real CLI in well under a second. Every other timer is
 * left alone. Each wait asked for is appended, in ms, to the file named by BCODE_TEST_SLEEP_LOG.
 */
import { appendFileSync } from 'node:fs';

const realSetTimeout = globalThis.setTimeout;
const log = process.env.BCODE_TEST_SLEEP_LOG;

globalThis.setTimeout = function setTimeout(fn, ms, ...args) {
  if (typeof ms === 'number' && ms > 0 && /\brealSleep\b/.test(new Error().stack ?? '')) {
    if (log) appendFileSync(log, `${ms}\n`);
    return realSetTimeout(fn, Math.ceil(ms / 1000), ...args);
  }
  return realSetTimeout(fn, ms, ...args);
};
