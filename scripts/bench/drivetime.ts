import { sql } from 'kysely';
import { stationIsochrones } from '../../server/policing/isochrones.js';
import { loadPolicingPlaces } from '../../server/policing/places.js';
import { PolicingService } from '../../server/policing/service.js';
import { shortestTimes } from '../../server/routing/dijkstra.js';
import {
  arrivalCost,
  attachToRoad,
  buildRoadNetwork,
  costNetwork,
  offRoadCost,
  prepareRoadNetwork,
  sameEdgeCost,
  sourcesFrom,
  type RoadPoint,
} from '../../server/routing/network.js';
import { independentCycles } from '../../server/routing/cycles.js';
import { loadRoadEdges } from '../../server/routing/repository.js';
import { RoadRouting } from '../../server/routing/service.js';
import {
  calibrate,
  DEFAULT_CONSTANTS,
  errorFigures,
  modelTripSeconds,
  recostNetwork,
  seededOrder,
  type CalibrationTrip,
} from '../../server/routing/calibration.js';
import { forEachGeneratedCounty } from '../../server/county/generate/in-worker.js';
import { DEMO_SEED } from '../../server/county/demo.js';
import { ms, percentile, serverBenchDatabase, type Benchmark } from './harness.js';

/**
 * Drive times from every station to every village of its county: our engine against pgRouting
 * on the same graph (our edge costs written to a table) and the same road points
 * (`pgr_withPointsCost`, points on edges by fraction), plus node-to-node `pgr_dijkstraCost`.
 * Graph loading is timed apart: pgRouting reads its edges on every call, ours keeps the graph.
 */
