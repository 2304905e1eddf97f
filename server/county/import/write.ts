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
import { describeRoadClassMapping, mapRoad, type RoadClassMapping, readRoadClassMapping } from './road-classes.js';
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
    select code, township_code, name, kind,
      coalesce(ST_SetSRID(ST_MakePoint(centre_lon, centre_lat), 4326), ST_PointOnSurface(geom)), ST_Multi(geom), source_id
    from ${STAGING} order by idx
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

/** A stored road edge near the appended lines, which they may cut. */
interface StoredEdge {
  id: number;
  road_class: string;
  name: string | null;
  speed_kmh: number;
  length_m: number;
  climb_m: number | null;
  descent_m: number | null;
  one_way: string | null;
  technical_grade: string | null;
  administrative_class: string | null;
  structure: string | null;
  class_from_mapping: boolean;
  speed_from_mapping: boolean;
  line: string;
}

// Stored edges whose box comes within this of an appended line's box are noded with it (about 2 m).
const NEAR_DEGREES = 2e-5;

/** The county's stored edges whose boxes come near the staged lines (append mode). */
async function storedEdgesNear(trx: Transaction<DB>, county: County): Promise<StoredEdge[]> {
  const rows = await sql<StoredEdge>`
    select e.id, e.road_class, e.name, e.speed_kmh, e.length_m, e.climb_m, e.descent_m, e.one_way, e.technical_grade,
      e.administrative_class, e.structure, e.class_from_mapping, e.speed_from_mapping, ST_AsGeoJSON(e.geom) as line
    from road_edges e
    where e.county_code = ${county.code}
      and e.id in (
        -- From the staged lines: each looks up the stored edges near it through road_edges' spatial index.
        select near.id from ${STAGING} s
        join road_edges near on near.geom && ST_Expand(s.geom, ${NEAR_DEGREES}::float8)
        where s.geom is not null)
    order by e.id`.execute(trx);
  return rows.rows;
}

