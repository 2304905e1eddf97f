/**
 * Bringing a DEM to the county's lon/lat grid, pure: the grid over the county's bounds, the source
 * position of every grid cell interpolated from a coarse lattice of exactly transformed positions,
 * bilinear resampling, the county's outline as a cell mask, and voids filled from their neighbours.
 */
import type { GridSpec } from '../generate/raster.js';
import { metresPerDegree } from '../generate/raster.js';
import type { Affine } from './dem-read.js';

/** At most this many cells in a county's terrain grid (4096²; 32 MiB of Int16 heights). */
export const MAX_TERRAIN_CELLS = 16 * 1024 * 1024;
/** The grid reaches this far beyond the county's outline, so that roads at its edge have heights. */
export const TERRAIN_MARGIN_METRES = 1000;
/** The interpolated source positions stay within this share of a source pixel of the exact ones. */
export const MAX_POSITION_ERROR_PIXELS = 0.25;

/**
 * The lon/lat grid over `bounds` plus the margin, its cells about `cellMetres` on the ground, or
 * coarser when that would exceed MAX_TERRAIN_CELLS.
 */
export function terrainGridFor(
  bounds: { west: number; south: number; east: number; north: number },
  cellMetres: number,
  maxCells = MAX_TERRAIN_CELLS,
): GridSpec {
  const m = metresPerDegree((bounds.south + bounds.north) / 2);
  const west = bounds.west - TERRAIN_MARGIN_METRES / m.lon;
  const east = bounds.east + TERRAIN_MARGIN_METRES / m.lon;
  const south = bounds.south - TERRAIN_MARGIN_METRES / m.lat;
  const north = bounds.north + TERRAIN_MARGIN_METRES / m.lat;
  const area = (east - west) * m.lon * (north - south) * m.lat;
  const cell = Math.max(cellMetres, Math.sqrt(area / maxCells) * 1.001);
  const dLon = cell / m.lon;
  const dLat = cell / m.lat;
  const width = Math.ceil((east - west) / dLon);
  const height = Math.ceil((north - south) / dLat);
  return { west, north, dLon, dLat, width, height };
}

/** Lattice positions along one side of `size` cells: every `step`-th cell and the last. */
export function latticeIndices(size: number, step: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < size - 1; i += step) indices.push(i);
  indices.push(size - 1);
  return indices;
}

/** The source pixel position (col, row in pixel-corner units) of a point of the source CRS. */
export function pixelOf(affine: Affine, x: number, y: number): [number, number] {
  const { x0, a, b, y0, c, d } = affine;
  const det = a * d - b * c;
  const dx = x - x0;
  const dy = y - y0;
  return [(d * dx - b * dy) / det, (a * dy - c * dx) / det];
}

/**
 * Source pixel positions of the grid's cells, bilinear between lattice nodes: `nodeCols` ×
 * `nodeRows` nodes (grid cell indices), `u`/`v` their exact source pixel positions, row-major.
 */
export class LatticePositions {
  constructor(
    readonly nodeCols: readonly number[],
    readonly nodeRows: readonly number[],
    readonly u: Float64Array,
    readonly v: Float64Array,
  ) {}

  /** The interpolated positions of row `row`'s cells, into `us` and `vs` (length: the grid's width). */
  row(row: number, us: Float64Array, vs: Float64Array): void {
    const { nodeCols, nodeRows, u, v } = this;
    let r = 0;
    while (r < nodeRows.length - 2 && nodeRows[r + 1]! <= row) r++;
    const span = nodeRows[r + 1]! - nodeRows[r]!;
    const t = span > 0 ? (row - nodeRows[r]!) / span : 0;
    const n = nodeCols.length;
    let k = 0;
    for (let col = 0; col < us.length; col++) {
      while (k < n - 2 && nodeCols[k + 1]! <= col) k++;
      const width = nodeCols[k + 1]! - nodeCols[k]!;
      const s = width > 0 ? (col - nodeCols[k]!) / width : 0;
      const i00 = r * n + k;
      const i10 = i00 + 1;
      const i01 = i00 + n;
      const i11 = i01 + 1;
      us[col] = (u[i00]! * (1 - s) + u[i10]! * s) * (1 - t) + (u[i01]! * (1 - s) + u[i11]! * s) * t;
      vs[col] = (v[i00]! * (1 - s) + v[i10]! * s) * (1 - t) + (v[i01]! * (1 - s) + v[i11]! * s) * t;
    }
  }

  /** The interpolated position of one cell. */
  at(col: number, row: number, width: number): [number, number] {
    const us = new Float64Array(width);
    const vs = new Float64Array(width);
    this.row(row, us, vs);
    return [us[col]!, vs[col]!];
  }
}

/**
 * Bilinear height at source pixel position (u, v) (pixel-corner units): the four pixels around it,
 * those without a value left out and the others reweighted; NaN outside the raster or where all four
 * are void.
 */
