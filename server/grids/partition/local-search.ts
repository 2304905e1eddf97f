import type { Random } from '../../county/generate/random.js';
import { randomEdgeOrder, regionEdges, roadEdgeOrder, SpanningTree } from './spanning-tree.js';
import { balanceCost, driveCost, type PlanState } from './state.js';
import { splitTreeExactly } from './tree-dp.js';

/** Improvements smaller than this are float noise, not progress (costs are ~1–10⁴). */
const EPSILON = 1e-7;

/** Fisher–Yates shuffle of a copy, driven by the seeded generator. */
function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * Boundary moves: each movable unit of `part` may move to a neighbouring open grid when that
 * lowers the plan's cost and its own grid stays in one piece (checked by a search around the
 * unit). Passes over the part in a seeded order until a pass changes nothing. Returns the
 * number of moves made.
 */
export function improveByMoves(state: PlanState, part: readonly number[], random: Random, maxPasses = 40): number {
  const { graph, units, weights } = state.context;
  const { adjStart, adjTarget } = graph;
  const candidates: number[] = [];
  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let movedThisPass = 0;
    for (const u of shuffled(part, random)) {
      const a = state.assign[u]!;
      if (!state.movable[u] || a < 0 || state.members[a]!.length <= 1) continue;
      candidates.length = 0;
      for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
        const b = state.assign[adjTarget[e]!]!;
        if (b >= 0 && b !== a && state.open[b] && !candidates.includes(b)) candidates.push(b);
      }
      if (candidates.length === 0 || !state.removalKeepsPieces(u)) continue;
      const load = units.load[u]!;
      const listA = state.members[a]!;
      const costA = state.gridCost(a);
      const newCostA =
        balanceCost(state.load[a]! - load, weights) + driveCost(state.listDrive(listA, listA.length, u, -1), weights);
      let bestDelta = -EPSILON;
      let best = -1;
      for (const b of candidates) {
        const listB = state.members[b]!;
        const newCostB =
          balanceCost(state.load[b]! + load, weights) + driveCost(state.listDrive(listB, listB.length, -1, u), weights);
        const delta = newCostA + newCostB - costA - state.gridCost(b) + weights.villageSplit * state.splitDelta(u, b);
        if (delta < bestDelta) {
          bestDelta = delta;
          best = b;
        }
      }
      if (best >= 0) {
        state.move(u, best);
        movedThisPass++;
      }
    }
    moves += movedThisPass;
    if (movedThisPass === 0) break;
  }
  return moves;
}

/** Grids among `grids` that may be re-split: open, with every unit movable. */
function recombinableGrids(state: PlanState, grids: readonly number[]): Set<number> {
  return new Set(grids.filter((g) => state.open[g] && state.members[g]!.every((u) => state.movable[u])));
}

