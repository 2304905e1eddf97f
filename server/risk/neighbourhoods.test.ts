import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import { emergingHotspots } from './emerging.js';
import type { MonthlyCounts } from './event-index.js';
import { giStarZ } from './gi-star.js';
import { distanceNeighbourhoods, locationCount } from './neighbourhoods.js';

/** Neighbour lists, each sorted, for comparison. */
function lists(n: ReturnType<typeof distanceNeighbourhoods>): number[][] {
  return Array.from({ length: locationCount(n) }, (_, i) =>
    [...n.neighbourCells.subarray(n.neighbourStart[i]!, n.neighbourStart[i + 1]!)].sort((a, b) => a - b),
  );
}

describe('distance-band neighbourhoods', () => {
  it('link locations within the radius, themselves included', () => {
    // Village centres on a line at 0, 1000, 2000 and 5000 m; radius 1000 m (inclusive).
    const band = distanceNeighbourhoods(Object.freeze([0, 1000, 2000, 5000]), Object.freeze([0, 0, 0, 0]), 1000);
    expect(lists(band)).toEqual([[0, 1], [0, 1, 2], [1, 2], [3]]);
  });

  it('give village Gi* by the same formula', () => {
    // Values 6, 0, 0, 0 on the line: n = 4, x̄ = 1.5, S = √(36/4 − 2.25) = √6.75.
    // Village 0: W = 2, Σw x = 6 → (6 − 3) / (√6.75 · √((8 − 4)/3)) = 3 / √9 = 1.
    const band = distanceNeighbourhoods([0, 1000, 2000, 5000], [0, 0, 0, 0], 1000);
    expect(giStarZ([6, 0, 0, 0], band)[0]).toBeCloseTo(1, 12);
  });

  it('let villages get emerging labels', () => {
    const random = new Random('villages');
    const xs = Array.from({ length: 80 }, () => random.uniform(0, 30_000));
    const ys = Array.from({ length: 80 }, () => random.uniform(0, 30_000));
    const band = distanceNeighbourhoods(xs, ys, 4000);
    const months = 12;
    const counts = new Int32Array(months * 80);
    for (let i = 0; i < counts.length; i++) counts[i] = random.poisson(2);
    for (let m = 0; m < months; m++) counts[m * 80 + 7]! += 40;
    const monthly: MonthlyCounts = { firstMonth: 0, monthCount: months, locationCount: 80, counts };
    expect(emergingHotspots(monthly, band).labels[7]).toBe('persistent');
    expect(() => emergingHotspots({ ...monthly, locationCount: 79 }, band)).toThrow(RangeError);
  });
});
