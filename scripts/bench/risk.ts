/**
 * Benchmark of the risk-map core on synthetic events (default 1,000,000 around 290 villages of a
 * Taishun-sized county, 2023-11 … 2026-11): index build and H3 conversion, then per-query
 * aggregation, Gi* hotspots, emerging hotspots and kernel density (`npm run bench -- risk [events]`).
 * The risk map's routes and workspace (#7) are not built yet: this measures the core alone.
 */
import type { Benchmark } from './harness.js';
import { Random } from '../../server/county/generate/random.js';
import { emergingHotspots } from '../../server/risk/emerging.js';
import {
  ALL_CATEGORIES_MASK,
  type EventQuery,
  addResolution,
  buildEventIndex,
  countByCell,
  monthlyCountsByCell,
  placeFilter,
} from '../../server/risk/event-index.js';
import { giStarHotspots } from '../../server/risk/gi-star.js';
import { buildHexStudyArea, cellsCoveringPolygon, countsOnStudyArea, studyAreaCellMap } from '../../server/risk/hex.js';
import { densityCellMetres, densityGridForBounds, kernelDensityForQuery } from '../../server/risk/kde.js';
import { chinaDayOfDate } from '../../server/risk/time.js';

const BOUNDS = { west: 119.55, south: 27.28, east: 120.15, north: 27.82 };

function percentiles(millis: number[]): { p50: number; p95: number } {
  const sorted = [...millis].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** Synthetic events: clusters around random village centres, uniform in time, category rates as the demo county. */
function syntheticColumns(count: number, random: Random) {
  const villages = Array.from({ length: 290 }, () => [random.uniform(119.6, 120.1), random.uniform(27.32, 27.78)]);
  const lonDeg = new Float64Array(count);
  const latDeg = new Float64Array(count);
  const occurredAtMs = new Float64Array(count);
  const categoryCode = new Uint8Array(count);
  const villageIndex = new Int32Array(count);
  const startMs = Date.UTC(2023, 9, 31, 16);
  const endMs = Date.UTC(2026, 10, 30, 16);
  const shares = [0.105, 0.055, 0.0035, 0.032, 0.026];
  for (let i = 0; i < count; i++) {
    const village = random.int(0, villages.length - 1);
    lonDeg[i] = Math.round(random.normal(villages[village]![0]!, 0.01) * 1e6) / 1e6;
    latDeg[i] = Math.round(random.normal(villages[village]![1]!, 0.01) * 1e6) / 1e6;
    occurredAtMs[i] = random.uniform(startMs, endMs);
    categoryCode[i] = random.weighted([0, 1, 2, 3, 4], (code) => shares[code]!);
    villageIndex[i] = village;
  }
  return { lonDeg, latDeg, occurredAtMs, categoryCode, villageIndex };
}

/** `npm run bench -- risk [events]`. */
export const riskBenchmark: Benchmark = {
  summary: 'risk map: index build, aggregation, Gi*, emerging hotspots, KDE over [events] (default 1e6)',
  async run(args, log) {
    const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
    const random = new Random('risk-bench');
    const columns = syntheticColumns(count, random);
    log(`${count} synthetic events`);
    const [bare, buildMs] = timed(() => buildEventIndex(columns, { resolutions: [] }));
    let index = bare;
    const h3Ms: Record<string, number> = {};
    for (const resolution of [6, 7, 8, 9]) {
      const [next, ms] = timed(() => addResolution(index, resolution));
      index = next;
      h3Ms[`res${resolution}`] = Math.round(ms);
      log(`H3 resolution ${resolution}: ${Math.round(ms)} ms`);
    }

    const firstDay = chinaDayOfDate(2023, 11, 1);
    const endDay = chinaDayOfDate(2026, 12, 1);
    const townships = Array.from({ length: 290 }, (_, v) => v % 19);
    const queries: EventQuery[] = Array.from({ length: 60 }, () => {
      const startDay = random.int(firstDay, endDay - 30);
      return {
        startDay,
        endDay: Math.min(endDay, startDay + random.int(30, 400)),
        categoryMask: random.int(1, ALL_CATEGORIES_MASK),
        villageAllowed: random.chance(0.3) ? placeFilter(townships, { townships: [random.int(0, 18)] }) : null,
      };
    });
    const ring = [
      [BOUNDS.west, BOUNDS.south],
      [BOUNDS.east, BOUNDS.south],
      [BOUNDS.east, BOUNDS.north],
      [BOUNDS.west, BOUNDS.north],
      [BOUNDS.west, BOUNDS.south],
    ] as [number, number][];
    const figures: Record<string, unknown> = { events: count, buildMs: Math.round(buildMs), h3Ms };
    for (const resolution of [8, 9]) {
      const [area, areaMs] = timed(() => buildHexStudyArea(cellsCoveringPolygon([ring], resolution)));
      const cellMap = studyAreaCellMap(index, area);
      figures[`res${resolution}`] = {
        studyCells: area.cells.length,
        studyAreaBuildMs: Math.round(areaMs),
        aggregateMs: percentiles(queries.map((q) => timed(() => countByCell(index, q, resolution))[1])),
        aggregatePlusGiStarMs: percentiles(
          queries.map(
            (q) => timed(() => giStarHotspots(countsOnStudyArea(countByCell(index, q, resolution), cellMap), area))[1],
          ),
        ),
        emergingMs: Math.round(
          timed(() =>
            emergingHotspots(
              monthlyCountsByCell(
                index,
                { startDay: firstDay, endDay, categoryMask: ALL_CATEGORIES_MASK },
                resolution,
                cellMap,
              ),
              area,
            ),
          )[1],
        ),
      };
      log(`resolution ${resolution}: ${JSON.stringify(figures[`res${resolution}`])}`);
    }
    const widthMetres = (BOUNDS.east - BOUNDS.west) * index.projection.metresPerDegreeLon;
    const heightMetres = (BOUNDS.north - BOUNDS.south) * index.projection.metresPerDegreeLat;
    const grid = densityGridForBounds(index.projection, BOUNDS, densityCellMetres(1000, widthMetres, heightMetres));
    figures.kde = {
      bandwidthMetres: 1000,
      cellMetres: grid.cellMetres,
      cells: grid.columns * grid.rows,
      ms: percentiles(queries.slice(0, 20).map((q) => timed(() => kernelDensityForQuery(index, q, grid, 1000))[1])),
    };
    // The issue's headline figures, for a change of window or category: the worst resolution measured.
    type Res = { aggregateMs: { p95: number }; aggregatePlusGiStarMs: { p95: number }; emergingMs: number };
    const measured = [figures.res8 as Res, figures.res9 as Res];
    const headline = {
      events: count,
      aggregateP95Ms: Math.max(...measured.map((r) => r.aggregateMs.p95)),
      hotspotMs: Math.max(...measured.map((r) => r.aggregatePlusGiStarMs.p95)),
      trendMs: Math.max(...measured.map((r) => r.emergingMs)),
      kdeMs: (figures.kde as { ms: { p95: number } }).ms.p95,
    };
    return { ...headline, ...figures };
  },
};
