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
import { nodeRoadLines } from './noding.js';
import { FILE_INDEX, type ImportLayer, type ImportMode, type ProblemList } from './report.js';
import {
  roadComponents,
  type RoadNodePoint,
  SNAP_TOLERANCE_METRES,
  snapRoadNetwork,
  turningDegreesPerKm,
} from './roads.js';
import { STAGING } from './staging.js';
import { writeBusStops } from './bus-stops.js';
import { writeOfficers } from './officers.js';
import { writeWarZones } from './war-zones.js';

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
      needs_assistance, estimated, geom)
    select code, village_code, persons, aged_70_plus, disabled, left_behind, low_income, needs_assistance, estimated, geom
    from ${STAGING} order by idx
    ${onConflict(
      mode,
      `village_code = excluded.village_code, persons = excluded.persons, aged_70_plus = excluded.aged_70_plus,
       disabled = excluded.disabled, left_behind = excluded.left_behind, low_income = excluded.low_income,
       needs_assistance = excluded.needs_assistance, estimated = excluded.estimated, geom = excluded.geom`,
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
 * Roads: the file's lines are noded (cut where they cross, share a vertex or one's end lies on
 * another at the same level: noding.ts), each piece becomes an edge, and the pieces' ends are
 * snapped (within 1 m) to each other and, in append mode, to the county's existing nodes (the
 * existing edges are not cut). Lines that collapse to a point under snapping are errors: returns
 * false (and writes nothing) when there are any. The report gets, as file-level warnings, how the
 * road classes were read, the network's connected components, and each village and station whose
 * nearest road is not on the largest one.
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
  const noded = nodeRoadLines(
    lines.map((l) => ({
      coordinates: l.coordinates,
      level: l.feature.row.level === undefined ? 0 : l.feature.row.level,
    })),
    SNAP_TOLERANCE_METRES,
  );
  const reported = new Set<string>();
  for (const [line, kept] of noded.duplicates) {
    const [index, keptIndex] = [lines[line]!.feature.index, lines[kept]!.feature.index];
    if (reported.has(`${index} ${keptIndex}`)) continue;
    reported.add(`${index} ${keptIndex}`);
    problems.warning(
      index,
      index === keptIndex
        ? 'the line runs over itself: drawn once'
        : `duplicates #${keptIndex} along a stretch: drawn once`,
      { field: 'geometry' },
    );
  }
  const network = snapRoadNetwork(
    noded.pieces.map((p) => p.coordinates),
    existingNodes,
    firstNodeId,
  );
  // A piece cut off by noding may collapse under snapping: only a whole line that does is an error.
  const withEdges = new Set(network.edges.map((e) => noded.pieces[e.line]!.line));
  const collapsedLines = new Set(
    network.collapsed.map((piece) => noded.pieces[piece]!.line).filter((line) => !withEdges.has(line)),
  );
  for (const line of collapsedLines) {
    problems.error(lines[line]!.feature.index, 'a line is shorter than the 1 m within which road ends are joined', {
      field: 'geometry',
    });
  }
  if (collapsedLines.size > 0) return false;
  reportRoadClasses(features, problems);

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
    const { row } = lines[noded.pieces[edge.line]!.line]!.feature;
    return {
      id: firstEdgeId + i,
      source: edge.source,
      target: edge.target,
      road_class: row.road_class,
      name: row.name ?? null,
      speed_kmh: row.speed_kmh,
      one_way: row.one_way ?? null,
      technical_grade: row.technical_grade ?? null,
      administrative_class: row.administrative_class ?? null,
      structure: row.structure ?? null,
      turning: turningDegreesPerKm(edge.coordinates),
      geometry: { type: 'LineString', coordinates: edge.coordinates },
    };
  });
  for (let start = 0; start < edges.length; start += ROAD_BATCH) {
    await sql`
      insert into road_edges (id, county_code, source, target, road_class, name, speed_kmh, length_m, sinuosity,
        turning_deg_per_km, one_way, technical_grade, administrative_class, structure, geom)
      select r.id, ${county.code}, r.source, r.target, r.road_class, r.name, r.speed_kmh, ST_Length(line.g::geography),
        ST_Length(line.g::geography) / nullif(ST_Distance(ST_StartPoint(line.g)::geography, ST_EndPoint(line.g)::geography), 0),
        r.turning, r.one_way, r.technical_grade, r.administrative_class, r.structure, line.g
      from json_to_recordset(${JSON.stringify(edges.slice(start, start + ROAD_BATCH))}::json)
        as r(id integer, source integer, target integer, road_class text, name text, speed_kmh double precision,
             turning double precision, one_way text, technical_grade text, administrative_class text, structure text,
             geometry json)
      cross join lateral (select ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) as g) line`.execute(trx);
  }
  await reportConnectivity(trx, county, problems);
  return true;
}

