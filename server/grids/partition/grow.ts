import type { Random } from '../../county/generate/random.js';
import { MinHeap } from '../../lib/min-heap.js';
import { servicePoint } from './measure.js';
import type { PartitionContext, PlanState } from './state.js';

/**
 * k seeds for a connected part, k-medoids style on drive time: k-means++ sampling (probability ∝
 * load · drive² to the nearest seed, so busy, distant places get seeds), then Lloyd rounds that
 * move each seed to the household-weighted travel-time median of the units nearest to it.
 * `part` must be ascending.
 */
export function chooseSeeds(
  context: PartitionContext,
  part: readonly number[],
  k: number,
  random: Random,
  lloydRounds = 5,
): number[] {
  const { drive, units } = context;
  const m = part.length;
  let totalLoad = 0;
  for (const u of part) totalLoad += units.load[u]!;
  const weight = (i: number) => (totalLoad > 0 ? units.load[part[i]!]! : 1);
  const nearest = new Float64Array(m).fill(Infinity);
  const chosen = new Uint8Array(m);
  const seeds: number[] = [];
  let pick = sample(m, weight, random);
  for (;;) {
    chosen[pick] = 1;
    seeds.push(part[pick]!);
    if (seeds.length === k) break;
    const row = drive.row(part[pick]!);
    for (let i = 0; i < m; i++) nearest[i] = Math.min(nearest[i]!, row[part[i]!]!);
    pick = sample(m, (i) => (chosen[i] ? 0 : weight(i) * nearest[i]! * nearest[i]!), random);
    // All remaining weight zero (units at zero drive, or without households): take the first free unit.
    if (pick < 0 || chosen[pick]) pick = chosen.indexOf(0);
  }

  const cluster = new Int32Array(m);
  for (let round = 0; round < lloydRounds; round++) {
    const rows = seeds.map((s) => drive.row(s));
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let s = 1; s < k; s++) if (rows[s]![part[i]!]! < rows[best]![part[i]!]!) best = s;
      cluster[i] = best;
    }
    const next = seeds.map((seed, s) => {
      const members = part.filter((_, i) => cluster[i] === s);
      return members.length > 0 ? servicePoint(members, units.households, drive).unit : seed;
    });
    const same = next.every((seed, s) => seed === seeds[s]);
    // An emptied cluster keeps its old seed, which may now be another cluster's median.
    if (same || new Set(next).size < k) break;
    for (let s = 0; s < k; s++) seeds[s] = next[s]!;
  }
  return seeds;
}

/** Index in 0..m-1 drawn with probability ∝ weight, or -1 when every weight is zero. */
function sample(m: number, weight: (i: number) => number, random: Random): number {
  let total = 0;
  for (let i = 0; i < m; i++) total += weight(i);
  if (!(total > 0) || !Number.isFinite(total)) return -1;
  let target = random.next() * total;
  let last = -1;
  for (let i = 0; i < m; i++) {
    const w = weight(i);
    if (w <= 0) continue;
    last = i;
    target -= w;
    if (target < 0) return i;
  }
  return last;
}

/**
 * Balanced region growing: the least-loaded grid that can still grow takes its nearest free
 * neighbouring unit (by drive from its `origins` unit), until every unit of the part has a
 * grid. Grids stay contiguous because they only take units next to them. The grids must
 * already hold their seed (or existing) units; returns the number of part units left without
 * a grid (units no grid can reach).
 */
export function growRegions(
  state: PlanState,
  part: readonly number[],
  grids: readonly number[],
  origins: readonly number[],
): number {
  const { graph, drive } = state.context;
  const { adjStart, adjTarget } = graph;
  const inPart = new Uint8Array(state.unitCount);
  let remaining = 0;
  for (const u of part) {
    inPart[u] = 1;
    if (state.assign[u]! < 0) remaining++;
  }
  const heaps = grids.map(() => new MinHeap(16));
  const rows = origins.map((origin) => drive.row(origin));
  const pushNeighbours = (i: number, u: number) => {
    for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
      const v = adjTarget[e]!;
      if (inPart[v] && state.assign[v]! < 0) heaps[i]!.push(rows[i]![v]!, v);
    }
  };
  grids.forEach((g, i) => {
    for (const u of state.members[g]!) pushNeighbours(i, u);
  });
  while (remaining > 0) {
    let chosen = -1;
    for (let i = 0; i < grids.length; i++) {
      if (heaps[i]!.size === 0) continue;
      if (chosen < 0 || state.load[grids[i]!]! < state.load[grids[chosen]!]!) chosen = i;
    }
    if (chosen < 0) break;
    const v = heaps[chosen]!.pop();
    if (state.assign[v]! >= 0) continue;
    state.add(v, grids[chosen]!);
    remaining--;
    pushNeighbours(chosen, v);
  }
  return remaining;
}

/** Seeds the grids of a part (one seed each) and grows them over the whole part. */
export function growFromSeeds(
  state: PlanState,
  part: readonly number[],
  grids: readonly number[],
  seeds: readonly number[],
): void {
  grids.forEach((g, i) => state.add(seeds[i]!, g));
  growRegions(state, part, grids, seeds);
}
