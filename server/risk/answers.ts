import { getResolution, isValidCell } from 'h3-js';
import { encodePngRgba } from '../map/png.js';
import type {
  RiskCellBreakdown,
  RiskDensity,
  RiskEmerging,
  RiskHexes,
  RiskHotspots,
  RiskMeasure,
  RiskRanking,
} from './api-types.js';
import { classOf, computeClassBreaks, densityBreaks, monthlyRateRows } from './colour-scale.js';
import { emergingHotspots } from './emerging.js';
import {
  cellColumnOf,
  countByCell,
  countByVillage,
  forEachMatchingEvent,
  monthlyCounts,
  monthlyCountsByCell,
  monthlyCountsByVillage,
  RISK_CATEGORIES,
  type EventQuery,
} from './event-index.js';
import { giStarHotspots } from './gi-star.js';
import { countsOnStudyArea } from './hex.js';
import {
  densityCellForBandwidth,
  densityGridForBounds,
  gridCornersLonLat,
  kernelDensityForQuery,
  quarticPeakPerKm2,
} from './kde.js';
import { mannKendall } from './mann-kendall.js';
import { hexPolygon, monthText, type RiskCounty, type RiskSelection, type RiskService } from './service.js';
import { sameWindowLastYear } from './time.js';
import { yearOverYearChange } from './year-over-year.js';
import { AppError } from '../http/errors.js';

/** Colour classes of every risk layer (one legend). */
export const RISK_CLASSES = 6;
/** Rates per 1,000 households are shown only where a hexagon holds this many households. */
export const MIN_HOUSEHOLDS_FOR_RATE = 20;
/**
 * The density image's cell: fine enough for a county map, ~150k cells over Taishun. The bandwidth
 * overrides it (densityCellForBandwidth): h/3 below h = 450 m, h/8 above 1,200 m.
 */
const DENSITY_CELL_METRES = 150;
/** The coarser grid the density breaks are computed on (36 monthly surfaces); h/3 below 1,500 m. */
const DENSITY_BREAKS_CELL_METRES = 500;

/** Hexagon values per month of the window (count, or per 1,000 households) in fixed classes. */
export function riskHexes(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  resolution: number,
  measure: RiskMeasure,
): RiskHexes {
  const months = selection.toMonth - selection.fromMonth + 1;
  const cells = cellColumnOf(county.index, resolution).cells;
  const households = county.householdsPerCell.get(resolution)!;
  const perMonthOf = (count: number, id: number) => {
    if (measure === 'count') return count;
    const homes = households.get(cells[id]!) ?? 0;
    return homes >= MIN_HOUSEHOLDS_FOR_RATE ? (1000 * count) / homes : NaN;
  };
  const breaks = service.cachedBreaks(county, selection, `hex-${measure}-${resolution}`, (full) =>
    computeClassBreaks(
      [...monthlyRateRows(monthlyCountsByCell(county.index, full, resolution), full.startDay, full.endDay)].map((row) =>
        row.map((value, id) => perMonthOf(value, id)),
      ),
      RISK_CLASSES,
    ),
  );
  const counts = countByCell(county.index, service.query(county, selection), resolution);
  const features: RiskHexes['features'] = [];
  let total = 0;
  counts.forEach((count, id) => {
    total += count;
    if (count === 0) return;
    const value = perMonthOf(count, id) / months;
    if (!Number.isFinite(value)) return;
    features.push({
      type: 'Feature',
      geometry: hexPolygon(cells[id]!),
      properties: { h3: cells[id]!, count, value: Math.round(value * 1000) / 1000, class: classOf(value, breaks) },
    });
  });
  return { type: 'FeatureCollection', features, total, months, measure, resolution, breaks, classes: RISK_CLASSES };
}

/** Gi* hotspots of the window's hexagon counts over the county's study area, FDR-corrected. */
export function riskHotspots(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  resolution: number,
): RiskHotspots {
  const { area, cellMap } = county.areas.get(resolution)!;
  const counts = countsOnStudyArea(countByCell(county.index, service.query(county, selection), resolution), cellMap);
  const gi = giStarHotspots(counts, area);
  const features: RiskHotspots['features'] = [];
  let hot = 0;
  let cold = 0;
  for (let i = 0; i < area.cells.length; i++) {
    const bin = gi.bin[i]!;
    if (bin === 0) continue;
    if (bin > 0) hot++;
    else cold++;
    features.push({
      type: 'Feature',
      geometry: hexPolygon(area.cells[i]!),
      properties: {
        h3: area.cells[i]!,
        count: counts[i]!,
        z: Math.round(gi.z[i]! * 100) / 100,
        p: gi.p[i]!,
        q: gi.pAdjusted[i]!,
        class: bin,
      },
    });
  }
  return { type: 'FeatureCollection', features, studyCells: area.cells.length, hot, cold };
}