export const drivetimeBenchmark: Benchmark = {
  summary: 'drive times stations → villages: ours vs pgRouting (needs DATABASE_URL), isochrones [--scale N]',
  async run(args, log) {
    const url = process.env.DATABASE_URL?.trim();
    if (!url) throw new Error('The drive-time bench compares with pgRouting: set DATABASE_URL to a PostgreSQL server.');
    const scaleAt = args.indexOf('--scale');
    const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
    if (!Number.isInteger(scale) || scale < 1 || scale > 50) throw new Error('--scale takes a whole number 1–50');
    const database = await serverBenchDatabase(url, `shanwang_bench_drivetime_${scale}`, scale, log);
    const db = database.db;
    try {
      // Our engine: load and build the graph, attach the places.
      let started = performance.now();
      const network = buildRoadNetwork(await loadRoadEdges(db));
      const graphLoadMs = performance.now() - started;
      const places = await loadPolicingPlaces(db);
      started = performance.now();
      const stations = places.stations.map((s) => attachToRoad(network, s.lon, s.lat)!);
      const villages = places.villages.map((v) => attachToRoad(network, v.lon, v.lat)!);
      const attachMs = performance.now() - started;
      const villagesOf = new Map<string, number[]>();
      places.villages.forEach((v, i) => villagesOf.set(v.countyCode, [...(villagesOf.get(v.countyCode) ?? []), i]));
      log(`graph: ${network.drive.nodeCount} nodes, ${network.edgeCount} edges, loaded in ${ms(graphLoadMs)} ms`);

      const oursTimes = new Float64Array(places.stations.length * places.villages.length).fill(NaN);
      const oursRuns: number[] = [];
      // Three runs to warm the JIT, then the median of ten.
      for (let run = 0; run < 13; run++) {
        started = performance.now();
        places.stations.forEach((station, s) => {
          const from = stations[s]!;
          const result = shortestTimes(network.drive, sourcesFrom(network, from));
          for (const v of villagesOf.get(station.countyCode) ?? []) {
            const to = villages[v]!;
            oursTimes[s * places.villages.length + v] = Math.min(
              arrivalCost(network, result, to),
              sameEdgeCost(network, from, to),
            );
          }
        });
        if (run >= 3) oursRuns.push(performance.now() - started);
      }
      const ours = new Map<string, number>();
      oursTimes.forEach((seconds, k) => {
        if (!Number.isNaN(seconds))
          ours.set(`${Math.floor(k / places.villages.length)}:${k % places.villages.length}`, seconds);
      });
      const oursMs = percentile(oursRuns, 50);
      log(`ours: ${ours.size} station–village times in ${ms(oursMs)} ms (median of 10)`);

      // pgRouting on the same costs and points.
      await sql`drop table if exists bench_edges, bench_points`.execute(db);
      await sql`create table bench_edges (id bigint primary key, county_code text, source bigint, target bigint,
                  cost float8, reverse_cost float8)`.execute(db);
      await sql`create table bench_points (pid bigint primary key, county_code text, edge_id bigint, fraction float8)`.execute(
        db,
      );
      const edgeCounty = await sql<{ id: number; county_code: string }>`select id, county_code from road_edges`.execute(
        db,
      );
      const countyOfEdge = new Map(edgeCounty.rows.map((r) => [r.id, r.county_code]));
      const edgeRows = Array.from(network.edgeIds, (id, e) => ({
        id,
        county_code: countyOfEdge.get(id)!,
        source: network.drive.nodeIds[network.edgeSource[e]!]!,
        target: network.drive.nodeIds[network.edgeTarget[e]!]!,
        // pgRouting reads a negative cost as "no edge this way" (a one-way edge's closed direction).
        cost: Number.isFinite(network.forwardSeconds[e]!) ? network.forwardSeconds[e]! : -1,
        reverse_cost: Number.isFinite(network.backwardSeconds[e]!) ? network.backwardSeconds[e]! : -1,
      }));
      for (let i = 0; i < edgeRows.length; i += 2000) {
        const chunk = edgeRows.slice(i, i + 2000);
        await sql`insert into bench_edges values ${sql.join(
          chunk.map((r) => sql`(${r.id}, ${r.county_code}, ${r.source}, ${r.target}, ${r.cost}, ${r.reverse_cost})`),
        )}`.execute(db);
      }
      // Point ids: stations 1..S, villages S+1..S+V.
      const pointRows = [
        ...stations.map((p, s) => ({ pid: s + 1, county: places.stations[s]!.countyCode, p })),
        ...villages.map((p, v) => ({ pid: stations.length + v + 1, county: places.villages[v]!.countyCode, p })),
      ];
      for (let i = 0; i < pointRows.length; i += 2000) {
        await sql`insert into bench_points values ${sql.join(
          pointRows
            .slice(i, i + 2000)
            .map((r) => sql`(${r.pid}, ${r.county}, ${network.edgeIds[r.p.edge]!}, ${r.p.fraction})`),
        )}`.execute(db);
      }
      await sql`analyze bench_edges`.execute(db);
      await sql`analyze bench_points`.execute(db);

      // pgRouting drops points lying exactly on a vertex (fraction 0 or 1): those are passed as the vertex.
      const vertexOf = (p: RoadPoint) =>
        p.fraction <= 0
          ? network.drive.nodeIds[network.edgeSource[p.edge]!]!
          : p.fraction >= 1
            ? network.drive.nodeIds[network.edgeTarget[p.edge]!]!
            : null;
      const stationId = (i: number) => vertexOf(stations[i]!) ?? -(i + 1);
      const villageId = (v: number) => vertexOf(villages[v]!) ?? -(stations.length + v + 1);
      const pgr = new Map<string, number>();
      const pgrRuns: number[] = [];
      const countyCodes = [...new Set(places.stations.map((s) => s.countyCode))];
      for (let run = 0; run < 3; run++) {
        started = performance.now();
        for (const county of countyCodes) {
          const countyStations = places.stations.flatMap((s, i) => (s.countyCode === county ? [i] : []));
          const countyVillages = villagesOf.get(county) ?? [];
          const rows = await sql<{ start_pid: number; end_pid: number; agg_cost: number }>`
            select start_pid, end_pid, agg_cost from pgr_withPointsCost(
              ${`select id, source, target, cost, reverse_cost from bench_edges where county_code = '${county}'`},
              ${`select pid, edge_id, fraction from bench_points where county_code = '${county}' and fraction > 0 and fraction < 1`},
              ${[...new Set(countyStations.map(stationId))]}::bigint[], ${[...new Set(countyVillages.map(villageId))]}::bigint[],
              directed => true, driving_side => 'b')`.execute(db);
          const cost = new Map(rows.rows.map((row) => [`${row.start_pid}:${row.end_pid}`, row.agg_cost]));
          for (const s of countyStations) {
            for (const v of countyVillages) {
              const key = `${stationId(s)}:${villageId(v)}`;
              const value = stationId(s) === villageId(v) ? 0 : cost.get(key);
              if (value !== undefined) pgr.set(`${s}:${v}`, value);
            }
          }
        }
        pgrRuns.push(performance.now() - started);
      }
      const pgroutingMs = percentile(pgrRuns, 50);
      log(`pgRouting: ${pgr.size} times in ${ms(pgroutingMs)} ms (median of 3)`);

      // Same answers: pgRouting's cost plus the two off-road gaps (ours includes them).
      let maxDiffSeconds = 0;
      let compared = 0;
      let missing = 0;
      for (const [key, seconds] of ours) {
        const [s, v] = key.split(':').map(Number) as [number, number];
        const other = pgr.get(key);
        if (other === undefined) {
          if (Number.isFinite(seconds)) missing++;
          continue;
        }
        const total = other + offRoadCost(network, stations[s]!) + offRoadCost(network, villages[v]!);
        maxDiffSeconds = Math.max(maxDiffSeconds, Math.abs(total - seconds));
        compared++;
      }

      // Node to node with pgr_dijkstraCost: station edge's source node → village edge's source node.
      const nodeOf = (p: RoadPoint) => network.edgeSource[p.edge]!;
      let nodeMaxDiffSeconds = 0;
      started = performance.now();
      for (const county of countyCodes) {
        const starts = places.stations.flatMap((st, i) =>
          st.countyCode === county ? [network.drive.nodeIds[nodeOf(stations[i]!)]!] : [],
        );
        const ends = (villagesOf.get(county) ?? []).map((v) => network.drive.nodeIds[nodeOf(villages[v]!)]!);
        const rows = await sql<{ start_vid: number; end_vid: number; agg_cost: number }>`
          select start_vid, end_vid, agg_cost from pgr_dijkstraCost(
            ${`select id, source, target, cost, reverse_cost from bench_edges where county_code = '${county}'`},
            ${[...new Set(starts)]}::bigint[], ${[...new Set(ends)]}::bigint[], directed => true)`.execute(db);
        const bySource = new Map<number, Float64Array>();
        for (const row of rows.rows) {
          const from = network.drive.nodeIds.indexOf(Number(row.start_vid));
          let times = bySource.get(from);
          if (!times) {
            times = shortestTimes(network.drive, [{ node: from, seconds: 0 }]).seconds;
            bySource.set(from, times);
          }
          const to = network.drive.nodeIds.indexOf(Number(row.end_vid));
          nodeMaxDiffSeconds = Math.max(nodeMaxDiffSeconds, Math.abs(times[to]! - row.agg_cost));
        }
      }
      const pgrDijkstraCostMs = performance.now() - started;
      if (!process.env.KEEP) await sql`drop table if exists bench_edges, bench_points`.execute(db);

      // No-trip villages and isochrones as the app computes them.
      const routing = new RoadRouting(db);
      const service = new PolicingService(db, routing);
      let noTripVillages = 0;
      for (const county of countyCodes) noTripVillages += (await service.report(county)).county.noTripVillages;
      const demoStations = places.stations.map((s, i) => ({ s, i })).filter(({ s }) => s.countyCode === countyCodes[0]);
      const isochroneRuns: number[] = [];
      for (const { i } of demoStations) {
        started = performance.now();
        await stationIsochrones(db, network, stations[i]!, [30, 60, 90]);
        isochroneRuns.push(performance.now() - started);
      }
      log(`isochrones of ${demoStations.length} stations: p50 ${ms(percentile(isochroneRuns, 50))} ms`);
      const calibration = await calibrationFigures(db, countyCodes[0]!, log);

      return {
        scale,
        nodes: network.drive.nodeCount,
        edges: network.edgeCount,
        cycles: independentCycles(network),
        oneWayEdges: network.forwardSeconds.filter(
          (_, e) => !Number.isFinite(network.forwardSeconds[e]! + network.backwardSeconds[e]!),
        ).length,
        stations: places.stations.length,
        villages: places.villages.length,
        pairs: ours.size,
        compared,
        missingInPgrouting: missing,
        oursMs: ms(oursMs),
        pgroutingMs: ms(pgroutingMs),
        ratio: Math.round((pgroutingMs / oursMs) * 10) / 10,
        oursGraphLoadMs: ms(graphLoadMs),
        oursAttachMs: ms(attachMs),
        ratioWithOurLoad: Math.round((pgroutingMs / (oursMs + graphLoadMs + attachMs)) * 10) / 10,
        maxDiffSeconds: Number(maxDiffSeconds.toExponential(3)),
        pgrDijkstraCostMs: ms(pgrDijkstraCostMs),
        nodeMaxDiffSeconds: Number(nodeMaxDiffSeconds.toExponential(3)),
        noTripVillages,
        isochroneMs: ms(percentile(isochroneRuns, 50)),
        isochroneMaxMs: ms(Math.max(...isochroneRuns)),
        ...calibration,
      };
    } finally {
      await database.close();
    }
  },
};

