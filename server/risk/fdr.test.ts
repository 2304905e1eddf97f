import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import { benjaminiHochberg, fdrDiscoveries } from './fdr.js';

describe('Benjamini–Hochberg', () => {
  it('adjusts a known list: p·m/rank, then the running minimum from the largest rank', () => {
    // Sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4), 0.5 (5); m = 5.
    // Raw p·m/rank: 0.025, 0.025, 0.05, 0.05, 0.5 — already monotone.
    const p = Object.freeze([0.01, 0.04, 0.03, 0.005, 0.5]);
    const q = benjaminiHochberg(p);
    const expected = [0.025, 0.05, 0.05, 0.025, 0.5];
    expected.forEach((value, i) => expect(q[i]).toBeCloseTo(value, 15));
    expect(fdrDiscoveries(p, 0.03)).toEqual([0, 3]);
    expect(fdrDiscoveries(p, 0.06)).toEqual([0, 1, 2, 3]);
  });

  it('enforces monotonicity and ignores NaN', () => {
    // m = 2 (NaN not counted): 0.01·2/1 = 0.02 but rank 2 gives 0.011·2/2 = 0.011, which wins.
    const q = benjaminiHochberg([0.011, NaN, 0.01]);
    expect(q[0]).toBeCloseTo(0.011, 15);
    expect(q[1]).toBeNaN();
    expect(q[2]).toBeCloseTo(0.011, 15);
  });

  it('caps at 1', () => {
    expect([...benjaminiHochberg([0.9, 0.95])]).toEqual([0.95, 0.95]);
    expect([...benjaminiHochberg([1, 1, 1])]).toEqual([1, 1, 1]);
  });

  it('equals the textbook step-up on random p-values with ties', () => {
    const random = new Random('fdr');
    for (let trial = 0; trial < 50; trial++) {
      const p = Array.from({ length: random.int(1, 60) }, () => Math.round(random.next() ** 3 * 200) / 200);
      const m = p.length;
      const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
      const adjusted = benjaminiHochberg(p);
      for (const alpha of [0.01, 0.05, 0.1]) {
        // Reject the k* smallest, k* = the largest k with p_(k) ≤ k·α/m.
        let kStar = 0;
        order.forEach((i, rank) => {
          if (p[i]! <= ((rank + 1) * alpha) / m) kStar = rank + 1;
        });
        const rejected = new Set(order.slice(0, kStar));
        p.forEach((_, i) => expect([i, adjusted[i]! <= alpha + 1e-12]).toEqual([i, rejected.has(i)]));
      }
    }
  });
});
