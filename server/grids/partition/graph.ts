import { MinHeap } from '../../lib/min-heap.js';
import type { UnitEdge } from './types.js';

/**
 * Units and their road links as compressed adjacency on typed arrays: the neighbours of unit i
 * are `adjTarget[adjStart[i] .. adjStart[i + 1])` (ascending), each with its drive seconds.
 * Two hamlets on opposite sides of a ridge are not neighbours unless a road links them.
 */
export interface UnitGraph {
  unitCount: number;
  adjStart: Int32Array;
  adjTarget: Int32Array;
  adjSeconds: Float64Array;
  /** Optional all-pairs drive seconds, row-major unitCount × unitCount; else computed on demand. */
  allPairsSeconds: Float64Array | null;
}

/** Builds the unit graph; duplicate links keep the fastest, self-links are rejected. */
export function buildUnitGraph(
  unitCount: number,
  edges: readonly UnitEdge[],
  allPairsSeconds: Float64Array | null = null,
): UnitGraph {
  if (allPairsSeconds && allPairsSeconds.length !== unitCount * unitCount) {
    throw new RangeError(`allPairsSeconds has ${allPairsSeconds.length} entries, expected ${unitCount}²`);
  }
  const fastest = new Map<number, number>();
  for (const { a, b, driveSeconds } of edges) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= unitCount || b >= unitCount) {
      throw new RangeError(`Link ${a}–${b} names a unit outside 0..${unitCount - 1}`);
    }
    if (a === b) throw new RangeError(`Link ${a}–${b} joins a unit to itself`);
    if (!(driveSeconds >= 0) || !Number.isFinite(driveSeconds)) {
      throw new RangeError(`Link ${a}–${b} has drive time ${driveSeconds}`);
    }
    const key = Math.min(a, b) * unitCount + Math.max(a, b);
    const seen = fastest.get(key);
    if (seen === undefined || driveSeconds < seen) fastest.set(key, driveSeconds);
  }
  const degree = new Int32Array(unitCount + 1);
  for (const key of fastest.keys()) {
    degree[Math.floor(key / unitCount) + 1]!++;
    degree[(key % unitCount) + 1]!++;
  }
  const adjStart = new Int32Array(unitCount + 1);
  for (let i = 0; i < unitCount; i++) adjStart[i + 1] = adjStart[i]! + degree[i + 1]!;
  const adjTarget = new Int32Array(adjStart[unitCount]!);
  const adjSeconds = new Float64Array(adjStart[unitCount]!);
  const fill = adjStart.slice(0, unitCount);
  for (const [key, seconds] of fastest) {
    const low = Math.floor(key / unitCount);
    const high = key % unitCount;
    adjTarget[fill[low]!] = high;
    adjSeconds[fill[low]!++] = seconds;
    adjTarget[fill[high]!] = low;
    adjSeconds[fill[high]!++] = seconds;
  }
  // Ascending neighbour lists make every later scan independent of the input edge order.
  for (let u = 0; u < unitCount; u++) sortNeighbours(adjTarget, adjSeconds, adjStart[u]!, adjStart[u + 1]!);
  return { unitCount, adjStart, adjTarget, adjSeconds, allPairsSeconds };
}

function sortNeighbours(target: Int32Array, seconds: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const t = target[i]!;
    const s = seconds[i]!;
    let j = i - 1;
    while (j >= from && target[j]! > t) {
      target[j + 1] = target[j]!;
      seconds[j + 1] = seconds[j]!;
      j--;
    }
    target[j + 1] = t;
    seconds[j + 1] = s;
  }
}

/**
 * Drive seconds between units over the road links (shortest path on the whole township graph,
 * so a grid worker may drive through a neighbouring grid). Rows come from `allPairsSeconds` or
 * from one Dijkstra per source, cached: one township costs at most n² doubles.
 */
export class DriveTimes {
  private readonly rows: (Float64Array | undefined)[];
  private readonly heap = new MinHeap(64);

  constructor(readonly graph: UnitGraph) {
    this.rows = new Array<Float64Array | undefined>(graph.unitCount);
  }

  /** Seconds from `source` to every unit (Infinity where no road leads). */
  row(source: number): Float64Array {
    const cached = this.rows[source];
    if (cached) return cached;
    const { graph } = this;
    const n = graph.unitCount;
    const row = graph.allPairsSeconds
      ? graph.allPairsSeconds.subarray(source * n, source * n + n)
      : dijkstra(graph, source, this.heap);
    this.rows[source] = row;
    return row;
  }

