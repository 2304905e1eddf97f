import { describe, expect, it } from 'vitest';
import { shortestTimes } from './dijkstra.js';
import { nodeIndex } from './graph.js';
import { reachedLines, reachedRoads } from './isochrone.js';
import { routeBetween } from './route-line.js';
import {
  OFF_ROAD_KMH,
  arrivalCost,
  attachToRoad,
  buildRoadNetwork,
  costsFrom,
  edgeLine,
  searchFrom,
  type RoadEdgeRecord,
} from './network.js';

// A straight valley road running east at latitude 27.5°, 36 km/h (10 m/s), no bends, flat:
//   node 1 ——1000 m—— node 2 ——1000 m—— node 3
// and a side road from node 2 going north 500 m to node 4 that climbs 50 m (10%).
const LAT = 27.5;
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const M_LAT = 1 / 110_574;
const at = (eastMetres: number, northMetres: number): [number, number] => [
  120 + eastMetres * M_LON,
  LAT + northMetres * M_LAT,
];
const flat = { speedKmh: 36, climbMetres: 0, descentMetres: 0, turningDegreesPerKm: 0 };
const records: RoadEdgeRecord[] = [
  { id: 11, source: 1, target: 2, lengthMetres: 1000, ...flat, coordinates: [at(0, 0), at(400, 0), at(1000, 0)] },
  { id: 12, source: 2, target: 3, lengthMetres: 1000, ...flat, coordinates: [at(1000, 0), at(2000, 0)] },
  {
    id: 13,
    source: 2,
    target: 4,
    lengthMetres: 500,
    ...flat,
    climbMetres: 50,
    coordinates: [at(1000, 0), at(1000, 500)],
  },
];
const network = buildRoadNetwork(records);
const OFF_ROAD_SECONDS_PER_METRE = 3.6 / OFF_ROAD_KMH;

describe('the road network', () => {
  it('times each edge with the mountain costs, per direction', () => {
    expect(Array.from(network.forwardSeconds.slice(0, 2))).toEqual([100, 100]);
    // 10% climb: 50 s flat × (1 + 6 × 0.1) uphill; downhill 10% is 7 points past the free grade.
    expect(network.forwardSeconds[2]).toBeCloseTo(80, 9);
    expect(network.backwardSeconds[2]).toBeCloseTo(50 * (1 + 3 * 0.07), 9);
  });

  it('attaches a place to the nearest point of a road, not the nearest node', () => {
    const point = attachToRoad(network, ...at(250, 30))!;
    expect(network.edgeIds[point.edge]).toBe(11);
    expect(point.fraction).toBeCloseTo(0.25, 4);
    expect(point.offRoadMetres).toBeCloseTo(30, 1);
    // Beyond the end of the side road: the end node is the nearest point.
    const beyond = attachToRoad(network, ...at(1000, 700))!;
    expect(network.edgeIds[beyond.edge]).toBe(13);
    expect(beyond.fraction).toBe(1);
    expect(beyond.offRoadMetres).toBeCloseTo(200, 1);
  });

  it('drives between two places through the network, with the off-road gaps walked', () => {
    const from = attachToRoad(network, ...at(250, 30))!;
    const to = attachToRoad(network, ...at(1500, 0))!;
    const [seconds] = costsFrom(network, from, [to]);
    // 30 m on foot, 750 m to node 2, 500 m on to the place.
    expect(seconds).toBeCloseTo(30 * OFF_ROAD_SECONDS_PER_METRE + 75 + 50, 2);
    // Uphill to the end of the side road is slower than coming down.
    const top = attachToRoad(network, ...at(1000, 500))!;
    const up = costsFrom(network, to, [top])[0]!;
    const down = costsFrom(network, top, [to])[0]!;
    expect(up).toBeCloseTo(50 + 80, 2);
    expect(down).toBeCloseTo(50 + 60.5, 2);
  });

  it('goes straight along the edge between two places on the same edge', () => {
    const a = attachToRoad(network, ...at(100, 0))!;
    const b = attachToRoad(network, ...at(900, 0))!;
    expect(costsFrom(network, a, [b])[0]).toBeCloseTo(80, 6);
    expect(costsFrom(network, b, [a])[0]).toBeCloseTo(80, 6);
    // The walk graph counts metres.
    expect(costsFrom(network, a, [b], 'walk')[0]).toBeCloseTo(800, 6);
    const result = searchFrom(network, a, 'walk');
    expect(arrivalCost(network, result, attachToRoad(network, ...at(2000, 0))!, 'walk')).toBeCloseTo(1900, 6);
  });

  it('cuts an edge line at fractions of its length', () => {
    const line = edgeLine(network, 0, 0.2, 0.7);
    expect(line).toHaveLength(3);
    expect(line[0]![0]).toBeCloseTo(at(200, 0)[0], 9);
    expect(line[1]).toEqual(at(400, 0));
    expect(line[2]![0]).toBeCloseTo(at(700, 0)[0], 9);
    expect(edgeLine(network, 0, 0.7, 0.2)[0]![0]).toBeCloseTo(at(700, 0)[0], 9);
  });
});

