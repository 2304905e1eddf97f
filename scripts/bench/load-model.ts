import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty, roundSeconds } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import { countyStats } from '../../server/county/stats.js';
import { openBenchDatabase, type Benchmark } from './harness.js';

/**
 * Seconds to generate and load the demo county, then a `--scale N` model (N counties in all,
 * the demo county and N − 1 shifted copies) into a fresh database.
 */
export const loadModelBenchmark: Benchmark = {
  summary: 'seconds to generate and load the demo county, then a --scale N model (default 10)',
  async run(args, log) {
    const scale = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
    const database = await openBenchDatabase(log);
    try {
      const timings: { code: string; generateSeconds: number; loadSeconds: number }[] = [];
      await forEachGeneratedCounty({ seed: DEMO_SEED, scale }, log, async (model, variant, generateSeconds) => {
        const start = performance.now();
        await loadCountyModel(database.db, model);
        const loadSeconds = roundSeconds(performance.now() - start);
        timings.push({ code: model.county.code, generateSeconds, loadSeconds });
        log(`county ${variant + 1}/${scale}: generated in ${generateSeconds} s, loaded in ${loadSeconds} s`);
      });
      const stats = await countyStats(database.db);
      const demo = timings[0]!;
      const sum = (key: 'generateSeconds' | 'loadSeconds') =>
        Math.round(timings.reduce((s, t) => s + t[key], 0) * 10) / 10;
      return {
        db: database.kind,
        demoGenerateSeconds: demo.generateSeconds,
        demoLoadSeconds: demo.loadSeconds,
        demoSeconds: Math.round((demo.generateSeconds + demo.loadSeconds) * 10) / 10,
        scale,
        scaleGenerateSeconds: sum('generateSeconds'),
        scaleLoadSeconds: sum('loadSeconds'),
        scaleSeconds: Math.round((sum('generateSeconds') + sum('loadSeconds')) * 10) / 10,
        lastLoadSeconds: timings[timings.length - 1]!.loadSeconds,
        counties: stats.counties,
        households: stats.households,
        events: stats.events,
        roadEdges: stats.roadEdges,
      };
    } finally {
      await database.close();
    }
  },
};
