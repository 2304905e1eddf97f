/** Hand-built road networks in metres for the unit tests (not a test itself). */
import { buildRoadNetwork, type RoadEdgeRecord, type RoadNetwork } from '../../routing/network.js';

const LON0 = 119.9;
const LAT0 = 27.6;
const METRES_PER_DEGREE_LAT = 110_574;
const METRES_PER_DEGREE_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);

/** [lon, lat] of a point given in metres east and north of the fixtures' origin. */
export function lonLat([x, y]: readonly [number, number]): [number, number] {
  return [LON0 + x / METRES_PER_DEGREE_LON, LAT0 + y / METRES_PER_DEGREE_LAT];
}

/** A road of the fixture: straight segments through `points` (metres), from node `source` to `target`. */
export interface MetricRoad {
  source: number;
  target: number;
  points: readonly (readonly [number, number])[];
}

/** The network of metric roads, edge ids 1.., at `speedKmh` (36 km/h = 10 m/s: seconds = metres / 10). */
export function metricNetwork(roads: readonly MetricRoad[], speedKmh = 36): RoadNetwork {
  const records: RoadEdgeRecord[] = roads.map((road, i) => {
    let lengthMetres = 0;
    for (let k = 1; k < road.points.length; k++) {
      lengthMetres += Math.hypot(
        road.points[k]![0] - road.points[k - 1]![0],
        road.points[k]![1] - road.points[k - 1]![1],
      );
    }
    return {
      id: i + 1,
      source: road.source,
      target: road.target,
      speedKmh,
      lengthMetres,
      climbMetres: null,
      descentMetres: null,
      coordinates: road.points.map(lonLat),
    };
  });
  // Figures by hand at one speed: length ÷ speed, without the speed model's bends, ends and junctions.
  return buildRoadNetwork(records, { timing: 'length-over-speed' });
}

/** Households every `stepMetres` from `from` towards `to` (count of them), set off the road by `offset` metres. */
export function houseRow(
  count: number,
  from: readonly [number, number],
  stepMetres: readonly [number, number],
  offset: readonly [number, number],
): [number, number][] {
  return Array.from({ length: count }, (_, i) => [
    from[0] + i * stepMetres[0] + offset[0],
    from[1] + i * stepMetres[1] + offset[1],
  ]);
}
