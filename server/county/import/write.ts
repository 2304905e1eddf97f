/**
 * Writing a checked layer from the staging table into its table. Append adds; replace makes the
 * county's layer equal to the file: rows whose code is in the file are updated in place (so what
 * refers to them stays), the others deleted. Roads and events have no codes: replace deletes the
 * county's and inserts the file's.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { County } from './checks.js';
import type { LonLat } from './crs.js';
import type { NormalisedFeature } from './layers.js';
import type { ImportLayer, ImportMode, ProblemList } from './report.js';
import { type RoadNodePoint, snapRoadNetwork, turningDegreesPerKm } from './roads.js';
import { STAGING } from './staging.js';

/** In replace mode, a row whose code is already there is updated in place; in append mode that cannot happen. */
const onConflict = (mode: ImportMode, update: string) =>
  mode === 'replace' ? sql.raw(`on conflict (code) do update set ${update}`) : sql``;

const notInFile = (alias: string) =>
  sql.raw(`not exists (select 1 from import_staging s where s.code = ${alias}.code)`);

async function writeTownships(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') {
    await sql`delete from townships t where t.county_code = ${county.code} and ${notInFile('t')}`.execute(trx);
  }
  await sql`
    insert into townships (code, county_code, name, kind, geom, source_id)
    select code, ${county.code}, name, kind, ST_Multi(geom), source_id from ${STAGING} order by idx
    ${onConflict(mode, 'name = excluded.name, kind = excluded.kind, geom = excluded.geom, source_id = excluded.source_id')}`.execute(
    trx,
  );
}

async function writeVillages(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') {
    await sql`
      delete from villages v using townships t
      where t.code = v.township_code and t.county_code = ${county.code} and ${notInFile('v')}`.execute(trx);
  }
  await sql`
    insert into villages (code, township_code, name, kind, centre, geom, source_id)
    select code, township_code, name, kind, ST_PointOnSurface(geom), ST_Multi(geom), source_id from ${STAGING} order by idx
    ${onConflict(
      mode,
      `township_code = excluded.township_code, name = excluded.name, kind = excluded.kind,
       centre = excluded.centre, geom = excluded.geom, source_id = excluded.source_id`,
    )}`.execute(trx);
}

async function writeHouseholds(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') {
    await sql`
      delete from households h using villages v, townships t
      where v.code = h.village_code and t.code = v.township_code and t.county_code = ${county.code}
        and ${notInFile('h')}`.execute(trx);
  }
  await sql`
    insert into households (code, village_code, persons, aged_70_plus, disabled, left_behind, low_income,
      needs_assistance, geom)
    select code, village_code, persons, aged_70_plus, disabled, left_behind, low_income, needs_assistance, geom
    from ${STAGING} order by idx
    ${onConflict(
      mode,
      `village_code = excluded.village_code, persons = excluded.persons, aged_70_plus = excluded.aged_70_plus,
       disabled = excluded.disabled, left_behind = excluded.left_behind, low_income = excluded.low_income,
       needs_assistance = excluded.needs_assistance, geom = excluded.geom`,
    )}`.execute(trx);
}

async function writeStations(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  // War zone ids are plain integers: take the next ones under a lock against a parallel import.
  await sql`lock table war_zones in share row exclusive mode`.execute(trx);
  await sql`
    insert into war_zones (id, county_code, name)
    select (select coalesce(max(id), 0) from war_zones) + row_number() over (order by min(s.idx)), ${county.code}, s.war_zone
    from ${STAGING} s
    where s.war_zone is not null
      and not exists (select 1 from war_zones w where w.county_code = ${county.code} and w.name = s.war_zone)
    group by s.war_zone`.execute(trx);
  if (mode === 'replace') {
    await sql`delete from police_stations p where p.county_code = ${county.code} and ${notInFile('p')}`.execute(trx);
  }
  await sql`
    insert into police_stations (code, county_code, name, war_zone_id, officers, geom)
    select s.code, ${county.code}, s.name, w.id, s.officers, s.geom
    from ${STAGING} s left join war_zones w on w.county_code = ${county.code} and w.name = s.war_zone
    order by s.idx
    ${onConflict(mode, 'name = excluded.name, war_zone_id = excluded.war_zone_id, officers = excluded.officers, geom = excluded.geom')}`.execute(
    trx,
  );
}

async function writeEvents(trx: Transaction<DB>, county: County, mode: ImportMode): Promise<void> {
  if (mode === 'replace') await sql`delete from events where county_code = ${county.code}`.execute(trx);
  await sql`
    insert into events (county_code, category, subcategory, occurred_at, village_code, police_station_code, geom)
    select ${county.code}, category, subcategory, occurred_at, village_code, station_code, geom
    from ${STAGING} order by idx`.execute(trx);
}

// Rows per statement when inserting road nodes and edges as one JSON parameter.
const ROAD_BATCH = 5000;

