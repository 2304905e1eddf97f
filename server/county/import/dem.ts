/**
 * A county's own DEM (issue 15.6): read (dem-read.ts), checked against the county (its system,
 * where it lies, how much of the county it covers, whether its heights are plausible), resampled
 * to the county's lon/lat grid (dem-grid.ts) and written in one transaction with everything drawn
 * from it: the hillshade, and the roads' vertex heights, climbs and descents. A rejected DEM
 * writes nothing; the terrain stays as it was.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { hillshade } from '../generate/hillshade.js';
import { type GridSpec, metresPerDegree } from '../generate/raster.js';
import { roadElevations } from '../../routing/terrain-profile.js';
import type { County } from './checks.js';
import { CRS_CHOICES, type Crs, epsgCode, gcj02ToBd09, sameTreatment, toWgs84, wgs84ToGcj02 } from './crs.js';
import {
  fillVoids,
  LatticePositions,
  latticeIndices,
  MAX_POSITION_ERROR_PIXELS,
  outlineMask,
  pixelOf,
  resample,
  terrainGridFor,
} from './dem-grid.js';
import { type DemRaster, readDem } from './dem-read.js';
import type { ImportProgress } from './import.js';
import { resolveCounty } from './import.js';
import { FileReadError, type SourceFeature } from './parse.js';
import { FILE_INDEX, type ImportProblem, ProblemList } from './report.js';
import { countyExtent, type CountyExtent, describeEpsg, wrongSystemProblem } from './transform.js';

/** The layer name of a DEM import (`dem` is accepted as another name for it). */
export const TERRAIN_LAYER = 'terrain';
/** The names `--layer` takes for a DEM. */
export const TERRAIN_LAYER_NAMES = ['terrain', 'dem'] as const;

/** More of the county than this without heights, and the DEM is refused (less is filled from neighbours). */
export const MAX_UNCOVERED_SHARE = 0.005;
/** Heights outside this range, metres, are not of this planet's land. */
export const PLAUSIBLE_METRES = { min: -500, max: 9000 } as const;
/** Lattice spacing to start from, in grid cells (halved until the positions are within bounds). */
const FIRST_LATTICE_STEP = 32;

export interface DemRequest {
  bytes: Uint8Array;
  fileName: string;
  /** The DEM's system, when its file does not say (or to confirm what it says). */
  crs?: Crs;
  countyCode?: string;
  /** Who imported it, for the `imports` table. */
  importedBy: string;
  onProgress?: (progress: ImportProgress) => void;
}

/** What a DEM file holds, as read and placed: the preview, and the first part of the report. */
export interface DemDescription {
  format: 'geotiff' | 'hgt';
  fileName: string;
  width: number;
  height: number;
  sampleType: string;
  compression: string;
  crs: Crs | null;
  /** "given", or how the file named its system. */
  crsSource: string | null;
  /** The size of a source pixel on the ground near the county, metres (geometric mean of its sides). */
  resolutionMetres: number | null;
  /** The file's extent in WGS84 [west, south, east, north] (from its corners). */
  bounds: [number, number, number, number] | null;
  minMetres: number | null;
  maxMetres: number | null;
  /** Source pixels without a value (nodata, SRTM voids). */
  voids: number;
}

/** The answer to a DEM import. */
export interface DemReport {
  accepted: boolean;
  layer: 'terrain';
  source: DemDescription | null;
  /** The county's new terrain grid. */
  grid: { width: number; height: number; cellMetres: number; bounds: [number, number, number, number] } | null;
  /** Grid cells without a height from the DEM, filled from their neighbours. */
  filledCells: number;
  /** Share of the county's cells the DEM does not cover. */
  uncoveredShare: number | null;
  /** Largest distance, in source pixels, between an interpolated source position and the exact one (checked cells). */
  positionErrorPixels: number | null;
  /** Road edges given new climbs and descents, and their totals. */
  roads: { edges: number; climbMetres: number; descentMetres: number } | null;
  problems: ImportProblem[];
}

