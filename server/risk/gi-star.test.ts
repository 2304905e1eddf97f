import { cellToLatLng, gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './fdr.js';
import { giStarHotspots, giStarZ, hotspotBin } from './gi-star.js';
import { buildHexStudyArea } from './hex.js';
import { twoSidedP } from './normal.js';

// A res-8 hexagon in Taishun (罗阳镇) and its ring-2 disk: 19 cells.
const centre = latLngToCell(27.556, 119.717, 8);
const cells = Object.freeze(gridDisk(centre, 2));
const ring = (cell: string) => gridDistance(centre, cell);
/** Ring-2 cells at a corner of the disk touch 1 ring-1 cell, those along an edge touch 2. */
const ringOneNeighbours = (cell: string) => gridDisk(cell, 1).filter((c) => ring(c) === 1).length;

describe('Getis-Ord Gi*', () => {
  // Counts: centre 10, ring 1 → 4 each, ring 2 → 0. n = 19, Σx = 34, Σx² = 196,
  // x̄ = 34/19, S = √(196/19 − (34/19)²) = √2568 / 19.
  const values = Object.freeze(cells.map((cell) => [10, 4, 0][ring(cell)]!));
  const area = buildHexStudyArea(cells);

  it('uses the cell and its ring-1 neighbours inside the study area as neighbourhood', () => {
    cells.forEach((cell, i) => {
      const size = area.neighbourStart[i + 1]! - area.neighbourStart[i]!;
      const expected = ring(cell) < 2 ? 7 : ringOneNeighbours(cell) === 1 ? 4 : 5;
      expect(size).toBe(expected);
    });
    expect(cells.filter((c) => ring(c) === 2 && ringOneNeighbours(c) === 1)).toHaveLength(6);
  });

  it('equals the formula computed by hand to 1e-9', () => {
    // Gi* = (Σw x − x̄ W) / (S √((n W − W²)/(n − 1))).
    // Centre: W = 7, Σw x = 34 → (34 − 7·34/19) = 408/19; S√((133 − 49)/18) = √2568/19·√(14/3)
    //   → z = 408 / √(2568·14/3) = 408 / √11984.
    // Ring 1: W = 7, Σw x = 4 + 10 + 4 + 4 + 0 = 22 → 180/19 → z = 180 / √11984.
    // Ring 2 corner: W = 4, Σw x = 4 → (4 − 136/19) = −60/19; √((76 − 16)/18) → z = −60 / √(2568·60/18) = −60/√8560.
    // Ring 2 edge: W = 5, Σw x = 8 → (8 − 170/19) = −18/19; √((95 − 25)/18) → z = −18 / √(2568·70/18).
    const z = giStarZ(values, area);
    cells.forEach((cell, i) => {
      const expected =
        ring(cell) === 0
          ? 408 / Math.sqrt(11984)
          : ring(cell) === 1
            ? 180 / Math.sqrt(11984)
            : ringOneNeighbours(cell) === 1
              ? -60 / Math.sqrt(8560)
              : -18 / Math.sqrt((2568 * 70) / 18);
      expect(Math.abs(z[i]! - expected)).toBeLessThan(1e-9);
    });
    expect(z[cells.indexOf(centre)]).toBeCloseTo(3.726998885733535, 12);
  });

  it('corrects p-values with BH and bins them: only the centre is hot (99 %)', () => {
    const result = giStarHotspots(values, area);
    const i = cells.indexOf(centre);
    expect(result.p[i]).toBeCloseTo(twoSidedP(408 / Math.sqrt(11984)), 15);
    // The centre has the smallest p of 19: adjusted = min over ranks k of p_(k)·19/k = p·19 here.
    expect(result.pAdjusted[i]).toBeCloseTo(result.p[i]! * 19, 15);
    expect([...result.pAdjusted]).toEqual([...benjaminiHochberg(result.p)]);
    cells.forEach((_, j) => expect(result.bin[j]).toBe(j === i ? 3 : 0));
  });

  it('FDR removes a lone spike that raw p-values would class', () => {
    // Disk of radius 3 (n = 37), one event count c at the centre, zeros elsewhere. For the centre
    // and its 6 neighbours W = 7 and Σw x = c; x̄ = c/37, S = c·√(1/37 − 1/37²) = 6c/37:
    // z = (c − 7c/37) / (6c/37 · √((259 − 49)/36)) = 5 / √(35/6) = 2.0702, p = 0.0384 (bin 2 raw).
    // BH: these 7 tie at ranks 1–7, so adjusted p = 0.0384·37/7 = 0.203 > 0.10: not significant.
    const disk = buildHexStudyArea(gridDisk(centre, 3));
    const spike = disk.cells.map((cell) => (cell === centre ? 12 : 0));
    const raw = giStarHotspots(spike, disk, { fdr: false });
    const corrected = giStarHotspots(spike, disk);
    const zExpected = 5 / Math.sqrt(35 / 6);
    disk.cells.forEach((cell, i) => {
      if (gridDistance(centre, cell) > 1) return;
      expect(Math.abs(raw.z[i]! - zExpected)).toBeLessThan(1e-9);
      expect(raw.bin[i]).toBe(2);
      expect(corrected.pAdjusted[i]).toBeCloseTo((twoSidedP(zExpected) * 37) / 7, 12);
      expect(corrected.bin[i]).toBe(0);
    });
  });

  it('is zero where undefined: constant values, or a neighbourhood that is the whole area', () => {
    expect([
      ...giStarZ(
        cells.map(() => 3),
        area,
      ),
    ]).toEqual(cells.map(() => 0));
    const seven = buildHexStudyArea(gridDisk(centre, 1));
    const z = giStarZ([9, 1, 1, 1, 1, 1, 1], seven);
    expect(z[seven.cells.indexOf(centre)]).toBe(0);
  });

  it('classes by confidence thresholds 99 / 95 / 90 %', () => {
    expect(hotspotBin(2.7, 0.01)).toBe(3);
    expect(hotspotBin(2.7, 0.0100001)).toBe(2);
    expect(hotspotBin(-2, 0.05)).toBe(-2);
    expect(hotspotBin(-1.7, 0.06)).toBe(-1);
    expect(hotspotBin(1.7, 0.1)).toBe(1);
    expect(hotspotBin(1.6, 0.11)).toBe(0);
    expect(hotspotBin(0, 0)).toBe(0);
    expect(hotspotBin(3, NaN)).toBe(0);
  });

  it('does not depend on cell order (a permuted study area gives permuted z)', () => {
    const order = cells.map((_, i) => (i * 7) % cells.length);
    const permuted = buildHexStudyArea(order.map((i) => cells[i]!));
    const z = giStarZ(
      order.map((i) => values[i]!),
      permuted,
    );
    const reference = giStarZ(values, area);
    order.forEach((i, k) => expect(z[k]).toBeCloseTo(reference[i]!, 12));
    expect(cellToLatLng(centre)[0]).toBeCloseTo(27.556, 2);
  });
});
