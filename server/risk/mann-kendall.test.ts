import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import type { MonthlyCounts } from './event-index.js';
import { mannKendall, monthlyTrends } from './mann-kendall.js';

describe('Mann-Kendall', () => {
  it('matches a hand computation with ties', () => {
    // x = 1 2 3 2 4 4. S by rows i: +5, +3 (2→3,2,4,4 = +1 0 +1 +1), +1 (3→2,4,4), +2, 0 → S = 11.
    // Ties: two groups of size 2 (the 2s and the 4s), each 2·1·9 = 18.
    // Var = (6·5·17 − 36)/18 = 474/18; Z = (11 − 1)/√(474/18) = 1.94871; p = erfc(Z/√2) = 0.0513301.
    const result = mannKendall(Object.freeze([1, 2, 3, 2, 4, 4]));
    expect(result.s).toBe(11);
    expect(result.variance).toBeCloseTo(474 / 18, 12);
    expect(result.z).toBeCloseTo(10 / Math.sqrt(474 / 18), 12);
    expect(result.p).toBeCloseTo(0.051330137700318995, 12);
    // 15 pairwise slopes: −1, 0, 0, 1/3, 1/3, 1/2, 1/2, 3/5, 2/3, 3/4, 1, 1, 1, 1, 2 → median 3/5.
    expect(result.senSlope).toBeCloseTo(0.6, 15);
  });

  it('matches a hand computation without ties, decreasing', () => {
    // 5 4 3 2 1: S = −10, Var = 5·4·15/18 = 300/18, Z = (−10 + 1)/√(300/18) = −2.20454.
    const result = mannKendall([5, 4, 3, 2, 1]);
    expect(result.s).toBe(-10);
    expect(result.variance).toBeCloseTo(300 / 18, 12);
    expect(result.z).toBeCloseTo(-9 / Math.sqrt(300 / 18), 12);
    expect(result.p).toBeCloseTo(0.027486336111510353, 12);
    expect(result.senSlope).toBe(-1);
  });

  it('gives no trend for a constant series (variance 0) and an even-count Sen median', () => {
    const constant = mannKendall([3, 3, 3]);
    expect(constant).toEqual({ n: 3, s: 0, variance: 0, z: 0, p: 1, senSlope: 0 });
    // 0 1 3 6: slopes 1, 1.5, 2, 2, 2.5, 3 → median (2 + 2)/2 = 2.
    expect(mannKendall([0, 1, 3, 6]).senSlope).toBe(2);
  });

  it('skips missing periods but keeps their time positions for Sen', () => {
    // 1, –, 3: n = 2, S = 1, Var = 2·1·9/18 = 1, Z = 0; slope (3 − 1)/2.
    const result = mannKendall([1, NaN, 3]);
    expect(result).toMatchObject({ n: 2, s: 1, variance: 1, z: 0, p: 1, senSlope: 1 });
  });

  it('agrees with a naive S and sorted-median Sen slope on random series with ties and gaps', () => {
    const random = new Random('mann-kendall');
    for (let trial = 0; trial < 200; trial++) {
      const length = random.int(2, 40);
      const series = Array.from({ length }, () => (random.chance(0.1) ? NaN : random.int(0, 6)));
      const points = series.map((x, t) => [t, x] as const).filter(([, x]) => !Number.isNaN(x));
      let s = 0;
      const slopes: number[] = [];
      for (let i = 0; i < points.length; i++) {
        for (let j = i + 1; j < points.length; j++) {
          s += Math.sign(points[j]![1] - points[i]![1]);
          slopes.push((points[j]![1] - points[i]![1]) / (points[j]![0] - points[i]![0]));
        }
      }
      slopes.sort((a, b) => a - b);
      const half = slopes.length >> 1;
      const median = slopes.length % 2 ? slopes[half]! : (slopes[half - 1]! + slopes[half]!) / 2;
      const result = mannKendall(series);
      expect(result.s).toBe(s);
      if (points.length >= 2) expect(result.senSlope).toBeCloseTo(median, 12);
    }
  });

  it('runs per location of a monthly matrix, skipping all-zero locations', () => {
    // Five months × two locations, month-major: location 0 = 5 4 3 2 1, location 1 all zero.
    const monthly: MonthlyCounts = {
      firstMonth: 0,
      monthCount: 5,
      locationCount: 2,
      counts: Int32Array.from([5, 0, 4, 0, 3, 0, 2, 0, 1, 0]),
    };
    const trends = monthlyTrends(monthly);
    expect(trends.s[0]).toBe(-10);
    expect(trends.z[0]).toBeCloseTo(-9 / Math.sqrt(300 / 18), 12);
    expect(trends.senSlopePerMonth[0]).toBe(-1);
    expect([trends.s[1], trends.z[1], trends.p[1], trends.senSlopePerMonth[1]]).toEqual([0, 0, 1, 0]);
  });
});
