/**
 * A county from its own data: created with its official code, its name and, when the offices have
 * one, its outline; without one the outline becomes the union of its townships once they are
 * imported (migration 0007 keeps it so whenever the townships change).
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry as GeoJsonGeometry, MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { CRS_NAMES, type Crs, type LonLat, toWgs84 } from './import/crs.js';

/** A county as listed: its code, name, whether it is synthetic, where its outline comes from, its counts. */
export interface CountySummary {
  code: string;
  name: string;
  synthetic: boolean;
  /** `file`: given or generated; `townships`: the union of its townships; `none`: no outline yet. */
  outline: 'file' | 'townships' | 'none';
  townships: number;
  villages: number;
  households: number;
  stations: number;
  /** [west, south, east, north] of the outline, or null when there is none yet. */
  bbox: [number, number, number, number] | null;
}

export interface CreateCountyInput {
  code: string;
  name: string;
  /** A GeoJSON Polygon/MultiPolygon geometry, Feature or FeatureCollection (the features are joined). */
  outline?: unknown;
  /** The outline's coordinate system: wgs84 (default), cgcs2000, gcj02, or EPSG:<code> for PostGIS to transform. */
  crs?: string;
  /**
   * The county's own system (EPSG code), its exports' system. Default: a projected EPSG `crs`
   * the outline came in, else the CGCS2000 3-degree Gauss–Krüger zone of its centroid (migration 0010).
   */
  crsEpsg?: number;
}

/** The EPSG code of a CRS text (EPSG:4549, epsg4549, 4549), or null when it is not one. */
export function epsgOf(crs: string | undefined): number | null {
  const match = /^(?:epsg:?)?(\d{4,6})$/i.exec((crs ?? '').trim().replace(/[\s_-]/g, ''));
  return match ? Number(match[1]) : null;
}

/** 400 unless PostGIS knows the system; whether it is projected. */
async function knownSrid(db: Kysely<DB>, srid: number): Promise<{ projected: boolean }> {
  const row = (
    await sql<{ srtext: string | null }>`select srtext from spatial_ref_sys where srid = ${srid}`.execute(db)
  ).rows[0];
  if (!row) {
    throw AppError.badRequest(`PostGIS 不认识 EPSG:${srid}（PostGIS does not know EPSG:${srid}）`, {
      field: 'crsEpsg',
    });
  }
  return { projected: /^\s*PROJCS/i.test(row.srtext ?? '') };
}

/** A county's own system: its EPSG code (null while it has no outline and none was set). */
export async function countyCrsEpsg(
  db: Kysely<DB>,
  code: string,
): Promise<{ code: string; name: string; crsEpsg: number | null }> {
  const row = (
    await sql<{
      name: string;
      crs_epsg: number | null;
    }>`select name, crs_epsg from counties where code = ${code}`.execute(db)
  ).rows[0];
  if (!row) throw AppError.notFound(`没有代码为 ${code} 的县（no county ${code} is loaded）`);
  return { code, name: row.name, crsEpsg: row.crs_epsg };
}

/**
 * Set (or with null, reset to the Gauss–Krüger zone of its centroid) a county's own system. 400
 * for a system PostGIS does not know, 404 for a county not loaded.
 */
export async function setCountyCrs(db: Kysely<DB>, code: string, crsEpsg: number | null) {
  await countyCrsEpsg(db, code);
  if (crsEpsg !== null) await knownSrid(db, crsEpsg);
  await sql`update counties set crs_epsg = ${crsEpsg}::int where code = ${code}`.execute(db);
  return countyCrsEpsg(db, code);
}

/**
 * County-level codes of GB/T 2260: six digits, a province (11–82) and a county part that is not
 * 00 (xx xx 00 is a prefecture or province).
 */
export function countyCodeProblem(code: string): string | null {
  if (!/^[0-9]{6}$/.test(code)) return `县级区划代码是 6 位数字（a county code has 6 digits: "${code}"）`;
  const province = Number(code.slice(0, 2));
  if (province < 11 || province > 82) {
    return `${code} 的前两位不是省级代码（the first two digits of ${code} are not a province, 11–82）`;
  }
  if (code.endsWith('00')) {
    return `${code} 以 00 结尾，是地级或省级代码，不是县（${code} ends in 00: a prefecture or province, not a county）`;
  }
  return null;
}

