// `npm run bench -- <name> [args]`: progress on stderr, one JSON object as the last line of stdout.
import { allocationBenchmark } from './bench/allocation.js';
import { dbBenchmark } from './bench/db.js';
import { demBenchmark } from './bench/dem.js';
import { drivetimeBenchmark } from './bench/drivetime.js';
import type { Benchmark } from './bench/harness.js';
import { loadBenchmark } from './bench/load.js';
import { loadModelBenchmark } from './bench/load-model.js';
import { nodingBenchmark } from './bench/noding.js';
import { onboardBenchmark } from './bench/onboard.js';
import { partitionBenchmark } from './bench/partition.js';
import { riskBenchmark } from './bench/risk.js';

const BENCHMARKS: Record<string, Benchmark> = {
  allocation: allocationBenchmark,
  db: dbBenchmark,
  dem: demBenchmark,
  drivetime: drivetimeBenchmark,
  load: loadBenchmark,
  'load-model': loadModelBenchmark,
  noding: nodingBenchmark,
  onboard: onboardBenchmark,
  partition: partitionBenchmark,
  risk: riskBenchmark,
};

const [name, ...args] = process.argv.slice(2);
const benchmark = name ? BENCHMARKS[name] : undefined;
if (!benchmark) {
  const list = Object.entries(BENCHMARKS).map(([key, b]) => `  ${key.padEnd(12)} ${b.summary}`);
  process.stderr.write(
    `${name ? `Unknown benchmark: ${name}\n` : ''}Usage: npm run bench -- <name>\n\n${list.join('\n')}\n`,
  );
  process.exit(2);
}
try {
  const figures = await benchmark.run(args, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
} catch (err) {
  process.stderr.write(`Benchmark ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
