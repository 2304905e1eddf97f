import { MinHeap } from '../../lib/min-heap.js';

/**
 * Shortest paths by length over the generated road graph, for placing bus lines and assigning
 * jurisdictions while generating. (Travel times are the routing engine's job, not this.)
 */
export interface GraphEdge {
  id: number;
  source: number;
  target: number;
  lengthMetres: number;
}

/** Single-source shortest paths by length: distance to every node and the edge that reached it. */
export function shortestPaths(
  nodeCount: number,
  edges: readonly GraphEdge[],
  source: number,
): { distanceMetres: Float64Array; viaEdge: Int32Array } {
  const adjacency: number[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach((edge, index) => {
    adjacency[edge.source]!.push(index);
    adjacency[edge.target]!.push(index);
  });
  const distanceMetres = new Float64Array(nodeCount).fill(Infinity);
  const viaEdge = new Int32Array(nodeCount).fill(-1);
  const heap = new MinHeap();
  distanceMetres[source] = 0;
  heap.push(0, source);
  while (heap.size > 0) {
    const node = heap.pop();
    if (heap.lastKey > distanceMetres[node]!) continue;
    for (const index of adjacency[node]!) {
      const edge = edges[index]!;
      const next = edge.source === node ? edge.target : edge.source;
      const distance = distanceMetres[node]! + edge.lengthMetres;
      if (distance < distanceMetres[next]!) {
        distanceMetres[next] = distance;
        viaEdge[next] = index;
        heap.push(distance, next);
      }
    }
  }
  return { distanceMetres, viaEdge };
}

/** The edge indices of the path from the search's source to `target`, in order; [] if unreached. */
export function pathEdges(edges: readonly GraphEdge[], viaEdge: Int32Array, target: number): number[] {
  const path: number[] = [];
  let node = target;
  while (viaEdge[node]! >= 0) {
    const index = viaEdge[node]!;
    path.push(index);
    const edge = edges[index]!;
    node = edge.source === node ? edge.target : edge.source;
  }
  return path.reverse();
}