describe('the reached roads of an isochrone', () => {
  it('keeps whole edges reached in time and cuts the others at the exact time', () => {
    const result = shortestTimes(network.drive, [{ node: nodeIndex(network.drive, 1), seconds: 0 }], {
      maxSeconds: 150,
    });
    const reached = reachedRoads(network, result, 150);
    expect(reached.full).toEqual([0]);
    expect(reached.nodes.map((n) => network.drive.nodeIds[n])).toEqual([1, 2]);
    // 50 s left at node 2: half of the valley road, 50/80 of the climb.
    expect(reached.partial).toEqual([
      { edge: 1, from: 0, to: 0.5 },
      { edge: 2, from: 0, to: 50 / 80 },
    ]);
    const lines = reachedLines(network, reached);
    expect(lines.partial[0]!.at(-1)![0]).toBeCloseTo(at(1500, 0)[0], 9);
  });

  it('reaches both ways along the origin’s own edge', () => {
    const origin = attachToRoad(network, ...at(500, 0))!;
    const result = searchFrom(network, origin, 'drive', { maxSeconds: 30 });
    const reached = reachedRoads(network, result, 30, origin);
    expect(reached.nodes).toEqual([]);
    expect(reached.full).toEqual([]);
    expect(reached.partial).toHaveLength(1);
    expect(reached.partial[0]!.from).toBeCloseTo(0.2, 9);
    expect(reached.partial[0]!.to).toBeCloseTo(0.8, 9);
  });
});

describe('the line of a route', () => {
  it('follows the roads from road point to road point, in travel order, with the drive time', () => {
    const from = attachToRoad(network, ...at(250, 30))!;
    const to = attachToRoad(network, ...at(1000, 400))!;
    const route = routeBetween(network, from, to)!;
    expect(route.driveSeconds).toBeCloseTo(30 * OFF_ROAD_SECONDS_PER_METRE + 75 + 0.8 * 80, 2);
    expect(route.line).toHaveLength(4);
    expect(route.line[0]![0]).toBeCloseTo(at(250, 0)[0], 7);
    expect(route.line[1]).toEqual(at(400, 0));
    expect(route.line[2]).toEqual(at(1000, 0));
    expect(route.line[3]![1]).toBeCloseTo(at(1000, 400)[1], 7);
    // Two places on one edge: straight along it.
    const along = routeBetween(network, attachToRoad(network, ...at(900, 0))!, attachToRoad(network, ...at(100, 0))!)!;
    expect(along.driveSeconds).toBeCloseTo(80, 6);
    expect(along.line[0]![0]).toBeCloseTo(at(900, 0)[0], 7);
  });
});
