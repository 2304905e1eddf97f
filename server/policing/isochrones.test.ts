import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { attachToRoad, buildRoadNetwork, offRoadCost, type RoadNetwork } from '../routing/network.js';
import { loadRoadEdges } from '../routing/repository.js';
import { RoadRouting } from '../routing/service.js';
import { stationIsochrones, type IsochroneBand } from './isochrones.js';
import { PolicingService } from './service.js';

// A hand-built star of flat, straight roads at 36 km/h (10 m/s), centred on node 1:
//   node 1 —3 km east→ node 2 —3 km east→ node 3        (5 and 10 minutes)
//   node 1 —6 km north→ node 4 —6 km north→ node 5      (10 and 20 minutes)
const LAT = 27.5;
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const M_LAT = 1 / 110_574;
const at = (east: number, north: number) => [120 + east * M_LON, LAT + north * M_LAT] as const;
const NODES: Record<number, readonly [number, number]> = {
  1: at(0, 0),
  2: at(3000, 0),
  3: at(6000, 0),
  4: at(0, 6000),
  5: at(0, 12_000),
};
const EDGES = [
  [101, 1, 2, 3000],
  [102, 2, 3, 3000],
  [103, 1, 4, 6000],
  [104, 4, 5, 6000],
] as const;

describe.each(BACKENDS)('isochrone bands on %s', (kind) => {
  let database: Database;
  let network: RoadNetwork;
  let bands: IsochroneBand[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const point = ([lon, lat]: readonly [number, number]) => sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
    await sql`insert into counties (code, name, geom) values ('990001', '测试县',
      ST_Multi(ST_MakeEnvelope(119.9, 27.4, 120.2, 27.7, 4326)))`.execute(db);
    for (const [id, coordinates] of Object.entries(NODES)) {
      await sql`insert into road_nodes (id, county_code, geom) values (${Number(id)}, '990001', ${point(coordinates)})`.execute(
        db,
      );
    }
    for (const [id, source, target, metres] of EDGES) {
      await sql`insert into road_edges (id, county_code, source, target, road_class, speed_kmh, length_m,
                  climb_m, descent_m, turning_deg_per_km, geom)
                values (${id}, '990001', ${source}, ${target}, 'township', 36, ${metres}, 0, 0, 0,
                  ST_MakeLine(${point(NODES[source]!)}, ${point(NODES[target]!)}))`.execute(db);
    }
    network = buildRoadNetwork(await loadRoadEdges(db));
    bands = await stationIsochrones(db, network, attachToRoad(network, ...NODES[1]!)!, [8, 15]);
  });
  afterAll(async () => {
    await database?.close();
  });

  const inside = async (band: IsochroneBand, [lon, lat]: readonly [number, number]) => {
    const result = await sql<{ inside: boolean }>`
      select ST_Intersects(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(band.geometry)}), 4326),
                           ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) as inside`.execute(database.db);
    return result.rows[0]!.inside;
  };

  it('holds exactly the nodes reached within each band', async () => {
    const [eight, fifteen] = bands;
    expect(eight!.reachedNodes).toBe(2);
    expect(fifteen!.reachedNodes).toBe(4);
    const inEight = await Promise.all([1, 2, 3, 4, 5].map((id) => inside(eight!, NODES[id]!)));
    expect(inEight).toEqual([true, true, false, false, false]);
    const inFifteen = await Promise.all([1, 2, 3, 4, 5].map((id) => inside(fifteen!, NODES[id]!)));
    expect(inFifteen).toEqual([true, true, true, true, false]);
  });

  it('ends a band where its time runs out on a road, and reaches only the buffer to the side', async () => {
    const eight = bands[0]!;
    // 8 minutes: 3 km to node 2 in 5, then 3 more minutes = 1.8 km; 4.8 km north.
    expect(await inside(eight, at(4770, 0))).toBe(true);
    expect(await inside(eight, at(4830, 0))).toBe(false);
    expect(await inside(eight, at(0, 4770))).toBe(true);
    expect(await inside(eight, at(0, 4830))).toBe(false);
    expect(await inside(eight, at(4000, 150))).toBe(true);
    expect(await inside(eight, at(4000, 260))).toBe(false);
    expect(eight.roadKm).toBeCloseTo(9.6, 6);
  });

  it('is one polygon without holes per band here, the larger band holding the smaller', async () => {
    for (const band of bands) {
      expect(band.geometry!.coordinates).toHaveLength(1);
      expect(band.geometry!.coordinates[0]).toHaveLength(1);
    }
    const result = await sql<{ covers: boolean }>`
      select ST_Covers(ST_Buffer(ST_GeomFromGeoJSON(${JSON.stringify(bands[1]!.geometry)}), 0.0002),
                       ST_GeomFromGeoJSON(${JSON.stringify(bands[0]!.geometry)})) as covers`.execute(database.db);
    expect(result.rows[0]!.covers).toBe(true);
  });
});