/** How each road class was read (行政等级 X 县道 → county: 12 lines), as one file-level warning. */
function reportRoadClasses(features: readonly NormalisedFeature[], problems: ProblemList): void {
  const counts = new Map<string, number>();
  for (const { row } of features) {
    if (!row.road_class_from || row.road_class_from === 'class') continue;
    const key = `${row.road_class_from} → ${row.road_class}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return;
  const list = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key} (${n})`);
  problems.warning(FILE_INDEX, `road classes read from the road file: ${list.join('; ')}`, { field: 'road_class' });
}

// Components listed by size in the report; the rest are counted.
const LISTED_COMPONENTS = 10;

/**
 * The county's road network after the import: how many connected parts and their sizes, and
 * each village centre and police station whose nearest road is not on the largest part (it
 * cannot be reached from most of the county), as file-level warnings.
 */
async function reportConnectivity(trx: Transaction<DB>, county: County, problems: ProblemList): Promise<void> {
  const edges = await sql<{ source: number; target: number }>`
    select source, target from road_edges where county_code = ${county.code}`.execute(trx);
  const parts = roadComponents(edges.rows);
  if (parts.edgeCounts.length === 0) return;
  const sizes = parts.edgeCounts
    .slice(0, LISTED_COMPONENTS)
    .map((edgeCount, k) => `${edgeCount} edges/${parts.nodeCounts[k]} nodes`);
  const more =
    parts.edgeCounts.length > LISTED_COMPONENTS ? `, … ${parts.edgeCounts.length - LISTED_COMPONENTS} more` : '';
  problems.warning(
    FILE_INDEX,
    `road network: ${parts.edgeCounts.length} connected ${parts.edgeCounts.length === 1 ? 'part' : 'parts'} (${sizes.join(', ')}${more})`,
    { field: 'geometry' },
  );
  if (parts.edgeCounts.length === 1) return;
  const places = await sql<{ kind: 'village' | 'station'; code: string; name: string; node: number | null }>`
    select 'village' as kind, v.code, v.name,
      (select e.source from road_edges e where e.county_code = ${county.code} order by e.geom <-> v.centre limit 1) as node
    from villages v join townships t on t.code = v.township_code where t.county_code = ${county.code}
    union all
    select 'station', p.code, p.name,
      (select e.source from road_edges e where e.county_code = ${county.code} order by e.geom <-> p.geom limit 1)
    from police_stations p where p.county_code = ${county.code}
    order by kind desc, code`.execute(trx);
  for (const place of places.rows) {
    const part = place.node === null ? undefined : parts.componentOf.get(place.node);
    if (part === undefined || part === 0) continue;
    const what = place.kind === 'village' ? 'village centre' : 'police station';
    problems.warning(
      FILE_INDEX,
      `${what} ${place.name} (${place.code}) is nearest to a road not connected to the main network (a part of ${parts.edgeCounts[part]} edges): it cannot be reached from most of the county`,
      { code: place.code, field: 'geometry' },
    );
  }
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
    case 'bus_stops':
      await writeBusStops(trx, county, mode);
      return true;
    case 'war_zones':
      await writeWarZones(trx, county, mode);
      return true;
    case 'officers':
      await writeOfficers(trx, county, mode);
      return true;
  }
}
