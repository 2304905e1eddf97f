/**
 * Households staged without coordinates get a position along their village's roads (the rule is
 * in place-households.ts): this module reads each village's outline and the road lines inside
 * it, and writes the positions back to the staging table, flagged estimated.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { LonLat } from './crs.js';
import { type PlacedHousehold, placeVillageHouseholds, type VillageForPlacing } from './place-households.js';
import { STAGING } from './staging.js';

type Polygons = VillageForPlacing['polygons'];

/** The polygons of a GeoJSON Polygon or MultiPolygon. */
function polygonsOf(geojson: string): Polygons {
  const g = JSON.parse(geojson) as { type: string; coordinates: unknown };
  if (g.type === 'Polygon') return [g.coordinates as LonLat[][]];
  if (g.type === 'MultiPolygon') return g.coordinates as LonLat[][][];
  return [];
}

/**
 * Place every staged household that has a village but no position; returns how many were placed.
 * Run after the checks (references resolved) and before the write.
 */
export async function placeHouseholds(trx: Transaction<DB>): Promise<number> {
  const households = await sql<{ idx: number; village_code: string; address: string | null }>`
    select idx, village_code, address from ${STAGING}
    where geom is null and village_code is not null order by village_code, idx`.execute(trx);
  if (households.rows.length === 0) return 0;
  const villages = await sql<{ code: string; outline: string; lon: number; lat: number }>`
    select v.code, ST_AsGeoJSON(v.geom) as outline, ST_X(p.geom) as lon, ST_Y(p.geom) as lat
    from villages v cross join lateral (select ST_PointOnSurface(v.geom) as geom) p
    where v.code in (select distinct village_code from ${STAGING} where geom is null and village_code is not null)
    order by v.code`.execute(trx);
  // The road lines inside each village, in a stable order (edge id, then part).
  const roads = await sql<{ code: string; line: string }>`
    with wanted as materialized (
      select v.code, v.geom from villages v
      where v.code in (select distinct village_code from ${STAGING} where geom is null and village_code is not null)
    )
    select w.code, ST_AsGeoJSON(d.geom) as line
    from wanted w join road_edges r on ST_Intersects(r.geom, w.geom)
    cross join lateral ST_Dump(ST_CollectionExtract(ST_Intersection(r.geom, w.geom), 2)) d
    order by w.code, r.id, d.path`.execute(trx);

  const byVillage = new Map<string, VillageForPlacing & { households: { idx: number; address: string | null }[] }>();
  for (const v of villages.rows) {
    byVillage.set(v.code, {
      centre: [Number(v.lon), Number(v.lat)],
      polygons: polygonsOf(v.outline),
      roads: [],
      households: [],
    });
  }
  for (const r of roads.rows) {
    (byVillage.get(r.code)!.roads as LonLat[][]).push((JSON.parse(r.line) as { coordinates: LonLat[] }).coordinates);
  }
  for (const h of households.rows) byVillage.get(h.village_code)?.households.push({ idx: h.idx, address: h.address });

  const placed: PlacedHousehold[] = [];
  for (const village of byVillage.values()) placed.push(...placeVillageHouseholds(village));
  await sql`
    update ${STAGING} s set geom = ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), estimated = true
    from json_to_recordset(${JSON.stringify(placed)}::json) as p(idx integer, lon double precision, lat double precision)
    where s.idx = p.idx`.execute(trx);
  return placed.length;
}
