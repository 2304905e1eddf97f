import { attachToRoad, type RoadNetwork, type RoadPoint } from '../../routing/network.js';
import type { PartitionUnit, UnitKind } from '../partition/types.js';
import { orderMetres, roadOrder, type RoadOrder } from './road-order.js';

/** A village as the unit builder takes it: kind, name and centre (where its road order starts). */
export interface UnitVillage {
  kind: UnitKind;
  name?: string;
  centreLon: number;
  centreLat: number;
}

/** A household as the unit builder takes it: its village (index into the villages) and location. */
export interface UnitHousehold {
  villageIndex: number;
  lon: number;
  lat: number;
}

/** How households are grouped into units. */
export interface UnitOptions {
  /**
   * Most households in one unit (default 20): ten make a rural grid of 200 and fifteen an urban
   * one of 300, so that ±10 % is one unit either way.
   */
  maxHouseholds?: number;
  /** A walk gap along the road at least this long always separates units: hamlets stay whole (default 300 m). */
  hamletGapMetres?: number;
  /** Unit sizes within a stretch stay within ±this of the stretch's mean (default 0.25; never above the maximum). */
  balanceSlackRatio?: number;
  /** Gaps are compared in steps of this many metres, so that near-equal gaps tie and balance decides (default 10 m). */
  gapStepMetres?: number;
  /**
   * A road junction between two households always separates units, like a hamlet gap (default
   * true). Then the first units out of a junction are all linked to each other; a unit holding
   * houses on two sides of a junction would instead be the only way between the branches, and
   * a grid could not take two short dead-end branches without it.
   */
  cutAtJunctions?: boolean;
}

/** Default options of `buildUnits`. */
export const DEFAULT_UNIT_OPTIONS: Readonly<Required<UnitOptions>> = Object.freeze({
  maxHouseholds: 20,
  hamletGapMetres: 300,
  balanceSlackRatio: 0.25,
  gapStepMetres: 10,
  cutAtJunctions: true,
});

/** A unit with the households it is made of and where it is on the road. */
export interface BuiltUnit extends PartitionUnit {
  /** Input indices of its households, in road order. */
  householdIndices: number[];
  /** The household whose road point has the least total road distance to the others' (the medoid). */
  medoidHousehold: number;
  /** The medoid's road point, taken on the road (offRoadMetres 0); null when there are no roads. */
  representative: RoadPoint | null;
}

/** What `buildUnits` returns: units numbered by village, then road order within the village. */
export interface BuiltUnits {
  units: BuiltUnit[];
  /** Unit index of each input household. */
  unitOfHousehold: Int32Array;
  /** Each household's nearest road point (null when there are no roads). */
  roadPoints: (RoadPoint | null)[];
}

/**
 * Groups each village's households into units along its roads: every household is attached to
 * its nearest road point, the village's households are put in road order (depth-first along the
 * road tree from the village centre), the order is cut at every gap of `hamletGapMetres` or more
 * and at every road junction, and each stretch into ceil(n / max) groups of balanced size,
 * cutting at the biggest gaps.
 * Without roads, households are ordered by straight-line distance from the centre.
 */
