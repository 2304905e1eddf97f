import type { Random } from '../../county/generate/random.js';
import { randomEdgeOrder, regionEdges, roadEdgeOrder, SpanningTree } from './spanning-tree.js';
import type { PartitionContext, PlanState } from './state.js';

/**
 * Splits a connected region into k contiguous pieces by recursive tree splitting (the recursive
 * bisection of redistricting tools): draw spanning trees of the region, cut the tree edge whose
 * two sides hold whole numbers of grids nearest the region's average grid load (either side may
 * take any share of the k grids, so a side valley worth 3.1 grids gets 3), and recurse. Each
 * piece is a subtree, hence contiguous. Half the trees follow fast roads (drive-time keys,
 * jittered), half are uniform random. Returns each region unit's piece number 0..k-1, or null
 * when the region is not connected.
 */
export function treeSplit(
  context: PartitionContext,
  region: readonly number[],
  k: number,
  random: Random,
  treesPerSplit = 8,
): Int32Array | null {
  const { graph, units } = context;
  const piece = new Int32Array(region.length);
  const stack: { members: number[]; first: number; k: number }[] = [{ members: region.slice(), first: 0, k }];
  const pieceOf = new Map<number, number>();
  while (stack.length > 0) {
    const job = stack.pop()!;
    const members = job.members;
    if (job.k === 1) {
      for (const u of members) pieceOf.set(u, job.first);
      continue;
    }
    const m = members.length;
    const { from: edgeFrom, to: edgeTo, seconds: edgeSeconds } = regionEdges(graph, members);
    let total = 0;
    for (const u of members) total += units.load[u]!;
    // A region without households is split by unit count instead.
    const byCount = !(total > 0);
    if (byCount) total = m;
    const average = total / job.k;

    const tree = new SpanningTree(m);
    const subLoad = new Float64Array(m);
    let best: { score: number; spread: number; side: Uint8Array; k1: number } | null = null;
    for (let t = 0; t < treesPerSplit; t++) {
      const order = t % 2 === 0 ? roadEdgeOrder(edgeSeconds, random) : randomEdgeOrder(edgeFrom.length, random);
      if (!tree.build(edgeFrom, edgeTo, order)) return null;
      subLoad.fill(0);
      for (let i = m - 1; i >= 0; i--) {
        const x = tree.order[i]!;
        subLoad[x]! += byCount ? 1 : units.load[members[x]!]!;
        if (tree.parent[x]! >= 0) subLoad[tree.parent[x]!]! += subLoad[x]!;
      }
      let bestScore: number = best ? best.score : Infinity;
      let bestSpread: number = best ? best.spread : Infinity;
      let bestNode = -1;
      let bestK1 = 0;
      for (let x = 0; x < m; x++) {
        if (tree.parent[x]! < 0) continue;
        const load = subLoad[x]!;
        const size = tree.size[x]!;
        const low = Math.floor(load / average);
        for (let k1 = low; k1 <= low + 1; k1++) {
          if (k1 < 1 || k1 > job.k - 1 || k1 > size || job.k - k1 > m - size) continue;
          const one = load / k1 / average - 1;
          const two = (total - load) / (job.k - k1) / average - 1;
          const score = Math.max(Math.abs(one), Math.abs(two));
          const spread = one * one + two * two;
          if (score > bestScore || (score === bestScore && spread >= bestSpread)) continue;
          bestScore = score;
          bestSpread = spread;
          bestNode = x;
          bestK1 = k1;
        }
      }
      if (bestNode < 0) continue;
      const side = new Uint8Array(m);
      const start = tree.preorderIndex[bestNode]!;
      for (let i = start; i < start + tree.size[bestNode]!; i++) side[tree.order[i]!] = 1;
      best = { score: bestScore, spread: bestSpread, side, k1: bestK1 };
    }
    const { side, k1 } = best!;
    stack.push({ members: members.filter((_, at) => side[at] === 0), first: job.first + k1, k: job.k - k1 });
    stack.push({ members: members.filter((_, at) => side[at] === 1), first: job.first, k: k1 });
  }
  region.forEach((u, i) => (piece[i] = pieceOf.get(u)!));
  return piece;
}

/** Initial plan of a part by recursive tree splitting: balances globally where growth from seeds strands grids in dead-end pockets. */
export function splitByTrees(
  state: PlanState,
  part: readonly number[],
  grids: readonly number[],
  random: Random,
): void {
  const piece = treeSplit(state.context, part, grids.length, random);
  if (!piece) throw new RangeError('A part to split is not connected');
  part.forEach((u, i) => state.add(u, grids[piece[i]!]!));
}
