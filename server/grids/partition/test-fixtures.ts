/** Hand-built and seeded synthetic townships for the partition tests and benchmark (not a test itself). */
import { Random } from '../../county/generate/random.js';
import { buildUnitGraph, DriveTimes } from './graph.js';
import { unitArrays } from './measure.js';
import type { PartitionContext } from './state.js';
import { DEFAULT_WEIGHTS, type PartitionUnit, type TargetOptions, type UnitEdge } from './types.js';
import { deepFreeze } from '../../../test/deep-freeze.js';

export { deepFreeze };

/** Units and road links of a township, as the partition takes them. */
export interface TownshipFixture {
  units: PartitionUnit[];
  edges: UnitEdge[];
}

/** A rows × cols lattice of hamlets, row-major, each linked to its 4 neighbours by `driveSeconds`. */
export function lattice(
  rows: number,
  cols: number,
  households: readonly number[],
  driveSeconds = 60,
  villageOf: (u: number) => number = () => 0,
): TownshipFixture {
  const units: PartitionUnit[] = households.map((h, u) => ({
    households: h,
    villageIndex: villageOf(u),
    kind: 'village',
  }));
  const edges: UnitEdge[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const u = r * cols + c;
      if (c + 1 < cols) edges.push({ a: u, b: u + 1, driveSeconds });
      if (r + 1 < rows) edges.push({ a: u, b: u + cols, driveSeconds });
    }
  }
  return { units, edges };
}

/** A strip valley: units 0..n-1 along one road, link i–(i+1) taking `seconds[i]`. */
export function strip(
  households: readonly number[],
  seconds: readonly number[],
  villages?: readonly number[],
): TownshipFixture {
  return {
    units: households.map((h, u) => ({ households: h, villageIndex: villages?.[u] ?? 0, kind: 'village' })),
    edges: seconds.map((s, i) => ({ a: i, b: i + 1, driveSeconds: s })),
  };
}

/**
 * A planar-ish random township: units scattered in a 10 km square, a random spanning tree
 * (each unit linked to its nearest earlier unit) plus extra links between near neighbours,
 * drive seconds from distance at 30 km/h with winding; villages by nearest village centre.
 */
export function randomTownship(
  seed: number | string,
  unitCount: number,
  options: { villages?: number; extraLinkChance?: number; communityShare?: number } = {},
): TownshipFixture {
  const random = new Random(seed);
  const x = Array.from({ length: unitCount }, () => random.uniform(0, 10_000));
  const y = Array.from({ length: unitCount }, () => random.uniform(0, 10_000));
  const villageCount = options.villages ?? Math.max(1, Math.round(unitCount / 12));
  const centres = Array.from({ length: villageCount }, (_, v) => v % unitCount);
  const distance = (a: number, b: number) => Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!);
  const seconds = (a: number, b: number) => Math.round((distance(a, b) / (30 / 3.6)) * random.uniform(1.2, 2));
  const communityVillages = new Set(
    [...Array(villageCount).keys()].filter(() => random.chance(options.communityShare ?? 0)),
  );
  const units: PartitionUnit[] = [];
  for (let u = 0; u < unitCount; u++) {
    let village = 0;
    for (let v = 1; v < villageCount; v++) if (distance(u, centres[v]!) < distance(u, centres[village]!)) village = v;
    units.push({
      households: random.int(4, 30),
      villageIndex: village,
      kind: communityVillages.has(village) ? 'community' : 'village',
      name: `U${u}`,
    });
  }
  const edges: UnitEdge[] = [];
  for (let u = 1; u < unitCount; u++) {
    let nearest = 0;
    for (let v = 1; v < u; v++) if (distance(u, v) < distance(u, nearest)) nearest = v;
    edges.push({ a: nearest, b: u, driveSeconds: seconds(u, nearest) });
  }
  const extra = options.extraLinkChance ?? 0.3;
  for (let u = 0; u < unitCount; u++) {
    const near = [...Array(unitCount).keys()]
      .filter((v) => v !== u)
      .sort((a, b) => distance(u, a) - distance(u, b))
      .slice(0, 3);
    for (const v of near) if (v > u && random.chance(extra)) edges.push({ a: u, b: v, driveSeconds: seconds(u, v) });
  }
  return { units, edges };
}

/**
 * A mountain township of strip valleys: a main valley road with side valleys branching off it
 * (a tree of chains, with a few loops over passes), hamlets strung along each road, villages as
 * consecutive stretches of a valley, and a denser community seat at the valley mouth.
 */
export function valleyTownship(seed: number | string, unitCount: number, seatUnits = 0): TownshipFixture {
  const random = new Random(seed);
  const units: PartitionUnit[] = [];
  const edges: UnitEdge[] = [];
  let village = 0;
  let villageLeft = 0;
  const addUnit = (kind: PartitionUnit['kind']): number => {
    if (villageLeft-- <= 0) {
      village++;
      villageLeft = random.int(8, 22);
    }
    units.push({
      households: kind === 'community' ? random.int(20, 30) : random.int(4, 30),
      villageIndex: kind === 'community' ? 10_000 + Math.floor(units.length / 12) : village,
      kind,
      name: `U${units.length}`,
    });
    return units.length - 1;
  };
  // Seat: a small lattice of community blocks at the mouth.
  const side = Math.max(1, Math.round(Math.sqrt(seatUnits)));
  for (let i = 0; i < seatUnits; i++) {
    const u = addUnit('community');
    if (i % side > 0) edges.push({ a: u - 1, b: u, driveSeconds: random.int(40, 90) });
    if (i >= side) edges.push({ a: u - side, b: u, driveSeconds: random.int(40, 90) });
  }
  const chainEnds: number[] = [];
  let attach = units.length > 0 ? 0 : -1;
  while (units.length < unitCount) {
    const length = Math.min(unitCount - units.length, random.int(6, 40));
    village++;
    villageLeft = random.int(8, 22);
    let previous = attach;
    for (let i = 0; i < length; i++) {
      const u = addUnit('village');
      if (previous >= 0) edges.push({ a: previous, b: u, driveSeconds: random.int(60, 300) });
      previous = u;
    }
    chainEnds.push(previous);
    // Next valley branches off somewhere along the roads built so far.
    attach = random.int(0, units.length - 1);
  }
  // A few passes join valley heads (long mountain roads).
  for (let i = 0; i + 1 < chainEnds.length; i += 3) {
    if (random.chance(0.5)) edges.push({ a: chainEnds[i]!, b: chainEnds[i + 1]!, driveSeconds: random.int(900, 1800) });
  }
  return { units, edges };
}

/** The partition context of a fixture with default weights, as the partition builds it. */
export function contextOf(
  fixture: TownshipFixture,
  targets: TargetOptions = {},
  toleranceRatio = 0.1,
): PartitionContext {
  const graph = buildUnitGraph(fixture.units.length, fixture.edges);
  return {
    graph,
    drive: new DriveTimes(graph),
    units: unitArrays(fixture.units, targets),
    weights: { ...DEFAULT_WEIGHTS, toleranceRatio },
  };
}

/** All labellings of n units into exactly k grids, each grid labelled by the order it first appears. */
export function allLabellings(n: number, k: number): Int32Array[] {
  const out: Int32Array[] = [];
  const labels = new Int32Array(n);
  const visit = (i: number, used: number) => {
    if (n - i < k - used) return;
    if (i === n) {
      out.push(labels.slice());
      return;
    }
    for (let g = 0; g <= Math.min(used, k - 1); g++) {
      labels[i] = g;
      visit(i + 1, Math.max(used, g + 1));
    }
  };
  visit(0, 0);
  return out;
}
