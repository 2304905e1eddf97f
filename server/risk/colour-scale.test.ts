import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import {
  classOf,
  classifyWindow,
  computeClassBreaks,
  densityBreaks,
  hexCountBreaks,
  monthWindows,
} from './colour-scale.js';
import { ALL_CATEGORIES_MASK, type EventQuery, buildEventIndex, categoryMask, countByCell } from './event-index.js';
import { kernelDensityForQuery } from './kde.js';
import { FIXTURE_END_DAY, FIXTURE_START_DAY, syntheticEvents } from './test-fixtures.js';
import { chinaDayOfDate, windowMonths } from './time.js';

describe('class breaks', () => {
  it('are quantile classes of the pooled positive values that keep ties together', () => {
    // Positive values 1…10 over three windows (zeros, NaN ignored), 4 classes. Each class takes
    // round(remaining / classes left): round(10/4) = 3 → {1,2,3}; round(7/3) = 2 → {4,5};
    // round(5/2) = 3 → {6,7,8}; {9,10}. Breaks = smallest value of each class.
    const windows = Object.freeze(
      [
        [0, 1, 2, 3],
        [4, 5, 0],
        [6, 7, 8, 9, 10, NaN],
      ].map((w) => Object.freeze(w)),
    );
    expect(computeClassBreaks(windows, 4)).toEqual([1, 4, 6, 9]);
    // Sparse counts: the six 1s form one class (a tie never spans two), then round(4/3) = 1 → {2},
    // round(3/2) = 2 → {3,5}, {8}.
    expect(computeClassBreaks([[1, 1, 1, 1, 1, 1, 2, 3, 5, 8]], 4)).toEqual([1, 2, 3, 8]);
    expect(computeClassBreaks([[1, 1, 1, 1, 2]], 4)).toEqual([1, 2]);
    // Two significant digits, de-duplicated after rounding.
    expect(computeClassBreaks([[1234, 5678]], 2)).toEqual([1200, 5700]);
    expect(computeClassBreaks([[1234, 1236, 1250]], 3)).toEqual([1200, 1300]);
    expect(computeClassBreaks([[0, 0]], 5)).toEqual([]);
    expect(() => computeClassBreaks([[1]], 0)).toThrow(RangeError);
  });

  it('classes values monotonically', () => {
    const breaks = [1, 3, 5, 8];
    expect([0, 0.5, 1, 2.9, 3, 7.99, 8, 1e9].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 2, 3, 4, 4]);
    expect(classOf(NaN, breaks)).toBe(-1);
    const random = new Random('monotone');
    const values = Array.from({ length: 500 }, () => random.uniform(-1, 12)).sort((a, b) => a - b);
    const classes = values.map((v) => classOf(v, breaks));
    classes.forEach((c, i) => i > 0 && expect(c).toBeGreaterThanOrEqual(classes[i - 1]!));
  });

  it('classes a window by its monthly rate', () => {
    const start = chinaDayOfDate(2025, 1, 1);
    const end = chinaDayOfDate(2025, 4, 1); // 3 calendar months
    expect([...classifyWindow([0, 3, 9, 15, 24, 100], start, end, [1, 3, 5, 8])]).toEqual([0, 1, 2, 3, 4, 4]);
  });
});

describe('fixed colour domain over the whole range', () => {
  const events = syntheticEvents(20_000, 'colour');
  const index = buildEventIndex(events, { resolutions: [7] });
  const full = { startDay: FIXTURE_START_DAY, endDay: FIXTURE_END_DAY };

  it('pools every calendar month of the full range, as monthly rates', () => {
    const filter = { categoryMask: categoryMask(['incident', 'fraud']) };
    const breaks = hexCountBreaks(index, { ...full, ...filter }, 7, 5);
    // Independent path: one countByCell per month, divided by the share of the month in range.
    const windows = monthWindows(full.startDay, full.endDay);
    expect(windows).toHaveLength(37);
    const perMonth = windows.map((w) =>
      Float64Array.from(countByCell(index, { ...filter, ...w }, 7), (c) => c / windowMonths(w.startDay, w.endDay)),
    );
    expect(breaks).toEqual(computeClassBreaks(perMonth, 5));
    expect(breaks).toHaveLength(5);
  });

  it('does not change with the query window; a window is classed against it', () => {
    const filter = { categoryMask: ALL_CATEGORIES_MASK };
    const windows: EventQuery[] = [
      { ...filter, startDay: chinaDayOfDate(2024, 3, 1), endDay: chinaDayOfDate(2024, 4, 1) },
      { ...filter, startDay: chinaDayOfDate(2025, 6, 1), endDay: chinaDayOfDate(2025, 12, 1) },
    ];
    // The server keeps the filter, swaps the window for the full range, and reuses the breaks.
    const domains = windows.map((window) => hexCountBreaks(index, { ...window, ...full }, 7, 5));
    expect(domains[1]).toEqual(domains[0]);
    const classes = windows.map((w) => classifyWindow(countByCell(index, w, 7), w.startDay, w.endDay, domains[0]!));
    // The same monthly rate gets the same colour in both windows.
    const monthsA = windowMonths(windows[0]!.startDay, windows[0]!.endDay);
    const monthsB = windowMonths(windows[1]!.startDay, windows[1]!.endDay);
    const a = classifyWindow([2 * monthsA], windows[0]!.startDay, windows[0]!.endDay, domains[0]!)[0];
    const b = classifyWindow([2 * monthsB], windows[1]!.startDay, windows[1]!.endDay, domains[0]!)[0];
    expect(a).toBe(b);
    expect(Math.max(...classes[0]!)).toBeLessThanOrEqual(domains[0]!.length);
    // A different filter is a different domain.
    expect(hexCountBreaks(index, { ...full, categoryMask: categoryMask(['petition']) }, 7, 5)).not.toEqual(domains[0]);
  });

  it('builds density breaks from the monthly surfaces', () => {
    const spec = { westMetres: -30_000, northMetres: 30_000, cellMetres: 1000, columns: 60, rows: 60 };
    const query = { ...full, startDay: chinaDayOfDate(2025, 1, 1), categoryMask: ALL_CATEGORIES_MASK };
    const breaks = densityBreaks(index, query, spec, 3000, 4);
    const surfaces = monthWindows(query.startDay, query.endDay).map((w) =>
      kernelDensityForQuery(index, { ...query, ...w }, spec, 3000).densityPerKm2.map(
        (v) => v / windowMonths(w.startDay, w.endDay),
      ),
    );
    expect(breaks).toEqual(computeClassBreaks(surfaces, 4));
    expect(breaks).toHaveLength(4);
  });
});
