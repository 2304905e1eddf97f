import { sql } from 'kysely';
import { ms, openBenchDatabase, percentile, type Benchmark } from './harness.js';

/** Round-trip latency of a trivial query and of a small PostGIS computation through Kysely. */
export const dbBenchmark: Benchmark = {
  summary: 'database round trip: select 1 and a PostGIS area, p50/p95 in ms',
  async run(args, log) {
    const rounds = Number(args[0] ?? 500);
    const openStart = performance.now();
    const database = await openBenchDatabase(log);
    const openMs = performance.now() - openStart;
    try {
      const time = async (query: () => Promise<unknown>) => {
        for (let i = 0; i < 20; i++) await query(); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const start = performance.now();
          await query();
          samples.push(performance.now() - start);
        }
        return samples;
      };
      log(`${rounds} rounds of select 1`);
      const trivial = await time(() => sql`select 1 as one`.execute(database.db));
      log(`${rounds} rounds of a geodesic area`);
      const spatial = await time(() =>
        sql`select ST_Area(ST_Buffer(ST_Point(119.72, 27.56, 4326)::geography, 1000)) as area`.execute(database.db),
      );
      return {
        db: database.kind,
        rounds,
        openMs: ms(openMs),
        selectP50Ms: ms(percentile(trivial, 50)),
        selectP95Ms: ms(percentile(trivial, 95)),
        postgisP50Ms: ms(percentile(spatial, 50)),
        postgisP95Ms: ms(percentile(spatial, 95)),
      };
    } finally {
      await database.close();
    }
  },
};
