/**
 * Mann-Kendall trend test with Sen's slope, for monthly series per hexagon or village.
 *
 * S = Σ_{i<j} sign(x_j − x_i);
 * Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18, t_g the size of each group of tied values;
 * Z = (S − 1)/√Var if S > 0, 0 if S = 0, (S + 1)/√Var if S < 0 (continuity correction);
 * p = 2·P(N(0,1) > |Z|). Sen's slope is the median of (x_j − x_i)/(j − i) over i < j, in units per
 * period (per month for monthly bins). NaN entries are missing periods: they are skipped, and the
 * remaining periods keep their positions for Sen's slope.
 */
import type { MonthlyCounts } from './event-index.js';
import { twoSidedP } from './normal.js';

/** Mann-Kendall result for one series. */
export interface MannKendallResult {
  /** Number of non-missing values. */
  n: number;
  s: number;
  variance: number;
  z: number;
  /** Two-sided p-value of Z. */
  p: number;
  /** Sen's slope per period; NaN when not computed or n < 2. */
  senSlope: number;
}

/** Mann-Kendall S, tie-corrected variance, Z, p and (unless `senSlope: false`) Sen's slope. */
export function mannKendall(series: ArrayLike<number>, options: { senSlope?: boolean } = {}): MannKendallResult {
  const values = new Float64Array(series.length);
  const times = new Float64Array(series.length);
  let n = 0;
  for (let t = 0; t < series.length; t++) {
    if (!Number.isNaN(series[t]!)) {
      values[n] = series[t]!;
      times[n++] = t;
    }
  }
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = values[i]!;
    for (let j = i + 1; j < n; j++) {
      // Branch-free comparisons, not Math.sign: several times faster in this hot loop.
      const xj = values[j]!;
      s += +(xj > xi) - +(xj < xi);
    }
  }
  const sorted = sortedCopy(values, n);
  let ties = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    const t = end - start;
    ties += t * (t - 1) * (2 * t + 5);
    start = end;
  }
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  let z = 0;
  if (variance > 0) {
    if (s > 0) z = (s - 1) / Math.sqrt(variance);
    else if (s < 0) z = (s + 1) / Math.sqrt(variance);
  }
  const p = variance > 0 ? twoSidedP(z) : 1;
  const senSlope = options.senSlope === false || n < 2 ? NaN : sensSlope(values, times, n);
  return { n, s, variance, z, p, senSlope };
}

/** The first n values sorted; insertion sort for monthly-length series, where it beats the native sort's overhead. */
function sortedCopy(values: Float64Array, n: number): Float64Array {
  const sorted = values.slice(0, n);
  if (n > 64) return sorted.sort();
  for (let i = 1; i < n; i++) {
    const value = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > value) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = value;
  }
  return sorted;
}

/** Scratch for the pairwise slopes, grown as needed (36 months: 630 pairs). */
let slopeScratch = new Float64Array(1024);

function sensSlope(values: Float64Array, times: Float64Array, n: number): number {
  const pairs = (n * (n - 1)) / 2;
  if (slopeScratch.length < pairs) slopeScratch = new Float64Array(pairs);
  const slopes = slopeScratch;
  let k = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) slopes[k++] = (values[j]! - values[i]!) / (times[j]! - times[i]!);
  }
  const middle = pairs >> 1;
  const upper = selectKth(slopes, pairs, middle);
  if (pairs % 2 === 1) return upper;
  // After selection everything before `middle` is ≤ the upper median: the lower one is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < middle; i++) if (slopes[i]! > lower) lower = slopes[i]!;
  return (lower + upper) / 2;
}

/**
 * The k-th smallest (0-based) of the first `length` entries, partially reordering them (Hoare's
 * quickselect, median-of-three pivot): O(length) on average, where sorting 630 slopes per hexagon
 * for 40 k hexagons took seconds.
 */
function selectKth(values: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    const middle = (left + right) >> 1;
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Mann-Kendall results per location of a monthly matrix, as parallel arrays. */
export interface MonthlyTrends {
  s: Float64Array;
  z: Float64Array;
  p: Float64Array;
  senSlopePerMonth: Float64Array;
}

/** Mann-Kendall trend of every location's monthly series (all-zero series: S = 0, Z = 0, p = 1, slope 0). */
export function monthlyTrends(monthly: MonthlyCounts, options: { senSlope?: boolean } = {}): MonthlyTrends {
  const { locationCount, monthCount, counts } = monthly;
  const result: MonthlyTrends = {
    s: new Float64Array(locationCount),
    z: new Float64Array(locationCount),
    p: new Float64Array(locationCount).fill(1),
    senSlopePerMonth: new Float64Array(locationCount).fill(options.senSlope === false ? NaN : 0),
  };
  const series = new Float64Array(monthCount);
  for (let l = 0; l < locationCount; l++) {
    let any = false;
    for (let m = 0; m < monthCount; m++) {
      series[m] = counts[m * locationCount + l]!;
      if (series[m] !== 0) any = true;
    }
    // Most hexagons of a county are empty most months: skip the O(n²) work for all-zero series.
    if (!any) continue;
    const trend = mannKendall(series, options);
    result.s[l] = trend.s;
    result.z[l] = trend.z;
    result.p[l] = trend.p;
    result.senSlopePerMonth[l] = trend.senSlope;
  }
  return result;
}