/**
 * Roads: the file's lines are noded (cut where they cross, share a vertex or one's end lies on
 * another at the same level: noding.ts), each piece becomes an edge, and the pieces' ends are
 * snapped (within 1 m) to each other and, in append mode, to the county's existing nodes. In
 * append mode the stored edges near the new lines are noded with them too (never with each other):
 * a stored edge a new line crosses or touches is replaced by its pieces, with its attributes and
 * its climb shared out by length, so an appended connector joins the network where it meets it.
 * Classes and design speeds read from 行政等级/技术等级 follow the county's road class mapping.
 * Lines that collapse to a point under snapping are errors: returns false (and writes nothing)
 * when there are any. The report gets, as file-level warnings, the mapping and how the road
 * classes were read, the network's connected components, and each village and station whose
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
  const { mapping } = await readRoadClassMapping(trx, county.code);

  const stored = mode === 'append' ? await storedEdgesNear(trx, county) : [];
  const lines: { feature: NormalisedFeature; coordinates: LonLat[] }[] = [];
  for (const feature of features) {
    const geometry = feature.geometry;
    if (geometry?.type === 'LineString') lines.push({ feature, coordinates: geometry.coordinates as LonLat[] });
    else if (geometry?.type === 'MultiLineString') {
      for (const part of geometry.coordinates) lines.push({ feature, coordinates: part as LonLat[] });
    }
  }
  // Stored edges first (lines 0 … stored.length − 1), then the file's lines.
  const offset = stored.length;
  const storedLines = stored.map((e) => (JSON.parse(e.line) as { coordinates: LonLat[] }).coordinates);
  const noded = nodeRoadLines(
    [
      ...stored.map((e, i) => ({ coordinates: storedLines[i]!, level: e.structure ? null : 0, stored: true })),
      ...lines.map((l) => ({
        coordinates: l.coordinates,
        level: l.feature.row.level === undefined ? 0 : l.feature.row.level,
      })),
    ],
    SNAP_TOLERANCE_METRES,
  );
  const reported = new Set<string>();
  for (const [line, kept] of noded.duplicates) {
    if (line < offset) continue;
    const index = lines[line - offset]!.feature.index;
    const keptIndex = kept < offset ? `edge ${stored[kept]!.id}` : lines[kept - offset]!.feature.index;
    if (reported.has(`${index} ${keptIndex}`)) continue;
    reported.add(`${index} ${keptIndex}`);
    problems.warning(
      index,
      index === keptIndex
        ? 'the line runs over itself: drawn once'
        : kept < offset
          ? `duplicates the stored road ${keptIndex} along a stretch: drawn once`
          : `duplicates #${keptIndex} along a stretch: drawn once`,
      { field: 'geometry' },
    );
  }
  // A stored edge left whole stays as it is; one cut is replaced by its pieces.
  const piecesOfStored = new Map<number, number>();
  for (const piece of noded.pieces) {
    if (piece.line < offset) piecesOfStored.set(piece.line, (piecesOfStored.get(piece.line) ?? 0) + 1);
  }
  // A cut that no new piece ends at (a new line drawn over a stored one, sharing its vertices)
  // joins nothing: a stored edge cut only there stays whole.
  const newEnds = new NearPoints(SNAP_TOLERANCE_METRES);
  for (const piece of noded.pieces) {
    if (piece.line < offset) continue;
    newEnds.add(piece.coordinates[0]!);
    newEnds.add(piece.coordinates[piece.coordinates.length - 1]!);
  }
  const joined = new Set<number>();
  for (const piece of noded.pieces) {
    if (piece.line >= offset) continue;
    const line = storedLines[piece.line]!;
    const [first, last] = [line[0]!, line[line.length - 1]!];
    const cuts = [piece.coordinates[0]!, piece.coordinates[piece.coordinates.length - 1]!].filter(
      (end) => end !== first && end !== last,
    );
    if (cuts.some((end) => newEnds.near(end))) joined.add(piece.line);
  }
  const cut = new Set([...piecesOfStored].filter(([line, n]) => n > 1 && joined.has(line)).map(([line]) => line));
  const pieces = noded.pieces.filter((p) => p.line >= offset || cut.has(p.line));
  const network = snapRoadNetwork(
    pieces.map((p) => p.coordinates),
    existingNodes,
    firstNodeId,
  );
  // A piece cut off by noding may collapse under snapping: only a whole line that does is an error.
  const withEdges = new Set(network.edges.map((e) => pieces[e.line]!.line));
  const collapsedLines = new Set(
    network.collapsed.map((piece) => pieces[piece]!.line).filter((line) => line >= offset && !withEdges.has(line)),
  );
  for (const line of collapsedLines) {
    problems.error(
      lines[line - offset]!.feature.index,
      'a line is shorter than the 1 m within which road ends are joined',
      {
        field: 'geometry',
      },
    );
  }
  if (collapsedLines.size > 0) return false;
  const recosted = new Map(features.map((feature) => [feature, withCountyMapping(feature, mapping)]));
  reportRoadClasses([...recosted.values()], problems);
  problems.warning(
    FILE_INDEX,
    `road class mapping of county ${county.code} (change it with county road-classes): ${describeRoadClassMapping(mapping)}`,
    { field: 'road_class' },
  );
  if (cut.size > 0) {
    const cutIds = [...cut].map((line) => stored[line]!.id);
    await sql`
      delete from road_edges where id in (select value::integer from json_array_elements_text(${JSON.stringify(cutIds)}::json))`.execute(
      trx,
    );
    problems.warning(
      FILE_INDEX,
      `${cut.size} stored ${cut.size === 1 ? 'road edge was' : 'road edges were'} cut where the new lines meet ${cut.size === 1 ? 'it' : 'them'}`,
      { field: 'geometry' },
    );
  }

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
  // Length of each cut stored edge's pieces, to share its climb and descent out by length.
  const storedLength = new Map<number, number>();
  for (const edge of network.edges) {
    const line = pieces[edge.line]!.line;
    if (line < offset) storedLength.set(line, (storedLength.get(line) ?? 0) + planarLength(edge.coordinates));
  }
  const edges = network.edges.map((edge, i) => {
    const line = pieces[edge.line]!.line;
    const common = {
      id: firstEdgeId + i,
      source: edge.source,
      target: edge.target,
      turning: turningDegreesPerKm(edge.coordinates),
      geometry: { type: 'LineString', coordinates: edge.coordinates },
    };
    if (line < offset) {
      const e = stored[line]!;
      const share = planarLength(edge.coordinates) / (storedLength.get(line) || 1);
      return {
        ...common,
        road_class: e.road_class,
        name: e.name,
        speed_kmh: e.speed_kmh,
        climb_m: e.climb_m === null ? null : e.climb_m * share,
        descent_m: e.descent_m === null ? null : e.descent_m * share,
        one_way: e.one_way,
        technical_grade: e.technical_grade,
        administrative_class: e.administrative_class,
        structure: e.structure,
        class_from_mapping: e.class_from_mapping,
        speed_from_mapping: e.speed_from_mapping,
      };
    }
    const { row } = recosted.get(lines[line - offset]!.feature)!;
    return {
      ...common,
      road_class: row.road_class,
      name: row.name ?? null,
      speed_kmh: row.speed_kmh,
      climb_m: null,
      descent_m: null,
      one_way: row.one_way ?? null,
      technical_grade: row.technical_grade ?? null,
      administrative_class: row.administrative_class ?? null,
      structure: row.structure ?? null,
      class_from_mapping: row.class_from_mapping ?? false,
      speed_from_mapping: row.speed_from_mapping ?? false,
    };
  });
  for (let start = 0; start < edges.length; start += ROAD_BATCH) {
    await sql`
      insert into road_edges (id, county_code, source, target, road_class, name, speed_kmh, length_m, climb_m, descent_m,
        sinuosity, turning_deg_per_km, one_way, technical_grade, administrative_class, structure,
        class_from_mapping, speed_from_mapping, geom)
      select r.id, ${county.code}, r.source, r.target, r.road_class, r.name, r.speed_kmh, ST_Length(line.g::geography),
        r.climb_m, r.descent_m,
        ST_Length(line.g::geography) / nullif(ST_Distance(ST_StartPoint(line.g)::geography, ST_EndPoint(line.g)::geography), 0),
        r.turning, r.one_way, r.technical_grade, r.administrative_class, r.structure,
        r.class_from_mapping, r.speed_from_mapping, line.g
      from json_to_recordset(${JSON.stringify(edges.slice(start, start + ROAD_BATCH))}::json)
        as r(id integer, source integer, target integer, road_class text, name text, speed_kmh double precision,
             climb_m double precision, descent_m double precision,
             turning double precision, one_way text, technical_grade text, administrative_class text, structure text,
             class_from_mapping boolean, speed_from_mapping boolean, geometry json)
      cross join lateral (select ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) as g) line`.execute(trx);
  }
  await reportConnectivity(trx, county, problems);
  return true;
}

/** Points looked up by proximity (within `metres`), through a hash grid of cells that size. */
class NearPoints {
  private readonly cells = new Map<string, LonLat[]>();
  private readonly cellDegrees: number;
  constructor(private readonly metres: number) {
    // Twice the distance in degrees of latitude: at least `metres` wide in longitude up to 60°.
    this.cellDegrees = (2 * metres) / 110_000;
  }
  private key(ix: number, iy: number): string {
    return `${ix} ${iy}`;
  }
  add(point: LonLat): void {
    const key = this.key(Math.floor(point[0] / this.cellDegrees), Math.floor(point[1] / this.cellDegrees));
    const cell = this.cells.get(key);
    if (cell) cell.push(point);
    else this.cells.set(key, [point]);
  }
  near(point: LonLat): boolean {
    const ix = Math.floor(point[0] / this.cellDegrees);
    const iy = Math.floor(point[1] / this.cellDegrees);
    const metresPerDegreeLat = 110_574;
    const metresPerDegreeLon = 111_320 * Math.cos((point[1] * Math.PI) / 180);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const [lon, lat] of this.cells.get(this.key(ix + dx, iy + dy)) ?? []) {
          const distance = Math.hypot((lon - point[0]) * metresPerDegreeLon, (lat - point[1]) * metresPerDegreeLat);
          if (distance <= this.metres) return true;
        }
      }
    }
    return false;
  }
}

/** Length of a lon/lat line in degrees (only ever compared with lines of the same edge). */
function planarLength(coordinates: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < coordinates.length; i++) {
    total += Math.hypot(coordinates[i]![0] - coordinates[i - 1]![0], coordinates[i]![1] - coordinates[i - 1]![1]);
  }
  return total;
}

/** A road feature with the class and design speed the county's mapping gives, where the file gave none. */
function withCountyMapping(feature: NormalisedFeature, mapping: RoadClassMapping): NormalisedFeature {
  const { row } = feature;
  if (!row.class_from_mapping && !row.speed_from_mapping) return feature;
  const mapped = mapRoad(mapping, {
    administrativeClass: row.administrative_class ?? null,
    technicalGrade: row.technical_grade ?? null,
  });
  return {
    ...feature,
    row: {
      ...row,
      ...(row.class_from_mapping && mapped.roadClass ? { road_class: mapped.roadClass } : {}),
      ...(row.speed_from_mapping && mapped.designSpeedKmh ? { speed_kmh: mapped.designSpeedKmh } : {}),
    },
  };
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