/** Emerging-hotspot labels from the monthly Gi* of the whole range. */
export function riskEmerging(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  resolution: number,
): RiskEmerging {
  // Labels of the whole range: the same whatever the window.
  return service.overRange(county, selection, `emerging-${resolution}`, (full) =>
    emergingOverRange(county, full, resolution),
  );
}

function emergingOverRange(county: RiskCounty, full: EventQuery, resolution: number): RiskEmerging {
  const { area, cellMap } = county.areas.get(resolution)!;
  const monthly = monthlyCountsByCell(county.index, full, resolution, cellMap);
  const { labels } = emergingHotspots(monthly, area);
  const counts: RiskEmerging['counts'] = { new: 0, intensifying: 0, persistent: 0, diminishing: 0, sporadic: 0 };
  const features: RiskEmerging['features'] = [];
  labels.forEach((label, i) => {
    if (label === 'none') return;
    counts[label]++;
    features.push({ type: 'Feature', geometry: hexPolygon(area.cells[i]!), properties: { h3: area.cells[i]!, label } });
  });
  return { type: 'FeatureCollection', features, counts };
}

/** The colour ramp of the density image per class (class 0 transparent). */
const DENSITY_RAMP: readonly [number, number, number, number][] = [
  [0, 0, 0, 0],
  [255, 255, 178, 90],
  [254, 217, 118, 130],
  [254, 178, 76, 160],
  [253, 141, 60, 185],
  [240, 59, 32, 205],
  [189, 0, 38, 225],
];

/** The kernel density of the window as a PNG in fixed classes, and where it goes on the map. */
export function riskDensity(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  bandwidthMetres: number,
): { meta: Omit<RiskDensity, 'url'>; png: () => Buffer } {
  const projection = county.index.projection;
  // The image's size follows the bandwidth's cell; its corners (below) always come from this grid.
  const grid = densityGridForBounds(
    projection,
    county.bounds,
    densityCellForBandwidth(bandwidthMetres, DENSITY_CELL_METRES),
  );
  // Kernel tails far from any event are not risk: below a tenth of one event's peak per month is none.
  const floor = 0.1 * quarticPeakPerKm2(bandwidthMetres);
  const breaks = service.cachedBreaks(county, selection, `density-${bandwidthMetres}`, (full) => {
    const coarseCell = densityCellForBandwidth(bandwidthMetres, DENSITY_BREAKS_CELL_METRES);
    const coarse = densityGridForBounds(projection, county.bounds, coarseCell);
    return densityBreaks(county.index, full, coarse, bandwidthMetres, RISK_CLASSES, floor);
  });
  const months = selection.toMonth - selection.fromMonth + 1;
  const corners = gridCornersLonLat(projection, grid) as RiskDensity['coordinates'];
  return {
    meta: { coordinates: corners, bandwidthMetres, breaks },
    png: () => {
      const surface = kernelDensityForQuery(county.index, service.query(county, selection), grid, bandwidthMetres);
      const rgba = new Uint8Array(grid.columns * grid.rows * 4);
      // Row 0 of the grid is its north edge, as the image's first row.
      for (let i = 0; i < surface.densityPerKm2.length; i++) {
        const colour = DENSITY_RAMP[Math.max(0, classOf(surface.densityPerKm2[i]! / months, breaks))]!;
        rgba.set(colour, i * 4);
      }
      return encodePngRgba(grid.columns, grid.rows, rgba);
    },
  };
}

