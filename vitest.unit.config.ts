import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const UNIT_ROOTS = ['server', 'web'];

/**
 * Test files are named by kind: `*.db.test.ts` opens a database (test/backends.ts) or a test
 * server; `*.test.ts` under server/ and web/ is a pure unit test; test/ holds the suites that need
 * the whole set-up (database, web build, Chromium). This config takes the unit tests only.
 */
const DATABASE_TESTS = '**/*.db.test.ts';

/**
 * Files named as unit tests that still use the test harness (`test/backends`, `test/http`,
 * `test/browser`, `test/env`) or read the set-up (`inject`): left out by reading them, and named
 * so that they get renamed to `*.db.test.ts`.
 */
function misnamedDatabaseTests(): string[] {
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.db.test.ts')) {
        const text = fs.readFileSync(file, 'utf8');
        if (/\/test\/(backends|http|browser|env)\.js['"]|\binject\(/.test(text))
          found.push(file.split(path.sep).join('/'));
      }
    }
  };
  for (const root of UNIT_ROOTS) visit(root);
  return found;
}

const misnamed = misnamedDatabaseTests();
if (misnamed.length > 0) console.warn(`Left out, database tests not yet named *.db.test.ts: ${misnamed.join(', ')}`);

/** Pure unit tests only (no database, no browser, no web build): `npx vitest run -c vitest.unit.config.ts [paths]`. */
export default defineConfig({
  test: {
    include: UNIT_ROOTS.map((root) => `${root}/**/*.test.ts`),
    exclude: ['**/node_modules/**', DATABASE_TESTS, ...misnamed],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
