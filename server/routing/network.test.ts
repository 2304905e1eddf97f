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

// A straight valley road running east at latitude 27.5°, design speed 36 km/h (10 m/s), flat:
//   node 1 ——1000 m—— node 2 ——1000 m—— node 3
// and a side road from node 2 going north 500 m to node 4 that climbs 100 m (20%). Nodes 1, 3
// and 4 are dead ends (the car starts or stops there), node 2 a junction passed at 30 km/h.
const LAT = 27.5;
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const M_LAT = 1 / 110_574;
const at = (eastMetres: number, northMetres: number): [number, number] => [
  120 + eastMetres * M_LON,
  LAT + northMetres * M_LAT,
];
const flat = { speedKmh: 36, climbMetres: 0, descentMetres: 0 };
const records: RoadEdgeRecord[] = [
  { id: 11, source: 1, target: 2, lengthMetres: 1000, ...flat, coordinates: [at(0, 0), at(400, 0), at(1000, 0)] },
  { id: 12, source: 2, target: 3, lengthMetres: 1000, ...flat, coordinates: [at(1000, 0), at(2000, 0)] },
  {
    id: 13,
    source: 2,
    target: 4,
    lengthMetres: 500,
    ...flat,
    climbMetres: 100,
    coordinates: [at(1000, 0), at(1000, 500)],
  },
];
const network = buildRoadNetwork(records);
const OFF_ROAD_SECONDS_PER_METRE = 3.6 / OFF_ROAD_KMH;
const [valleyEast, valleyOn, sideUp] = network.forwardSeconds;
const [valleyWest, valleyBack, sideDown] = network.backwardSeconds;

