import { defineConfig } from 'vitest/config';

// The Temporal native bridge (Rust core) does not survive worker_threads teardown:
// run test files in child processes.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // two cores: more than two Temporal-heavy files at once only thrashes
    maxWorkers: 2,
    // a scenario whose run the Java time-skipping server stranded (test/support/stranded.ts) runs again (on a
    // fresh server where the test makes it in beforeEach); no other failure is retried
    retry: { count: 2, condition: /TimeSkippingServerStrandedError/ },
  },
});
