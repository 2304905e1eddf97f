import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import { emergingHotspots, emergingLabel, monthlyGiStar } from './emerging.js';
import type { MonthlyCounts } from './event-index.js';
import { giStarHotspots } from './gi-star.js';
import { buildHexStudyArea } from './hex.js';

const rising = [1.7, 1.9, 2.1, 2.4, 2.6, 2.9, 3.1, 3.4, 3.8, 4.2];
const falling = [...rising].reverse();
// No trend: S = 5 over 10 periods, p ≈ 0.8.
const flat = [2, 3, 2, 3, 2, 3, 2, 3, 2, 3];
const hotAll = [1, 2, 1, 3, 2, 2, 3, 1, 2, 2];

describe('emerging-hotspot labels', () => {
  it('labels one crafted series per label', () => {
    const cases: [number[], number[], string][] = [
      [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], flat, 'none'],
      [[0, 0, 0, -1, 0, 0, 0, 0, 0, 2], flat, 'new'],
      [[0, 0, 0, 0, 0, 0, 0, 1, 2, 3], rising, 'new'],
      [hotAll, rising, 'intensifying'],
      [hotAll, flat, 'persistent'],
      [hotAll, falling, 'diminishing'],
      [[1, 0, 0, 2, 0, 0, 1, 0, 0, 3], flat, 'sporadic'],
    ];
    for (const [bins, z, label] of cases) expect([bins, emergingLabel(bins, z)]).toEqual([bins, label]);
  });

  it('applies the 90 % rule and the edge cases as documented', () => {
    // 9 of 10 hot (= 90 %), final not hot, no trend → persistent.
    expect(emergingLabel([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], flat)).toBe('persistent');
    // 9 of 10 hot with a decreasing trend and a cool final month → still diminishing (adaptation).
    expect(emergingLabel([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], falling)).toBe('diminishing');
    // 8 of 10 hot: not persistent; the final run does not hold every hot month, never cold → sporadic.
    expect(emergingLabel([1, 1, 1, 1, 0, 1, 1, 1, 0, 1], flat)).toBe('sporadic');
    // Hot now, cold once before (ArcGIS "oscillating") → none.
    expect(emergingLabel([-1, 0, 1, 0, 0, 0, 1, 0, 0, 2], flat)).toBe('none');
    // Hot in the past only (ArcGIS "historical") → none.
    expect(emergingLabel([2, 2, 1, 0, 0, 0, 0, 0, 0, 0], flat)).toBe('none');
    // Intensifying needs the final month hot: otherwise persistent.
    expect(emergingLabel([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], rising)).toBe('persistent');
    expect(() => emergingLabel([1], [1, 2])).toThrow(RangeError);
  });

  it('finds planted patterns from monthly counts on a study area', () => {
    const centre = latLngToCell(27.556, 119.717, 8);
    const area = buildHexStudyArea(gridDisk(centre, 6));
    const n = area.cells.length;
    const months = 12;
    const random = new Random('emerging');
    const counts = new Int32Array(months * n);
    for (let i = 0; i < counts.length; i++) counts[i] = random.poisson(1);
    const persistent = area.cells.indexOf(gridDisk(centre, 4).find((c) => !gridDisk(centre, 3).includes(c))!);
    const fresh = area.cells.indexOf(centre);
    for (let m = 0; m < months; m++) counts[m * n + persistent]! += 25;
    counts[(months - 1) * n + fresh]! += 30;
    const monthly: MonthlyCounts = { firstMonth: 648, monthCount: months, locationCount: n, counts };
    const { labels, giStar } = emergingHotspots(monthly, area);
    expect(labels[persistent]).toBe('persistent');
    expect(labels[fresh]).toBe('new');
    // The monthly Gi* is exactly the single-month Gi* of each row.
    const row = giStarHotspots(counts.subarray(5 * n, 6 * n), area);
    expect([...giStar.z.subarray(5 * n, 6 * n)]).toEqual([...row.z]);
    expect(monthlyGiStar(monthly, area).bin).toEqual(giStar.bin);
  });
});
