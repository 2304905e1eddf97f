import { cellToBoundary } from 'h3-js';
import { sql, type Kysely } from 'kysely';
import { resolveCounty } from '../county/resolve.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { RiskCategory } from './api-types.js';
import {
  buildEventIndex,
  categoryMask,
  placeFilter,
  RISK_CATEGORIES,
  type EventIndex,
  type EventQuery,
} from './event-index.js';
import {
  buildHexStudyArea,
  cellsCoveringPolygon,
  countHouseholdsPerCell,
  studyAreaCellMap,
  type HexStudyArea,
} from './hex.js';
import { defaultBandwidthMetres } from './kde.js';
import { distanceNeighbourhoods, type Neighbourhoods } from './neighbourhoods.js';
import { projectX, projectY } from './projection.js';
import { firstChinaDayOfMonth, monthIndexOf, monthIndexOfChinaDay } from './time.js';

/** Villages whose centres are this close are neighbours for the villages' Gi* (about two valleys' width). */
export const VILLAGE_NEIGHBOUR_METRES = 3000;
/** H3 resolutions served: ~5 km² hexagons for the county view, ~0.7 km² when zoomed in. */
export const RISK_RESOLUTIONS = [7, 8] as const;

/** One county's events indexed for the risk map, with what the routes need beside them. */
export interface RiskCounty {
  countyCode: string;
  index: EventIndex;
  /** Calendar months with data, as month indices (time.ts), oldest first. */
  firstMonth: number;
  lastMonth: number;
  villages: { code: string; name: string; townshipCode: string }[];
  /** Gi* neighbourhoods of villages (centres within VILLAGE_NEIGHBOUR_METRES), for their emerging labels. */
  villageNeighbourhoods: Neighbourhoods;
  townships: { code: string; name: string }[];
  villageTownship: Int32Array;
  areas: Map<number, { area: HexStudyArea; cellMap: ReturnType<typeof studyAreaCellMap> }>;
  householdsPerCell: Map<number, Map<string, number>>;
  defaultBandwidthMetres: number;
  /** The county outline's box, for the density grid. */
  bounds: { west: number; south: number; east: number; north: number };
}

