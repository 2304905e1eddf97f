import { describe, expect, it } from 'vitest';
import { Random } from '../../../../server/county/generate/random.js';
import { sparklinePath, windowBand } from './sparkline.js';

const box = Object.freeze({ width: 22, height: 12, padding: 1 });

/** The [x, y] points of a path made by sparklinePath. */
const points = (d: string) => [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('sparkline', () => {
  it('draws from zero at the bottom to the maximum at the top', () => {
    // Step (22 − 2) / 2 = 10; y = 1 + 10 · (1 − v / 4).
    expect(sparklinePath([0, 2, 4], box)).toBe('M1 11L11 6L21 1');
    expect(sparklinePath([3, 3, 3], box)).toBe('M1 1L11 1L21 1');
    expect(sparklinePath([0, 0], box)).toBe('M1 11L21 11');
    expect(sparklinePath([5], box)).toBe('M1 1L21 1');
    expect(sparklinePath([], box)).toBe('');
  });

  it('shades the window half a step either side, clipped to the box', () => {
    expect(windowBand(3, 1, 2, box)).toEqual({ x: 6, width: 16 });
    expect(windowBand(3, 0, 0, box)).toEqual({ x: 0, width: 6 });
    expect(windowBand(3, 2, 1, box)).toBeNull();
    expect(windowBand(0, 0, 0, box)).toBeNull();
  });

  it('keeps every point inside the box, in order, the highest value on top (seeded)', () => {
    const random = new Random('sparkline');
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: random.int(2, 40) }, () => random.int(0, 50));
      const drawn = points(sparklinePath(values, box));
      expect(drawn).toHaveLength(values.length);
      for (const [x, y] of drawn) {
        expect(x).toBeGreaterThanOrEqual(1);
        expect(x).toBeLessThanOrEqual(21);
        expect(y).toBeGreaterThanOrEqual(1);
        expect(y).toBeLessThanOrEqual(11);
      }
      for (let i = 1; i < drawn.length; i++) expect(drawn[i]![0]).toBeGreaterThan(drawn[i - 1]![0]!);
      const top = Math.min(...drawn.map(([, y]) => y!));
      if (Math.max(...values) > 0) expect(drawn[values.indexOf(Math.max(...values))]![1]).toBe(top);
    }
  });
});
