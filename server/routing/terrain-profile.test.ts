import { describe, expect, it } from 'vitest';
import { roadElevations, type ElevationGrid } from './terrain-profile.js';

// 5 × 5 cells of 0.001°, north-west corner at (120, 28): z = 10 m per column east + 100 m per row south.
const grid: ElevationGrid = {
  west: 120,
  north: 28,
  dLon: 0.001,
  dLat: 0.001,
  width: 5,
  height: 5,
  elevationMetres: Array.from({ length: 25 }, (_, i) => 10 * (i % 5) + 100 * Math.floor(i / 5)),
};
/** The point at fractional cell-centre coordinates (col, row). */
const at = (col: number, row: number): [number, number] => [120 + (col + 0.5) * 0.001, 28 - (row + 0.5) * 0.001];

describe('road elevations from a terrain grid', () => {
  it('keeps a plane a plane inside the grid: the 1-2-1 smoothing and bilinear sampling are exact there', () => {
    // (1.5, 2.25): 10 × 1.5 + 100 × 2.25 = 240 m; (3, 1): 130 m.
    expect(Array.from(roadElevations(grid, [at(1.5, 2.25), at(3, 1)])!)).toEqual([
      expect.closeTo(240, 9),
      expect.closeTo(130, 9),
    ]);
  });

  it('smooths a single spike over its neighbours, as cut and fill do', () => {
    const spiked = { ...grid, elevationMetres: Array.from({ length: 25 }, (_, i) => (i === 12 ? 160 : 0)) };
    // The centre keeps 4/16 of the spike (40 m), its side neighbours 2/16 (20 m).
    expect(roadElevations(spiked, [at(2, 2)])![0]).toBeCloseTo(40, 9);
    expect(roadElevations(spiked, [at(1, 2)])![0]).toBeCloseTo(160 * (2 / 16), 9);
  });

  it('gives no elevations for a line that leaves the grid', () => {
    expect(roadElevations(grid, [at(2, 2), at(6, 2)])).toBeNull();
  });
});