/** A DEM read and placed, ready to resample; null parts when it cannot go further. */
interface PreparedDem {
  raster: DemRaster | null;
  crs: Crs | null;
  description: DemDescription | null;
}

const point = (x: number, y: number, index = 0): SourceFeature => ({
  index,
  properties: {},
  geometry: { type: 'Point', coordinates: [x, y] },
});

/** Source CRS → WGS84 for a few points (null where PostGIS cannot transform them). */
async function sourceToWgs84(
  db: Kysely<DB>,
  crs: Crs,
  xy: readonly [number, number][],
): Promise<[number, number][] | null> {
  const code = epsgCode(crs);
  if (code === null) return xy.map((p) => toWgs84(crs)(p));
  try {
    const result = await sql<{ x: number; y: number }>`
      select ST_X(g) as x, ST_Y(g) as y from (
        select i, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), ${code}::int), 4326) as g
        from unnest(${xy.map((p) => p[0])}::float8[], ${xy.map((p) => p[1])}::float8[]) with ordinality as t(x, y, i)
      ) q order by i`.execute(db);
    const out = result.rows.map((r) => [r.x, r.y] as [number, number]);
    return out.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) ? out : null;
  } catch {
    return null;
  }
}

const TRANSFORM_BATCH = 50_000;

/** WGS84 → the source CRS for many points (lon, lat interleaved), exactly: PostGIS, or the GCJ-02/BD-09 formulas. */
async function wgs84ToSource(db: Kysely<DB>, crs: Crs, lonLat: Float64Array): Promise<Float64Array> {
  const out = new Float64Array(lonLat.length);
  const code = epsgCode(crs);
  if (code === null) {
    for (let i = 0; i < lonLat.length; i += 2) {
      let p: [number, number] = [lonLat[i]!, lonLat[i + 1]!];
      if (crs === 'gcj02') p = wgs84ToGcj02(p);
      if (crs === 'bd09') p = gcj02ToBd09(wgs84ToGcj02(p));
      out[i] = p[0];
      out[i + 1] = p[1];
    }
    return out;
  }
  for (let start = 0; start < lonLat.length / 2; start += TRANSFORM_BATCH) {
    const end = Math.min(lonLat.length / 2, start + TRANSFORM_BATCH);
    const lons: number[] = [];
    const lats: number[] = [];
    for (let i = start; i < end; i++) {
      lons.push(lonLat[2 * i]!);
      lats.push(lonLat[2 * i + 1]!);
    }
    const result = await sql<{ x: number; y: number }>`
      select ST_X(g) as x, ST_Y(g) as y from (
        select i, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4326), ${code}::int) as g
        from unnest(${lons}::float8[], ${lats}::float8[]) with ordinality as t(x, y, i)
      ) q order by i`.execute(db);
    result.rows.forEach((row, k) => {
      out[2 * (start + k)] = row.x;
      out[2 * (start + k) + 1] = row.y;
    });
  }
  return out;
}

/** The DEM's system: given, or from its GeoKeys (SRTM: WGS84); the problem when neither says or they disagree. */
function decideDemCrs(raster: DemRaster, given: Crs | undefined, problems: ProblemList): Crs | null {
  const declared = raster.crs;
  if (given && declared && !sameTreatment(given, declared)) {
    problems.error(
      FILE_INDEX,
      `文件声明的坐标系与所给的不同（the DEM says it is in ${declared} (${raster.crsName}) but ${given} was given: give crs=${declared}, or leave crs out）`,
      { field: 'crs' },
    );
    return null;
  }
  if (given) return given;
  if (declared) return declared;
  problems.error(
    FILE_INDEX,
    declared === null
      ? `无法识别 DEM 的坐标系，请用 crs 指定（the DEM's coordinate system "${raster.crsName}" has no EPSG code: give crs (--crs) as ${CRS_CHOICES}）`
      : `DEM 没有说明坐标系，请用 crs 指定（the DEM does not say which coordinate system it is in (no GeoKeys): give crs (--crs) as ${CRS_CHOICES}）`,
    { field: 'crs' },
  );
  return null;
}

