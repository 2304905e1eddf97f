import { arcOrigin, shortestTimes } from '../../routing/dijkstra.js';
import { sourcesFrom, type RoadNetwork, type RoadPoint } from '../../routing/network.js';

/**
 * Households of one village in road order: a depth-first walk of the road tree reached from a
 * root (the village centre's road point), so that each branch's households stay together.
 * Distances are walk metres along the roads (off-road gaps left out: two houses up the same
 * track are as close as their road points).
 */
export interface RoadOrder {
  /** Household indices in road order. */
  order: number[];
  /** Walk metres from the root to each ordered household's road point. */
  depthMetres: Float64Array;
  /**
   * meetMetres[i]: root distance of the junction where the walk from order[i] to order[i + 1]
   * turns (their lowest common point on the tree); -Infinity between separate road trees. The
   * road distance between ordered households i < j is depth[i] + depth[j] − 2 · min(meet[i..j−1]).
   */
  meetMetres: Float64Array;
}

/** One way out of an anchor (a node, or the root point) along an edge, in the tree. */
interface Branch {
  edge: number;
  /** +1: from the edge's source towards its target; -1: the other way. */
  dir: number;
  households: { h: number; offsetMetres: number }[];
  /** The tree node at the branch's far end, or -1. */
  child: number;
  /** Households on the branch and below its child. */
  total: number;
}

const ROOT = -1;

/**
 * Orders households by a depth-first walk of the shortest-walk tree from `root`. Households the
 * roads from `root` do not reach are ordered from a new root (the unreached household nearest
 * the first root, straight line), and so on; between two such trees the meet is -Infinity.
 */
export function roadOrder(
  network: RoadNetwork,
  root: RoadPoint,
  households: readonly number[],
  roadPoints: readonly (RoadPoint | null)[],
): RoadOrder {
  const order: number[] = [];
  const depth: number[] = [];
  const meet: number[] = [];
  let left = households.filter((h) => roadPoints[h]);
  let from: RoadPoint = root;
  while (left.length > 0) {
    const tree = orderFrom(network, from, left, roadPoints);
    if (order.length > 0 && tree.order.length > 0) meet.push(-Infinity);
    order.push(...tree.order);
    depth.push(...tree.depth);
    meet.push(...tree.meet);
    left = tree.unreached;
    if (left.length === 0) break;
    const nearest = nearestTo(network, root, left, roadPoints);
    from = { ...roadPoints[nearest]!, offRoadMetres: 0 };
  }
  return { order, depthMetres: Float64Array.from(depth), meetMetres: Float64Array.from(meet) };
}

function nearestTo(
  network: RoadNetwork,
  root: RoadPoint,
  households: readonly number[],
  roadPoints: readonly (RoadPoint | null)[],
): number {
  const { metresPerDegreeLon, metresPerDegreeLat } = network.projection;
  let best = households[0]!;
  let bestMetres = Infinity;
  for (const h of households) {
    const p = roadPoints[h]!;
    const metres = Math.hypot((p.lon - root.lon) * metresPerDegreeLon, (p.lat - root.lat) * metresPerDegreeLat);
    if (metres < bestMetres) {
      best = h;
      bestMetres = metres;
    }
  }
  return best;
}

