import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import type { AllocationProblem } from '../../server/allocation/problem.js';
import { solveAllocation } from '../../server/allocation/solve.js';
import { seedDemoHoliday } from '../../server/holidays/demo.js';
import { listHolidays } from '../../server/holidays/repository.js';
import { HolidayService } from '../../server/holidays/service.js';
import { RoadRouting } from '../../server/routing/service.js';
import { openBenchDatabase, serverBenchDatabase, type Benchmark } from './harness.js';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The same holiday with a pool of `officers`: the demo pool repeated, and the demand scaled with it. */
function withPool(problem: AllocationProblem, officers: number): AllocationProblem {
  const base = problem.officers;
  const factor = officers / base.length;
  return {
    ...problem,
    officers: Array.from({ length: officers }, (_, k) => ({
      ...base[k % base.length]!,
      id: k < base.length ? base[k]!.id : `${base[k % base.length]!.id}-${Math.floor(k / base.length)}`,
    })),
    demand: problem.demand.map((d) => ({ ...d, officers: Math.round(d.officers * factor) })),
  };
}

/**
 * The demo county's holiday (2027 Spring Festival: 7 days × 3 shifts × 3 duties, all 13 stations,
 * the 300-officer pool, road drive times between stations from the routing engine), solved with
 * HiGHS; then a 1,000-officer pool with the demand scaled in proportion. `unmetOptimal` and
 * `unmetGreedy` are priority-weighted unmet officer-shifts of the plan and of the proportional
 * largest-remainder baseline.
 */
export const allocationBenchmark: Benchmark = {
  summary: 'holiday allocation on the demo holiday (300 officers, road drive times) and a 1,000-officer pool',
  async run(args, log) {
    const url = process.env.DATABASE_URL?.trim();
    const database = url
      ? await serverBenchDatabase(url, 'shanwang_bench_allocation', 1, log)
      : await openBenchDatabase(log);
    try {
      if (!url) {
        await forEachGeneratedCounty({ seed: DEMO_SEED, scale: 1 }, log, async (model) => {
          await loadCountyModel(database.db, model);
          await seedDemoHoliday(database.db, model.county.code, DEMO_SEED);
        });
      }
      const holiday = (await listHolidays(database.db)).find((h) => h.name.includes('春节'));
      if (!holiday) throw new Error('The demo holiday is missing from the bench database');
      const service = new HolidayService(database.db, new RoadRouting(database.db));
      const { problem } = await service.problem(holiday);
      const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
      const rows: Record<string, unknown>[] = [];
      for (const officers of sizes.length ? sizes : [problem.officers.length, 1000]) {
        const instance = officers === problem.officers.length ? problem : withPool(problem, officers);
        const result = await solveAllocation(instance, { timeLimitSeconds: 60, explain: true });
        const row = {
          officers,
          stations: instance.stations.length,
          days: instance.days,
          shifts: instance.shiftsPerDay,
          duties: instance.duties.length,
          variables: result.variables,
          constraints: result.constraints,
          status: result.status,
          mipGap: round(result.mipGap, 6),
          seconds: round(result.seconds),
          demanded: result.coverage.total.demanded,
          unmetOptimal: result.weightedUnmet,
          unmetGreedy: result.baseline.weightedUnmet,
          unmetOfficerShifts: result.coverage.total.unmet,
          greedyUnmetOfficerShifts: result.baseline.unmet,
          maxUnmetShare: round(result.maxUnmetShare, 4),
          greedyMaxUnmetShare: round(result.baseline.maxUnmetShare, 4),
          travelHours: round(result.travelSeconds / 3600, 1),
          greedyTravelHours: round(result.baseline.travelSeconds / 3600, 1),
        };
        log(JSON.stringify(row));
        rows.push(row);
      }
      return { ...rows[0]!, larger: rows.slice(1) };
    } finally {
      await database.close();
    }
  },
};
