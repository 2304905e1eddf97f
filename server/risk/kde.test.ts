import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import { ALL_CATEGORIES_MASK, buildEventIndex } from './event-index.js';
import {
  type DensityGridSpec,
  defaultBandwidthForQuery,
  defaultBandwidthMetres,
  densityCellMetres,
  densityGridForBounds,
  gridCornersLonLat,
  kernelDensity,
  kernelDensityForQuery,
  quarticPeakPerKm2,
} from './kde.js';
import { localProjection, projectX, projectY } from './projection.js';
import { firstDifference } from './test-fixtures.js';

/** Density at the cell whose centre is (x, y) — the caller picks centres exactly. */
function densityAt(grid: ReturnType<typeof kernelDensity>, xMetres: number, yMetres: number): number {
  const column = Math.round((xMetres - grid.westMetres) / grid.cellMetres - 0.5);
  const row = Math.round((grid.northMetres - yMetres) / grid.cellMetres - 0.5);
  return grid.densityPerKm2[row * grid.columns + column]!;
}

const grid: DensityGridSpec = Object.freeze({
  westMetres: -20_000,
  northMetres: 20_000,
  cellMetres: 100,
  columns: 400,
  rows: 400,
});

describe('kernel density', () => {
  it('gives a lone event the quartic peak 3/(π h²) at its own cell, and the kernel beside it', () => {
    // Event at the centre of cell (column 205, row 195): x = −20000 + 205.5·100, y = 20000 − 195.5·100.
    const h = 800;
    const surface = kernelDensity([550], [450], grid, h);
    expect(quarticPeakPerKm2(h)).toBeCloseTo((3 / (Math.PI * 640_000)) * 1e6, 12);
    expect(densityAt(surface, 550, 450)).toBeCloseTo(quarticPeakPerKm2(h), 3);
    // Two cells east: d = 200 m → peak · (1 − 200²/800²)² = peak · (15/16)².
    expect(densityAt(surface, 750, 450)).toBeCloseTo(quarticPeakPerKm2(h) * (15 / 16) ** 2, 3);
    // 800 m away (= h) and beyond: 0.
    expect(densityAt(surface, 550, 450 + 800)).toBe(0);
    expect(densityAt(surface, 550 + 900, 450)).toBe(0);
  });

  it('integrates to the number of events away from the edges (within 1 %)', () => {
    const random = new Random('kde-mass');
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 2000; i++) {
      xs.push(random.normal(0, 3000));
      ys.push(random.normal(1000, 2000));
    }
    for (const h of [500, 1200, 2500]) {
      const surface = kernelDensity(xs, ys, grid, h);
      let mass = 0;
      for (const value of surface.densityPerKm2) mass += value * 0.01; // 100 m cells = 0.01 km².
      expect(Math.abs(mass - 2000) / 2000).toBeLessThan(0.01);
    }
  });

  it('keeps its values when the cell size changes (colours do not change with zoom)', () => {
    const random = new Random('kde-zoom');
    const xs = Array.from({ length: 500 }, () => random.normal(0, 1500));
    const ys = Array.from({ length: 500 }, () => random.normal(0, 1500));
    const coarse = kernelDensity(xs, ys, grid, 1000);
    // Fine grid offset by 25 m so that coarse cell centres (…50 m) are fine cell centres too.
    const fine = kernelDensity(
      xs,
      ys,
      { ...grid, westMetres: -19_975, northMetres: 19_975, cellMetres: 50, columns: 790, rows: 790 },
      1000,
    );
    for (const [x, y] of [
      [50, 50],
      [-950, 1250],
      [1450, -650],
    ] as const) {
      const a = densityAt(coarse, x, y);
      expect(Math.abs(densityAt(fine, x, y) - a) / a).toBeLessThan(0.01);
    }
  });

  it('counts events just outside the grid', () => {
    // An event 450 m west of the grid's west edge (on a padded cell centre) reaches the first
    // column's centre 500 m away: peak · (1 − 500²/1000²)² = peak · 0.5625.
    const small: DensityGridSpec = { westMetres: 0, northMetres: 1000, cellMetres: 100, columns: 10, rows: 10 };
    const surface = kernelDensity([-450], [550], small, 1000);
    expect(densityAt(surface, 50, 550)).toBeCloseTo(quarticPeakPerKm2(1000) * 0.5625, 4);
    expect(densityAt(surface, 550, 550)).toBe(0);
  });

  it('follows the stated bandwidth rule on a known set', () => {
    // (0,0), (±100,0), (0,±100), (±10000,0): mean centre (0,0); distances 0, 100×4, 10000×2 →
    // median Dm = 100; SD = √((2·100² + 2·10000²)/7 + 2·100²/7) = √(200040000/7) ≈ 5345.7.
    // min(SD, √(1/ln 2)·100 = 120.11) = 120.11 → h = 0.9 · 120.11 · 7^(−0.2) = 73.87 m; the 50 m
    // floor leaves it, the default 100 m floor lifts it.
    const xs = Object.freeze([0, 100, -100, 0, 0, 10000, -10000]);
    const ys = Object.freeze([0, 0, 0, 100, -100, 0, 0]);
    const expected = 0.9 * Math.sqrt(1 / Math.LN2) * 100 * 7 ** -0.2;
    expect(defaultBandwidthMetres(xs, ys, 50)).toBeCloseTo(expected, 9);
    expect(defaultBandwidthMetres(xs, ys)).toBe(100);
    // Square of side 2 km: SD = √2 km = Dm, so SD (< 1.2011·Dm) wins: h = 0.9·√2·1000·4^(−0.2).
    const square = defaultBandwidthMetres([1000, -1000, 1000, -1000], [1000, 1000, -1000, -1000]);
    expect(square).toBeCloseTo(0.9 * Math.SQRT2 * 1000 * 4 ** -0.2, 9);
    expect(defaultBandwidthMetres([], [])).toBe(100);
  });

  it('runs on the event index like on plain points, and places the grid on the map', () => {
    const random = new Random('kde-index');
    const lonDeg = Array.from({ length: 300 }, () => random.normal(119.72, 0.02));
    const latDeg = Array.from({ length: 300 }, () => random.normal(27.55, 0.02));
    const projection = localProjection(119.72, 27.55);
    const index = buildEventIndex(
      {
        lonDeg,
        latDeg,
        occurredAtMs: lonDeg.map((_, i) => Date.UTC(2025, 0, 1 + (i % 60))),
        categoryCode: lonDeg.map((_, i) => i % 5),
        villageIndex: lonDeg.map(() => -1),
      },
      { resolutions: [], projection },
    );
    const spec = densityGridForBounds(projection, { west: 119.62, south: 27.45, east: 119.82, north: 27.65 }, 200);
    const query = { startDay: 0, endDay: 1e6, categoryMask: ALL_CATEGORIES_MASK };
    const xs = lonDeg.map((lon) => projectX(projection, lon));
    const ys = latDeg.map((lat) => projectY(projection, lat));
    const fromIndex = kernelDensityForQuery(index, query, spec, 900).densityPerKm2;
    expect(firstDifference(fromIndex, kernelDensity(xs, ys, spec, 900).densityPerKm2)).toBe(-1);
    expect(Math.max(...fromIndex)).toBeGreaterThan(0);
    expect(defaultBandwidthForQuery(index, query)).toBeCloseTo(defaultBandwidthMetres(xs, ys), 6);
    const corners = gridCornersLonLat(projection, spec);
    expect(corners[0]![0]).toBeCloseTo(119.62, 9);
    expect(corners[0]![1]).toBeCloseTo(27.65, 9);
    expect(corners[2]![0]).toBeGreaterThanOrEqual(119.82);
    expect(corners[2]![1]).toBeLessThanOrEqual(27.45);
    expect(() => kernelDensity([0], [0], spec, 0)).toThrow(RangeError);
    // 40 km × 40 km at 1 km bandwidth: 125 m (h/8) beats √(1.6e9 / 262144) = 78 m; at 400 m, 78 m.
    expect(densityCellMetres(1000, 40_000, 40_000)).toBe(125);
    expect(densityCellMetres(400, 40_000, 40_000)).toBeCloseTo(78.125, 9);
  });
});
