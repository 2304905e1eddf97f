// `npm run bench -- <name> [args]`: progress on stderr, one JSON object as the last line of stdout.
import type { Benchmark } from './bench/harness.js';

/** Each benchmark's module, loaded only when it runs (some pull in the generator, Vite or Chromium). */
const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  allocation: async () => (await import('./bench/allocation.js')).allocationBenchmark,
  db: async () => (await import('./bench/db.js')).dbBenchmark,
  dem: async () => (await import('./bench/dem.js')).demBenchmark,
  drivetime: async () => (await import('./bench/drivetime.js')).drivetimeBenchmark,
  load: async () => (await import('./bench/load.js')).loadBenchmark,
  'load-model': async () => (await import('./bench/load-model.js')).loadModelBenchmark,
  noding: async () => (await import('./bench/noding.js')).nodingBenchmark,
  onboard: async () => (await import('./bench/onboard.js')).onboardBenchmark,
  partition: async () => (await import('./bench/partition.js')).partitionBenchmark,
  risk: async () => (await import('./bench/risk.js')).riskBenchmark,
  web: async () => (await import('./bench/web.js')).webBenchmark,
};

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  const list: string[] = [];
  for (const [key, loadOne] of Object.entries(BENCHMARKS))
    list.push(`  ${key.padEnd(12)} ${(await loadOne()).summary}`);
  process.stderr.write(
    `${name ? `Unknown benchmark: ${name}\n` : ''}Usage: npm run bench -- <name>\n\n${list.join('\n')}\n`,
  );
  process.exit(2);
}
try {
  const benchmark = await load();
  const figures = await benchmark.run(args, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
} catch (err) {
  process.stderr.write(`Benchmark ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
