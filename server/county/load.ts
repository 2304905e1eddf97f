import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Geometry as GeoJsonGeometry } from 'geojson';
import type { DB, Geometry } from '../db/schema.js';
import type { CountyModel, LonLat } from './model.js';

export interface LoadProgress {
  layer: string;
  done: number;
  total: number;
  /** Rows written so far and in all, over every layer. */
  overallDone: number;
  overallTotal: number;
}

/** Rows a model will write, over every layer (for overall progress). */
export function modelRowCount(model: CountyModel): number {
  return (
    model.stations.length +
    model.townships.length +
    model.villages.length +
    model.households.length +
    model.roadNodes.length +
    model.roadEdges.length +
    model.rivers.length +
    model.busStops.length +
    model.busLines.length +
    model.mediationRooms.length +
    model.sageRooms.length +
    model.events.length +
    model.officers.length
  );
}

/** A point column value. */
export function pointSql([lon, lat]: LonLat): RawBuilder<Geometry> {
  return sql<Geometry>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
}

/** A geometry column value from GeoJSON. */
export function geoJsonSql(geometry: GeoJsonGeometry): RawBuilder<Geometry> {
  return sql<Geometry>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)`;
}

// Rows per INSERT: large enough to be fast, small enough to stay under the 65,535 parameters
// of one statement for the widest table.
const BATCH_ROWS = 1000;

/** Counts rows across layers and reports each batch. */
class ProgressCounter {
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly report: (progress: LoadProgress) => void = () => {},
  ) {}
  step(layer: string, layerDone: number, layerTotal: number, added: number): void {
    this.done += added;
    this.report({ layer, done: layerDone, total: layerTotal, overallDone: this.done, overallTotal: this.total });
  }
}

async function insertInBatches<T>(
  rows: readonly T[],
  layer: string,
  insert: (batch: readonly T[]) => Promise<unknown>,
  progress: ProgressCounter,
): Promise<void> {
  progress.step(layer, 0, rows.length, 0);
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    await insert(batch);
    progress.step(layer, Math.min(rows.length, start + BATCH_ROWS), rows.length, batch.length);
  }
}

function bytes(array: Int16Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The largest ids in use, to number a new county's rows after them. */
async function idOffsets(
  trx: Transaction<DB>,
): Promise<{ warZones: number; roadNodes: number; roadEdges: number; rivers: number }> {
  const result = await sql<{ war_zones: number; road_nodes: number; road_edges: number; rivers: number }>`
    select (select coalesce(max(id), 0) from war_zones) as war_zones,
           (select coalesce(max(id), 0) from road_nodes) as road_nodes,
           (select coalesce(max(id), 0) from road_edges) as road_edges,
           (select coalesce(max(id), 0) from rivers) as rivers`.execute(trx);
  const row = result.rows[0]!;
  return { warZones: row.war_zones, roadNodes: row.road_nodes, roadEdges: row.road_edges, rivers: row.rivers };
}

/** Insert every layer of a model inside the given transaction. */
export async function insertCountyModel(
  trx: Transaction<DB>,
  model: CountyModel,
  onProgress?: (progress: LoadProgress) => void,
): Promise<void> {
  const countyCode = model.county.code;
  const progress = new ProgressCounter(modelRowCount(model), onProgress);
  // A model numbers its war zones, road nodes, road edges and rivers from 1; in a database that
  // holds other counties they are shifted past the ids already taken.
  const offsets = await idOffsets(trx);
  await trx
    .insertInto('counties')
    .values({
      code: countyCode,
      name: model.county.name,
      synthetic: model.county.synthetic,
      seed: model.county.seed,
      geom: geoJsonSql(model.county.geometry),
    })
    .execute();
  if (model.terrain) {
    const { spec } = model.terrain;
    await trx
      .insertInto('terrain')
      .values({
        county_code: countyCode,
        west: spec.west,
        north: spec.north,
        d_lon: spec.dLon,
        d_lat: spec.dLat,
        width: spec.width,
        height: spec.height,
        elevation_m: bytes(model.terrain.elevationMetres),
        hillshade: bytes(model.terrain.hillshade),
        synthetic: model.county.synthetic,
      })
      .execute();
  }
  if (model.warZones.length > 0) {
    await trx
      .insertInto('war_zones')
      .values(model.warZones.map((z) => ({ id: z.id + offsets.warZones, county_code: countyCode, name: z.name })))
      .execute();
  }
  await insertInBatches(
    model.stations,
    'police_stations',
    (batch) =>
      trx
        .insertInto('police_stations')
        .values(
          batch.map((s) => ({
            code: s.code,
            county_code: countyCode,
            name: s.name,
            war_zone_id: s.warZoneId === null ? null : s.warZoneId + offsets.warZones,
            officers: s.officers,
            geom: pointSql(s.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.townships,
    'townships',
    (batch) =>
      trx
        .insertInto('townships')
        .values(
          batch.map((t) => ({
            code: t.code,
            county_code: countyCode,
            name: t.name,
            kind: t.kind,
            police_station_code: t.stationCode,
            seat: t.seat ? pointSql(t.seat) : null,
            geom: geoJsonSql(t.geometry),
          })),
        )
        .execute(),
    progress,
  );
  // Each township's station is a confirmed jurisdiction link, as a county's own station file makes.
  const links = model.townships.filter((t) => t.stationCode !== null);
  if (links.length > 0) {
    await trx
      .insertInto('station_townships')
      .values(
        links.map((t) => ({
          township_code: t.code,
          station_code: t.stationCode!,
          source: 'model' as const,
          confirmed: true,
          decided_by: 'model',
        })),
      )
      .execute();
  }
  await insertInBatches(
    model.villages,
    'villages',
    (batch) =>
      trx
        .insertInto('villages')
        .values(
          batch.map((v) => ({
            code: v.code,
            township_code: v.townshipCode,
            name: v.name,
            kind: v.kind,
            centre: pointSql(v.centre),
            geom: geoJsonSql(v.geometry),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.households,
    'households',
    (batch) =>
      trx
        .insertInto('households')
        .values(
          batch.map((h) => ({
            code: h.code,
            village_code: h.villageCode,
            persons: h.persons,
            aged_70_plus: h.aged70Plus,
            disabled: h.disabled,
            left_behind: h.leftBehind,
            low_income: h.lowIncome,
            needs_assistance: h.needsAssistance,
            geom: pointSql(h.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.roadNodes,
    'road_nodes',
    (batch) =>
      trx
        .insertInto('road_nodes')
        .values(
          batch.map((n) => ({
            id: n.id + offsets.roadNodes,
            county_code: countyCode,
            elevation_m: n.elevationMetres,
            geom: pointSql(n.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.roadEdges,
    'road_edges',
    (batch) =>
      trx
        .insertInto('road_edges')
        .values(
          batch.map((e) => ({
            id: e.id + offsets.roadEdges,
            county_code: countyCode,
            source: e.source + offsets.roadNodes,
            target: e.target + offsets.roadNodes,
            road_class: e.roadClass,
            name: e.name,
            speed_kmh: e.speedKmh,
            length_m: e.lengthMetres,
            climb_m: e.climbMetres,
            descent_m: e.descentMetres,
            sinuosity: e.sinuosity,
            turning_deg_per_km: e.turningDegreesPerKm,
            one_way: e.oneWay ?? null,
            geom: geoJsonSql({ type: 'LineString', coordinates: e.coordinates }),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.rivers,
    'rivers',
    (batch) =>
      trx
        .insertInto('rivers')
        .values(
          batch.map((r) => ({
            id: r.id + offsets.rivers,
            county_code: countyCode,
            name: r.name,
            strahler: r.strahler,
            geom: geoJsonSql({ type: 'LineString', coordinates: r.coordinates }),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.busStops,
    'bus_stops',
    (batch) =>
      trx
        .insertInto('bus_stops')
        .values(
          batch.map((s) => ({
            id: s.id,
            county_code: countyCode,
            name: s.name,
            village_code: s.villageCode,
            geom: pointSql(s.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.busLines,
    'bus_lines',
    async (batch) => {
      await trx
        .insertInto('bus_lines')
        .values(
          batch.map((l) => ({
            id: l.id,
            county_code: countyCode,
            name: l.name,
            geom: geoJsonSql({ type: 'MultiLineString', coordinates: l.coordinates }),
          })),
        )
        .execute();
      const stops = batch.flatMap((l) => l.stopIds.map((stopId, seq) => ({ line_id: l.id, stop_id: stopId, seq })));
      if (stops.length > 0) await trx.insertInto('bus_line_stops').values(stops).execute();
    },
    progress,
  );
  await insertInBatches(
    model.mediationRooms,
    'mediation_rooms',
    (batch) =>
      trx
        .insertInto('mediation_rooms')
        .values(
          batch.map((r) => ({
            id: r.id,
            county_code: countyCode,
            name: r.name,
            township_code: r.townshipCode,
            geom: pointSql(r.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.sageRooms,
    'sage_police_rooms',
    (batch) =>
      trx
        .insertInto('sage_police_rooms')
        .values(
          batch.map((r) => ({
            id: r.id,
            county_code: countyCode,
            name: r.name,
            village_code: r.villageCode,
            geom: pointSql(r.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.events,
    'events',
    (batch) =>
      trx
        .insertInto('events')
        .values(
          batch.map((e) => ({
            county_code: countyCode,
            category: e.category,
            subcategory: e.subcategory,
            occurred_at: e.occurredAt,
            village_code: e.villageCode,
            police_station_code: e.stationCode,
            geom: pointSql(e.point),
          })),
        )
        .execute(),
    progress,
  );
  await insertInBatches(
    model.officers,
    'officers',
    (batch) =>
      trx
        .insertInto('officers')
        .values(
          batch.map((o) => ({
            id: o.id,
            county_code: countyCode,
            name: o.name,
            department: o.department,
            home_station_code: o.homeStationCode,
            qualifications: o.qualifications,
            geom: pointSql(o.point),
          })),
        )
        .execute(),
    progress,
  );
}

/**
 * Load a model in one transaction: all of it or, on any error, nothing. A county with the same
 * code is refused unless `replace` is set, in which case it is deleted first (same transaction).
 */
export async function loadCountyModel(
  db: Kysely<DB>,
  model: CountyModel,
  options: { replace?: boolean; onProgress?: (progress: LoadProgress) => void } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('counties')
      .select('code')
      .where('code', '=', model.county.code)
      .executeTakeFirst();
    if (existing) {
      if (!options.replace) throw new Error(`County ${model.county.code} is already loaded.`);
      await trx.deleteFrom('counties').where('code', '=', model.county.code).execute();
    }
    await insertCountyModel(trx, model, options.onProgress);
  });
}
