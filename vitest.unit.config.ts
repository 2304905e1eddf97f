import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const UNIT_ROOTS = ['server', 'web'];

/**
 * Test files that need the run's global set-up (a database template, the web build, Chromium):
 * those that import the test harness (`test/backends`, `test/http`, `test/browser`, `test/env`) or
 * read what the set-up provides (`inject`). Found by reading the files, so a new database test is
 * left out without anyone listing it here.
 */
function harnessTests(): string[] {
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.test.ts')) {
        const text = fs.readFileSync(file, 'utf8');
        if (/\/test\/(backends|http|browser|env)\.js['"]|\binject\(/.test(text))
          found.push(file.split(path.sep).join('/'));
      }
    }
  };
  for (const root of UNIT_ROOTS) visit(root);
  return found;
}

/** Pure unit tests only (no database, no browser, no web build): `npx vitest run -c vitest.unit.config.ts [paths]`. */
export default defineConfig({
  test: {
    include: UNIT_ROOTS.map((root) => `${root}/**/*.test.ts`),
    exclude: ['**/node_modules/**', ...harnessTests()],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
