/**
 * Neighbourhoods for Gi*: for each location, the locations j with binary weight w_ij = 1 (itself
 * included), as compressed sparse rows. Hexagon study areas (hex.ts) build them from H3 ring-1
 * adjacency; villages, which have no shared grid, from a fixed distance band between centres.
 */

/** Neighbourhood of location i: `neighbourCells[neighbourStart[i] .. neighbourStart[i + 1])`, itself included. */
export interface Neighbourhoods {
  neighbourStart: Int32Array;
  neighbourCells: Int32Array;
}

/** Number of locations of a neighbourhood structure. */
export function locationCount(neighbourhoods: Neighbourhoods): number {
  return neighbourhoods.neighbourStart.length - 1;
}

/**
 * Fixed-distance-band neighbourhoods: j is a neighbour of i when their projected centres are at
 * most `radiusMetres` apart (i itself always). For villages, pick a radius that gives every
 * village a few neighbours (e.g. 1.5 × the typical distance to the nearest village centre).
 * O(n²): meant for the few hundred villages of a county.
 */
export function distanceNeighbourhoods(
  xMetres: ArrayLike<number>,
  yMetres: ArrayLike<number>,
  radiusMetres: number,
): Neighbourhoods {
  const n = xMetres.length;
  const neighbourStart = new Int32Array(n + 1);
  const neighbours: number[] = [];
  const radius2 = radiusMetres * radiusMetres;
  for (let i = 0; i < n; i++) {
    neighbours.push(i);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = xMetres[j]! - xMetres[i]!;
      const dy = yMetres[j]! - yMetres[i]!;
      if (dx * dx + dy * dy <= radius2) neighbours.push(j);
    }
    neighbourStart[i + 1] = neighbours.length;
  }
  return { neighbourStart, neighbourCells: Int32Array.from(neighbours) };
}