/** How far (metres) a point lies outside a band: 0 inside; else the distance to its nearest edge. */
function metresOutside(band: NonNullable<IsochroneBand['geometry']>, [lon, lat]: readonly number[]): number {
  if (booleanPointInPolygon(point([lon!, lat!]), multiPolygon(band.coordinates))) return 0;
  const kx = 111_320 * Math.cos((lat! * Math.PI) / 180);
  const ky = 110_574;
  let nearest = Infinity;
  for (const ring of band.coordinates.flat()) {
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = [(ring[i - 1]![0]! - lon!) * kx, (ring[i - 1]![1]! - lat!) * ky];
      const [bx, by] = [(ring[i]![0]! - lon!) * kx, (ring[i]![1]! - lat!) * ky];
      const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = lengthSquared > 0 ? Math.max(0, Math.min(1, -(ax * (bx - ax) + ay * (by - ay)) / lengthSquared)) : 0;
      nearest = Math.min(nearest, Math.hypot(ax + t * (bx - ax), ay + t * (by - ay)));
    }
  }
  return nearest;
}

// Regression (issue 22): on the embedded database GEOS threw while buffering the roads of the big
// stations, and the statement answered nothing: 罗阳派出所 had no band at all, 三魁 only its 30.
describe.each(BACKENDS)("the demo county's drive bands on %s", (kind) => {
  /** Bands are drawn within this of their exact shape: roads simplified by 20 m, the outline by 10 m, a 1 m grid. */
  const DRAWING_TOLERANCE_METRES = 31;
  let database: Database;
  let policing: PolicingService;
  const bandsOf = new Map<string, IsochroneBand[]>();

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    policing = new PolicingService(database.db, new RoadRouting(database.db));
    const { places } = await policing.prepare();
    for (const station of places.stations)
      bandsOf.set(station.code, await policing.isochrones(station.code, [30, 60, 90]));
  });
  afterAll(async () => {
    await database?.close();
  });

  it("draws every station's 30, 60 and 90-minute bands, each inside the next", () => {
    // The demo county's 13 stations.
    expect(bandsOf.size).toBe(13);
    for (const [code, bands] of bandsOf) {
      expect(
        bands.map((b) => [b.minutes, b.geometry?.type]),
        code,
      ).toEqual([
        [30, 'MultiPolygon'],
        [60, 'MultiPolygon'],
        [90, 'MultiPolygon'],
      ]);
      for (const [inner, outer] of [
        [bands[0]!, bands[1]!],
        [bands[1]!, bands[2]!],
      ] as const) {
        const farthest = Math.max(...inner.geometry!.coordinates.flat(2).map((p) => metresOutside(outer.geometry!, p)));
        expect(farthest, `${code}: ${inner.minutes} within ${outer.minutes}`).toBeLessThan(DRAWING_TOLERANCE_METRES);
      }
    }
  });

  it('holds every village of the biggest station that its drive times put inside each band', async () => {
    const { network, places, attached, access } = await policing.prepare();
    const villagesOf = (code: string) => places.villages.filter((v) => v.stationCode === code).length;
    const biggest = [...places.stations].sort((a, b) => villagesOf(b.code) - villagesOf(a.code))[0]!;
    const bands = bandsOf.get(biggest.code)!;
    for (const band of bands) {
      // A village is inside when its road point is reached with half a minute to spare (so it is not at
      // the very end of a cut road) and its centre is near that road (a band reaches 200 m either side).
      const expected = places.villages.flatMap((village, v) => {
        const roadPoint = attached.villages[v];
        const drive = access[v]!.driveSeconds;
        if (village.stationCode !== biggest.code || !roadPoint || drive === null) return [];
        const roadSeconds = drive - offRoadCost(network, roadPoint);
        return roadSeconds <= band.minutes * 60 - 30 && roadPoint.offRoadMetres <= 150 ? [village] : [];
      });
      const outside = expected.filter((v) => metresOutside(band.geometry!, [v.lon, v.lat]) > 0).map((v) => v.name);
      expect(outside, `${biggest.name} ${band.minutes} min`).toEqual([]);
      // 罗阳's 70 villages: 49 are inside its 30-minute band by this rule, 64 inside its 60 and 90.
      expect(expected.length, `${biggest.name} ${band.minutes} min`).toBeGreaterThanOrEqual(40);
    }
  });
});
