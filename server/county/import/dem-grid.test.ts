import { describe, expect, it } from 'vitest';
import {
  bilinearAt,
  fillVoids,
  LatticePositions,
  latticeIndices,
  MAX_TERRAIN_CELLS,
  outlineMask,
  pixelOf,
  terrainGridFor,
} from './dem-grid.js';

describe('DEM grid', () => {
  it('puts lattice nodes every step and on the last cell', () => {
    expect(latticeIndices(10, 4)).toEqual([0, 4, 8, 9]);
    expect(latticeIndices(9, 4)).toEqual([0, 4, 8]);
    expect(latticeIndices(1, 4)).toEqual([0]);
  });

  it('interpolates positions exactly for an affine map, and within h²/8·|f″| for a curved one', () => {
    const width = 101;
    const height = 41;
    const cols = latticeIndices(width, 20);
    const rows = latticeIndices(height, 20);
    const nodes = (f: (c: number, r: number) => [number, number]) => {
      const u = new Float64Array(cols.length * rows.length);
      const v = new Float64Array(cols.length * rows.length);
      rows.forEach((r, i) => cols.forEach((c, k) => ([u[i * cols.length + k], v[i * cols.length + k]] = f(c, r))));
      return new LatticePositions(cols, rows, u, v);
    };
    const affine = (c: number, r: number): [number, number] => [3 + 0.5 * c - 0.1 * r, 7 + 0.2 * c + 0.9 * r];
    const curved = (c: number, r: number): [number, number] => [c + 1e-3 * c * c, r];
    const flat = nodes(affine);
    const bent = nodes(curved);
    let worst = 0;
    const us = new Float64Array(width);
    const vs = new Float64Array(width);
    for (let r = 0; r < height; r++) {
      flat.row(r, us, vs);
      for (let c = 0; c < width; c++) {
        expect(us[c]).toBeCloseTo(affine(c, r)[0], 9);
        expect(vs[c]).toBeCloseTo(affine(c, r)[1], 9);
      }
      bent.row(r, us, vs);
      for (let c = 0; c < width; c++) worst = Math.max(worst, Math.abs(us[c]! - curved(c, r)[0]));
    }
    // f″ = 2e-3 over spans of 20 cells: at most 20²/8 · 2e-3 = 0.1, reached mid-span.
    expect(worst).toBeCloseTo(0.1, 9);
  });

  it('inverts the affine transform of pixel corners', () => {
    const affine = { x0: 500_000, a: 30, b: 0, y0: 3_050_000, c: 0, d: -30 };
    expect(pixelOf(affine, 500_045, 3_049_925)).toEqual([1.5, 2.5]);
  });

  it('interpolates bilinearly between pixel centres, reweighting around voids, NaN outside', () => {
    // 3 × 2 pixels of a plane z = 10·col + 100·row (at pixel centres).
    const plane = Float32Array.from([0, 10, 20, 100, 110, 120]);
    expect(bilinearAt(plane, 3, 2, 1.5, 1.5)).toBeCloseTo(110, 5); // centre of pixel (1, 1)
    expect(bilinearAt(plane, 3, 2, 1.25, 1.0)).toBeCloseTo(57.5, 5); // between rows, ¾ of pixel 0 → 1
    expect(bilinearAt(plane, 3, 2, 0.1, 0.1)).toBeCloseTo(0, 5); // the outer half-pixel keeps the edge value
    expect(bilinearAt(plane, 3, 2, 3.2, 1)).toBeNaN();
    const holed = Float32Array.from([0, NaN, 20, 100, 110, 120]);
    // Half-way between pixels (0, 0) and (1, 0): the void's weight goes to its neighbour.
    expect(bilinearAt(holed, 3, 2, 1.0, 0.5)).toBe(0);
    expect(bilinearAt(Float32Array.from([NaN, NaN, NaN, NaN]), 2, 2, 1, 1)).toBeNaN();
  });

  it('masks the cells whose centres lie inside the outline, holes left out', () => {
    const grid = { west: 0, north: 6, dLon: 1, dLat: 1, width: 6, height: 6 };
    const square = (w: number, s: number, e: number, n: number) => [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    const mask = outlineMask(grid, [[square(1, 1, 5, 5), square(2, 2, 3, 3)]]);
    const rows = Array.from({ length: 6 }, (_, r) => Array.from(mask.slice(r * 6, r * 6 + 6)).join(''));
    expect(rows).toEqual(['000000', '011110', '011110', '010110', '011110', '000000']);
  });

  it('fills voids outwards from the known cells and counts them', () => {
    const values = Float32Array.from([10, 10, NaN, NaN, 20, NaN, NaN, NaN, NaN]);
    expect(fillVoids(values, 3, 3)).toBe(6);
    expect(Array.from(values).every(Number.isFinite)).toBe(true);
    expect(values[2]).toBe(15); // neighbours 10 (0,1) and 20 (1,1)
    expect(values[3]).toBeCloseTo(40 / 3, 5); // 10, 10, 20
    expect(fillVoids(new Float32Array([NaN, NaN]), 2, 1)).toBe(0);
  });

  it('covers the bounds plus 1 km at the source resolution, coarser when over the cap', () => {
    const bounds = { west: 119.5, south: 27.3, east: 120, north: 27.8 };
    const fine = terrainGridFor(bounds, 30);
    expect(fine.west).toBeCloseTo(119.5 - 1000 / 98_800, 3);
    expect(fine.width * fine.height).toBeLessThan(MAX_TERRAIN_CELLS);
    expect(fine.dLat * 110_800).toBeCloseTo(30, 0);
    const capped = terrainGridFor(bounds, 1);
    expect(capped.width * capped.height).toBeLessThanOrEqual(MAX_TERRAIN_CELLS);
    expect(capped.width * capped.height).toBeGreaterThan(MAX_TERRAIN_CELLS * 0.99);
  });
});
