// Mutation testing of the safety-critical modules. `npm run mutate` (scripts/mutate.mjs) runs
// Stryker once per module of scripts/mutation-plan.mjs, with --mutate, --testFiles and an
// incremental file of that module's own; this file holds what every run shares. `mutate` below is
// the whole set, for a plain `npx stryker run`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/permissions/**/*.ts',
    'src/sandbox/**/*.ts',
    'src/util/redact.ts',
    'src/util/stream-redact.ts',
    'src/util/child-env.ts',
    'src/util/atomic-write.ts',
    'src/emulator/auth.ts',
    'src/bedrock/retry.ts',
    'src/bedrock/credential-export.ts',
    'src/bedrock/auth-refresh.ts',
    'src/agent/caching.ts',
    'src/session/transcript.ts',
    '!src/**/*.d.ts',
  ],
  testRunner: 'vitest',
  // Only the test files that import a mutated file run for it (vitest's "related").
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  // The machine is shared: one test-runner process unless asked (--concurrency 2).
  concurrency: 1,
  timeoutMS: 30_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
