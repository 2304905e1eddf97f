import { describe, expect, it } from 'vitest';
import { Random } from '../../county/generate/random.js';
import { buildRoadNetwork, costsFrom, type RoadNetwork, type RoadPoint } from '../../routing/network.js';
import { deepFreeze } from '../partition/test-fixtures.js';
import { buildUnitGraph, isContiguous, partitionTownship } from '../partition/index.js';
import { buildUnits, cutSizes, type UnitHousehold, type UnitVillage } from './build-units.js';
import { orderMetres, roadOrder } from './road-order.js';
import { houseRow, lonLat, metricNetwork, type MetricRoad } from './test-fixtures.js';
import { linkUnits } from './unit-graph.js';

const village = (name: string, centre: [number, number]): UnitVillage => {
  const [centreLon, centreLat] = lonLat(centre);
  return { kind: 'village', name, centreLon, centreLat };
};
const households = (villageIndex: number, points: [number, number][]): UnitHousehold[] =>
  points.map((p) => {
    const [lon, lat] = lonLat(p);
    return { villageIndex, lon, lat };
  });
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * A Y of roads: a stem north from the village centre C (0, 0) to the junction J (0, 600), arm A
 * east from J to (900, 600), arm B west from J to (-1500, 600). 21 houses along the stem every
 * 25 m, 25 along A and 42 along B every 30 m from J, each 10 m off the road. Listed B, stem, A.
 */
const Y_ROADS: MetricRoad[] = [
  {
    source: 1,
    target: 2,
    points: [
      [0, 0],
      [0, 600],
    ],
  },
  {
    source: 2,
    target: 3,
    points: [
      [0, 600],
      [900, 600],
    ],
  },
  {
    source: 2,
    target: 4,
    points: [
      [0, 600],
      [-1500, 600],
    ],
  },
];
const Y_HOUSEHOLDS = deepFreeze(
  households(0, [
    ...houseRow(42, [-30, 600], [-30, 0], [0, -10]),
    ...houseRow(21, [0, 25], [0, 25], [10, 0]),
    ...houseRow(25, [30, 600], [30, 0], [0, 10]),
  ]),
);
const Y_VILLAGES = deepFreeze([village('Y村', [0, 0])]);

/**
 * A ridge between two legs of a valley road: from P's end (0, 0) south 3900 m, east 200 m, north
 * 3900 m to S's end (200, 0). Hamlets of 21 houses: P at the top and Q at the bottom of the west
 * leg (village 0, centre at P's end), R at the bottom and S at the top of the east leg (village 1,
 * centre at S's end). P and S are 200 m apart across the ridge, 7.8 km apart by road.
 */
const RIDGE_ROADS: MetricRoad[] = [
  {
    source: 1,
    target: 2,
    points: [
      [0, 0],
      [0, -3900],
    ],
  },
  {
    source: 2,
    target: 3,
    points: [
      [0, -3900],
      [200, -3900],
    ],
  },
  {
    source: 3,
    target: 4,
    points: [
      [200, -3900],
      [200, 0],
    ],
  },
];
const RIDGE_HOUSEHOLDS = deepFreeze([
  ...households(0, houseRow(21, [0, -20], [0, -15], [-10, 0])),
  ...households(0, houseRow(21, [0, -3500], [0, -15], [-10, 0])),
  ...households(1, houseRow(21, [200, -3800], [0, 15], [10, 0])),
  ...households(1, houseRow(21, [200, -20], [0, -15], [10, 0])),
]);
const RIDGE_VILLAGES = deepFreeze([village('西坑', [0, 0]), village('东坑', [200, 0])]);

const expectPoint = (point: RoadPoint | null, metres: [number, number]) => {
  const [lon, lat] = lonLat(metres);
  expect(point!.lon).toBeCloseTo(lon, 7);
  expect(point!.lat).toBeCloseTo(lat, 7);
  expect(point!.offRoadMetres).toBe(0);
};

/** The hand-made fixtures below hold hamlets of 21–42 houses, drawn for units of at most 30. */
const MAX_30 = { maxHouseholds: 30 };

