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

/** Binary min-heap of (key, value) pairs on typed arrays. */
class MinHeap {
  private keys = new Float64Array(64);
  private values = new Int32Array(64);
  size = 0;

  push(key: number, value: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.values[i] = this.values[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Remove the smallest; returns its value (key in `lastKey`). */
  pop(): number {
    const top = this.values[0]!;
    this.lastKey = this.keys[0]!;
    const key = this.keys[--this.size]!;
    const value = this.values[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.values[i] = this.values[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
    return top;
  }

  lastKey = 0;
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