/** The source raster's pixel corner (col, row) in its CRS. */
function corner(raster: DemRaster, col: number, row: number): [number, number] {
  const { x0, a, b, y0, c, d } = raster.affine;
  return [x0 + a * col + b * row, y0 + c * col + d * row];
}

function groundMetres(a: [number, number], b: [number, number]): number {
  const m = metresPerDegree((a[1] + b[1]) / 2);
  return Math.hypot((b[0] - a[0]) * m.lon, (b[1] - a[1]) * m.lat);
}

/**
 * Read a DEM and place it: its system decided, its extent and resolution in WGS84, and a DEM that
 * lies far from the county (the wrong system) refused with the likely one named.
 */
async function prepareDem(
  db: Kysely<DB>,
  county: County,
  request: DemRequest,
  problems: ProblemList,
): Promise<PreparedDem> {
  let raster: DemRaster;
  try {
    raster = await readDem(request.bytes, request.fileName);
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    problems.error(FILE_INDEX, err.message, err.field ? { field: err.field } : {});
    return { raster: null, crs: null, description: null };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const h of raster.heights) {
    if (h < min) min = h;
    if (h > max) max = h;
  }
  const description: DemDescription = {
    format: raster.format,
    fileName: raster.fileName,
    width: raster.width,
    height: raster.height,
    sampleType: raster.sampleType,
    compression: raster.compression,
    crs: null,
    crsSource: null,
    resolutionMetres: null,
    bounds: null,
    minMetres: Number.isFinite(min) ? min : null,
    maxMetres: Number.isFinite(max) ? max : null,
    voids: raster.voids,
  };
  const crs = decideDemCrs(raster, request.crs, problems);
  if (!crs) return { raster, crs: null, description };
  description.crs = crs;
  description.crsSource = request.crs ? 'given' : raster.crsName;
  const code = epsgCode(crs);
  if (code !== null && (await describeEpsg(db, code)) === null) {
    problems.error(
      FILE_INDEX,
      `数据库不认识 ${crs}（${crs} is not a coordinate system PostGIS knows: check the code）`,
      {
        field: 'crs',
      },
    );
    return { raster, crs: null, description };
  }
  const { width: w, height: h } = raster;
  const cx = Math.floor(w / 2);
  const cy = Math.floor(h / 2);
  const raw = [corner(raster, w / 2, h / 2), corner(raster, 0, 0), corner(raster, w, 0), corner(raster, 0, h)];
  raw.push(corner(raster, w, h), corner(raster, cx, cy), corner(raster, cx + 1, cy), corner(raster, cx, cy + 1));
  const wgs = await sourceToWgs84(db, crs, raw);
  const extent = await countyExtent(db, county.code);
  if (extent) {
    const wrong = wrongSystemProblem([point(...raw[0]!)], wgs ? [point(...wgs[0]!)] : null, crs, extent);
    if (wrong) {
      problems.error(FILE_INDEX, wrong, { field: 'crs' });
      return { raster, crs: null, description };
    }
  }
  if (!wgs) {
    problems.error(FILE_INDEX, `DEM 的坐标无法从 ${crs} 转换（the DEM's corners cannot be transformed from ${crs}）`, {
      field: 'crs',
    });
    return { raster, crs: null, description };
  }
  const corners = wgs.slice(1, 5);
  description.bounds = [
    Math.min(...corners.map((p) => p[0])),
    Math.min(...corners.map((p) => p[1])),
    Math.max(...corners.map((p) => p[0])),
    Math.max(...corners.map((p) => p[1])),
  ];
  description.resolutionMetres = Math.sqrt(groundMetres(wgs[5]!, wgs[6]!) * groundMetres(wgs[5]!, wgs[7]!));
  return { raster, crs, description };
}

