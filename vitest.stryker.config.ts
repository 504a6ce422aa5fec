// The vitest configuration `npm run mutate` runs with: the project's own, plus a setup file that
// activates the mutant before the test file imports its module (test/mutation/static-activation.ts)
// and a reporter that counts a test file failing to load as a failed test
// (test/mutation/load-failure-reporter.ts).
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import LoadFailureReporter from './test/mutation/load-failure-reporter.js';

export default mergeConfig(
  base,
  defineConfig({ test: { setupFiles: ['test/mutation/static-activation.ts'], reporters: ['default', new LoadFailureReporter()] } }),
);