/** Neighbouring grids of g (by road links) within `among`, ascending. */
function neighbourGrids(state: PlanState, g: number, among: ReadonlySet<number>): number[] {
  const { adjStart, adjTarget } = state.context.graph;
  const out = new Set<number>();
  for (const u of state.members[g]!) {
    for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
      const b = state.assign[adjTarget[e]!]!;
      if (b !== g && among.has(b)) out.add(b);
    }
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * Recombination (merge and split): for neighbouring grid pairs whose units are all movable,
 * merge the two, draw seeded random spanning trees of the merged area, and cut the tree edge
 * that gives the cheapest two pieces (both connected, being subtrees). The pair takes the
 * split when it beats the current one. Escapes the local optima of single moves, e.g. two
 * grids that must swap a whole hamlet chain. Returns the number of pairs re-split.
 */
export function improveByRecombination(
  state: PlanState,
  grids: readonly number[],
  random: Random,
  treesPerPair = 6,
  cutsPerTree = 4,
): number {
  const { graph, units, weights } = state.context;
  const recombinable = recombinableGrids(state, grids);
  const pairs: [number, number][] = [];
  for (const a of [...recombinable].sort((x, y) => x - y)) {
    for (const b of neighbourGrids(state, a, recombinable)) if (b > a) pairs.push([a, b]);
  }
  let improved = 0;

  for (const [a, b] of shuffled(pairs, random)) {
    const region = [...state.members[a]!, ...state.members[b]!].sort((x, y) => x - y);
    const m = region.length;
    if (m < 2) continue;
    const { from: edgeFrom, to: edgeTo } = regionEdges(graph, region);
    let totalLoad = 0;
    for (const u of region) totalLoad += units.load[u]!;
    const villageSlack = weights.villageSplit * new Set(region.map((u) => units.village[u]!)).size;
    let bestCost = state.gridCost(a) + state.gridCost(b) - EPSILON;
    let bestSide: Uint8Array | null = null;

    const tree = new SpanningTree(m);
    const subLoad = new Float64Array(m);
    for (let t = 0; t < treesPerPair; t++) {
      // Not connected (a hand-drawn pair in pieces): nothing to cut.
      if (!tree.build(edgeFrom, edgeTo, randomEdgeOrder(edgeFrom.length, random))) break;
      subLoad.fill(0);
      for (let i = m - 1; i >= 0; i--) {
        const x = tree.order[i]!;
        subLoad[x]! += units.load[region[x]!]!;
        if (tree.parent[x]! >= 0) subLoad[tree.parent[x]!]! += subLoad[x]!;
      }
      // Cheapest cuts by balance first; only those get the O(m²) drive pricing.
      const cuts: { node: number; balance: number }[] = [];
      for (let x = 0; x < m; x++) {
        if (tree.parent[x]! < 0) continue;
        const balance = balanceCost(subLoad[x]!, weights) + balanceCost(totalLoad - subLoad[x]!, weights);
        cuts.push({ node: x, balance });
      }
      cuts.sort((p, q) => p.balance - q.balance || p.node - q.node);
      for (const cut of cuts.slice(0, cutsPerTree)) {
        // Village splits can lower the cost by at most one per village of the area.
        if (cut.balance - villageSlack >= bestCost) break;
        const side = new Uint8Array(m);
        const start = tree.preorderIndex[cut.node]!;
        for (let i = start; i < start + tree.size[cut.node]!; i++) side[tree.order[i]!] = 1;
        const cost = pricePieces(state, region, side, [a, b]);
        if (cost < bestCost) {
          bestCost = cost;
          bestSide = side;
        }
      }
    }
    if (!bestSide) continue;
    applyPieces(state, region, bestSide, [a, b]);
    improved++;
  }
  return improved;
}

/**
 * Cost of re-splitting the grids `before` (merged into `region`) into pieces labelled
 * 0..k-1: each piece's balance and drive, plus the change in village splits.
 */
function pricePieces(
  state: PlanState,
  region: readonly number[],
  labels: ArrayLike<number>,
  before: readonly number[],
): number {
  const { units, weights } = state.context;
  const k = before.length;
  const lists: number[][] = before.map(() => []);
  const loads = new Float64Array(k);
  region.forEach((u, i) => {
    lists[labels[i]!]!.push(u);
    loads[labels[i]!]! += units.load[u]!;
  });
  let cost = 0;
  for (let p = 0; p < k; p++) {
    if (lists[p]!.length === 0) return Infinity;
    cost += balanceCost(loads[p]!, weights) + driveCost(state.listDrive(lists[p]!, lists[p]!.length, -1, -1), weights);
  }
  const piecesOfVillage = new Map<number, number>();
  region.forEach((u, i) => {
    const v = units.village[u]!;
    piecesOfVillage.set(v, (piecesOfVillage.get(v) ?? 0) | (1 << labels[i]!));
  });
  let delta = 0;
  for (const [v, mask] of piecesOfVillage) {
    for (let p = 0; p < k; p++) delta += ((mask >> p) & 1) - (state.villageUnits(before[p]!, v) > 0 ? 1 : 0);
  }
  return cost + weights.villageSplit * delta;
}

/**
 * Puts the region's pieces into the grids `into`, matched so that the fewest units change grid:
 * every matching for up to four grids, else greedily by largest overlap.
 */
function applyPieces(
  state: PlanState,
  region: readonly number[],
  labels: ArrayLike<number>,
  into: readonly number[],
): void {
  const k = into.length;
  // overlap[p * k + i]: units of piece p now in grid into[i].
  const overlap = new Int32Array(k * k);
  region.forEach((u, at) => {
    const i = into.indexOf(state.assign[u]!);
    if (i >= 0) overlap[labels[at]! * k + i]!++;
  });
  let bestOrder: readonly number[] = into;
  if (k <= 4) {
    let bestKept = -1;
    for (const order of permutations([...into.keys()])) {
      let kept = 0;
      for (let p = 0; p < k; p++) kept += overlap[p * k + order[p]!]!;
      if (kept > bestKept) {
        bestKept = kept;
        bestOrder = order.map((i) => into[i]!);
      }
    }
  } else {
    const cells = [...overlap.keys()].sort((x, y) => overlap[y]! - overlap[x]! || x - y);
    const order = new Array<number>(k).fill(-1);
    const taken = new Uint8Array(k);
    for (const cell of cells) {
      const p = Math.floor(cell / k);
      const i = cell % k;
      if (order[p]! >= 0 || taken[i]) continue;
      order[p] = into[i]!;
      taken[i] = 1;
    }
    bestOrder = order;
  }
  region.forEach((u, at) => {
    const target = bestOrder[labels[at]!]!;
    if (state.assign[u] !== target) state.move(u, target);
  });
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * Repair of the grids off target (more than `focusRatio` from their target): for each, worst
 * first, the neighbourhoods around it — the grid with its neighbours; with one neighbour and all
 * of that neighbour's neighbours; everything within two, three and four steps — of at most
 * `maxGrids` grids are merged and re-split into as many grids by `splitTreeExactly`, over the
 * area's one spanning tree when its roads form a tree, else over `trees` seeded ones. So a
 * surplus passes along a chain of grids: a dead-end valley's grid takes the junction while the
 * junction's grid moves on into the next branch. The first re-split with a better balance and a
 * lower cost is taken. `tried` remembers neighbourhoods by their grids' contents, so that one
 * is not tried again unchanged (in a later round or start). Returns the number of re-splits.
 */
export function repairOffTarget(
  state: PlanState,
  grids: readonly number[],
  random: Random,
  tried: Set<string>,
  focusRatio = 0.08,
  maxGrids = 12,
  trees = 4,
): number {
  const { graph, units, weights } = state.context;
  const recombinable = recombinableGrids(state, grids);
  const isOff = (g: number) => Math.abs(state.load[g]! - 1) > focusRatio + EPSILON;
  const contents = (g: number) => {
    let sum = 0;
    for (const u of state.members[g]!) sum += u;
    return `${g}:${state.members[g]!.length}:${sum}`;
  };
  let improved = 0;
  const worstFirst = [...recombinable]
    .filter(isOff)
    .sort((x, y) => Math.abs(state.load[y]! - 1) - Math.abs(state.load[x]! - 1) || x - y);
  for (const g of worstFirst) {
    if (!isOff(g)) continue;
    const around = neighbourGrids(state, g, recombinable);
    const neighbourhoods: number[][] = [[g, ...around]];
    const ball = new Set([g, ...around]);
    for (const h of around) {
      const next = neighbourGrids(state, h, recombinable);
      neighbourhoods.push([...new Set([g, h, ...next])]);
      for (const x of next) ball.add(x);
    }
    neighbourhoods.push([...ball]);
    for (let radius = 3; radius <= 4 && ball.size < maxGrids; radius++) {
      for (const x of [...ball]) for (const y of neighbourGrids(state, x, recombinable)) ball.add(y);
      neighbourhoods.push([...ball]);
    }
    for (const neighbourhood of neighbourhoods) {
      const merged = neighbourhood.sort((x, y) => x - y);
      if (merged.length < 2 || merged.length > maxGrids) continue;
      const key = merged.map(contents).join(' ');
      if (tried.has(key)) continue;
      tried.add(key);
      const region = merged.flatMap((x) => state.members[x]!).sort((x, y) => x - y);
      const m = region.length;
      const edges = regionEdges(graph, region);
      const loads = Float64Array.from(region, (u) => units.load[u]!);
      const balance = merged.reduce((sum, x) => sum + balanceCost(state.load[x]!, weights), 0);
      const maxDeviation = Math.max(weights.toleranceRatio, ...merged.map((x) => Math.abs(state.load[x]! - 1)));
      const tree = new SpanningTree(m);
      let bestCost = merged.reduce((sum, x) => sum + state.gridCost(x), 0) - EPSILON;
      let best: Int32Array | null = null;
      for (let t = 0; t < (edges.from.length === m - 1 ? 1 : trees); t++) {
        const order = t % 2 === 0 ? roadEdgeOrder(edges.seconds, random) : randomEdgeOrder(edges.from.length, random);
        if (!tree.build(edges.from, edges.to, order)) break;
        // Only a better balance is sought (moves and pairs see to drives and villages).
        const split = splitTreeExactly(tree, loads, merged.length, weights, maxDeviation, balance - EPSILON);
        if (!split) continue;
        const cost = pricePieces(state, region, split.pieces, merged);
        if (cost < bestCost) {
          bestCost = cost;
          best = split.pieces;
        }
      }
      if (!best) continue;
      applyPieces(state, region, best, merged);
      improved++;
      break;
    }
  }
  return improved;
}
