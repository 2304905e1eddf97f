import path from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../../server/app.js';
import { openAppContext } from '../../server/context.js';
import { DEMO_SEED } from '../../server/county/demo.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { loadCountyModel } from '../../server/county/load.js';
import type { EditResult, PlanDetail } from '../../server/grids/api-types.js';
import { townshipTargets, planTargets } from '../../server/grids/model.js';
import { PARTITION_RESTARTS } from '../../server/grids/partition-run.js';
import { partitionTownship } from '../../server/grids/partition/index.js';
import { Random } from '../../server/county/generate/random.js';
import { createLogger } from '../../server/logger.js';
import { createTestUser, listenOnLoopback, loginOverHttp } from '../../test/http.js';
import { ms, numberOption, openBenchDatabase, percentile, serverBenchDatabase, type Benchmark } from './harness.js';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Grid planning on the demo county (or `--scale N` counties): the units built once, then the
 * pure partition of every township timed (countySeconds, townshipSecondsMax), a plan made and
 * stored through the service and measured in the database (balance, contiguity, overlaps,
 * township crossings), and `--edits N` (default 200) single-unit moves between neighbouring
 * grids through the real HTTP API (editP95Ms: figures recomputed and stored in each).
 */
export const partitionBenchmark: Benchmark = {
  summary:
    'automatic grid partition of the county: balance, contiguity, overlaps, time; edit latency via HTTP [--scale N] [--edits N]',
  async run(args, log) {
    const option = (name: string, fallback: number) => numberOption(args, name, fallback);
    const scale = option('--scale', 1);
    const editCount = option('--edits', 200);
    const url = process.env.DATABASE_URL?.trim();
    const database = url
      ? await serverBenchDatabase(url, `shanwang_bench_drivetime_${scale}`, scale, log)
      : await openBenchDatabase(log);
    try {
      if (!url) {
        await forEachGeneratedCounty({ seed: DEMO_SEED, scale }, log, (model) => loadCountyModel(database.db, model));
      }
      const db = database.db;
      const ctx = await openAppContext(database, { logger: createLogger('silent'), webDir: path.resolve('dist/web') });
      const counties = (await db.selectFrom('counties').select('code').orderBy('code').execute()).map((c) => c.code);

      // 1. Units (once per county; kept in the database for later runs).
      let unitsSeconds = 0;
      for (const county of counties) {
        const started = performance.now();
        const status = await ctx.grids.prepare(county, (done, total, name) =>
          log(`units ${county}: ${name} ${done}/${total}`),
        );
        if (status.rebuilt) unitsSeconds += (performance.now() - started) / 1000;
        log(`units ${county}: ${status.units} units, ${status.rebuilt ? 'built' : 'already built'}`);
      }

      // 2. The pure partition of every township, timed (what the planners wait for, without storage).
      let countySecondsMax = 0;
      let townshipSecondsMax = 0;
      let totalSeconds = 0;
      let slowest = '';
      const targets = planTargets({});
      for (const county of counties) {
        const model = await ctx.grids.model(county);
        let countySeconds = 0;
        for (const township of model.townships.values()) {
          const started = performance.now();
          partitionTownship(township.units, township.graph, {
            ...townshipTargets(targets, township),
            seed: 1,
            restarts: PARTITION_RESTARTS,
          });
          const seconds = (performance.now() - started) / 1000;
          countySeconds += seconds;
          if (seconds > townshipSecondsMax)
            [townshipSecondsMax, slowest] = [seconds, `${township.name} (${township.units.length} units)`];
        }
        totalSeconds += countySeconds;
        countySecondsMax = Math.max(countySecondsMax, countySeconds);
        log(`partition ${county}: ${countySeconds.toFixed(2)} s`);
      }

      // 3. A stored plan of the first county, measured in the database.
      const county = counties[0]!;
      let started = performance.now();
      const plan = await ctx.grids.createPlan({
        countyCode: county,
        name: `bench ${new Date().toISOString()}`,
        author: 'bench',
      });
      const planCreateSeconds = (performance.now() - started) / 1000;
      log(`plan ${plan.id} stored in ${planCreateSeconds.toFixed(1)} s`);
      const checks = await sql<{ crossings: number; overlap: number | null; gap: number | null }>`
        select
          (select count(*)::int from grid_plan_units pu join grid_units u on u.id = pu.unit_id
            join grid_plan_grids g on g.plan_id = pu.plan_id and g.grid_id = pu.grid_id
            where pu.plan_id = ${plan.id} and g.township_code <> u.township_code) as crossings,
          (select sum(ST_Area(ST_Intersection(a.geom, b.geom, 1e-7)::geography))
            from grid_plan_grids a join grid_plan_grids b on a.plan_id = b.plan_id and a.grid_id < b.grid_id
              and ST_Intersects(a.geom, b.geom)
            where a.plan_id = ${plan.id}) as overlap,
          (select sum(ST_Area(t.geom::geography)) - (select sum(ST_Area(g.geom::geography)) from grid_plan_grids g where g.plan_id = ${plan.id})
            from townships t where t.county_code = ${county}) as gap`.execute(db);
      const s = plan.summary;

      // 4. Single-unit moves through the HTTP API.
      const { server, baseUrl } = await listenOnLoopback(createApp(ctx));
      const latencies: number[] = [];
      try {
        // Edits need a planner's session (cookie and CSRF header), as in the browser.
        const user = await createTestUser(database, 'planner', { username: 'bench-planner' });
        const session = await loginOverHttp(baseUrl, user.username, user.password);
        const model = await ctx.grids.model(county);
        const random = new Random(DEMO_SEED).fork('edits');
        const gridOf = new Map<number, number | null>(
          (
            await db
              .selectFrom('grid_plan_units')
              .select(['unit_id', 'grid_id'])
              .where('plan_id', '=', plan.id)
              .execute()
          ).map((r) => [r.unit_id, r.grid_id]),
        );
        const townships = [...model.townships.values()].filter((t) => t.units.length > 1);
        let revision = plan.revision;
        for (let i = 0; i < editCount; i++) {
          const township = townships[Math.floor(random.next() * townships.length)]!;
          const u = Math.floor(random.next() * township.units.length);
          let toGrid: number | null = null;
          for (let e = township.graph.adjStart[u]!; e < township.graph.adjStart[u + 1]!; e++) {
            const g = gridOf.get(township.unitIds[township.graph.adjTarget[e]!]!)!;
            if (g !== gridOf.get(township.unitIds[u]!)) toGrid = g;
          }
          if (toGrid === null) {
            i--;
            continue;
          }
          started = performance.now();
          const response = await session.fetch(`/api/grids/plans/${plan.id}/edits`, {
            method: 'POST',
            json: { baseRevision: revision, action: 'move', unitIds: [township.unitIds[u]], toGrid },
          });
          const body = (await response.json()) as EditResult;
          latencies.push(performance.now() - started);
          if (response.status !== 200)
            throw new Error(`edit ${i} answered ${response.status}: ${JSON.stringify(body)}`);
          revision = body.revision;
          for (const [unit, grid] of body.units) gridOf.set(unit, grid);
        }
        const after = (await (await session.fetch(`/api/grids/plans/${plan.id}`)).json()) as PlanDetail;
        if (after.revision !== revision) throw new Error(`plan at revision ${after.revision}, expected ${revision}`);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      return {
        scale,
        counties: counties.length,
        households: s.households,
        grids: s.grids,
        maxAbsDeviation: round(s.maxAbsDeviationRatio),
        within10: round(s.within10),
        within25: round(s.within25),
        nonContiguous: s.nonContiguous,
        unassigned: s.unassignedUnits,
        overlapM2: round(checks.rows[0]!.overlap ?? 0, 2),
        gapM2: round(checks.rows[0]!.gap ?? 0, 0),
        townshipCrossings: checks.rows[0]!.crossings,
        villageSplits: s.villageSplits,
        maxGridDriveMinutes: s.maxGridDriveMinutes,
        countySeconds: round(countySecondsMax, 2),
        townshipSecondsMax: round(townshipSecondsMax, 2),
        slowestTownship: slowest,
        allCountiesSeconds: round(totalSeconds, 2),
        unitsSeconds: round(unitsSeconds, 1),
        planCreateSeconds: round(planCreateSeconds, 2),
        edits: latencies.length,
        editP50Ms: ms(percentile(latencies, 50)),
        editP95Ms: ms(percentile(latencies, 95)),
        backend: url ? 'postgres' : 'pglite',
      };
    } finally {
      await database.close();
    }
  },
};