/**
 * Calibration on the demo county: the demo generator ships "observed" trips drawn from a hidden true
 * speed model (server/county/generate/observed-trips.ts) with 8 % lognormal noise, rounded to whole
 * minutes as an officer reports them. The model is generated again here (the same seed gives the
 * same trips); fitted on 4/5 of them (with its own 5-fold cross-validation, each fold fitted from the
 * default constants), the error reported on the 1/5 held back. Also timed: measuring every edge's
 * profile once (`calibrationPrepareMs`) and one costing pass of the county under new constants
 * (`calibrationCostPassMs`, median of 10), the part of each fit evaluation that is not Dijkstra.
 */
async function calibrationFigures(
  db: Parameters<typeof loadRoadEdges>[0],
  countyCode: string,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  let observed: { fromCode: string; toCode: string; minutes: number }[] = [];
  await forEachGeneratedCounty({ seed: DEMO_SEED, scale: 1 }, log, async (model) => {
    if (model.county.code === countyCode) observed = model.observedTrips ?? [];
  });
  if (observed.length === 0) throw new Error(`The demo county ${countyCode} was generated without observed trips`);
  const records = await loadRoadEdges(db, countyCode);
  // What calibration does once (measure every edge's profile), then at every trial (one costing pass).
  let started = performance.now();
  const prepared = prepareRoadNetwork(records);
  const prepareMs = performance.now() - started;
  const costRuns: number[] = [];
  for (let run = 0; run < 13; run++) {
    started = performance.now();
    recostNetwork(prepared, DEFAULT_CONSTANTS);
    if (run >= 3) costRuns.push(performance.now() - started);
  }
  const network = costNetwork(prepared);
  const places = await loadPolicingPlaces(db, countyCode);
  const at = new Map(
    [...places.stations, ...places.villages].map((p) => [p.code, attachToRoad(network, p.lon, p.lat)!]),
  );
  const trips: CalibrationTrip[] = observed.map((t) => ({
    from: at.get(t.fromCode)!,
    to: at.get(t.toCode)!,
    observedSeconds: t.minutes * 60,
  }));
  const order = seededOrder(trips.length, 5);
  const heldBack = order.filter((_, k) => k % 5 === 0).map((i) => trips[i]!);
  const fitOn = order.filter((_, k) => k % 5 !== 0).map((i) => trips[i]!);
  log(`calibration: ${fitOn.length} trips to fit on, ${heldBack.length} held back, ${network.edgeCount} edges`);
  const { constants, metrics } = calibrate(prepared, fitOn);
  log(`calibration: ${JSON.stringify(constants)} in ${metrics.fitSeconds.toFixed(1)} s`);
  const observedHeld = heldBack.map((t) => t.observedSeconds);
  const before = errorFigures(modelTripSeconds(network, heldBack), observedHeld);
  const after = errorFigures(modelTripSeconds(recostNetwork(prepared, constants), heldBack), observedHeld);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    calibrationTrips: trips.length,
    calibrationBeforeMedianApe: round(before.medianApe),
    calibrationMedianApe: round(after.medianApe),
    calibrationP90Ape: round(after.p90Ape),
    calibrationInSampleMedianApe: round(metrics.inSample.medianApe),
    calibrationCrossValidatedMedianApe: round(metrics.heldOut.medianApe),
    calibrationCrossValidatedP90Ape: round(metrics.heldOut.p90Ape),
    calibrationPrepareMs: ms(prepareMs),
    calibrationCostPassMs: ms(percentile(costRuns, 50)),
    calibrationEvaluations: metrics.evaluations,
    calibrationEvaluationsPerSecond: round(metrics.evaluationsPerSecond),
    calibrationFitSeconds: round(metrics.fitSeconds),
  };
}
