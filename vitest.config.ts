// Two projects: fast unit tests (tests/unit) and browser tests (tests/e2e) that build and serve the site.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          env: { TZ: 'UTC' },
          globalSetup: ['tests/temp-dir.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          env: { TZ: 'UTC' },
          globalSetup: ['tests/temp-dir.ts', 'tests/e2e/global-setup.ts'],
          // One Chromium at a time on a 2-core machine; a cold DuckDB-WASM start takes seconds.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