/**
 * The source pixel position of every grid cell, by a lattice of exactly transformed cell centres:
 * the lattice is made finer until, at the centre of every lattice box (where bilinear
 * interpolation strays most), the interpolated position is within MAX_POSITION_ERROR_PIXELS / 2
 * of the exact one. Returns the positions and the largest error found at the checked centres.
 */
export async function sourcePositions(
  db: Kysely<DB>,
  grid: GridSpec,
  raster: DemRaster,
  crs: Crs,
): Promise<{ positions: LatticePositions; errorPixels: number }> {
  const centre = (col: number, row: number): [number, number] => [
    grid.west + (col + 0.5) * grid.dLon,
    grid.north - (row + 0.5) * grid.dLat,
  ];
  const toPixels = async (cells: [number, number][]) => {
    const lonLat = new Float64Array(cells.length * 2);
    cells.forEach(([col, row], i) => lonLat.set(centre(col, row), 2 * i));
    const xy = await wgs84ToSource(db, crs, lonLat);
    const u = new Float64Array(cells.length);
    const v = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) [u[i], v[i]] = pixelOf(raster.affine, xy[2 * i]!, xy[2 * i + 1]!);
    return { u, v };
  };
  for (let step = FIRST_LATTICE_STEP; ; step = Math.max(1, Math.floor(step / 2))) {
    const cols = latticeIndices(grid.width, step);
    const rows = latticeIndices(grid.height, step);
    const nodes: [number, number][] = [];
    for (const row of rows) for (const col of cols) nodes.push([col, row]);
    const exact = await toPixels(nodes);
    const positions = new LatticePositions(cols, rows, exact.u, exact.v);
    if (step === 1) return { positions, errorPixels: 0 };
    // The centre of each lattice box (boxes of at least two cells each way).
    const checks: [number, number][] = [];
    for (let r = 0; r + 1 < rows.length; r++) {
      for (let k = 0; k + 1 < cols.length; k++) {
        if (cols[k + 1]! - cols[k]! < 2 || rows[r + 1]! - rows[r]! < 2) continue;
        checks.push([Math.floor((cols[k]! + cols[k + 1]!) / 2), Math.floor((rows[r]! + rows[r + 1]!) / 2)]);
      }
    }
    const checked = await toPixels(checks);
    let errorPixels = 0;
    checks.forEach(([col, row], i) => {
      const [u, v] = positions.at(col, row, grid.width);
      errorPixels = Math.max(errorPixels, Math.hypot(u - checked.u[i]!, v - checked.v[i]!));
    });
    if (errorPixels <= MAX_POSITION_ERROR_PIXELS / 2) return { positions, errorPixels };
  }
}

