import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { reachedLines, reachedRoads } from '../routing/isochrone.js';
import { searchFrom, type RoadNetwork, type RoadPoint } from '../routing/network.js';

/** How far either side of a reached road a band reaches, in metres. */
export const ISOCHRONE_BUFFER_METRES = 200;
/** Road lines are simplified this much before buffering: far below the buffer, and 3–5× fewer vertices. */
const SIMPLIFY_METRES = 20;
/** Holes smaller than this are buffer artefacts between nearby roads, not unreached land. */
const ARTEFACT_HOLE_M2 = 4 * ISOCHRONE_BUFFER_METRES * ISOCHRONE_BUFFER_METRES;

export interface IsochroneBand {
  minutes: number;
  /** GeoJSON MultiPolygon in WGS84; null when nothing is reached. */
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
  /** Road nodes reached within the band, and km of road. */
  reachedNodes: number;
  roadKm: number;
}

/**
 * The 30/60/90-minute (or any) bands of one origin: one search to the largest band, then for each
 * band the reached roads — whole edges with round ends, edges cut at the exact time with flat
 * ends so a band stops where the time runs out — buffered and unioned in PostGIS in the UTM zone
 * of the origin, artefact holes removed. Bands are cumulative (the 60-minute band holds the 30).
 */
export async function stationIsochrones(
  db: Kysely<DB>,
  network: RoadNetwork,
  origin: RoadPoint,
  bandMinutes: readonly number[],
): Promise<IsochroneBand[]> {
  const sorted = [...bandMinutes].sort((a, b) => a - b);
  const result = searchFrom(network, origin, 'drive', { maxSeconds: sorted.at(-1)! * 60 });
  const inputs = sorted.map((band) => {
    const reached = reachedRoads(network, result, band * 60, origin);
    const lines = reachedLines(network, reached);
    let metres = 0;
    for (const e of reached.full) metres += network.lengthMetres[e]!;
    for (const piece of reached.partial) metres += (piece.to - piece.from) * network.lengthMetres[piece.edge]!;
    return { band, lines, nodes: reached.nodes.length, roadKm: Math.round(metres / 100) / 10 };
  });
  const srid = 32600 + Math.floor((origin.lon + 180) / 6) + 1;
  const multi = (lines: [number, number][][]) => JSON.stringify({ type: 'MultiLineString', coordinates: lines });
  const bands = await Promise.all(
    inputs.map(async ({ band, lines, nodes, roadKm }) => {
      if (lines.full.length === 0 && lines.partial.length === 0) {
        return { minutes: band, geometry: null, reachedNodes: nodes, roadKm };
      }
      const row = await sql<{ geojson: string | null }>`
        with parts as (
          select ST_Buffer(ST_Simplify(ST_Transform(ST_GeomFromGeoJSON(${multi(lines.full)}), ${srid}::integer), ${SIMPLIFY_METRES}::float8),
                           ${ISOCHRONE_BUFFER_METRES}::float8, 'quad_segs=2') as g
          union all
          select ST_Buffer(ST_Simplify(ST_Transform(ST_GeomFromGeoJSON(${multi(lines.partial)}), ${srid}::integer), ${SIMPLIFY_METRES}::float8),
                           ${ISOCHRONE_BUFFER_METRES}::float8, 'endcap=flat quad_segs=2')
        )
        select ST_AsGeoJSON(ST_Transform(ST_Multi(ST_SimplifyPreserveTopology(ST_Union(g), 10)), 4326), 6) as geojson
        from parts where not ST_IsEmpty(g)`.execute(db);
      const geojson = row.rows[0]?.geojson;
      const geometry = geojson ? withoutArtefactHoles(JSON.parse(geojson)) : null;
      return { minutes: band, geometry, reachedNodes: nodes, roadKm };
    }),
  );
  return bands;
}

/** Drop interior rings smaller than the artefact size (areas measured in a local metric frame). */
function withoutArtefactHoles(geometry: {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}): IsochroneBand['geometry'] {
  const ringArea = (ring: number[][]) => {
    const lat0 = ((ring[0]?.[1] ?? 0) * Math.PI) / 180;
    const kx = 111_320 * Math.cos(lat0);
    const ky = 110_574;
    let twice = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      twice += ring[j]![0]! * kx * (ring[i]![1]! * ky) - ring[i]![0]! * kx * (ring[j]![1]! * ky);
    }
    return Math.abs(twice) / 2;
  };
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map(([outer, ...holes]) => [
      outer!,
      ...holes.filter((hole) => ringArea(hole) >= ARTEFACT_HOLE_M2),
    ]),
  };
}
