/**
 * One fixed colour domain for the whole time range, so a time slider compares like with like.
 *
 * Values are coloured as monthly rates: a window's count (or density) is divided by the window's
 * length in calendar months (time.ts windowMonths), so a 1-month and a 3-month window share the
 * scale. The class breaks are computed once per category and place selection from every
 * single-month window of the full range (computeClassBreaks), never from the window on screen.
 * Class 0 is "below the first break" (no events); classes 1…k follow the breaks.
 */
import { type EventIndex, type EventQuery, type MonthlyCounts, monthlyCountsByCell } from './event-index.js';
import { type DensityGridSpec, kernelDensityValuesForQuery } from './kde.js';
import { firstChinaDayOfMonth, monthIndexOfChinaDay, windowMonths } from './time.js';

/**
 * Ascending class breaks from values pooled over many windows: quantile classes of the positive
 * values that keep ties together. Walking up the sorted values, each class takes an even share of
 * the values not yet classed (rounded, at least one), extended to the end of any run of equal
 * values; its break is its smallest value. So sparse counts (mostly 1s) get a class of their own
 * and the remaining classes still split the rest, where plain quantiles would collapse into one or
 * two classes. Breaks are rounded to `significantDigits` (default 2) for a readable legend and
 * de-duplicated. The first break is the smallest positive value, so class 0 means no events.
 */
export function computeClassBreaks(
  windows: Iterable<ArrayLike<number>>,
  classCount: number,
  significantDigits = 2,
): number[] {
  if (!Number.isInteger(classCount) || classCount < 1) throw new RangeError('classCount must be a positive integer');
  const pooled: number[] = [];
  for (const values of windows) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value > 0 && Number.isFinite(value)) pooled.push(value);
    }
  }
  const sorted = Float64Array.from(pooled).sort();
  const breaks: number[] = [];
  let start = 0;
  for (let k = 0; k < classCount && start < sorted.length; k++) {
    const value = roundSignificant(sorted[start]!, significantDigits);
    if (breaks.length === 0 || value > breaks[breaks.length - 1]!) breaks.push(value);
    let end = start + Math.max(1, Math.round((sorted.length - start) / (classCount - k)));
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    start = end;
  }
  return breaks;
}

function roundSignificant(value: number, digits: number): number {
  return Number(value.toPrecision(digits));
}

/** Class of a value: how many breaks it reaches (0 … breaks.length); −1 for NaN. Monotone in value. */
export function classOf(value: number, breaks: readonly number[]): number {
  if (Number.isNaN(value)) return -1;
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (breaks[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Classes of a window's totals, as monthly rates (total ÷ window length in calendar months). */
export function classifyWindow(
  totals: ArrayLike<number>,
  startDay: number,
  endDay: number,
  breaks: readonly number[],
): Int8Array {
  const months = windowMonths(startDay, endDay);
  const classes = new Int8Array(totals.length);
  for (let i = 0; i < totals.length; i++) classes[i] = classOf(totals[i]! / months, breaks);
  return classes;
}

/** Half-open day windows of each calendar month of a range, clipped to it. */
export function monthWindows(startDay: number, endDay: number): { startDay: number; endDay: number }[] {
  const windows: { startDay: number; endDay: number }[] = [];
  if (endDay <= startDay) return windows;
  const last = monthIndexOfChinaDay(endDay - 1);
  for (let month = monthIndexOfChinaDay(startDay); month <= last; month++) {
    windows.push({
      startDay: Math.max(startDay, firstChinaDayOfMonth(month)),
      endDay: Math.min(endDay, firstChinaDayOfMonth(month + 1)),
    });
  }
  return windows;
}

/**
 * Monthly rates per location: each month's row of a month-major matrix divided by the share of the
 * month inside the range (1 for a whole month; a clipped first or last month is scaled up).
 */
export function* monthlyRateRows(monthly: MonthlyCounts, startDay: number, endDay: number): Generator<Float64Array> {
  const windows = monthWindows(startDay, endDay);
  if (windows.length !== monthly.monthCount) throw new RangeError('Monthly counts do not cover this range');
  for (let m = 0; m < monthly.monthCount; m++) {
    const months = windowMonths(windows[m]!.startDay, windows[m]!.endDay);
    const row = monthly.counts.subarray(m * monthly.locationCount, (m + 1) * monthly.locationCount);
    yield Float64Array.from(row, (count) => count / months);
  }
}

/** Breaks for hexagon counts from every calendar month of `fullRange` (its days and filters). */
export function hexCountBreaks(
  index: EventIndex,
  fullRange: EventQuery,
  resolution: number,
  classCount: number,
): number[] {
  const monthly = monthlyCountsByCell(index, fullRange, resolution);
  return computeClassBreaks(monthlyRateRows(monthly, fullRange.startDay, fullRange.endDay), classCount);
}

/**
 * Breaks for the density surface: the kernel density of every calendar month of `fullRange` on one
 * grid (use a coarse county-wide grid: the breaks only need the distribution of values), as monthly
 * rates; a rate below `floor` (a kernel's far tail) counts as none.
 */
export function densityBreaks(
  index: EventIndex,
  fullRange: EventQuery,
  grid: DensityGridSpec,
  bandwidthMetres: number,
  classCount: number,
  floor = 0,
): number[] {
  // One month at a time, and only its positive values (the breaks ignore zeros): at a small
  // bandwidth the grid is fine (3 million cells at 100 m over Taishun) and mostly empty.
  function* monthlyRates(): Generator<Float32Array> {
    for (const window of monthWindows(fullRange.startDay, fullRange.endDay)) {
      const rates = kernelDensityValuesForQuery(index, { ...fullRange, ...window }, grid, bandwidthMetres);
      const months = windowMonths(window.startDay, window.endDay);
      for (let i = 0; i < rates.length; i++) {
        const rate = rates[i]! / months;
        rates[i] = rate >= floor ? rate : 0;
      }
      yield rates;
    }
  }
  return computeClassBreaks(monthlyRates(), classCount);
}