export function bilinearAt(heights: Float32Array, width: number, height: number, u: number, v: number): number {
  const x = u - 0.5;
  const y = v - 0.5;
  if (!(x >= -0.5 && y >= -0.5 && x <= width - 0.5 && y <= height - 0.5)) return NaN;
  const c0 = Math.min(Math.max(0, Math.floor(x)), width - 1);
  const r0 = Math.min(Math.max(0, Math.floor(y)), height - 1);
  const c1 = Math.min(c0 + 1, width - 1);
  const r1 = Math.min(r0 + 1, height - 1);
  const tx = Math.min(1, Math.max(0, x - c0));
  const ty = Math.min(1, Math.max(0, y - r0));
  let sum = 0;
  let weight = 0;
  const add = (index: number, w: number) => {
    const h = heights[index]!;
    if (w > 0 && !Number.isNaN(h)) {
      sum += h * w;
      weight += w;
    }
  };
  add(r0 * width + c0, (1 - tx) * (1 - ty));
  add(r0 * width + c1, tx * (1 - ty));
  add(r1 * width + c0, (1 - tx) * ty);
  add(r1 * width + c1, tx * ty);
  return weight > 0 ? sum / weight : NaN;
}

/** The grid's heights resampled from the source: NaN where the source has none. */
export function resample(
  grid: GridSpec,
  source: { heights: Float32Array; width: number; height: number },
  positions: LatticePositions,
): Float32Array {
  const out = new Float32Array(grid.width * grid.height);
  const us = new Float64Array(grid.width);
  const vs = new Float64Array(grid.width);
  for (let row = 0; row < grid.height; row++) {
    positions.row(row, us, vs);
    const base = row * grid.width;
    for (let col = 0; col < grid.width; col++) {
      out[base + col] = bilinearAt(source.heights, source.width, source.height, us[col]!, vs[col]!);
    }
  }
  return out;
}

type Ring = readonly (readonly number[])[];

/**
 * The cells whose centres lie inside the polygons (even–odd over all rings, so holes are left out),
 * by scanlines along the cell rows.
 */
export function outlineMask(grid: GridSpec, polygons: readonly (readonly Ring[])[]): Uint8Array {
  const mask = new Uint8Array(grid.width * grid.height);
  const edges: [number, number, number, number][] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i]!;
        const [x2, y2] = ring[i + 1]!;
        if (y1 !== y2) edges.push([x1!, y1!, x2!, y2!]);
      }
    }
  }
  const crossings: number[] = [];
  for (let row = 0; row < grid.height; row++) {
    const lat = grid.north - (row + 0.5) * grid.dLat;
    crossings.length = 0;
    for (const [x1, y1, x2, y2] of edges) {
      if (y1 > lat !== y2 > lat) crossings.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
    }
    crossings.sort((p, q) => p - q);
    for (let i = 0; i + 1 < crossings.length; i += 2) {
      const from = Math.max(0, Math.ceil((crossings[i]! - grid.west) / grid.dLon - 0.5));
      const to = Math.min(grid.width - 1, Math.floor((crossings[i + 1]! - grid.west) / grid.dLon - 0.5));
      for (let col = from; col <= to; col++) mask[row * grid.width + col] = 1;
    }
  }
  return mask;
}

/**
 * Fill every NaN cell from its neighbours: breadth-first outwards from the cells with values, each
 * void taking the mean of its already-known 8 neighbours. Returns how many cells were filled (all of
 * them unless no cell has a value).
 */
export function fillVoids(values: Float32Array, width: number, height: number): number {
  const queue = new Int32Array(values.length);
  const known = new Uint8Array(values.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i]!)) known[i] = 1;
  }
  // Seed with the voids touching a known cell.
  const neighbours = (i: number, visit: (j: number) => void) => {
    const row = Math.floor(i / width);
    const col = i - row * width;
    for (let dr = -1; dr <= 1; dr++) {
      const r = row + dr;
      if (r < 0 || r >= height) continue;
      for (let dc = -1; dc <= 1; dc++) {
        const c = col + dc;
        if ((dr === 0 && dc === 0) || c < 0 || c >= width) continue;
        visit(r * width + c);
      }
    }
  };
  const queued = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (known[i]) continue;
    let touches = false;
    neighbours(i, (j) => {
      if (known[j]) touches = true;
    });
    if (touches) {
      queue[tail++] = i;
      queued[i] = 1;
    }
  }
  let filled = 0;
  while (head < tail) {
    const i = queue[head++]!;
    let sum = 0;
    let count = 0;
    neighbours(i, (j) => {
      if (known[j]) {
        sum += values[j]!;
        count += 1;
      }
    });
    values[i] = sum / count;
    known[i] = 1;
    filled += 1;
    neighbours(i, (j) => {
      if (!known[j] && !queued[j]) {
        queued[j] = 1;
        queue[tail++] = j;
      }
    });
  }
  return filled;
}
