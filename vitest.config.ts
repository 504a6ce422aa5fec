import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A temp dir of the run's own; entries left in it fail the run (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // End-to-end tests spawn the built CLI; two cores do not gain from more workers.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