/** The county's outline as GeoJSON polygons' rings. */
async function countyPolygons(db: Kysely<DB>, code: string): Promise<number[][][][]> {
  const row = await sql<{ outline: string | null }>`
    select ST_AsGeoJSON(geom) as outline from counties where code = ${code}`.execute(db);
  const text = row.rows[0]?.outline;
  if (!text) return [];
  const geometry = JSON.parse(text) as { type: string; coordinates: unknown };
  if (geometry.type === 'Polygon') return [geometry.coordinates as number[][][]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as number[][][][];
  return [];
}

function bytesLittleEndian(heights: Int16Array): Uint8Array {
  const out = new Uint8Array(heights.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < heights.length; i++) view.setInt16(2 * i, heights[i]!, true);
  return out;
}

/**
 * Every road edge of the county given its vertex heights on the new terrain (the routing's own
 * sampling, terrain-profile.ts): its end nodes' heights, and its climb and descent summed over its
 * vertices — a bridge or tunnel only from end to end, as it is driven level between them.
 */
export async function refreshRoadHeights(
  trx: Transaction<DB>,
  countyCode: string,
  grid: GridSpec & { elevationMetres: ArrayLike<number> },
): Promise<{ edges: number; climbMetres: number; descentMetres: number }> {
  const rows = await sql<{ id: number; source: number; target: number; structure: string | null; line: string }>`
    select id, source, target, structure, ST_AsGeoJSON(geom, 7) as line
    from road_edges where county_code = ${countyCode} order by id`.execute(trx);
  const ids: number[] = [];
  const climbs: (number | null)[] = [];
  const descents: (number | null)[] = [];
  const nodeHeights = new Map<number, number>();
  let climbMetres = 0;
  let descentMetres = 0;
  for (const row of rows.rows) {
    const coordinates = (JSON.parse(row.line) as { coordinates: [number, number][] }).coordinates;
    const z = roadElevations(grid, coordinates);
    ids.push(row.id);
    if (!z) {
      climbs.push(null);
      descents.push(null);
      continue;
    }
    let climb = 0;
    let descent = 0;
    if (row.structure) {
      const rise = z[z.length - 1]! - z[0]!;
      climb = Math.max(0, rise);
      descent = Math.max(0, -rise);
    } else {
      for (let i = 1; i < z.length; i++) {
        const rise = z[i]! - z[i - 1]!;
        if (rise > 0) climb += rise;
        else descent -= rise;
      }
    }
    climbs.push(climb);
    descents.push(descent);
    climbMetres += climb;
    descentMetres += descent;
    nodeHeights.set(row.source, z[0]!);
    nodeHeights.set(row.target, z[z.length - 1]!);
  }
  const BATCH = 5000;
  for (let start = 0; start < ids.length; start += BATCH) {
    const end = start + BATCH;
    await sql`
      update road_edges e set climb_m = u.climb, descent_m = u.descent
      from unnest(${ids.slice(start, end)}::int[], ${climbs.slice(start, end)}::real[], ${descents.slice(start, end)}::real[])
        as u(id, climb, descent)
      where e.id = u.id`.execute(trx);
  }
  const nodes = [...nodeHeights];
  for (let start = 0; start < nodes.length; start += BATCH) {
    const part = nodes.slice(start, start + BATCH);
    await sql`
      update road_nodes n set elevation_m = u.z
      from unnest(${part.map((n) => n[0])}::int[], ${part.map((n) => n[1])}::real[]) as u(id, z)
      where n.id = u.id`.execute(trx);
  }
  return { edges: ids.length, climbMetres, descentMetres };
}

function emptyReport(source: DemDescription | null, problems: ProblemList): DemReport {
  return {
    accepted: false,
    layer: 'terrain',
    source,
    grid: null,
    filledCells: 0,
    uncoveredShare: null,
    positionErrorPixels: null,
    roads: null,
    problems: problems.items,
  };
}

/**
 * Import a county's DEM: read, check and resample it, then replace the county's terrain, hillshade
 * and road heights in one transaction (the terrain is no longer synthetic). Everything wrong is in
 * the report, and then nothing is written. Throws (AppError) only when there is no county.
 */
export async function importDem(
  db: Kysely<DB>,
  request: DemRequest,
): Promise<{ report: DemReport; county: County; importId: number | null }> {
  const county = await resolveCounty(db, request.countyCode);
  const problems = new ProblemList();
  const progress = (stage: ImportProgress['stage'], done: number, total: number) =>
    request.onProgress?.({ stage, done, total });
  progress('read', 0, 1);
  const { raster, crs, description } = await prepareDem(db, county, request, problems);
  const rejected = () => ({ report: emptyReport(description, problems), county, importId: null });
  if (!raster || !crs || !description?.resolutionMetres) return rejected();
  progress('read', 1, 1);

  const extent = (await countyExtent(db, county.code)) as CountyExtent | null;
  if (!extent) {
    problems.error(
      FILE_INDEX,
      '县还没有边界，无法放置 DEM（the county has no outline yet: import its townships first）',
    );
    return rejected();
  }
  progress('stage', 0, 3);
  const grid = terrainGridFor(
    { west: extent.minLon, south: extent.minLat, east: extent.maxLon, north: extent.maxLat },
    description.resolutionMetres,
  );
  const { positions, errorPixels } = await sourcePositions(db, grid, raster, crs);
  progress('stage', 1, 3);
  const values = resample(grid, raster, positions);
  progress('stage', 2, 3);

  // Checks: coverage of the county, then plausible heights where it is covered.
  progress('check', 0, 2);
  const mask = outlineMask(grid, await countyPolygons(db, county.code));
  let inside = 0;
  let uncovered = 0;
  let min = Infinity;
  let max = -Infinity;
  let nonZero = 0;
  for (let i = 0; i < values.length; i++) {
    const h = values[i]!;
    if (mask[i]) {
      inside += 1;
      if (Number.isNaN(h)) uncovered += 1;
    }
    if (!Number.isNaN(h)) {
      if (h < min) min = h;
      if (h > max) max = h;
      if (h !== 0) nonZero += 1;
    }
  }
  const uncoveredShare = inside > 0 ? uncovered / inside : 1;
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const fmt = (b: readonly number[]) => b.map((x) => x.toFixed(4)).join(', ');
  if (uncoveredShare > MAX_UNCOVERED_SHARE) {
    problems.error(
      FILE_INDEX,
      `DEM 没有覆盖全县：${percent(uncoveredShare)} 的县域没有高程（the DEM leaves ${percent(uncoveredShare)} of the county without heights: it covers ${fmt(description.bounds!)} (west, south, east, north) and the county reaches ${fmt([extent.minLon, extent.minLat, extent.maxLon, extent.maxLat])}; give a DEM that covers the whole county, or merge its tiles first）`,
    );
  } else if (nonZero === 0) {
    problems.error(
      FILE_INDEX,
      'DEM 的高程全为 0（every height of the DEM over the county is 0: not an elevation model）',
    );
  } else if (min < PLAUSIBLE_METRES.min || max > PLAUSIBLE_METRES.max) {
    problems.error(
      FILE_INDEX,
      `DEM 的高程不合理（the DEM's heights over the county run from ${Math.round(min)} to ${Math.round(max)} m; land lies between ${PLAUSIBLE_METRES.min} and ${PLAUSIBLE_METRES.max} m: wrong band, units or nodata value?）`,
    );
  }
  progress('check', 2, 2);
  const cellMetres = grid.dLat * metresPerDegree((extent.minLat + extent.maxLat) / 2).lat;
  const gridReport = {
    width: grid.width,
    height: grid.height,
    cellMetres,
    bounds: [grid.west, grid.north - grid.height * grid.dLat, grid.west + grid.width * grid.dLon, grid.north] as [
      number,
      number,
      number,
      number,
    ],
  };
  if (problems.errorCount > 0) {
    return {
      report: {
        ...emptyReport(description, problems),
        grid: gridReport,
        uncoveredShare,
        positionErrorPixels: errorPixels,
      },
      county,
      importId: null,
    };
  }

  const filledCells = fillVoids(values, grid.width, grid.height);
  if (filledCells > 0) {
    problems.warning(
      FILE_INDEX,
      `${filledCells} 个格子没有高程，已由相邻格子补齐（${filledCells} cells of the grid had no height in the DEM (voids, or the margin beyond it) and were filled from their neighbours）`,
    );
  }
  const heights = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) heights[i] = Math.round(values[i]!);
  const shade = hillshade({ spec: grid, data: values });

  progress('write', 0, 1);
  const report: DemReport = {
    accepted: true,
    layer: 'terrain',
    source: description,
    grid: gridReport,
    filledCells,
    uncoveredShare,
    positionErrorPixels: errorPixels,
    roads: null,
    problems: problems.items,
  };
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('terrain').where('county_code', '=', county.code).execute();
    await trx
      .insertInto('terrain')
      .values({
        county_code: county.code,
        west: grid.west,
        north: grid.north,
        d_lon: grid.dLon,
        d_lat: grid.dLat,
        width: grid.width,
        height: grid.height,
        elevation_m: bytesLittleEndian(heights),
        hillshade: shade,
        synthetic: false,
      })
      .execute();
    report.roads = await refreshRoadHeights(trx, county.code, { ...grid, elevationMetres: heights });
    const counts = {
      cells: grid.width * grid.height,
      filledCells,
      sourcePixels: raster.width * raster.height,
      roadEdges: report.roads.edges,
    };
    const recorded = await trx
      .insertInto('imports')
      .values({
        county_code: county.code,
        layer: TERRAIN_LAYER,
        file_name: request.fileName,
        crs,
        counts: sql`${JSON.stringify(counts)}::jsonb`,
        imported_by: request.importedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    progress('write', 1, 1);
    return { report, county, importId: recorded.id };
  });
}

