import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Files named in the "where the time went" line. */
const SLOWEST = 10;

/**
 * Ends the run with where the time went (the slowest files, and the files' seconds added up:
 * the workers' time, which the run's wall time shares between them) and one plain line,
 * `Tests: N passed, N failed, N skipped`, which CI reads whatever the runner (errors outside tests
 * count as failures).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const seconds: { file: string; seconds: number }[] = [];
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // Importing the file and its set-up, then its tests and hooks.
      const d = module.diagnostic();
      const total = d.prepareDuration + d.setupDuration + d.collectDuration + d.duration;
      seconds.push({ file: path.relative(process.cwd(), module.moduleId), seconds: total / 1000 });
    }
    if (seconds.length > 1) {
      seconds.sort((a, b) => b.seconds - a.seconds);
      const sum = seconds.reduce((total, file) => total + file.seconds, 0);
      const slowest = seconds.slice(0, SLOWEST).map((file) => `${file.file} ${file.seconds.toFixed(1)} s`);
      process.stdout.write(
        `\nFiles' time added up: ${sum.toFixed(0)} s in ${seconds.length} files; slowest: ${slowest.join(', ')}\n`,
      );
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
