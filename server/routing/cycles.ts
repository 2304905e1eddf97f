import type { RoadNetwork } from './network.js';

/**
 * Independent loops of a road network: edges − nodes + connected parts (the cycle rank; 0 for a
 * tree). Counts how often routing must choose between routes.
 */
export function independentCycles(network: RoadNetwork): number {
  const parent = Int32Array.from({ length: network.drive.nodeCount }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  let parts = network.drive.nodeCount;
  for (let e = 0; e < network.edgeCount; e++) {
    const a = root(network.edgeSource[e]!);
    const b = root(network.edgeTarget[e]!);
    if (a !== b) {
      parent[a] = b;
      parts--;
    }
  }
  return network.edgeCount - network.drive.nodeCount + parts;
}