/** What a DEM file holds and how it would be placed (size, system, resolution, extent, heights, voids); writes nothing. */
export async function previewDem(
  db: Kysely<DB>,
  request: Omit<DemRequest, 'importedBy'>,
): Promise<{ layer: 'terrain'; source: DemDescription | null; problems: ImportProblem[] }> {
  const county = await resolveCounty(db, request.countyCode);
  const problems = new ProblemList();
  const { description } = await prepareDem(db, county, { ...request, importedBy: 'preview' }, problems);
  return { layer: 'terrain', source: description, problems: problems.items };
}

/** A DEM report as lines for the command line. */
export function formatDemReport(report: DemReport, countyCode: string): string {
  const lines: string[] = [];
  const s = report.source;
  if (s) {
    lines.push(
      `${s.fileName}: ${s.format === 'hgt' ? 'SRTM' : 'GeoTIFF'} ${s.width} × ${s.height} ${s.sampleType} (${s.compression}), ` +
        `crs ${s.crs ?? '?'}${s.crsSource ? ` (${s.crsSource})` : ''}` +
        (s.resolutionMetres ? `, ${s.resolutionMetres.toFixed(1)} m pixels` : '') +
        (s.minMetres !== null ? `, heights ${Math.round(s.minMetres)}–${Math.round(s.maxMetres!)} m` : '') +
        `, ${s.voids} void pixels`,
    );
  }
  if (report.grid) {
    lines.push(
      `terrain grid ${report.grid.width} × ${report.grid.height} of ${report.grid.cellMetres.toFixed(1)} m` +
        (report.positionErrorPixels !== null
          ? `, positions within ${report.positionErrorPixels.toFixed(3)} source pixels`
          : '') +
        `, ${report.filledCells} cells filled`,
    );
  }
  if (report.roads) {
    lines.push(
      `roads: ${report.roads.edges} edges, climb ${Math.round(report.roads.climbMetres)} m, descent ${Math.round(report.roads.descentMetres)} m`,
    );
  }
  for (const p of report.problems) lines.push(`${p.severity}: ${p.reason}`);
  lines.push(
    report.accepted
      ? `accepted: the terrain of county ${countyCode} replaced`
      : `rejected: nothing written, the terrain of county ${countyCode} is as it was`,
  );
  return lines.join('\n');
}

/** The 422 error of a rejected DEM: the first problem, and the whole report. */
export function demRejectionError(report: DemReport): AppError {
  const errors = report.problems.filter((p) => p.severity === 'error');
  return new AppError(
    422,
    'validation_failed',
    `The DEM was rejected with ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}; nothing was written, the terrain is as it was.${errors[0] ? ` First: ${errors[0].reason}` : ''}`,
    report,
  );
}

/** Whether a layer name (`--layer`, `layer=`) names the terrain. */
export function isTerrainLayer(layer: string): layer is (typeof TERRAIN_LAYER_NAMES)[number] {
  return (TERRAIN_LAYER_NAMES as readonly string[]).includes(layer);
}