export function buildUnits(
  network: RoadNetwork,
  villages: readonly UnitVillage[],
  households: readonly UnitHousehold[],
  options: UnitOptions = {},
): BuiltUnits {
  const settings = { ...DEFAULT_UNIT_OPTIONS, ...options };
  if (!Number.isInteger(settings.maxHouseholds) || settings.maxHouseholds < 1) {
    throw new RangeError(`maxHouseholds must be a positive integer (got ${settings.maxHouseholds})`);
  }
  const roadPoints = households.map((h) => attachToRoad(network, h.lon, h.lat));
  const chains = settings.cutAtJunctions ? roadChains(network) : null;
  const byVillage: number[][] = villages.map(() => []);
  households.forEach((h, i) => {
    const list = byVillage[h.villageIndex];
    if (!list) throw new RangeError(`Household ${i} names village ${h.villageIndex} of ${villages.length}`);
    list.push(i);
  });

  const units: BuiltUnit[] = [];
  const unitOfHousehold = new Int32Array(households.length).fill(-1);
  villages.forEach((village, v) => {
    const members = byVillage[v]!;
    if (members.length === 0) return;
    const centre = attachToRoad(network, village.centreLon, village.centreLat);
    const road = centre ? roadOrder(network, centre, members, roadPoints) : straightOrder(village, members, households);
    const gaps = Array.from(road.meetMetres, (_, i) => orderMetres(road, i, i + 1));
    if (chains) {
      for (let i = 0; i < gaps.length; i++) {
        const a = roadPoints[road.order[i]!];
        const b = roadPoints[road.order[i + 1]!];
        if (a && b && chains[a.edge] !== chains[b.edge]) gaps[i] = Infinity;
      }
    }
    let at = 0;
    let number = 0;
    for (const size of cutSizes(gaps, settings)) {
      const indices = road.order.slice(at, at + size);
      const medoid = medoidOf(road, at, size);
      const point = roadPoints[road.order[medoid]!] ?? null;
      for (const h of indices) unitOfHousehold[h] = units.length;
      number++;
      units.push({
        households: size,
        villageIndex: v,
        kind: village.kind,
        ...(village.name === undefined ? {} : { name: `${village.name}·${number}` }),
        householdIndices: indices,
        medoidHousehold: road.order[medoid]!,
        representative: point ? { ...point, offRoadMetres: 0 } : null,
      });
      at += size;
    }
  });
  return { units, unitOfHousehold, roadPoints };
}

/**
 * Sizes of the consecutive groups an ordered run of households is cut into (n = gaps.length + 1):
 * a cut at every gap ≥ hamletGapMetres (or infinite); each stretch between them into
 * k = ceil(m / max) groups, each of size within mean ± slack and at most max, choosing, first,
 * the cuts with the largest gaps (counted in whole `gapStepMetres`), then the most even sizes.
 */
export function cutSizes(gaps: readonly number[], options: UnitOptions = {}): number[] {
  const { maxHouseholds, hamletGapMetres, balanceSlackRatio, gapStepMetres } = { ...DEFAULT_UNIT_OPTIONS, ...options };
  const n = gaps.length + 1;
  const sizes: number[] = [];
  let start = 0;
  for (let i = 0; i <= gaps.length; i++) {
    const last = i === gaps.length;
    if (!last && gaps[i]! < hamletGapMetres) continue;
    const stretch = gaps.slice(start, i);
    sizes.push(...cutStretch(stretch, maxHouseholds, balanceSlackRatio, gapStepMetres));
    start = i + 1;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) throw new Error('cutSizes lost households');
  return sizes;
}

/** Cut one stretch of m = gaps.length + 1 households by dynamic programming over (groups, prefix). */
function cutStretch(gaps: readonly number[], max: number, slack: number, stepMetres: number): number[] {
  const m = gaps.length + 1;
  const k = Math.ceil(m / max);
  if (k === 1) return [m];
  const lo = Math.max(1, Math.floor((m / k) * (1 - slack)));
  const hi = Math.min(max, Math.max(Math.ceil(m / k), Math.floor((m / k) * (1 + slack))));
  // Integer scores keep ties exact: gap steps weigh more than any imbalance (k·s − m)².
  const imbalanceBound = k * (k * max) ** 2 + 1;
  // The tiny allowance keeps a gap of exactly 30 m from counting as 29.999… m.
  const cutScore = (q: number) => Math.min(10_000, Math.floor(gaps[q - 1]! / stepMetres + 1e-6)) * imbalanceBound;
  const best = Array.from({ length: k + 1 }, () => new Float64Array(m + 1).fill(-Infinity));
  const from = Array.from({ length: k + 1 }, () => new Int32Array(m + 1).fill(-1));
  best[0]![0] = 0;
  for (let j = 1; j <= k; j++) {
    for (let p = j * lo; p <= Math.min(m, j * hi); p++) {
      for (let s = lo; s <= hi && s <= p; s++) {
        const q = p - s;
        const before = best[j - 1]![q]!;
        if (before === -Infinity) continue;
        const value = before + (q > 0 ? cutScore(q) : 0) - (k * s - m) ** 2;
        if (value > best[j]![p]!) {
          best[j]![p] = value;
          from[j]![p] = q;
        }
      }
    }
  }
  const sizes: number[] = [];
  for (let j = k, p = m; j > 0; j--) {
    const q = from[j]![p]!;
    sizes.push(p - q);
    p = q;
  }
  return sizes.reverse();
}

