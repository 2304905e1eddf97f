import type { Random } from '../../county/generate/random.js';
import type { UnitGraph } from './graph.js';

/**
 * A spanning tree of a small connected area (nodes 0..m-1), rooted at 0, with parents, a
 * depth-first preorder in which every subtree is one contiguous run, and subtree sizes. With
 * random keys it is a random spanning tree, as recombination and tree splitting draw them.
 */
export class SpanningTree {
  readonly parent: Int32Array;
  /** Nodes in depth-first preorder: a subtree is a contiguous run. */
  readonly order: Int32Array;
  readonly preorderIndex: Int32Array;
  readonly size: Int32Array;
  private readonly root: Int32Array;
  private readonly head: Int32Array;
  private readonly nextLink: Int32Array;
  private readonly linkTo: Int32Array;
  private readonly stack: Int32Array;

  constructor(private readonly m: number) {
    this.parent = new Int32Array(m);
    this.order = new Int32Array(m);
    this.preorderIndex = new Int32Array(m);
    this.size = new Int32Array(m);
    this.root = new Int32Array(m);
    this.head = new Int32Array(m);
    this.nextLink = new Int32Array(2 * m);
    this.linkTo = new Int32Array(2 * m);
    this.stack = new Int32Array(m);
  }

  /**
   * Kruskal's algorithm taking the edges in `edgeOrder` (their order of increasing key): a
   * uniformly shuffled order gives a random spanning tree. False when the edges do not
   * connect all m nodes.
   */
  build(edgeFrom: ArrayLike<number>, edgeTo: ArrayLike<number>, edgeOrder: ArrayLike<number>): boolean {
    const { m, root } = this;
    for (let i = 0; i < m; i++) root[i] = i;
    const find = (x: number): number => {
      while (root[x] !== x) {
        root[x] = root[root[x]!]!;
        x = root[x]!;
      }
      return x;
    };
    // Tree adjacency as linked lists on typed arrays: head[node] → link, nextLink[link], linkTo[link].
    const head = this.head.fill(-1);
    let links = 0;
    for (let i = 0; i < edgeOrder.length && links < 2 * (m - 1); i++) {
      const e = edgeOrder[i]!;
      const from = edgeFrom[e]!;
      const to = edgeTo[e]!;
      const x = find(from);
      const y = find(to);
      if (x === y) continue;
      root[x] = y;
      this.linkTo[links] = to;
      this.nextLink[links] = head[from]!;
      head[from] = links++;
      this.linkTo[links] = from;
      this.nextLink[links] = head[to]!;
      head[to] = links++;
    }
    if (links !== 2 * (m - 1)) return false;
    // Iterative DFS for preorder (parents set when pushed); sizes accumulate in reverse preorder.
    const { parent, order, preorderIndex, size } = this;
    parent.fill(-2);
    parent[0] = -1;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    let at = 0;
    while (top > 0) {
      const x = stack[--top]!;
      preorderIndex[x] = at;
      order[at++] = x;
      for (let link = head[x]!; link >= 0; link = this.nextLink[link]!) {
        const y = this.linkTo[link]!;
        if (parent[y] !== -2) continue;
        parent[y] = x;
        stack[top++] = y;
      }
    }
    size.fill(1);
    for (let i = m - 1; i > 0; i--) {
      const x = order[i]!;
      size[parent[x]!]! += size[x]!;
    }
    return true;
  }
}

/** Edge indices 0..count-1 in a seeded uniformly random order (Fisher–Yates). */
export function randomEdgeOrder(count: number, random: Random): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Edge indices by increasing drive seconds, each jittered by a factor in [0.5, 1.5): trees that follow fast roads. */
export function roadEdgeOrder(seconds: ArrayLike<number>, random: Random): Int32Array {
  const keys = new Float64Array(seconds.length);
  for (let i = 0; i < keys.length; i++) keys[i] = (seconds[i]! + 1) * (0.5 + random.next());
  const order = new Int32Array(seconds.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((p, q) => keys[p]! - keys[q]! || p - q);
}

/** The road links inside a set of units, by position in the set (from < to), with their drive seconds. */
export interface RegionEdges {
  from: number[];
  to: number[];
  seconds: number[];
}

/** Links among `members` (each once), for drawing spanning trees of the area they cover. */
export function regionEdges(graph: UnitGraph, members: readonly number[]): RegionEdges {
  const { adjStart, adjTarget, adjSeconds } = graph;
  const position = scratchFor(graph);
  members.forEach((u, i) => (position[u] = i));
  const edges: RegionEdges = { from: [], to: [], seconds: [] };
  for (let i = 0; i < members.length; i++) {
    const u = members[i]!;
    for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
      const j = position[adjTarget[e]!]!;
      if (j > i) {
        edges.from.push(i);
        edges.to.push(j);
        edges.seconds.push(adjSeconds[e]!);
      }
    }
  }
  for (const u of members) position[u] = -1;
  return edges;
}

const scratch = new WeakMap<UnitGraph, Int32Array>();

/** A unit-indexed array of -1s, reused across calls on the same graph (each call restores the -1s). */
function scratchFor(graph: UnitGraph): Int32Array {
  let array = scratch.get(graph);
  if (!array) scratch.set(graph, (array = new Int32Array(graph.unitCount).fill(-1)));
  return array;
}
