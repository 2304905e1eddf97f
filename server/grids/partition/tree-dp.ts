import type { SpanningTree } from './spanning-tree.js';
import { balanceCost, type CostModel } from './state.js';

/**
 * Loads are added on a grid of 1/6000 of a grid: one household at a target of 200 or 300 (or any
 * target dividing 6000) is a whole number of steps, so sums of unit loads compare exactly.
 */
const LOAD_STEPS = 6000;

/** A partial split: the balance cost of its closed pieces, and the merges it came from (to read the cuts back). */
interface Entry {
  cost: number;
  /** The node's entry before the merge and the child's entry merged into it; null for a node alone. */
  left: Entry | null;
  right: Entry | null;
  /** Node whose link to its parent this merge cuts, or -1. */
  cut: number;
}

/** Per count of closed pieces: load of the piece still open at the node (in steps) → cheapest entry. */
type Table = (Map<number, Entry> | undefined)[];

/** What `splitTreeExactly` returns. */
export interface TreeSplit {
  /** Piece 0..k-1 of each node; piece 0 holds the root. */
  pieces: Int32Array;
  /** Σ balanceCost over the pieces. */
  cost: number;
}

/**
 * The best split of a spanning tree of an area into exactly k connected pieces, by dynamic
 * programming over the tree's links (each piece is a subtree, hence contiguous): for every
 * node, every count of pieces closed below it and every load of the piece still open at it,
 * the least Σ balanceCost of the closed pieces. Exact for that tree, so on a road network that
 * is a tree (a valley system) exact for the area: a surplus can pass along a chain of grids,
 * which single moves and random cuts rarely find. Pieces stay within ±`maxDeviation` of one
 * grid's load and the total below `costBound` (nothing dearer is wanted), which keeps the tables
 * small. `nodeLoads` are the nodes' loads in grids. Null when no split within the bounds exists,
 * or when the tables would take more than `workBudget` steps (many equal units in a dense area).
 */
export function splitTreeExactly(
  tree: SpanningTree,
  nodeLoads: ArrayLike<number>,
  k: number,
  weights: CostModel,
  maxDeviation: number,
  costBound: number,
  workBudget = 2_000_000,
): TreeSplit | null {
  const m = nodeLoads.length;
  if (k < 1 || k > m) return null;
  const steps = Int32Array.from({ length: m }, (_, x) => Math.round(nodeLoads[x]! * LOAD_STEPS));
  const subtree = new Int32Array(m);
  for (let i = m - 1; i >= 0; i--) {
    const x = tree.order[i]!;
    subtree[x]! += steps[x]!;
    if (tree.parent[x]! >= 0) subtree[tree.parent[x]!]! += subtree[x]!;
  }
  const root = tree.order[0]!;
  const total = subtree[root]!;
  const low = Math.ceil((1 - maxDeviation) * LOAD_STEPS - 1e-6);
  const high = Math.floor((1 + maxDeviation) * LOAD_STEPS + 1e-6);
  const pieceCosts = new Map<number, number>();
  const pieceCost = (load: number): number => {
    let cost = pieceCosts.get(load);
    if (cost === undefined) pieceCosts.set(load, (cost = balanceCost(load / LOAD_STEPS, weights)));
    return cost;
  };
  // With j pieces closed in the part seen so far (load `seen`) and `open` in the open piece, the
  // other k − j − 1 pieces must be made of the load not yet seen, which may also fill the open one.
  const canFinish = (j: number, open: number, seen: number): boolean => {
    const rest = k - j - 1;
    const unseen = total - seen;
    return rest * low <= unseen && unseen <= rest * high + (high - open);
  };

  const firstChild = new Int32Array(m).fill(-1);
  const nextSibling = new Int32Array(m).fill(-1);
  for (let i = m - 1; i > 0; i--) {
    const x = tree.order[i]!;
    nextSibling[x] = firstChild[tree.parent[x]!]!;
    firstChild[tree.parent[x]!] = x;
  }
  const tables: (Table | null)[] = new Array<Table | null>(m).fill(null);
  let work = 0;
  let merged: Table = [];
  let seen = 0;
  const keep = (j: number, open: number, cost: number, left: Entry, right: Entry, cut: number): void => {
    if (cost >= costBound || !canFinish(j, open, seen)) return;
    let map = merged[j];
    if (!map) merged[j] = map = new Map();
    const known = map.get(open);
    if (!known || cost < known.cost) map.set(open, { cost, left, right, cut });
  };
  // Reverse preorder: every child's table is complete before its parent's.
  for (let i = m - 1; i >= 0; i--) {
    const x = tree.order[i]!;
    let table: Table = [new Map([[steps[x]!, { cost: 0, left: null, right: null, cut: -1 }]])];
    seen = steps[x]!;
    for (let c = firstChild[x]!; c >= 0; c = nextSibling[c]!) {
      const child = tables[c]!;
      tables[c] = null;
      seen += subtree[c]!;
      merged = [];
      for (let jx = 0; jx < table.length; jx++) {
        const mapX = table[jx];
        if (!mapX) continue;
        for (let jc = 0; jc < child.length && jx + jc <= k - 1; jc++) {
          const mapC = child[jc];
          if (!mapC) continue;
          work += mapX.size * mapC.size;
          if (work > workBudget) return null;
          const close = jx + jc + 1 <= k - 1;
          for (const [openX, entryX] of mapX) {
            for (const [openC, entryC] of mapC) {
              const cost = entryX.cost + entryC.cost;
              // Cut the link to the child: the child's open piece closes.
              if (close && openC >= low && openC <= high)
                keep(jx + jc + 1, openX, cost + pieceCost(openC), entryX, entryC, c);
              if (openX + openC <= high) keep(jx + jc, openX + openC, cost, entryX, entryC, -1);
            }
          }
        }
      }
      table = merged;
    }
    tables[x] = table;
  }

  let best: Entry | null = null;
  let bestCost = costBound;
  for (const [open, entry] of tables[root]![k - 1] ?? []) {
    if (open < low || open > high) continue;
    const cost = entry.cost + pieceCost(open);
    if (cost < bestCost) {
      bestCost = cost;
      best = entry;
    }
  }
  if (!best) return null;

  // The merges behind the best entry form a tree (each node's merge steps once); collect its cuts.
  const isCut = new Uint8Array(m);
  const stack: Entry[] = [best];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry.cut >= 0) isCut[entry.cut] = 1;
    if (entry.left) stack.push(entry.left);
    if (entry.right) stack.push(entry.right);
  }
  const pieces = new Int32Array(m);
  let next = 1;
  for (let i = 1; i < m; i++) {
    const x = tree.order[i]!;
    pieces[x] = isCut[x] ? next++ : pieces[tree.parent[x]!]!;
  }
  return { pieces, cost: bestCost };
}
