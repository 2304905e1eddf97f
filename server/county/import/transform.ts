/**
 * Coordinates in an EPSG system (Gauss–Krüger metres, Xian 1980 degrees …) transformed to WGS84 by
 * PostGIS's ST_Transform (PROJ inside the database: both backends carry it), before the layer's
 * checks; and the check that the coordinates, once converted, land near the county — a file read in
 * the wrong system lands kilometres (or continents) away, and the error names the likely system.
 */
import { sql, type Kysely } from 'kysely';
import type { Position } from 'geojson';
import type { DB } from '../../db/schema.js';
import { type Crs, type LonLat, toWgs84 } from './crs.js';
import type { SourceFeature } from './parse.js';
import { GCJ_BD_NOTE, gaussKrugerName, guessCrs } from './prj.js';

/** Every numeric [x, y, …] position in a geometry's coordinates (malformed parts are skipped). */
function visitPositions(value: unknown, visit: (position: Position) => void, depth = 0): void {
  if (!Array.isArray(value) || depth > 5) return;
  if (value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number') visit(value as Position);
  else for (const child of value) visitPositions(child, visit, depth + 1);
}

function geometryPositions(geometry: unknown, visit: (position: Position) => void): void {
  if (typeof geometry !== 'object' || geometry === null) return;
  const g = geometry as { coordinates?: unknown; geometries?: unknown };
  visitPositions(g.coordinates, visit);
  if (Array.isArray(g.geometries)) for (const part of g.geometries) geometryPositions(part, visit);
}

/** The positions of all features, in order (the same arrays, so they can be rewritten in place). */
export function allPositions(features: readonly SourceFeature[]): Position[] {
  const positions: Position[] = [];
  for (const feature of features) geometryPositions(feature.geometry, (p) => positions.push(p));
  return positions;
}

/** Whether PostGIS knows an EPSG code, and its name. */
export async function describeEpsg(db: Kysely<DB>, code: number): Promise<string | null> {
  const row = await sql<{ srtext: string }>`
    select srtext from spatial_ref_sys where auth_name = 'EPSG' and auth_srid = ${code}`.execute(db);
  const text = row.rows[0]?.srtext;
  if (text === undefined) return null;
  return /^\w+\[\s*"([^"]*)"/.exec(text)?.[1] ?? gaussKrugerName(code) ?? `EPSG:${code}`;
}

const BATCH_POSITIONS = 50_000;

/**
 * Transform the features' positions from EPSG `code` to WGS84 in place (copies of the features,
 * the input is not touched). Throws with PostGIS's reason when a position cannot be transformed.
 */
export async function transformFeatures(
  db: Kysely<DB>,
  features: readonly SourceFeature[],
  code: number,
): Promise<SourceFeature[]> {
  const copies = features.map((f) => ({ ...f, geometry: structuredClone(f.geometry) }));
  const positions = allPositions(copies);
  for (let start = 0; start < positions.length; start += BATCH_POSITIONS) {
    const batch = positions.slice(start, start + BATCH_POSITIONS);
    const xs = batch.map((p) => p[0]!);
    const ys = batch.map((p) => p[1]!);
    const result = await sql<{ x: number; y: number }>`
      select ST_X(g) as x, ST_Y(g) as y from (
        select i, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), ${code}::int), 4326) as g
        from unnest(${xs}::float8[], ${ys}::float8[]) with ordinality as t(x, y, i)
      ) q order by i`.execute(db);
    result.rows.forEach((row, i) => {
      const position = batch[i]!;
      position.splice(0, position.length, row.x, row.y);
    });
  }
  return copies;
}

/** The county's centre and extent in degrees. */
export interface CountyExtent {
  lon: number;
  lat: number;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** The county's outline's centre and bounding box. */
export async function countyExtent(db: Kysely<DB>, code: string): Promise<CountyExtent | null> {
  const result = await sql<CountyExtent>`
    select ST_X(ST_Centroid(geom)) as lon, ST_Y(ST_Centroid(geom)) as lat,
      ST_XMin(geom) as "minLon", ST_YMin(geom) as "minLat", ST_XMax(geom) as "maxLon", ST_YMax(geom) as "maxLat"
    from counties where code = ${code} and not ST_IsEmpty(geom)`.execute(db); // none until a county created without one has townships
  return result.rows[0] ?? null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** A typical position of the features (the median of x and of y, over at most 20 000 positions). */
export function typicalPosition(features: readonly SourceFeature[]): LonLat | null {
  const positions = allPositions(features);
  if (positions.length === 0) return null;
  const step = Math.max(1, Math.floor(positions.length / 20_000));
  const sample = positions.filter((_, i) => i % step === 0);
  return [median(sample.map((p) => p[0]!)), median(sample.map((p) => p[1]!))];
}

/** Beyond this distance from the county's box, the whole file is taken to be in the wrong system. */
export const FAR_FROM_COUNTY_METRES = 20_000;

/**
 * When the file's typical position, read in `crs`, lies far from the county: a message (Chinese and
 * English) saying how far and which system the raw coordinates probably are in; null otherwise.
 * `converted` are the features in WGS84 (null when they could not all be converted), `raw` as read.
 */
export function wrongSystemProblem(
  raw: readonly SourceFeature[],
  converted: readonly SourceFeature[] | null,
  crs: Crs,
  county: CountyExtent,
): string | null {
  const rawTypical = typicalPosition(raw);
  if (!rawTypical) return null;
  let typical: LonLat | null = converted ? typicalPosition(converted) : null;
  if (typical === null && crs.startsWith('EPSG:') === false) {
    const [x, y] = rawTypical;
    typical = Math.abs(x) <= 180 && Math.abs(y) <= 90 ? toWgs84(crs)(rawTypical) : null;
  }
  let distanceKm: number | null = null;
  if (typical) {
    const [lon, lat] = typical;
    const dLon =
      Math.max(county.minLon - lon, 0, lon - county.maxLon) * 111_320 * Math.cos((county.lat * Math.PI) / 180);
    const dLat = Math.max(county.minLat - lat, 0, lat - county.maxLat) * 110_540;
    const metres = Math.hypot(dLon, dLat);
    if (!(metres > FAR_FROM_COUNTY_METRES)) return null;
    distanceKm = Math.round(metres / 1000);
  }
  const guess = guessCrs(rawTypical[0], rawTypical[1], county);
  const where =
    distanceKm === null
      ? `read as ${crs}, the coordinates (typically ${rawTypical.join(', ')}) are not positions on Earth`
      : `read as ${crs}, the features lie about ${distanceKm} km from the county`;
  return `坐标系可能选错了（wrong coordinate system? ${where}; ${guess}）`;
}

export { GCJ_BD_NOTE };
