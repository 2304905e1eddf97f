import { defineConfig } from 'vitest/config';

/** Pure unit tests only (no database, no browser, no web build): `npx vitest run -c vitest.unit.config.ts <paths>`. */
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'web/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
