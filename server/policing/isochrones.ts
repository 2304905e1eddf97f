import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { reachedRoads } from '../routing/isochrone.js';
import { edgeLine, searchFrom, type RoadNetwork, type RoadPoint } from '../routing/network.js';
import { simplifyLine, stretchCapsules, withoutSmallHoles, type Rings, type RoadStretch } from './band-polygons.js';

/** How far either side of a reached road a band reaches, in metres. */
export const ISOCHRONE_BUFFER_METRES = 200;
/** Chords per quarter circle of a band's round ends (PostGIS's quad_segs). */
const QUADRANT_SEGMENTS = 2;
/** Road lines are simplified this much before buffering: far below the buffer, and 3–5× fewer vertices. */
const SIMPLIFY_METRES = 20;
/** The union is computed on a grid this fine (snap-rounding: it cannot fail on nearly parallel edges). */
const UNION_GRID_METRES = 1;
/** The band's outline is simplified this much after the union. */
const OUTLINE_SIMPLIFY_METRES = 10;
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
 * band the reached roads — whole edges with round ends, edges cut at the exact time with a flat end
 * so a band stops where the time runs out — as capsules in the network's metric frame
 * (band-polygons.ts), unioned in the database on a 1 m grid, artefact holes removed. Bands are
 * cumulative (the 60-minute band holds the 30).
 */
export async function stationIsochrones(
  db: Kysely<DB>,
  network: RoadNetwork,
  origin: RoadPoint,
  bandMinutes: readonly number[],
): Promise<IsochroneBand[]> {
  const sorted = [...bandMinutes].sort((a, b) => a - b);
  const result = searchFrom(network, origin, 'drive', { maxSeconds: sorted.at(-1)! * 60 });
  const { lon0, lat0, metresPerDegreeLon, metresPerDegreeLat } = network.projection;
  const toMetres = ([lon, lat]: [number, number]): [number, number] => [
    (lon - lon0) * metresPerDegreeLon,
    (lat - lat0) * metresPerDegreeLat,
  ];
  const toLonLat = ([x, y]: [number, number]): [number, number] => [
    Math.round((lon0 + x / metresPerDegreeLon) * 1e6) / 1e6,
    Math.round((lat0 + y / metresPerDegreeLat) * 1e6) / 1e6,
  ];
  return Promise.all(
    sorted.map(async (band) => {
      const reached = reachedRoads(network, result, band * 60, origin);
      let metres = 0;
      for (const e of reached.full) metres += network.lengthMetres[e]!;
      for (const piece of reached.partial) metres += (piece.to - piece.from) * network.lengthMetres[piece.edge]!;
      const stretches: RoadStretch[] = [
        ...reached.full.map((e) => ({ line: edgeLine(network, e, 0, 1), roundStart: true, roundEnd: true })),
        // A piece's end inside its edge is where the time runs out; at 0 or 1 it is a reached node.
        ...reached.partial.map(({ edge, from, to }) => ({
          line: edgeLine(network, edge, from, to),
          roundStart: from <= 0,
          roundEnd: to >= 1,
        })),
      ].map(({ line, roundStart, roundEnd }) => ({
        points: simplifyLine(line.map(toMetres), SIMPLIFY_METRES),
        roundStart,
        roundEnd,
      }));
      const capsules = stretches.flatMap((s) => stretchCapsules(s, ISOCHRONE_BUFFER_METRES, QUADRANT_SEGMENTS));
      const polygons = await unionInMetres(db, capsules);
      const kept = withoutSmallHoles(polygons, ARTEFACT_HOLE_M2);
      return {
        minutes: band,
        geometry: kept.length
          ? {
              type: 'MultiPolygon' as const,
              coordinates: kept.map((rings) => rings.map((ring) => ring.map(toLonLat))),
            }
          : null,
        reachedNodes: reached.nodes.length,
        roadKm: Math.round(metres / 100) / 10,
      };
    }),
  );
}

/**
 * The union of polygons in a metric frame, its outline simplified: GEOS's overlay on a fixed grid
 * (snap-rounding), which needs none of the retries GEOS makes by throwing at full precision.
 */
async function unionInMetres(db: Kysely<DB>, polygons: readonly Rings[]): Promise<Rings[]> {
  if (polygons.length === 0) return [];
  const rounded = polygons.map((rings) =>
    rings.map((ring) => ring.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10])),
  );
  const result = await sql<{ geojson: string | null }>`
    select ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(ST_Union(d.geom, ${UNION_GRID_METRES}::float8),
             ${OUTLINE_SIMPLIFY_METRES}::float8)), 1) as geojson
    from ST_Dump(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiPolygon', coordinates: rounded })}), 0)) as d`.execute(
    db,
  );
  const geojson = result.rows[0]?.geojson;
  if (!geojson) throw new Error(`The union of ${polygons.length} band polygons came back empty`);
  return (JSON.parse(geojson) as { coordinates: Rings[] }).coordinates;
}