  /** Seconds from `a` to `b`. */
  seconds(a: number, b: number): number {
    return this.row(a)[b]!;
  }
}

function dijkstra(graph: UnitGraph, source: number, heap: MinHeap): Float64Array {
  const seconds = new Float64Array(graph.unitCount).fill(Infinity);
  const { adjStart, adjTarget, adjSeconds } = graph;
  heap.clear();
  seconds[source] = 0;
  heap.push(0, source);
  while (heap.size > 0) {
    const u = heap.pop();
    const time = heap.lastKey;
    if (time > seconds[u]!) continue;
    for (let e = adjStart[u]!; e < adjStart[u + 1]!; e++) {
      const v = adjTarget[e]!;
      const candidate = time + adjSeconds[e]!;
      if (candidate < seconds[v]!) {
        seconds[v] = candidate;
        heap.push(candidate, v);
      }
    }
  }
  return seconds;
}

/** Number of connected pieces of a set of units on the unit graph (0 for an empty set). */
export function countPieces(unitsOfGrid: ArrayLike<number>, graph: UnitGraph): number {
  const inSet = new Uint8Array(graph.unitCount);
  for (let i = 0; i < unitsOfGrid.length; i++) inSet[unitsOfGrid[i]!] = 1;
  const seen = new Uint8Array(graph.unitCount);
  const stack: number[] = [];
  let pieces = 0;
  for (let i = 0; i < unitsOfGrid.length; i++) {
    const start = unitsOfGrid[i]!;
    if (seen[start]) continue;
    pieces++;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) {
        const v = graph.adjTarget[e]!;
        if (inSet[v] && !seen[v]) {
          seen[v] = 1;
          stack.push(v);
        }
      }
    }
  }
  return pieces;
}

/** Whether a set of units is one connected piece on the road links (an empty set counts as contiguous). */
export function isContiguous(unitsOfGrid: ArrayLike<number>, graph: UnitGraph): boolean {
  return countPieces(unitsOfGrid, graph) <= 1;
}

/** Connected components of the units with `include[u]` set, each ascending, ordered by their smallest unit. */
export function components(graph: UnitGraph, include: Uint8Array): number[][] {
  const seen = new Uint8Array(graph.unitCount);
  const out: number[][] = [];
  for (let start = 0; start < graph.unitCount; start++) {
    if (!include[start] || seen[start]) continue;
    const piece: number[] = [start];
    seen[start] = 1;
    for (let head = 0; head < piece.length; head++) {
      const u = piece[head]!;
      for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) {
        const v = graph.adjTarget[e]!;
        if (include[v] && !seen[v]) {
          seen[v] = 1;
          piece.push(v);
        }
      }
    }
    out.push(piece.sort((x, y) => x - y));
  }
  return out;
}

/**
 * The units of a connected set in order along the road if the set is a simple path (a strip
 * valley), starting from its lower-numbered end; null otherwise. A single unit is a path.
 */
export function pathOrder(graph: UnitGraph, unitsOfPart: readonly number[]): number[] | null {
  if (unitsOfPart.length === 0) return null;
  const inSet = new Set(unitsOfPart);
  let ends = 0;
  let first = -1;
  let linkEnds = 0;
  for (const u of unitsOfPart) {
    let degree = 0;
    for (let e = graph.adjStart[u]!; e < graph.adjStart[u + 1]!; e++) if (inSet.has(graph.adjTarget[e]!)) degree++;
    if (degree > 2) return null;
    linkEnds += degree;
    if (degree <= 1) {
      ends++;
      if (first < 0 || u < first) first = u;
    }
  }
  // A connected set with n − 1 links and no degree above 2 is a path; a cycle has no ends.
  if (linkEnds !== 2 * (unitsOfPart.length - 1) || (unitsOfPart.length > 1 && ends !== 2)) return null;
  const order = [first];
  let previous = -1;
  let current = first;
  while (order.length < unitsOfPart.length) {
    let next = -1;
    for (let e = graph.adjStart[current]!; e < graph.adjStart[current + 1]!; e++) {
      const v = graph.adjTarget[e]!;
      if (v !== previous && inSet.has(v)) next = v;
    }
    if (next < 0) return null;
    previous = current;
    current = next;
    order.push(next);
  }
  return order;
}
