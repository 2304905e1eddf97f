import { MinHeap } from '../lib/min-heap.js';
import type { RoadGraph } from './graph.js';

/** A place a search starts from: a node and the time already spent reaching it (e.g. from a point off the road). */
export interface SearchSource {
  node: number;
  seconds: number;
}

export interface SearchResult {
  /** Travel time to every node index; Infinity where unreached. */
  seconds: Float64Array;
  /** The arc that reached each node (-1 for sources and unreached nodes), for paths. */
  viaArc: Int32Array;
}

/**
 * Multi-source Dijkstra by travel time over the CSR graph. Stops early once `maxSeconds` is
 * passed, or once every node in `targets` is settled.
 */
export function shortestTimes(
  graph: RoadGraph,
  sources: readonly SearchSource[],
  options: { maxSeconds?: number; targets?: readonly number[] } = {},
): SearchResult {
  const seconds = new Float64Array(graph.nodeCount).fill(Infinity);
  const viaArc = new Int32Array(graph.nodeCount).fill(-1);
  const settled = new Uint8Array(graph.nodeCount);
  const heap = new MinHeap(Math.max(16, graph.nodeCount >> 2));
  const maxSeconds = options.maxSeconds ?? Infinity;
  const wanted = options.targets ? new Set(options.targets) : null;
  for (const source of sources) {
    if (source.seconds < seconds[source.node]!) {
      seconds[source.node] = source.seconds;
      heap.push(source.seconds, source.node);
    }
  }
  const { arcStart, arcTarget, arcSeconds } = graph;
  while (heap.size > 0) {
    const node = heap.pop();
    const time = heap.lastKey;
    if (settled[node] || time > seconds[node]!) continue;
    if (time > maxSeconds) break;
    settled[node] = 1;
    if (wanted) {
      wanted.delete(node);
      if (wanted.size === 0) break;
    }
    for (let arc = arcStart[node]!; arc < arcStart[node + 1]!; arc++) {
      const next = arcTarget[arc]!;
      const candidate = time + arcSeconds[arc]!;
      if (candidate < seconds[next]!) {
        seconds[next] = candidate;
        viaArc[next] = arc;
        heap.push(candidate, next);
      }
    }
  }
  // Nodes reached but beyond the limit are not answers.
  if (maxSeconds < Infinity) {
    for (let i = 0; i < seconds.length; i++) if (seconds[i]! > maxSeconds) seconds[i] = Infinity;
  }
  return { seconds, viaArc };
}

/** The arcs of the path to `target`, in travel order; [] for a source or an unreached node. */
export function pathArcs(graph: RoadGraph, result: SearchResult, target: number): number[] {
  const arcs: number[] = [];
  // Walk back: the arc that reached a node starts at the node whose arc range holds it.
  let node = target;
  while (result.viaArc[node]! >= 0) {
    const arc = result.viaArc[node]!;
    arcs.push(arc);
    node = arcOrigin(graph, arc);
  }
  return arcs.reverse();
}

/** The node an arc leaves from (binary search in the CSR offsets). */
export function arcOrigin(graph: RoadGraph, arc: number): number {
  let lo = 0;
  let hi = graph.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (graph.arcStart[mid]! <= arc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
