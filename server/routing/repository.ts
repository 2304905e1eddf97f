import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RoadEdgeRecord } from './network.js';
import { readTerrains } from '../county/terrain.js';
import { roadElevations } from './terrain-profile.js';

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
    readTerrains(db, countyCode).then((terrains) => new Map(terrains.map((t) => [t.countyCode, t]))),
  ]);
  return result.rows.map((row) => {
    const coordinates = (JSON.parse(row.line) as { coordinates: [number, number][] }).coordinates;
    const terrain = grids.get(row.county_code);
    const measuredOnIt = terrain && (!terrain.synthetic || row.climb_m !== null);
    return {
      id: row.id,
      countyCode: row.county_code,
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