/** What one hexagon holds: by category in the window, by month over the whole range, by village. */
export function riskCell(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  h3: string,
): RiskCellBreakdown {
  if (!isValidCell(h3)) throw new AppError(400, 'validation_failed', `不是有效的六边形编号（not an H3 cell）：${h3}`);
  const resolution = getResolution(h3);
  if (!county.areas.has(resolution))
    throw new AppError(404, 'not_found', `不提供该级别的六边形（resolution ${resolution} is not served）`);
  const column = cellColumnOf(county.index, resolution);
  const id = column.cellIdOf.get(h3);
  const byCategory = Object.fromEntries(RISK_CATEGORIES.map((c) => [c, 0])) as RiskCellBreakdown['byCategory'];
  const villageCounts = new Map<number, number>();
  let total = 0;
  if (id !== undefined) {
    forEachMatchingEvent(county.index, service.query(county, selection), (k) => {
      if (column.cellOfEvent[k] !== id) return;
      total++;
      byCategory[RISK_CATEGORIES[county.index.category[k]!]!]++;
      const village = county.index.village[k]!;
      if (village >= 0) villageCounts.set(village, (villageCounts.get(village) ?? 0) + 1);
    });
  }
  // The cell's own monthly series (one location: every other cell's events are skipped).
  const monthly = monthlyCounts(county.index, service.fullRange(county, selection), 1, (k) =>
    id !== undefined && column.cellOfEvent[k] === id ? 0 : -1,
  );
  const series = monthly.counts;
  return {
    h3,
    total,
    byCategory,
    byMonth: Array.from(series, (count, m) => ({ month: monthText(monthly.firstMonth + m), count })),
    villages: [...villageCounts]
      .sort((a, b) => b[1] - a[1])
      .map(([v, count]) => ({ code: county.villages[v]!.code, name: county.villages[v]!.name, count })),
  };
}

/** Townships or villages ranked by events in the window, with the change on last year and the trend. */
export function riskRanking(
  service: RiskService,
  county: RiskCounty,
  selection: RiskSelection,
  level: 'township' | 'village',
  limit: number,
): RiskRanking {
  const query = service.query(county, selection);
  const byVillage = countByVillage(county.index, query);
  const lastYear = countByVillage(county.index, { ...query, ...sameWindowLastYear(query.startDay, query.endDay) });
  // The places, their monthly series, trends and emerging labels do not depend on the window.
  const places = service.overRange(county, selection, `ranking-${level}`, (full) => rankedPlaces(county, full, level));
  const sum = (values: ArrayLike<number>, members: number[]) => members.reduce((s, i) => s + values[i]!, 0);
  const current = Int32Array.from(places, (p) => sum(byVillage, p.members));
  const previous = Int32Array.from(places, (p) => sum(lastYear, p.members));
  const change = yearOverYearChange(current, previous);
  const rows = places.map((place, i) => ({
    code: place.code,
    name: place.name,
    township: place.township,
    count: current[i]!,
    lastYear: previous[i]!,
    changePercent: Number.isFinite(change.percentChange[i]!) ? Math.round(change.percentChange[i]! * 10) / 10 : null,
    changeP: change.p[i]!,
    emerging: place.emerging,
    series: place.series,
    trend: place.trend,
  }));
  rows.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { level, rows: rows.slice(0, limit) };
}

type RankedPlace = Pick<RiskRanking['rows'][number], 'code' | 'name' | 'township' | 'emerging' | 'series' | 'trend'> & {
  members: number[];
};

/** The places a ranking lists (inside the selection's place) with their whole-range series and trends. */
function rankedPlaces(county: RiskCounty, full: EventQuery, level: 'township' | 'village'): RankedPlace[] {
  const monthly = monthlyCountsByVillage(county.index, full);
  const everyPlace =
    level === 'village'
      ? county.villages.map((v, i) => ({
          code: v.code,
          name: v.name,
          township: county.townships[county.villageTownship[i]!]?.name ?? null,
          members: [i],
        }))
      : county.townships.map((t, ti) => ({
          code: t.code,
          name: t.name,
          township: null,
          members: county.villages.flatMap((_, i) => (county.villageTownship[i] === ti ? [i] : [])),
        }));
  // A township or village filter ranks only the places inside it.
  const allowed = full.villageAllowed;
  const places = allowed ? everyPlace.filter((p) => p.members.some((v) => allowed[v] === 1)) : everyPlace;
  // Villages get an emerging-hotspot label from their monthly Gi* among neighbouring villages.
  const villageLabels = level === 'village' ? emergingHotspots(monthly, county.villageNeighbourhoods).labels : null;
  return places.map((place) => {
    const series = Array.from({ length: monthly.monthCount }, (_, m) =>
      place.members.reduce((s, v) => s + monthly.counts[m * monthly.locationCount + v]!, 0),
    );
    const trend = mannKendall(series);
    const significant = trend.p < 0.05;
    return {
      ...place,
      emerging: villageLabels ? villageLabels[place.members[0]!]! : null,
      series,
      trend: {
        z: Math.round(trend.z * 100) / 100,
        p: trend.p,
        slopePerMonth: Number.isFinite(trend.senSlope) ? Math.round(trend.senSlope * 1000) / 1000 : 0,
        direction: (significant ? (trend.z > 0 ? 'up' : 'down') : 'none') as 'up' | 'down' | 'none',
      },
    };
  });
}