/** 'YYYY-MM' of a month index. */
export function monthText(monthIndex: number): string {
  const year = 1970 + Math.floor(monthIndex / 12);
  return `${year}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
}

/** The month index of 'YYYY-MM'. */
export function parseMonth(text: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new AppError(400, 'validation_failed', `月份格式为 YYYY-MM（months are YYYY-MM）：${text}`);
  }
  return monthIndexOf(Number(match[1]), Number(match[2]));
}

/** A hexagon's polygon as GeoJSON (lon, lat; closed ring). */
export function hexPolygon(cell: string): HexPolygon {
  let polygon = hexPolygons.get(cell);
  if (!polygon) {
    polygon = { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] };
    hexPolygons.set(cell, polygon);
  }
  return polygon;
}

type HexPolygon = { readonly type: 'Polygon'; readonly coordinates: number[][][] };
/** Every hexagon drawn so far (a county has a few thousand at the served resolutions); shared, never changed. */
const hexPolygons = new Map<string, HexPolygon>();

/** How many whole-range results (breaks, emerging labels, trends) are kept in memory. */
export const RANGE_CACHE_ENTRIES = 2000;

/** How much of the risk answers is kept in memory (JSON characters and PNG bytes). */
export const ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

/** What a risk request asks for, resolved against a county. */
export interface RiskSelection {
  categories: RiskCategory[];
  fromMonth: number;
  toMonth: number;
  township?: string | undefined;
  village?: string | undefined;
}

/**
 * The risk map's data: each county's events read once and indexed on typed arrays with their H3
 * cells (server/risk/event-index.ts); kept until the data changes. Colour breaks are cached per
 * categories, place, resolution and measure: computed from every month of the whole range, so they
 * stay the same whatever window is on screen.
 */
export class RiskService {
  private readonly counties = new Map<string, Promise<RiskCounty>>();
  private readonly ranges = new Map<string, unknown>();
  /** Counties resolved (by the code asked for, '' for the first one); only answers that found one. */
  private readonly resolved = new Map<string, string>();
  /** Whole answers by request URL (JSON text or PNG bytes): every leader reads the same windows. */
  private readonly answers = new Map<string, string | Buffer>();
  private answerBytes = 0;

  constructor(private readonly db: Kysely<DB>) {}

  /** Forget the indexes and answers: call after the data changes. */
  invalidate(): void {
    this.counties.clear();
    this.ranges.clear();
    this.resolved.clear();
    this.answers.clear();
    this.answerBytes = 0;
  }

  /**
   * The answer to a request URL, computed once until the data changes. At most
   * ANSWER_CACHE_BYTES are kept; the oldest answers go first.
   */
  async answer<T extends string | Buffer>(url: string, compute: () => Promise<T> | T): Promise<T> {
    const kept = this.answers.get(url);
    if (kept !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.answers.delete(url);
      this.answers.set(url, kept);
      return kept as T;
    }
    const value = await compute();
    this.answers.set(url, value);
    this.answerBytes += value.length;
    for (const [key, old] of this.answers) {
      if (this.answerBytes <= ANSWER_CACHE_BYTES) break;
      this.answers.delete(key);
      this.answerBytes -= old.length;
    }
    return value;
  }

  /**
   * The county asked for, or the first one; 409 while none is loaded. Answered from memory once a
   * county has been resolved (every risk request asks): the loaded counties change only with the data.
   */
  async countyCode(code: string | undefined): Promise<string> {
    const key = code ?? '';
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    const resolved = await resolveCounty(this.db, code);
    this.resolved.set(key, resolved);
    return resolved;
  }

  /** The indexed county (built on first use). */
  county(code: string): Promise<RiskCounty> {
    let county = this.counties.get(code);
    if (!county) {
      county = this.build(code).catch((err: unknown) => {
        this.counties.delete(code);
        throw err;
      });
      this.counties.set(code, county);
    }
    return county;
  }

  private async build(countyCode: string): Promise<RiskCounty> {
    const exists = await sql<{ code: string }>`select code from counties where code = ${countyCode}`.execute(this.db);
    if (!exists.rows[0]) throw new AppError(404, 'not_found', `没有县 ${countyCode}（No county ${countyCode}）`);
    const townships = (
      await sql<{ code: string; name: string }>`
        select code, name from townships where county_code = ${countyCode} order by code`.execute(this.db)
    ).rows;
    const villages = (
      await sql<{ code: string; name: string; townshipCode: string; lon: number; lat: number }>`
        select v.code, v.name, v.township_code as "townshipCode", ST_X(v.centre) as lon, ST_Y(v.centre) as lat
        from villages v
        join townships t on t.code = v.township_code where t.county_code = ${countyCode} order by v.code`.execute(
        this.db,
      )
    ).rows;
    const villageIndex = new Map(villages.map((v, i) => [v.code, i]));
    const townshipIndex = new Map(townships.map((t, i) => [t.code, i]));
    const events = await sql<{
      ms: number;
      category: RiskCategory;
      village_code: string | null;
      lon: number;
      lat: number;
    }>`
      select (extract(epoch from occurred_at) * 1000)::float8 as ms, category, village_code,
             ST_X(geom) as lon, ST_Y(geom) as lat
      from events where county_code = ${countyCode}`.execute(this.db);
    const rows = events.rows;
    const index = buildEventIndex(
      {
        lonDeg: Float64Array.from(rows, (r) => r.lon),
        latDeg: Float64Array.from(rows, (r) => r.lat),
        occurredAtMs: Float64Array.from(rows, (r) => r.ms),
        categoryCode: Uint8Array.from(rows, (r) => RISK_CATEGORIES.indexOf(r.category)),
        villageIndex: Int32Array.from(rows, (r) => (r.village_code ? (villageIndex.get(r.village_code) ?? -1) : -1)),
      },
      { resolutions: RISK_RESOLUTIONS, villageCount: villages.length },
    );
    const outline = await sql<{ geojson: string }>`
      select ST_AsGeoJSON(geom, 6) as geojson from counties where code = ${countyCode}`.execute(this.db);
    const polygons = (JSON.parse(outline.rows[0]!.geojson) as { coordinates: [number, number][][][] }).coordinates;
    const households = await sql<{ lon: number; lat: number }>`
      select ST_X(h.geom) as lon, ST_Y(h.geom) as lat from households h
      join villages v on v.code = h.village_code join townships t on t.code = v.township_code
      where t.county_code = ${countyCode}`.execute(this.db);
    const householdLon = Float64Array.from(households.rows, (h) => h.lon);
    const householdLat = Float64Array.from(households.rows, (h) => h.lat);
    const areas = new Map<number, { area: HexStudyArea; cellMap: ReturnType<typeof studyAreaCellMap> }>();
    const householdsPerCell = new Map<number, Map<string, number>>();
    for (const resolution of RISK_RESOLUTIONS) {
      // The study area: every hexagon whose centre is in the county, and any hexagon with events.
      const cells = new Set(polygons.flatMap((rings) => cellsCoveringPolygon(rings, resolution)));
      for (const cell of index.cellsByResolution.get(resolution)!.cells) cells.add(cell);
      const area = buildHexStudyArea([...cells].sort());
      areas.set(resolution, { area, cellMap: studyAreaCellMap(index, area) });
      householdsPerCell.set(resolution, countHouseholdsPerCell(householdLon, householdLat, resolution));
    }
    const bounds = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
    for (const [lon, lat] of polygons.flat(2)) {
      bounds.west = Math.min(bounds.west, lon);
      bounds.east = Math.max(bounds.east, lon);
      bounds.south = Math.min(bounds.south, lat);
      bounds.north = Math.max(bounds.north, lat);
    }
    const days = index.day;
    return {
      countyCode,
      index,
      firstMonth: index.count ? monthIndexOfChinaDay(days[0]!) : 0,
      lastMonth: index.count ? monthIndexOfChinaDay(days[index.count - 1]!) : -1,
      villages: villages.map(({ code, name, townshipCode }) => ({ code, name, townshipCode })),
      villageNeighbourhoods: distanceNeighbourhoods(
        villages.map((v) => projectX(index.projection, v.lon)),
        villages.map((v) => projectY(index.projection, v.lat)),
        VILLAGE_NEIGHBOUR_METRES,
      ),
      townships,
      villageTownship: Int32Array.from(villages, (v) => townshipIndex.get(v.townshipCode) ?? -1),
      areas,
      householdsPerCell,
      defaultBandwidthMetres: Math.max(
        500,
        Math.round(defaultBandwidthMetres(index.xMetres, index.yMetres) / 100) * 100,
      ),
      bounds,
    };
  }

  /** The index query of a selection (window from its first month to its last, both included). */
  query(county: RiskCounty, selection: RiskSelection): EventQuery {
    if (selection.toMonth < selection.fromMonth) {
      throw new AppError(400, 'validation_failed', '结束月份早于开始月份（the window ends before it starts）');
    }
    let villageAllowed: Uint8Array | null = null;
    if (selection.township || selection.village) {
      const townships = selection.township
        ? [county.townships.findIndex((t) => t.code === selection.township)]
        : undefined;
      const villages = selection.village ? [county.villages.findIndex((v) => v.code === selection.village)] : undefined;
      if (townships?.includes(-1) || villages?.includes(-1)) {
        throw new AppError(404, 'not_found', '本县没有该乡镇或村（No such township or village in the county）');
      }
      villageAllowed = placeFilter(county.villageTownship, {
        ...(townships ? { townships } : {}),
        ...(villages ? { villages } : {}),
      });
    }
    return {
      startDay: firstChinaDayOfMonth(selection.fromMonth),
      endDay: firstChinaDayOfMonth(selection.toMonth + 1),
      categoryMask: categoryMask(selection.categories),
      villageAllowed,
    };
  }

  /** The whole range of the county with the selection's categories and place. */
  fullRange(county: RiskCounty, selection: RiskSelection): EventQuery {
    return this.query(county, { ...selection, fromMonth: county.firstMonth, toMonth: county.lastMonth });
  }

  /**
   * The fixed class breaks of a layer: from the per-month values of every month of the whole range
   * (`monthlyValues` turns one month's rows into the layer's values), cached per selection without
   * its window. `layer` names what is measured (e.g. 'hex-count-8', 'density-1000').
   */
  cachedBreaks(
    county: RiskCounty,
    selection: RiskSelection,
    layer: string,
    compute: (fullRange: EventQuery) => number[],
  ): number[] {
    return this.overRange(county, selection, `breaks ${layer}`, compute);
  }

  /**
   * What a layer computes over the whole range (`compute` gets it), cached per county, categories
   * and place, whatever the window: the breaks, the emerging labels, the rankings' trends. At most
   * RANGE_CACHE_ENTRIES are kept; the least recently used go first.
   */
  overRange<T>(county: RiskCounty, selection: RiskSelection, layer: string, compute: (fullRange: EventQuery) => T): T {
    const key = [
      county.countyCode,
      [...selection.categories].sort().join(','),
      selection.township ?? '',
      selection.village ?? '',
      layer,
    ].join('|');
    if (this.ranges.has(key)) {
      const kept = this.ranges.get(key) as T;
      this.ranges.delete(key);
      this.ranges.set(key, kept);
      return kept;
    }
    const value = compute(this.fullRange(county, selection));
    this.ranges.set(key, value);
    for (const old of this.ranges.keys()) {
      if (this.ranges.size <= RANGE_CACHE_ENTRIES) break;
      this.ranges.delete(old);
    }
    return value;
  }
}
