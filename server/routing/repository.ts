import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RoadEdgeRecord } from './network.js';
import { roadElevations, type ElevationGrid } from './terrain-profile.js';

/**
 * Every stored road edge with its line (of one county when `countyCode` is given), in id order,
 * with its vertices' elevations from the county's terrain where that terrain belongs with the
 * roads: a surveyed terrain, or the synthetic one the edge's own climbs were measured on (an
 * imported road over the demo's synthetic terrain gets none).
 */
export async function loadRoadEdges(db: Kysely<DB>, countyCode?: string): Promise<RoadEdgeRecord[]> {
  const where = (column: string) => (countyCode ? sql`where ${sql.ref(column)} = ${countyCode}` : sql``);
  const [result, grids] = await Promise.all([
    sql<{
      id: number;
      county_code: string;
      source: number;
      target: number;
      speed_kmh: number;
      length_m: number;
      climb_m: number | null;
      descent_m: number | null;
      one_way: 'forward' | 'backward' | null;
      structure: 'bridge' | 'tunnel' | null;
      line: string;
    }>`
      select id, county_code, source, target, speed_kmh, length_m, climb_m, descent_m, one_way, structure,
             ST_AsGeoJSON(geom, 7) as line
      from road_edges ${where('county_code')}
      order by id`.execute(db),
    loadElevationGrids(db, where('county_code')),
  ]);
  return result.rows.map((row) => {
    const coordinates = (JSON.parse(row.line) as { coordinates: [number, number][] }).coordinates;
    const terrain = grids.get(row.county_code);
    const measuredOnIt = terrain && (!terrain.synthetic || row.climb_m !== null);
    return {
      id: row.id,
      source: row.source,
      target: row.target,
      speedKmh: row.speed_kmh,
      lengthMetres: row.length_m,
      climbMetres: row.climb_m,
      descentMetres: row.descent_m,
      coordinates,
      vertexElevationsMetres: measuredOnIt ? roadElevations(terrain.grid, coordinates) : null,
      oneWay: row.one_way,
      structure: row.structure,
    };
  });
}

/** Each county's elevation grid (little-endian Int16 metres) and whether it is synthetic. */
async function loadElevationGrids(
  db: Kysely<DB>,
  where: ReturnType<typeof sql>,
): Promise<Map<string, { grid: ElevationGrid; synthetic: boolean }>> {
  const result = await sql<{
    county_code: string;
    west: number;
    north: number;
    d_lon: number;
    d_lat: number;
    width: number;
    height: number;
    elevation_m: Uint8Array;
    synthetic: boolean;
  }>`select county_code, west, north, d_lon, d_lat, width, height, elevation_m, synthetic from terrain ${where}`.execute(
    db,
  );
  const grids = new Map<string, { grid: ElevationGrid; synthetic: boolean }>();
  for (const row of result.rows) {
    const bytes = row.elevation_m;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const elevationMetres = new Int16Array(row.width * row.height);
    for (let i = 0; i < elevationMetres.length; i++) elevationMetres[i] = view.getInt16(2 * i, true);
    grids.set(row.county_code, {
      grid: {
        west: row.west,
        north: row.north,
        dLon: row.d_lon,
        dLat: row.d_lat,
        width: row.width,
        height: row.height,
        elevationMetres,
      },
      synthetic: row.synthetic,
    });
  }
  return grids;
}