/** Polygons of a GeoJSON geometry, Feature or FeatureCollection, as the coordinate arrays of one MultiPolygon. */
export function outlinePolygons(value: unknown): MultiPolygon['coordinates'] {
  const polygons: MultiPolygon['coordinates'] = [];
  const fromGeometry = (geometry: unknown, where: string) => {
    const g = geometry as GeoJsonGeometry | null;
    if (g?.type === 'Polygon' && Array.isArray(g.coordinates)) polygons.push(g.coordinates);
    else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) polygons.push(...g.coordinates);
    else {
      const type = typeof g === 'object' && g !== null ? String((g as { type?: unknown }).type) : typeof g;
      throw AppError.badRequest(`县界须为多边形（the outline must be polygons; ${where} is ${type}）`);
    }
  };
  const v = value as { type?: unknown; features?: unknown; geometry?: unknown } | null;
  if (v?.type === 'FeatureCollection' && Array.isArray(v.features)) {
    if (v.features.length === 0) throw AppError.badRequest('县界文件没有要素（the outline file has no features）');
    v.features.forEach((f: { geometry?: unknown }, i) => fromGeometry(f?.geometry, `feature #${i}`));
  } else if (v?.type === 'Feature') fromGeometry(v.geometry, 'the feature');
  else fromGeometry(v, 'the geometry');
  return polygons;
}

/** Every position of polygons through `convert`, checked to be numbers. */
function convertPolygons(
  polygons: MultiPolygon['coordinates'],
  convert: (p: LonLat) => LonLat,
): MultiPolygon['coordinates'] {
  return polygons.map((rings) =>
    rings.map((ring) => {
      if (!Array.isArray(ring) || ring.length < 4)
        throw AppError.badRequest('县界的环至少 4 个点（a ring needs 4 positions）');
      return ring.map((p) => {
        if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          throw AppError.badRequest('县界坐标须为数字对（each position must be [x, y] in numbers）');
        }
        return convert([p[0]!, p[1]!]);
      });
    }),
  );
}

/** The outline's coordinate system: one of ours (converted here), or an EPSG code for PostGIS. */
function outlineCrs(crs: string | undefined): { convert: (p: LonLat) => LonLat; srid: number } {
  const value = (crs ?? 'wgs84')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if ((CRS_NAMES as readonly string[]).includes(value)) return { convert: toWgs84(value as Crs), srid: 4326 };
  const epsg = /^(?:epsg:?)?(\d{4,6})$/.exec(value);
  if (epsg) {
    const srid = Number(epsg[1]);
    return { convert: (p) => p, srid: srid === 4490 ? 4326 : srid };
  }
  throw AppError.badRequest(
    `不认识的坐标系 "${crs}"（unknown coordinate system: give ${CRS_NAMES.join(', ')} or EPSG:<code>）`,
  );
}

/**
 * Create a county. Without an outline its outline is the union of its townships once they are
 * imported. A code already loaded is a 409; a code that is not a county's, or an outline that is
 * not polygons in a system we know (or lands outside China), a 400.
 */