function orderFrom(
  network: RoadNetwork,
  root: RoadPoint,
  households: readonly number[],
  roadPoints: readonly (RoadPoint | null)[],
): { order: number[]; depth: number[]; meet: number[]; unreached: number[] } {
  const { walk, edgeSource, edgeTarget, lengthMetres } = network;
  const start = { ...root, offRoadMetres: 0 };
  const search = shortestTimes(walk, sourcesFrom(network, start, 'walk'));
  const dist = search.seconds;
  const e0 = root.edge;
  const f0 = root.fraction;

  // Each anchor's branches, keyed by edge and direction.
  const branches = new Map<number, Map<number, Branch>>();
  const branchOf = (anchor: number, edge: number, dir: number): Branch => {
    let byKey = branches.get(anchor);
    if (!byKey) branches.set(anchor, (byKey = new Map()));
    const key = 2 * edge + (dir > 0 ? 1 : 0);
    let branch = byKey.get(key);
    if (!branch) byKey.set(key, (branch = { edge, dir, households: [], child: -1, total: 0 }));
    return branch;
  };

  // Hang every household from the end of its edge it is reached through (or from the root).
  const unreached: number[] = [];
  const usedNodes = new Set<number>();
  for (const h of households) {
    const p = roadPoints[h]!;
    const length = lengthMetres[p.edge]!;
    const s = edgeSource[p.edge]!;
    const t = edgeTarget[p.edge]!;
    const direct = p.edge === e0 ? Math.abs(p.fraction - f0) * length : Infinity;
    const viaSource = dist[s]! + p.fraction * length;
    const viaTarget = dist[t]! + (1 - p.fraction) * length;
    const best = Math.min(direct, viaSource, viaTarget);
    if (!Number.isFinite(best)) {
      unreached.push(h);
    } else if (direct === best) {
      branchOf(ROOT, e0, p.fraction >= f0 ? 1 : -1).households.push({ h, offsetMetres: direct });
    } else if (viaSource === best) {
      branchOf(s, p.edge, 1).households.push({ h, offsetMetres: p.fraction * length });
      usedNodes.add(s);
    } else {
      branchOf(t, p.edge, -1).households.push({ h, offsetMetres: (1 - p.fraction) * length });
      usedNodes.add(t);
    }
  }

  // Link the anchors that hold households up the shortest-walk tree to the root.
  const parentOf = (node: number): { parent: number; edge: number; dir: number } => {
    const arc = search.viaArc[node]!;
    if (arc < 0) {
      // A search source: an end of the root's edge.
      const towardsSource = node === edgeSource[e0] && dist[node] === f0 * lengthMetres[e0]!;
      return { parent: ROOT, edge: e0, dir: towardsSource ? -1 : 1 };
    }
    const parent = arcOrigin(walk, arc);
    const edge = walk.arcEdge[arc]!;
    return { parent, edge, dir: parent === edgeSource[edge] && node === edgeTarget[edge] ? 1 : -1 };
  };
  const linked = new Set<number>();
  for (const node of [...usedNodes].sort((a, b) => a - b)) {
    let at = node;
    while (at !== ROOT && !linked.has(at)) {
      linked.add(at);
      const { parent, edge, dir } = parentOf(at);
      branchOf(parent, edge, dir).child = at;
      at = parent;
    }
  }

  // Totals bottom-up: a reversed pre-order visits children before parents.
  const preorder: number[] = [];
  const stack = [ROOT];
  while (stack.length > 0) {
    const anchor = stack.pop()!;
    preorder.push(anchor);
    for (const branch of branches.get(anchor)?.values() ?? []) if (branch.child >= 0) stack.push(branch.child);
  }
  const totalBelow = new Map<number, number>();
  const sorted = new Map<number, Branch[]>();
  for (let i = preorder.length - 1; i >= 0; i--) {
    const anchor = preorder[i]!;
    const list = [...(branches.get(anchor)?.values() ?? [])];
    let sum = 0;
    for (const branch of list) {
      branch.total = branch.households.length + (branch.child >= 0 ? totalBelow.get(branch.child)! : 0);
      branch.households.sort((a, b) => a.offsetMetres - b.offsetMetres || a.h - b.h);
      sum += branch.total;
    }
    // Small branches first: a junction's short spurs then sit next to the road they leave, and
    // the long road they join comes last instead of separating them.
    list.sort((a, b) => a.total - b.total || a.edge - b.edge || a.dir - b.dir);
    sorted.set(anchor, list);
    totalBelow.set(anchor, sum);
  }

  // Depth-first emission, tracking the lowest point passed between two households.
  const order: number[] = [];
  const depth: number[] = [];
  const meet: number[] = [];
  let lowest = Infinity;
  const anchorMetres = (anchor: number) => (anchor === ROOT ? 0 : dist[anchor]!);
  const frames: { anchor: number; next: number }[] = [{ anchor: ROOT, next: 0 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const list = sorted.get(frame.anchor) ?? [];
    if (frame.next >= list.length) {
      frames.pop();
      continue;
    }
    const branch = list[frame.next++]!;
    const base = anchorMetres(frame.anchor);
    lowest = Math.min(lowest, base);
    for (const { h, offsetMetres } of branch.households) {
      const metres = base + offsetMetres;
      if (order.length > 0) meet.push(Math.min(lowest, metres));
      order.push(h);
      depth.push(metres);
      lowest = metres;
    }
    if (branch.child >= 0 && branch.total > branch.households.length) frames.push({ anchor: branch.child, next: 0 });
  }
  return { order, depth, meet, unreached };
}

/** Road distance between ordered households i and j (the tree path through their junction). */
export function orderMetres(road: RoadOrder, i: number, j: number): number {
  if (i === j) return 0;
  const lo = Math.min(i, j);
  const hi = Math.max(i, j);
  let junction = Infinity;
  for (let k = lo; k < hi; k++) junction = Math.min(junction, road.meetMetres[k]!);
  return road.depthMetres[lo]! + road.depthMetres[hi]! - 2 * junction;
}