describe('the road network', () => {
  it('times each edge with the speed model, per direction, from the ends its nodes give it', () => {
    // Starting from rest at node 1: 0 → 10 m/s over 50 m in 10 s; braking for the junction
    // 10 → 8.333 m/s over 7.64 m in 0.833 s; 942.36 m at 10 m/s: 94.24 s. 105.07 s.
    expect(valleyEast).toBeCloseTo(105.07, 1);
    // From the junction: 8.333 → 10 m/s over 15.28 m in 1.667 s; stopping at node 1 from 10 m/s
    // over 25 m in 5 s; 959.72 m at 10 m/s: 95.97 s. 102.64 s.
    expect(valleyWest).toBeCloseTo(102.64, 1);
    expect(valleyOn).toBeCloseTo(102.64, 1);
    expect(valleyBack).toBeCloseTo(105.07, 1);
    // Up the side road at 20%: 15 W/kg holds 15 / (9.81 × 0.215) = 7.112 m/s; stopping at node 4
    // over 12.64 m in 3.556 s; 487.36 m at 7.112 m/s: 68.53 s. 72.08 s. Down it as if level:
    // 10 s to 10 m/s over 50 m, 0.833 s braking for the junction over 7.64 m, 442.36 m in 44.24 s: 55.07 s.
    expect(sideUp).toBeCloseTo(72.08, 1);
    expect(sideDown).toBeCloseTo(55.07, 1);
  });

  it('lets the main road through a junction unslowed, and slows the side road into it', () => {
    // The valley road at 50 km/h (13.889 m/s), the side road still 36 km/h.
    const main = buildRoadNetwork(records.map((r) => (r.id === 13 ? r : { ...r, speedKmh: 50 })));
    // From rest at node 1: 0 → 13.889 m/s over 96.45 m in 13.889 s; the other 903.55 m at
    // 13.889 m/s through the junction: 65.06 s. 78.94 s.
    expect(main.forwardSeconds[0]).toBeCloseTo(78.94, 1);
    expect(main.backwardSeconds[1]).toBeCloseTo(78.94, 1);
    // Down the side road it still brakes for the junction: 55.07 s as above.
    expect(main.backwardSeconds[2]).toBeCloseTo(55.07, 1);
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
    // 30 m on foot, 750 m to node 2, 500 m on to the place (shares of the edges' times).
    expect(seconds).toBeCloseTo(30 * OFF_ROAD_SECONDS_PER_METRE + 0.75 * valleyEast! + 0.5 * valleyOn!, 6);
    // Uphill to the end of the side road is slower than coming down.
    const top = attachToRoad(network, ...at(1000, 500))!;
    const up = costsFrom(network, to, [top])[0]!;
    const down = costsFrom(network, top, [to])[0]!;
    expect(up).toBeCloseTo(0.5 * valleyBack! + sideUp!, 6);
    expect(down).toBeCloseTo(sideDown! + 0.5 * valleyOn!, 6);
    expect(up).toBeGreaterThan(down);
  });

  it('goes straight along the edge between two places on the same edge', () => {
    const a = attachToRoad(network, ...at(100, 0))!;
    const b = attachToRoad(network, ...at(900, 0))!;
    expect(costsFrom(network, a, [b])[0]).toBeCloseTo(0.8 * valleyEast!, 6);
    expect(costsFrom(network, b, [a])[0]).toBeCloseTo(0.8 * valleyWest!, 6);
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
    // 150 − 105.07 s left at node 2: that share of the valley road on and of the climb.
    const left = 150 - valleyEast!;
    expect(reached.partial).toEqual([
      { edge: 1, from: 0, to: left / valleyOn! },
      { edge: 2, from: 0, to: left / sideUp! },
    ]);
    const lines = reachedLines(network, reached);
    expect(lines.partial[0]!.at(-1)![0]).toBeCloseTo(at(1000 + (1000 * left) / valleyOn!, 0)[0], 9);
  });

  it('reaches both ways along the origin’s own edge', () => {
    const origin = attachToRoad(network, ...at(500, 0))!;
    const result = searchFrom(network, origin, 'drive', { maxSeconds: 30 });
    const reached = reachedRoads(network, result, 30, origin);
    expect(reached.nodes).toEqual([]);
    expect(reached.full).toEqual([]);
    expect(reached.partial).toHaveLength(1);
    expect(reached.partial[0]!.from).toBeCloseTo(0.5 - 30 / valleyWest!, 9);
    expect(reached.partial[0]!.to).toBeCloseTo(0.5 + 30 / valleyEast!, 9);
  });
});

describe('the line of a route', () => {
  it('follows the roads from road point to road point, in travel order, with the drive time', () => {
    const from = attachToRoad(network, ...at(250, 30))!;
    const to = attachToRoad(network, ...at(1000, 400))!;
    const route = routeBetween(network, from, to)!;
    expect(route.driveSeconds).toBeCloseTo(30 * OFF_ROAD_SECONDS_PER_METRE + 0.75 * valleyEast! + 0.8 * sideUp!, 6);
    expect(route.line).toHaveLength(4);
    expect(route.line[0]![0]).toBeCloseTo(at(250, 0)[0], 7);
    expect(route.line[1]).toEqual(at(400, 0));
    expect(route.line[2]).toEqual(at(1000, 0));
    expect(route.line[3]![1]).toBeCloseTo(at(1000, 400)[1], 7);
    // Two places on one edge: straight along it.
    const along = routeBetween(network, attachToRoad(network, ...at(900, 0))!, attachToRoad(network, ...at(100, 0))!)!;
    expect(along.driveSeconds).toBeCloseTo(0.8 * valleyWest!, 6);
    expect(along.line[0]![0]).toBeCloseTo(at(900, 0)[0], 7);
  });
});