/**
 * Roads: each line of each feature becomes an edge; its ends are snapped (within 1 m) to each
 * other and, in append mode, to the county's existing nodes. Lines that collapse to a point
 * under snapping are errors: returns false (and writes nothing) when there are any.
 */
async function writeRoads(
  trx: Transaction<DB>,
  county: County,
  mode: ImportMode,
  features: readonly NormalisedFeature[],
  problems: ProblemList,
): Promise<boolean> {
  // Node and edge ids are plain integers: take the next ones under a lock against a parallel import.
  await sql`lock table road_nodes, road_edges in share row exclusive mode`.execute(trx);
  if (mode === 'replace') {
    await sql`delete from road_edges where county_code = ${county.code}`.execute(trx);
    await sql`delete from road_nodes where county_code = ${county.code}`.execute(trx);
  }
  const existing = await sql<{ id: number; lon: number; lat: number }>`
    select id, ST_X(geom) as lon, ST_Y(geom) as lat from road_nodes where county_code = ${county.code} order by id`.execute(
    trx,
  );
  const existingNodes: RoadNodePoint[] = existing.rows.map((n) => ({ id: n.id, point: [n.lon, n.lat] }));
  const ids = await sql<{ node: number; edge: number }>`
    select (select coalesce(max(id), 0) + 1 from road_nodes) as node,
           (select coalesce(max(id), 0) + 1 from road_edges) as edge`.execute(trx);
  const { node: firstNodeId, edge: firstEdgeId } = ids.rows[0]!;

  const lines: { feature: NormalisedFeature; coordinates: LonLat[] }[] = [];
  for (const feature of features) {
    const geometry = feature.geometry;
    if (geometry?.type === 'LineString') lines.push({ feature, coordinates: geometry.coordinates as LonLat[] });
    else if (geometry?.type === 'MultiLineString') {
      for (const part of geometry.coordinates) lines.push({ feature, coordinates: part as LonLat[] });
    }
  }
  const network = snapRoadNetwork(
    lines.map((l) => l.coordinates),
    existingNodes,
    firstNodeId,
  );
  for (const line of network.collapsed) {
    problems.error(lines[line]!.feature.index, 'a line is shorter than the 1 m within which road ends are joined', {
      field: 'geometry',
    });
  }
  if (network.collapsed.length > 0) return false;

  for (let start = 0; start < network.nodes.length; start += ROAD_BATCH) {
    const batch = network.nodes
      .slice(start, start + ROAD_BATCH)
      .map((n) => ({ id: n.id, lon: n.point[0], lat: n.point[1] }));
    await sql`
      insert into road_nodes (id, county_code, geom)
      select r.id, ${county.code}, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)
      from json_to_recordset(${JSON.stringify(batch)}::json) as r(id integer, lon double precision, lat double precision)`.execute(
      trx,
    );
  }
  const edges = network.edges.map((edge, i) => {
    const { row } = lines[edge.line]!.feature;
    return {
      id: firstEdgeId + i,
      source: edge.source,
      target: edge.target,
      road_class: row.road_class,
      name: row.name ?? null,
      speed_kmh: row.speed_kmh,
      turning: turningDegreesPerKm(edge.coordinates),
      geometry: { type: 'LineString', coordinates: edge.coordinates },
    };
  });
  for (let start = 0; start < edges.length; start += ROAD_BATCH) {
    await sql`
      insert into road_edges (id, county_code, source, target, road_class, name, speed_kmh, length_m, sinuosity,
        turning_deg_per_km, geom)
      select r.id, ${county.code}, r.source, r.target, r.road_class, r.name, r.speed_kmh, ST_Length(line.g::geography),
        ST_Length(line.g::geography) / nullif(ST_Distance(ST_StartPoint(line.g)::geography, ST_EndPoint(line.g)::geography), 0),
        r.turning, line.g
      from json_to_recordset(${JSON.stringify(edges.slice(start, start + ROAD_BATCH))}::json)
        as r(id integer, source integer, target integer, road_class text, name text, speed_kmh double precision,
             turning double precision, geometry json)
      cross join lateral (select ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) as g) line`.execute(trx);
  }
  return true;
}

/**
 * Write the staged layer. Returns false when writing found an error of its own (only roads can),
 * in which case the caller must roll back.
 */
export async function writeLayer(
  trx: Transaction<DB>,
  layer: ImportLayer,
  county: County,
  mode: ImportMode,
  features: readonly NormalisedFeature[],
  problems: ProblemList,
): Promise<boolean> {
  switch (layer) {
    case 'townships':
      await writeTownships(trx, county, mode);
      return true;
    case 'villages':
      await writeVillages(trx, county, mode);
      return true;
    case 'households':
      await writeHouseholds(trx, county, mode);
      return true;
    case 'stations':
      await writeStations(trx, county, mode);
      return true;
    case 'events':
      await writeEvents(trx, county, mode);
      return true;
    case 'roads':
      return writeRoads(trx, county, mode, features, problems);
  }
}