const build = (
  network: RoadNetwork,
  villages: readonly UnitVillage[],
  input: readonly UnitHousehold[],
  options = {},
) => {
  const built = buildUnits(network, villages, input, options);
  const links = linkUnits(
    network,
    built.units.map((u) => u.representative),
    built.roadPoints,
    built.unitOfHousehold,
  );
  return { ...built, ...links };
};

describe('buildUnits on a Y of roads', () => {
  const network = metricNetwork(Y_ROADS);
  const result = build(network, Y_VILLAGES, Y_HOUSEHOLDS, MAX_30);

  it('keeps the stem and each arm together and splits the long arm into balanced halves', () => {
    // Stem | A: the junction J between them always cuts (and would anyway: a 105 m gap against
    // 25–30 m); A | B: 780 m back and out from J is a hamlet gap; B's 42 split 21/21.
    expect(result.units.map((u) => u.householdIndices)).toEqual([
      range(42, 21),
      range(63, 25),
      range(0, 21),
      range(21, 21),
    ]);
    expect(result.units.map((u) => [u.households, u.villageIndex, u.kind, u.name])).toEqual([
      [21, 0, 'village', 'Y村·1'],
      [25, 0, 'village', 'Y村·2'],
      [21, 0, 'village', 'Y村·3'],
      [21, 0, 'village', 'Y村·4'],
    ]);
    expect(Array.from(result.unitOfHousehold)).toEqual(
      Y_HOUSEHOLDS.map((_, h) => (h < 21 ? 2 : h < 42 ? 3 : h < 63 ? 0 : 1)),
    );
  });

  it('represents each unit by its middle household on the road', () => {
    expect(result.units.map((u) => u.medoidHousehold)).toEqual([52, 75, 10, 31]);
    expectPoint(result.units[0]!.representative, [0, 275]);
    expectPoint(result.units[1]!.representative, [390, 600]);
    expectPoint(result.units[2]!.representative, [-330, 600]);
    expectPoint(result.units[3]!.representative, [-960, 600]);
  });

  it('links units along the roads, the three that meet at the junction with each other, with drive times', () => {
    expect(result.edges.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
    // 10 m/s: stem 275→600 then along the arm; the arms' first units meet at J.
    const seconds = result.edges.map((e) => e.driveSeconds);
    expect(seconds[0]).toBeCloseTo((325 + 390) / 10, 6);
    expect(seconds[1]).toBeCloseTo((325 + 330) / 10, 6);
    expect(seconds[2]).toBeCloseTo((390 + 330) / 10, 6);
    expect(seconds[3]).toBeCloseTo(630 / 10, 6);
    expect(result.parts).toEqual([[0, 1, 2, 3]]);
  });

  it('never makes a unit above the maximum, and the maximum is an option', () => {
    const small = build(network, Y_VILLAGES, Y_HOUSEHOLDS, { maxHouseholds: 10 });
    // Stem 21 → 3 units and A 25 → 3 (the junction parts them); B 42 → 5 units.
    expect(small.units.map((u) => u.households)).toEqual([7, 7, 7, 9, 8, 8, 9, 9, 8, 8, 8]);
    expect(Math.max(...small.units.map((u) => u.households))).toBeLessThanOrEqual(10);
    expect(small.parts).toHaveLength(1);
    expect(() => buildUnits(network, Y_VILLAGES, Y_HOUSEHOLDS, { maxHouseholds: 0 })).toThrow(RangeError);
  });

  it('is deterministic and leaves its (frozen) input alone', () => {
    expect(build(network, Y_VILLAGES, Y_HOUSEHOLDS, MAX_30)).toEqual(result);
  });

  it('cuts a crossroads hamlet at the junction, so that the first unit on each road is linked to the others', () => {
    // 18 houses within 100 m of J, 6 on each road, 15 m apart: one stretch, no hamlet gap.
    const crossroads = deepFreeze(
      households(0, [
        ...houseRow(6, [0, 575], [0, -15], [10, 0]),
        ...houseRow(6, [25, 600], [15, 0], [0, 10]),
        ...houseRow(6, [-25, 600], [-15, 0], [0, -10]),
      ]),
    );
    const cut = build(network, Y_VILLAGES, crossroads, MAX_30);
    expect(cut.units.map((u) => [...u.householdIndices].sort((a, b) => a - b))).toEqual([
      range(0, 6),
      range(6, 6),
      range(12, 6),
    ]);
    // Any two of the three roads' units make a grid in one piece: none is the only way between the others.
    expect(cut.edges.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    const whole = build(network, Y_VILLAGES, crossroads, { ...MAX_30, cutAtJunctions: false });
    expect(whole.units.map((u) => u.households)).toEqual([18]);
    expect(whole.edges).toEqual([]);
  });
});

describe('buildUnits across a ridge', () => {
  const network = metricNetwork(RIDGE_ROADS);
  const result = build(network, RIDGE_VILLAGES, RIDGE_HOUSEHOLDS, MAX_30);

  it('makes one unit per hamlet, numbered by village then road order from the centre', () => {
    expect(result.units.map((u) => u.householdIndices)).toEqual([
      range(0, 21),
      range(21, 21),
      range(63, 21),
      range(42, 21).reverse(),
    ]);
    expect(result.units.map((u) => u.villageIndex)).toEqual([0, 0, 1, 1]);
    expectPoint(result.units[0]!.representative, [0, -170]);
    expectPoint(result.units[3]!.representative, [200, -3650]);
  });

  it('links hamlets only along the road, across the village border, and not across the ridge', () => {
    // Units: 0 = P, 1 = Q, 2 = S, 3 = R. P and S are 200 m apart in a straight line.
    expect(result.edges.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [1, 3],
      [2, 3],
    ]);
    const seconds = result.edges.map((e) => e.driveSeconds);
    expect(seconds[0]).toBeCloseTo(3480 / 10, 6);
    expect(seconds[1]).toBeCloseTo(700 / 10, 6);
    expect(seconds[2]).toBeCloseTo(3480 / 10, 6);
    expect(result.parts).toEqual([[0, 1, 2, 3]]);
  });

  it('reports the parts when no road joins the units', () => {
    // Cut the bottom road: each leg is its own road; village 0's centre is on the west leg.
    const cut = metricNetwork([RIDGE_ROADS[0]!, RIDGE_ROADS[2]!]);
    const parted = build(cut, RIDGE_VILLAGES, RIDGE_HOUSEHOLDS, MAX_30);
    expect(parted.edges.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(parted.parts).toEqual([
      [0, 1],
      [2, 3],
    ]);
    // One village over both legs: the households its centre's road does not reach come after a break.
    const oneVillage = RIDGE_HOUSEHOLDS.map((h) => ({ ...h, villageIndex: 0 }));
    const mixed = build(cut, [RIDGE_VILLAGES[0]!], oneVillage, MAX_30);
    expect(mixed.units.map((u) => u.householdIndices[0])).toEqual([0, 21, 63, 62]);
    expect(mixed.parts).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('orders by straight-line distance when there are no roads, and links nothing', () => {
    const none = build(buildRoadNetwork([]), RIDGE_VILLAGES, RIDGE_HOUSEHOLDS, MAX_30);
    expect(none.units.map((u) => u.householdIndices)).toEqual([
      range(0, 21),
      range(21, 21),
      range(63, 21),
      range(42, 21).reverse(),
    ]);
    expect(none.units.every((u) => u.representative === null)).toBe(true);
    expect(none.edges).toEqual([]);
    expect(none.parts).toEqual([[0], [1], [2], [3]]);
  });
});

describe('cutSizes', () => {
  it('gives near-equal sizes on an even street, earlier groups taking the remainder', () => {
    expect(cutSizes(new Array(69).fill(15), MAX_30)).toEqual([24, 23, 23]);
    expect(cutSizes(new Array(59).fill(15), MAX_30)).toEqual([30, 30]);
    expect(cutSizes(new Array(60).fill(15), MAX_30)).toEqual([21, 20, 20]);
    expect(cutSizes(new Array(29).fill(15), MAX_30)).toEqual([30]);
    expect(cutSizes([])).toEqual([1]);
    // The default maximum is 20: 200 households are ten units, 300 fifteen.
    expect(cutSizes(new Array(199).fill(15))).toEqual(new Array(10).fill(20));
    expect(cutSizes(new Array(59).fill(15))).toEqual([20, 20, 20]);
    expect(cutSizes(new Array(20).fill(15))).toEqual([11, 10]);
  });

  it('cuts at every hamlet gap and prefers big gaps within the balance band', () => {
    const gaps = new Array(39).fill(15);
    gaps[4] = 400; // hamlet of 5, then 35 → 2 × (18 or 17)
    expect(cutSizes(gaps, MAX_30)).toEqual([5, 18, 17]);
    gaps[4] = 15;
    gaps[14] = 80; // a gap after 15 of 40: within the band [15, 25] → cut there
    expect(cutSizes(gaps, MAX_30)).toEqual([15, 25]);
    gaps[14] = 15;
    gaps[9] = 80; // after 10: outside the band → ignored
    expect(cutSizes(gaps, MAX_30)).toEqual([20, 20]);
    expect(cutSizes(gaps, { ...MAX_30, balanceSlackRatio: 0.5 })).toEqual([10, 30]);
    expect(cutSizes([15, Infinity, 15])).toEqual([2, 2]);
  });

  it('finds the best cuts (brute force on small random stretches)', () => {
    const random = new Random('unit-cuts');
    for (let trial = 0; trial < 200; trial++) {
      const m = random.int(5, 13);
      const max = random.int(2, 5);
      const gaps = Array.from({ length: m - 1 }, () => random.int(5, 60));
      const sizes = cutSizes(gaps, { maxHouseholds: max });
      const k = Math.ceil(m / max);
      const lo = Math.max(1, Math.floor((m / k) * 0.75));
      const hi = Math.min(max, Math.max(Math.ceil(m / k), Math.floor((m / k) * 1.25)));
      const value = (s: number[]) => {
        let at = 0;
        let gapSteps = 0;
        let imbalance = 0;
        s.forEach((size, i) => {
          if (i > 0) gapSteps += Math.floor(gaps[at - 1]! / 10);
          imbalance += (k * size - m) ** 2;
          at += size;
        });
        return [gapSteps, -imbalance] as const;
      };
      let best: readonly [number, number] = [-Infinity, -Infinity];
      const search = (left: number, chosen: number[]) => {
        if (chosen.length === k) {
          if (left !== 0) return;
          const v = value(chosen);
          if (v[0] > best[0] || (v[0] === best[0] && v[1] > best[1])) best = v;
          return;
        }
        for (let s = lo; s <= Math.min(hi, left); s++) search(left - s, [...chosen, s]);
      };
      search(m, []);
      expect(sizes).toHaveLength(k);
      expect(sizes.every((s) => s >= lo && s <= hi)).toBe(true);
      expect(value(sizes)).toEqual(best);
    }
  });
});

/** A random tree of straight roads (each from an existing node), seeded. */
function randomTree(random: Random, edges: number): { roads: MetricRoad[]; nodes: [number, number][] } {
  const nodes: [number, number][] = [[0, 0]];
  const roads: MetricRoad[] = [];
  for (let e = 0; e < edges; e++) {
    const from = random.int(0, nodes.length - 1);
    const angle = random.uniform(0, 2 * Math.PI);
    const length = random.uniform(150, 700);
    const [x, y] = nodes[from]!;
    const to: [number, number] = [x + length * Math.cos(angle), y + length * Math.sin(angle)];
    nodes.push(to);
    roads.push({ source: from + 1, target: nodes.length, points: [[x, y], to] });
  }
  return { roads, nodes };
}

describe('road order and units on random road trees', () => {
  it('orders depth-first: the road distance of any two households follows from the order', () => {
    for (let trial = 0; trial < 5; trial++) {
      const random = new Random(`road-order-${trial}`);
      const { roads } = randomTree(random, 12);
      const network = metricNetwork(roads);
      const points: RoadPoint[] = [];
      for (let h = 0; h < 50; h++) {
        const road = roads[random.int(0, roads.length - 1)]!;
        const [[x1, y1], [x2, y2]] = road.points as [[number, number], [number, number]];
        const t = random.uniform(0, 1);
        const [lon, lat] = lonLat([x1 + t * (x2 - x1), y1 + t * (y2 - y1)]);
        points.push({ edge: roads.indexOf(road), fraction: t, offRoadMetres: 0, lon, lat });
      }
      const root = points[random.int(0, points.length - 1)]!;
      const road = roadOrder(network, root, range(0, points.length), points);
      expect([...road.order].sort((a, b) => a - b)).toEqual(range(0, points.length));
      const rootMetres = costsFrom(
        network,
        root,
        road.order.map((h) => points[h]!),
        'walk',
      );
      road.order.forEach((_, i) => expect(road.depthMetres[i]).toBeCloseTo(rootMetres[i]!, 6));
      for (let i = 0; i < road.order.length; i++) {
        const truth = costsFrom(
          network,
          points[road.order[i]!]!,
          road.order.map((h) => points[h]!),
          'walk',
        );
        for (let j = 0; j < road.order.length; j++) expect(orderMetres(road, i, j)).toBeCloseTo(truth[j]!, 6);
      }
    }
  });

  it('puts every household in one unit of at most 20 (the default), links the units into one part, and partitions contiguously', () => {
    for (let trial = 0; trial < 4; trial++) {
      const random = new Random(`units-${trial}`);
      const { roads, nodes } = randomTree(random, 30);
      const network = metricNetwork(roads);
      const villageCount = 5;
      const villages = range(0, villageCount).map((v) => village(`村${v}`, nodes[random.int(0, nodes.length - 1)]!));
      const input: UnitHousehold[] = [];
      for (let h = 0; h < 1500; h++) {
        const road = roads[random.int(0, roads.length - 1)]!;
        const [[x1, y1], [x2, y2]] = road.points as [[number, number], [number, number]];
        const t = random.uniform(0, 1);
        const side = random.uniform(-25, 25);
        const length = Math.hypot(x2 - x1, y2 - y1);
        const x = x1 + t * (x2 - x1) - (side * (y2 - y1)) / length;
        const y = y1 + t * (y2 - y1) + (side * (x2 - x1)) / length;
        input.push(...households(random.int(0, villageCount - 1), [[x, y]]));
      }
      deepFreeze(input);
      const result = build(network, villages, input);
      const seen = new Int32Array(input.length);
      result.units.forEach((unit, u) => {
        expect(unit.households).toBe(unit.householdIndices.length);
        expect(unit.households).toBeGreaterThan(0);
        expect(unit.households).toBeLessThanOrEqual(20);
        for (const h of unit.householdIndices) {
          seen[h]!++;
          expect(result.unitOfHousehold[h]).toBe(u);
          expect(input[h]!.villageIndex).toBe(unit.villageIndex);
        }
      });
      expect(seen.every((count) => count === 1)).toBe(true);
      expect(result.parts).toHaveLength(1);
      for (const { a, b, driveSeconds } of result.edges.slice(0, 20)) {
        const there = costsFrom(network, result.units[a]!.representative!, [result.units[b]!.representative!])[0]!;
        const back = costsFrom(network, result.units[b]!.representative!, [result.units[a]!.representative!])[0]!;
        expect(driveSeconds).toBeCloseTo((there + back) / 2, 6);
      }
      const graph = buildUnitGraph(result.units.length, result.edges);
      const plan = partitionTownship(result.units, graph, { seed: trial + 1, restarts: 1 });
      expect(plan.summary.unassigned).toBe(0);
      for (const grid of plan.grids) expect(isContiguous(grid.units, graph)).toBe(true);
    }
  });
});