describe('one-way roads and large node ids', () => {
  // A loop of free-flowing roads (every node joins two edges, so no end slows), 36 km/h:
  //   node A (0, 0) ——one-way east, 1000 m, 100 s——▶ node B (1000, 0)
  //   B → C (1000, 1000): 1000 m, 100 s; C → A straight back: 1414.2 m, 141.42 s; both two-way.
  // Node and edge ids beyond 2³¹, as OpenStreetMap's are.
  const [A, B, C] = [3_000_000_001, 2 ** 33, 2 ** 52 + 1];
  const loop = buildRoadNetwork([
    {
      id: 2 ** 40,
      source: A,
      target: B,
      lengthMetres: 1000,
      ...flat,
      oneWay: 'forward',
      coordinates: [at(0, 0), at(1000, 0)],
    },
    { id: 2 ** 40 + 1, source: B, target: C, lengthMetres: 1000, ...flat, coordinates: [at(1000, 0), at(1000, 1000)] },
    {
      id: 2 ** 40 + 2,
      source: C,
      target: A,
      lengthMetres: 1000 * Math.SQRT2,
      ...flat,
      coordinates: [at(1000, 1000), at(0, 0)],
    },
  ]);
  const onOneWay = (fraction: number) => ({ edge: 0, fraction, offRoadMetres: 0, lon: 0, lat: 0 });

  it('keeps node and edge ids above 2³¹', () => {
    expect(Array.from(loop.drive.nodeIds)).toEqual([A, B, C]);
    expect(Array.from(loop.edgeIds)).toEqual([2 ** 40, 2 ** 40 + 1, 2 ** 40 + 2]);
    expect(nodeIndex(loop.drive, C)).toBe(2);
    expect(Array.from(loop.forwardSeconds)).toEqual(
      [100, 100, 100 * Math.SQRT2].map((s) => expect.closeTo(s, 6) as number),
    );
    expect(loop.backwardSeconds[0]).toBe(Infinity);
  });

  it('drives a one-way edge only forwards, also from and to places at its ends', () => {
    const atA = onOneWay(0);
    const atB = onOneWay(1);
    const halfway = onOneWay(0.5);
    // Before the fix, a place at an end of a one-way edge cost 0 × Infinity = NaN.
    expect(costsFrom(loop, atA, [atB, halfway, atA])[0]).toBeCloseTo(100, 6);
    expect(Array.from(costsFrom(loop, atA, [atB, halfway, atA]))).toEqual([
      expect.closeTo(100, 6),
      expect.closeTo(50, 6),
      0,
    ]);
    // Back against the one-way: round the loop, B → C → A (241.42 s).
    const round = 100 + 100 * Math.SQRT2;
    expect(Array.from(costsFrom(loop, atB, [atA, halfway]))).toEqual([
      expect.closeTo(round, 6),
      expect.closeTo(round + 50, 6),
    ]);
    expect(Array.from(costsFrom(loop, halfway, [atA, atB]))).toEqual([
      expect.closeTo(50 + round, 6),
      expect.closeTo(50, 6),
    ]);
  });

  it('reaches no part of a one-way edge against its direction in an isochrone', () => {
    const result = searchFrom(loop, onOneWay(1), 'drive', { maxSeconds: 150 });
    const reached = reachedRoads(loop, result, 150, onOneWay(1));
    expect(reached.nodes.map((n) => loop.drive.nodeIds[n])).toEqual([B, C]);
    expect(reached.full).toEqual([1]);
    // 50 s left at C: 50 / 141.42 of the way back to A.
    expect(reached.partial).toEqual([{ edge: 2, from: 0, to: expect.closeTo(50 / (100 * Math.SQRT2), 6) as number }]);
  });

  it('routes a visit round the loop rather than back down a one-way', () => {
    const route = routeBetween(loop, onOneWay(1), onOneWay(0))!;
    expect(route.driveSeconds).toBeCloseTo(100 + 100 * Math.SQRT2, 6);
    expect(route.line.map(([lon, lat]) => [Math.round((lon - 120) / M_LON), Math.round((lat - LAT) / M_LAT)])).toEqual([
      [1000, 0],
      [1000, 1000],
      [0, 0],
    ]);
  });
});
