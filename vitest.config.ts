// Test runner: forks, because nodejs-polars and DuckDB are native addons that are
// not safe to share between worker threads. Four projects, run as groups one after the
// other: unit and integration first (in parallel), then e2e (Chromium on the browser
// host), then system (whole processes under load, one file at a time: their judges —
// level order, start times — must not measure the other suites' load).
import { defineConfig } from 'vitest/config';

const UNIT = ['rules', 'store', 'analytics', 'desktop', 'intake', 'pipeline', 'scheduler'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for observed progress; its default of 1 s failed tests at random
    // on a loaded machine (a job completing 1.2 s after its queue resumed, load average 26).
    expect: { poll: { timeout: 30_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT.map((d) => `tests/${d}/**/*.test.ts`),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/cli/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          // Each test runs the real command, often dozens of times, and a command's start
          // takes seconds on a loaded 2-core machine: at load average 17 the analytics
          // test (44 commands) passed 60 s, two others took 48 and 59 s.
          testTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tests/system/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          fileParallelism: false,
        },
      },
    ],
  },
});