/** Position (in the road order) of the medoid of the group order[at .. at + size), first on ties. */
function medoidOf(road: RoadOrder, at: number, size: number): number {
  const end = at + size;
  let best = at;
  let bestMetres = Infinity;
  for (let i = at; i < end; i++) {
    // Running minimum of the meets on each side of i: O(size²) per group.
    let total = 0;
    let junction = Infinity;
    for (let j = i + 1; j < end; j++) {
      junction = Math.min(junction, road.meetMetres[j - 1]!);
      total += road.depthMetres[i]! + road.depthMetres[j]! - 2 * junction;
    }
    junction = Infinity;
    for (let j = i - 1; j >= at; j--) {
      junction = Math.min(junction, road.meetMetres[j]!);
      total += road.depthMetres[i]! + road.depthMetres[j]! - 2 * junction;
    }
    if (total < bestMetres) {
      best = i;
      bestMetres = total;
    }
  }
  return best;
}

/** Without roads: households by straight-line distance from the centre, on a line through it. */
function straightOrder(
  village: UnitVillage,
  members: readonly number[],
  households: readonly UnitHousehold[],
): RoadOrder {
  const metresPerDegreeLat = 110_574;
  const metresPerDegreeLon = 111_320 * Math.cos((village.centreLat * Math.PI) / 180);
  const metres = (h: number) =>
    Math.hypot(
      (households[h]!.lon - village.centreLon) * metresPerDegreeLon,
      (households[h]!.lat - village.centreLat) * metresPerDegreeLat,
    );
  const order = [...members].sort((a, b) => metres(a) - metres(b) || a - b);
  const depthMetres = Float64Array.from(order, metres);
  // Treated as one line out from the centre: the meet of two neighbours is the nearer one.
  const meetMetres = Float64Array.from(order.slice(1), (_, i) => depthMetres[i]!);
  return { order, depthMetres, meetMetres };
}

const chainsOf = new WeakMap<RoadNetwork, Int32Array>();

/**
 * Each edge's chain: the run of edges joined end to end at nodes of degree 2, from junction
 * (degree 3 or more) or dead end to junction or dead end. Road points on different chains have a
 * junction between them. Cached per network.
 */
function roadChains(network: RoadNetwork): Int32Array {
  const cached = chainsOf.get(network);
  if (cached) return cached;
  const { edgeCount, edgeSource, edgeTarget } = network;
  const incident = new Map<number, number[]>();
  for (let e = 0; e < edgeCount; e++) {
    for (const node of [edgeSource[e]!, edgeTarget[e]!]) {
      const list = incident.get(node);
      if (list) list.push(e);
      else incident.set(node, [e]);
    }
  }
  const root = Int32Array.from({ length: edgeCount }, (_, e) => e);
  const find = (e: number): number => {
    while (root[e] !== e) e = root[e] = root[root[e]!]!;
    return e;
  };
  for (const list of incident.values()) {
    if (list.length === 2) root[find(list[0]!)] = find(list[1]!);
  }
  const chains = Int32Array.from({ length: edgeCount }, (_, e) => find(e));
  chainsOf.set(network, chains);
  return chains;
}
