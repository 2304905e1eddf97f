import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RoadEdgeRecord } from './network.js';

/** Every stored road edge with its line (of one county when `countyCode` is given), in id order. */
export async function loadRoadEdges(db: Kysely<DB>, countyCode?: string): Promise<RoadEdgeRecord[]> {
  const result = await sql<{
    id: number;
    source: number;
    target: number;
    speed_kmh: number;
    length_m: number;
    climb_m: number | null;
    descent_m: number | null;
    line: string;
  }>`
    select id, source, target, speed_kmh, length_m, climb_m, descent_m,
           ST_AsGeoJSON(geom, 7) as line
    from road_edges ${countyCode ? sql`where county_code = ${countyCode}` : sql``}
    order by id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    source: row.source,
    target: row.target,
    speedKmh: row.speed_kmh,
    lengthMetres: row.length_m,
    climbMetres: row.climb_m,
    descentMetres: row.descent_m,
    coordinates: (JSON.parse(row.line) as { coordinates: [number, number][] }).coordinates,
  }));
}
