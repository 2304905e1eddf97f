/**
 * Change against the same period last year (同比): the same calendar dates one year earlier
 * (time.ts sameWindowLastYear), same categories and places. Besides the difference and the
 * percentage, each location gets an exact test of "same rate in both years": given n = current +
 * previous events, current ~ Binomial(n, ½) under equal rates (the two windows have the same
 * length, except across 29 February), two-sided p = min(1, 2·P(X ≤ min(current, previous))).
 * It keeps leaders from reading +50 % on 2 → 3 events as a trend.
 */
import { type EventIndex, type EventQuery, countByCell, countByVillage, countEvents } from './event-index.js';
import { sameWindowLastYear } from './time.js';

/** Per-location change between a window and the same window a year earlier. */
export interface YearOverYearChange {
  current: Int32Array;
  previous: Int32Array;
  difference: Float64Array;
  /** 100 · (current − previous) / previous; NaN when previous is 0. */
  percentChange: Float64Array;
  /** Two-sided exact p-value of equal rates (1 when both are 0). */
  p: Float64Array;
}

/** Difference, percentage and equal-rate p-value for parallel current and previous counts. */
export function yearOverYearChange(current: Int32Array, previous: Int32Array): YearOverYearChange {
  if (current.length !== previous.length) throw new RangeError('Counts differ in length');
  const difference = new Float64Array(current.length);
  const percentChange = new Float64Array(current.length);
  const p = new Float64Array(current.length);
  for (let i = 0; i < current.length; i++) {
    const now = current[i]!;
    const before = previous[i]!;
    difference[i] = now - before;
    percentChange[i] = before > 0 ? (100 * (now - before)) / before : NaN;
    p[i] = equalRateP(now, before);
  }
  return { current, previous, difference, percentChange, p };
}

/** Two-sided exact binomial p-value that two Poisson counts over equal windows share one rate. */
export function equalRateP(a: number, b: number): number {
  const n = a + b;
  const low = Math.min(a, b);
  if (2 * low === n) return 1;
  // P(X ≤ low) for X ~ Bin(n, ½), summed in log space from the term k = low downwards.
  let logTerm = logChoose(n, low) - n * Math.LN2;
  let tail = 0;
  for (let k = low; k >= 0; k--) {
    const term = Math.exp(logTerm);
    tail += term;
    if (term < tail * 1e-17) break;
    logTerm += Math.log(k / (n - k + 1));
  }
  return Math.min(1, 2 * tail);
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  // Σ log((n − k + i) / i): exact enough for the counts of one county, and no gamma function needed.
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}

function lastYearQuery(query: EventQuery): EventQuery {
  return { ...query, ...sameWindowLastYear(query.startDay, query.endDay) };
}

/** Change per cell of the resolution's dictionary. */
export function cellChangeAgainstLastYear(index: EventIndex, query: EventQuery, resolution: number) {
  return yearOverYearChange(
    countByCell(index, query, resolution),
    countByCell(index, lastYearQuery(query), resolution),
  );
}

/** Change per village index. */
export function villageChangeAgainstLastYear(index: EventIndex, query: EventQuery): YearOverYearChange {
  return yearOverYearChange(countByVillage(index, query), countByVillage(index, lastYearQuery(query)));
}

/** Change of the total over the selection. */
export function totalChangeAgainstLastYear(index: EventIndex, query: EventQuery): YearOverYearChange {
  return yearOverYearChange(
    Int32Array.of(countEvents(index, query)),
    Int32Array.of(countEvents(index, lastYearQuery(query))),
  );
}
