import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest files first, so that no long file starts near the end while the other worker idles:
 * by the duration of the file's last run (vitest's results cache) when there is one, otherwise
 * (a clean clone) by kind, the browser tests (~60–140 s each) before the database tests (~10–130 s)
 * before the unit tests (mostly under 5 s), larger files first within a kind.
 */
/** A file that opens a database, a test server or a browser (the test harness) or reads the set-up. */
const HARNESS = /\/test\/(backends|http|browser|env)\.js['"]|\binject\(/;

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const estimate = new Map<TestSpecification, number>();
    for (const file of files) {
      const relative = path.relative(this.ctx.config.root, file.moduleId);
      const last = this.ctx.cache.getFileTestResults(`${file.project.name}:${relative}`);
      let seconds: number;
      if (last) seconds = last.duration / 1000;
      else {
        const text = fs.readFileSync(file.moduleId, 'utf8');
        const kind = relative.startsWith('test/browser/') ? 100 : HARNESS.test(text) ? 30 : 0;
        seconds = kind + text.length / 2000;
      }
      estimate.set(file, seconds);
    }
    return [...files].sort((a, b) => estimate.get(b)! - estimate.get(a)!);
  }
}

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    sequence: { sequencer: LongestFirst },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
