import { describe, expect, it } from 'vitest';
import {
  cellCentre,
  cellOf,
  cellSizeMetres,
  gridForBounds,
  metresPerDegree,
  rasterizePolygon,
  type GridSpec,
} from './raster.js';

describe('rasters', () => {
  const spec: GridSpec = { west: 0, north: 10, dLon: 1, dLat: 1, width: 10, height: 10 };

  it('map cells to centres and back', () => {
    expect(cellCentre(spec, 0, 0)).toEqual([0.5, 9.5]);
    expect(cellOf(spec, 0.5, 9.5)).toEqual({ col: 0, row: 0 });
    expect(cellOf(spec, 9.99, 0.01)).toEqual({ col: 9, row: 9 });
    expect(cellOf(spec, -0.01, 5)).toBeNull();
    expect(cellOf(spec, 5, 10.01)).toBeNull();
  });

  it('make cells about square on the ground', () => {
    const grid = gridForBounds({ west: 119.6, south: 27.3, east: 120.3, north: 27.8 }, 60);
    const size = cellSizeMetres(grid);
    expect(size.x).toBeCloseTo(60, 1);
    expect(size.y).toBeCloseTo(60, 1);
    expect(grid.width).toBe(Math.ceil(0.7 / grid.dLon));
    expect(metresPerDegree(0).lon).toBeCloseTo(111_319.5, 0);
  });

  it('rasterize a polygon with a hole by cell centres', () => {
    const square = [
      [
        [2, 2],
        [8, 2],
        [8, 8],
        [2, 8],
        [2, 2],
      ],
      [
        [4, 4],
        [4, 6],
        [6, 6],
        [6, 4],
        [4, 4],
      ],
    ];
    const mask = rasterizePolygon(spec, [square]);
    // 6×6 cells inside the outer ring, minus the 2×2 hole.
    expect(mask.reduce((sum, v) => sum + v, 0)).toBe(32);
    expect(mask[7 * 10 + 2]).toBe(1); // centre (2.5, 2.5)
    expect(mask[5 * 10 + 4]).toBe(0); // centre (4.5, 4.5), in the hole
    expect(mask[1 * 10 + 1]).toBe(0);
  });
});
