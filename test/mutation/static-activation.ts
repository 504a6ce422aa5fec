// Vitest setup file for `npm run mutate` only (vitest.stryker.config.ts). Stryker 9.6's vitest
// runner activates a mutant in a beforeAll hook whenever the run has a test filter (as with
// --testFiles or per-test coverage) — after the test file has imported the module under test, so a
// mutant in a module-level constant ("static") is never seen and is reported Survived
// (stryker-js#6144). Setting the active mutant here, before the test file is imported, lets the
// module load with it; for a mutant inside a function it changes nothing, since that code only
// runs during a test anyway.
import { inject } from 'vitest';

const key = inject('globalNamespace' as never) as unknown as string | undefined;
if (key !== undefined && (inject('mode' as never) as unknown) === 'mutant') {
  const g = globalThis as unknown as Record<string, { activeMutant?: string }>;
  (g[key] ??= {}).activeMutant = inject('activeMutant' as never) as unknown as string;
}
