// Test runner: forks, because nodejs-polars and DuckDB are native addons that are
// not safe to share between worker threads.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
