import { describe, expect, it } from 'vitest';
import { normalCdf, normalUpperTail, twoSidedP } from './normal.js';

describe('normal tail', () => {
  it('matches reference values (erfc in double precision): 1e-13 relative to |z| = 3, 1e-7 in the far tail', () => {
    const reference: [number, number][] = [
      [0, 0.5],
      [0.5, 0.3085375387259869],
      [1.959963984540054, 0.025],
      [3, 0.0013498980316300957],
      [8, 6.220960574271819e-16],
      [-1.2, 0.8849303297782917],
    ];
    for (const [z, tail] of reference) {
      expect(Math.abs(normalUpperTail(z) - tail) / tail).toBeLessThan(Math.abs(z) <= 3 ? 1e-13 : 1e-7);
    }
  });

  it('gives Φ and two-sided p consistently', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(twoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(0)).toBe(1);
    expect(twoSidedP(40)).toBe(0);
    expect(twoSidedP(NaN)).toBeNaN();
  });
});
