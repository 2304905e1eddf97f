/**
 * Road elevations from a county's elevation grid, for the speed model's gradients where the roads
 * carry no heights of their own. The grid is smoothed 1-2-1 over 3 × 3 cells before sampling, as
 * cut and fill leave a road (the demo generator builds its roads on the same smoothing): sampled
 * raw, a road along a valley side would climb and fall with every cell of the slope beside it.
 */

import type { ElevationGrid } from '../county/terrain.js';

export type { ElevationGrid };

const WEIGHTS = [1, 2, 1] as const;

/** The 1-2-1 smoothed elevation of a cell (edge cells average what they have). */
function smoothedCell(grid: ElevationGrid, col: number, row: number): number {
  let sum = 0;
  let weight = 0;
  for (let dr = -1; dr <= 1; dr++) {
    const r = row + dr;
    if (r < 0 || r >= grid.height) continue;
    for (let dc = -1; dc <= 1; dc++) {
      const c = col + dc;
      if (c < 0 || c >= grid.width) continue;
      const w = WEIGHTS[dr + 1]! * WEIGHTS[dc + 1]!;
      sum += w * grid.elevationMetres[r * grid.width + c]!;
      weight += w;
    }
  }
  return sum / weight;
}

/**
 * The road elevation at each vertex of a line of [lon, lat] (bilinear between smoothed cell
 * centres); null when a vertex lies outside the grid.
 */
export function roadElevations(
  grid: ElevationGrid,
  coordinates: readonly (readonly [number, number])[],
): Float64Array | null {
  const out = new Float64Array(coordinates.length);
  for (let v = 0; v < coordinates.length; v++) {
    const [lon, lat] = coordinates[v]!;
    const x = (lon - grid.west) / grid.dLon - 0.5;
    const y = (grid.north - lat) / grid.dLat - 0.5;
    if (!(x >= -0.5 && y >= -0.5 && x <= grid.width - 0.5 && y <= grid.height - 0.5)) return null;
    const c0 = Math.min(Math.max(0, Math.floor(x)), grid.width - 1);
    const r0 = Math.min(Math.max(0, Math.floor(y)), grid.height - 1);
    const c1 = Math.min(c0 + 1, grid.width - 1);
    const r1 = Math.min(r0 + 1, grid.height - 1);
    const tx = Math.min(1, Math.max(0, x - c0));
    const ty = Math.min(1, Math.max(0, y - r0));
    const top = smoothedCell(grid, c0, r0) * (1 - tx) + smoothedCell(grid, c1, r0) * tx;
    const bottom = smoothedCell(grid, c0, r1) * (1 - tx) + smoothedCell(grid, c1, r1) * tx;
    out[v] = top * (1 - ty) + bottom * ty;
  }
  return out;
}