export async function createCounty(db: Kysely<DB>, input: CreateCountyInput): Promise<CountySummary> {
  const problem = countyCodeProblem(input.code);
  if (problem) throw AppError.badRequest(problem, { field: 'code' });
  const name = input.name.trim();
  if (name.length === 0 || name.length > 50) {
    throw AppError.badRequest('县名须为 1–50 个字（the name must have 1 to 50 characters）', { field: 'name' });
  }
  let outline: string | null = null;
  let srid = 4326;
  if (input.outline !== undefined && input.outline !== null) {
    const crs = outlineCrs(input.crs);
    srid = crs.srid;
    outline = JSON.stringify({
      type: 'MultiPolygon',
      coordinates: convertPolygons(outlinePolygons(input.outline), crs.convert),
    });
  }
  let crsEpsg = input.crsEpsg ?? null;
  if (crsEpsg !== null) await knownSrid(db, crsEpsg);
  else {
    // An outline drawn in a projected system (the offices' own, e.g. EPSG:4549) names the county's system.
    const given = outline !== null ? epsgOf(input.crs) : null;
    if (given !== null && given !== 4490 && given !== 4326 && (await knownSrid(db, given)).projected) crsEpsg = given;
  }
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('counties').select('name').where('code', '=', input.code).executeTakeFirst();
    if (existing) {
      throw AppError.conflict(`县 ${input.code} 已存在（county ${input.code} ${existing.name} is already loaded）`);
    }
    if (outline !== null && srid !== 4326) {
      const known = await sql<{
        n: number;
      }>`select count(*)::int as n from spatial_ref_sys where srid = ${srid}`.execute(trx);
      if (known.rows[0]!.n === 0)
        throw AppError.badRequest(`PostGIS 不认识 EPSG:${srid}（PostGIS does not know EPSG:${srid}）`);
    }
    // Joined (a file of township-sized pieces becomes one outline), repaired, and kept polygonal.
    await sql`
      insert into counties (code, name, synthetic, geom, outline_from_townships, crs_epsg)
      values (${input.code}, ${name}, false,
        ${
          outline === null
            ? sql`ST_GeomFromText('MULTIPOLYGON EMPTY', 4326)`
            : // A scalar subquery: the aggregate ST_Union (a unary union here) is not allowed in VALUES.
              sql`(select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_MakeValid(
                ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${outline}), ${srid}::int), 4326)))), 3)))`
        },
        ${outline === null}, ${crsEpsg}::int)`.execute(trx);
    if (outline === null) return;
    const box = (
      await sql<{ empty: boolean; west: number; east: number; south: number; north: number }>`
        select ST_IsEmpty(geom) as empty, ST_XMin(geom) as west, ST_XMax(geom) as east,
          ST_YMin(geom) as south, ST_YMax(geom) as north
        from counties where code = ${input.code}`.execute(trx)
    ).rows[0]!;
    if (box.empty) throw AppError.badRequest('县界没有面积（the outline has no area）');
    if (box.west < 73 || box.east > 136 || box.south < 3 || box.north > 54) {
      throw AppError.badRequest(
        `县界不在中国境内（the outline lies outside China: ${box.west.toFixed(3)}–${box.east.toFixed(3)}°E, ${box.south.toFixed(3)}–${box.north.toFixed(3)}°N）：请检查坐标系（check the coordinate system）`,
      );
    }
  });
  const [created] = await listCounties(db, input.code);
  return created!;
}

/** Every county (or the one named), with where its outline comes from and its main counts. */
export async function listCounties(db: Kysely<DB>, code?: string): Promise<CountySummary[]> {
  const rows = await sql<{
    code: string;
    name: string;
    synthetic: boolean;
    outline_from_townships: boolean;
    empty: boolean;
    townships: number;
    villages: number;
    households: number;
    stations: number;
    west: number | null;
    south: number | null;
    east: number | null;
    north: number | null;
  }>`
    select c.code, c.name, c.synthetic, c.outline_from_townships, ST_IsEmpty(c.geom) as empty,
      (select count(*)::int from townships t where t.county_code = c.code) as townships,
      (select count(*)::int from villages v join townships t on t.code = v.township_code where t.county_code = c.code) as villages,
      (select count(*)::int from households h join villages v on v.code = h.village_code
         join townships t on t.code = v.township_code where t.county_code = c.code) as households,
      (select count(*)::int from police_stations s where s.county_code = c.code) as stations,
      ST_XMin(c.geom) as west, ST_YMin(c.geom) as south, ST_XMax(c.geom) as east, ST_YMax(c.geom) as north
    from counties c ${code === undefined ? sql`` : sql`where c.code = ${code}`}
    order by c.code`.execute(db);
  return rows.rows.map((r) => ({
    code: r.code,
    name: r.name,
    synthetic: r.synthetic,
    outline: r.empty ? 'none' : r.outline_from_townships ? 'townships' : 'file',
    townships: r.townships,
    villages: r.villages,
    households: r.households,
    stations: r.stations,
    bbox: r.empty || r.west === null ? null : [r.west, r.south!, r.east!, r.north!],
  }));
}
