import { defineConfig } from 'vitest/config';

// Temporal's native runtime may be installed once per process: forks, not threads.
export default defineConfig({
  test: {
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    include: ['test/**/*.test.ts'],
  },
});
