import { describe, expect, it } from 'vitest';
import { servicePoint } from './measure.js';
import { splitStrip } from './path-dp.js';
import { contextOf, deepFreeze, strip } from './test-fixtures.js';

/** Every way to cut 0..n-1 into k consecutive non-empty segments. */
function allCuts(n: number, k: number): number[][][] {
  const out: number[][][] = [];
  const cuts: number[] = [];
  const visit = (from: number) => {
    if (cuts.length === k - 1) {
      const bounds = [0, ...cuts, n];
      out.push(bounds.slice(1).map((end, i) => Array.from({ length: end - bounds[i]! }, (_, j) => bounds[i]! + j)));
      return;
    }
    for (let c = from; c < n; c++) {
      cuts.push(c);
      visit(c + 1);
      cuts.pop();
    }
  };
  visit(1);
  return out;
}

describe('splitStrip', () => {
  it('cuts a hand-made valley into its only exact split', () => {
    // 120+80 | 100+100 | 150+50: every grid exactly 200; any other cut leaves one off.
    const fixture = deepFreeze(strip([120, 80, 100, 100, 150, 50], [60, 60, 60, 60, 60]));
    const split = splitStrip(contextOf(fixture), [0, 1, 2, 3, 4, 5], 3);
    expect(split.segments).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(split.maxAbsDeviationRatio).toBe(0);
    // Two equal hamlets 60 s apart: the service point is either end, the longest drive 60 s.
    expect(split.maxDriveSeconds).toBe(60);
  });

  it('equals the brute-force optimum over all cut points of a 10-unit strip', () => {
    const households = [28, 30, 12, 25, 30, 18, 22, 30, 27, 24];
    const seconds = [120, 300, 90, 60, 240, 150, 80, 200, 100];
    const villages = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
    const fixture = deepFreeze(strip(households, seconds, villages));
    const targets = { villageTargetHouseholds: 80 };
    const context = contextOf(fixture, targets);
    const order = [...Array(10).keys()];
    let uniqueOptima = 0;
    for (let k = 2; k <= 5; k++) {
      // The brute force prices each split independently: max |households − 80|, then the
      // longest drive from each segment's service point, then the full cost.
      const scored = allCuts(10, k).map((segments) => {
        let maxDeviation = 0;
        let maxDrive = 0;
        let cost = 0;
        for (const segment of segments) {
          const h = segment.reduce((sum, u) => sum + households[u]!, 0);
          const drive = servicePoint(segment, context.units.households, context.drive).maxDriveSeconds;
          const percent = (100 * (h - 80)) / 80;
          maxDeviation = Math.max(maxDeviation, Math.abs(h - 80));
          maxDrive = Math.max(maxDrive, drive);
          cost += percent * percent + (Math.abs(h - 80) > 8 ? 100 : 0) + drive / 60;
          cost += 10 * new Set(segment.map((u) => villages[u])).size;
        }
        return { segments, maxDeviation, maxDrive, cost };
      });
      scored.sort((p, q) => p.maxDeviation - q.maxDeviation || p.maxDrive - q.maxDrive || p.cost - q.cost);
      const best = scored[0]!;
      const split = splitStrip(context, order, k);
      expect(split.maxAbsDeviationRatio * 80).toBeCloseTo(best.maxDeviation, 9);
      expect(split.maxDriveSeconds).toBe(best.maxDrive);
      expect(split.cost).toBeCloseTo(best.cost, 9);
      const second = scored[1]!;
      if (
        second.maxDeviation > best.maxDeviation ||
        second.maxDrive > best.maxDrive ||
        second.cost > best.cost + 1e-6
      ) {
        uniqueOptima++;
        expect(split.segments).toEqual(best.segments);
      }
    }
    expect(uniqueOptima).toBeGreaterThanOrEqual(3);
  });

  it('rejects more grids than units', () => {
    const fixture = strip([10, 10], [60]);
    expect(() => splitStrip(contextOf(fixture), [0, 1], 3)).toThrow(RangeError);
  });
});
