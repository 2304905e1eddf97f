import { describe, expect, it } from 'vitest';
import { buildEventIndex } from './event-index.js';
import {
  cellChangeAgainstLastYear,
  equalRateP,
  totalChangeAgainstLastYear,
  villageChangeAgainstLastYear,
  yearOverYearChange,
} from './year-over-year.js';
import { chinaDayOfDate } from './time.js';

describe('change against the same period last year', () => {
  it('tests equal rates exactly', () => {
    // n = 3, X ~ Bin(3, ½): P(X ≤ 0) = 1/8 → p = 1/4.
    expect(equalRateP(3, 0)).toBeCloseTo(0.25, 15);
    // n = 12: P(X ≤ 2) = (1 + 12 + 66)/4096 → p = 158/4096.
    expect(equalRateP(10, 2)).toBeCloseTo(158 / 4096, 14);
    expect(equalRateP(2, 10)).toBeCloseTo(158 / 4096, 14);
    // n = 15: P(X ≤ 5) = (1 + 15 + 105 + 455 + 1365 + 3003)/32768 = 4944/32768.
    expect(equalRateP(10, 5)).toBeCloseTo(9888 / 32768, 14);
    expect(equalRateP(2, 2)).toBe(1);
    expect(equalRateP(0, 0)).toBe(1);
    expect(equalRateP(7, 8)).toBe(1);
    expect(equalRateP(1200, 1000)).toBeLessThan(0.001);
  });

  it('gives difference, percentage and p per location', () => {
    const change = yearOverYearChange(Int32Array.of(3, 10, 0), Int32Array.of(0, 5, 0));
    expect([...change.difference]).toEqual([3, 5, 0]);
    expect([...change.percentChange]).toEqual([NaN, 100, NaN]);
    expect(change.p[0]).toBeCloseTo(0.25, 15);
    expect(change.p[1]).toBeCloseTo(9888 / 32768, 14);
    expect(change.p[2]).toBe(1);
  });

  it('compares a window with the same dates a year earlier', () => {
    // Village 0: 3 events in March 2025, 1 in March 2024; village 1: 1 in 2024 only; one in Feb 2025.
    const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 2);
    const index = buildEventIndex(
      {
        lonDeg: [119.7, 119.7, 119.7, 119.7, 119.9, 119.7],
        latDeg: [27.5, 27.5, 27.5, 27.5, 27.6, 27.5],
        occurredAtMs: [
          at(2025, 3, 2),
          at(2025, 3, 15),
          at(2025, 3, 31),
          at(2024, 3, 5),
          at(2024, 3, 20),
          at(2025, 2, 27),
        ],
        categoryCode: [0, 0, 0, 0, 0, 0],
        villageIndex: [0, 0, 0, 0, 1, 0],
      },
      { resolutions: [7] },
    );
    const query = { startDay: chinaDayOfDate(2025, 3, 1), endDay: chinaDayOfDate(2025, 4, 1), categoryMask: 1 };
    const villages = villageChangeAgainstLastYear(index, query);
    expect([...villages.current]).toEqual([3, 0]);
    expect([...villages.previous]).toEqual([1, 1]);
    expect([...villages.percentChange]).toEqual([200, -100]);
    const total = totalChangeAgainstLastYear(index, query);
    expect([total.current[0], total.previous[0]]).toEqual([3, 2]);
    const cells = cellChangeAgainstLastYear(index, query, 7);
    expect([...cells.current].sort()).toEqual([0, 3]);
    expect([...cells.previous]).toEqual([1, 1]);
  });
});
