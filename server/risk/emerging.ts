/**
 * Emerging-hotspot labels per location (hexagon, or village) from its monthly Gi* series, after
 * the space-time pattern definitions of ArcGIS's Emerging Hot Spot Analysis, adapted to the labels
 * the risk map shows.
 *
 * For each month, Gi* runs over the whole study area with that month's counts (spatial
 * neighbourhood only: a hexagon and its ring-1 neighbours, or villages within a distance band;
 * no temporal neighbours) and BH-FDR correction within the month. A location is *hot* in a month
 * when its bin is ≥ +1 (hot at ≥ 90 % confidence after correction) and *cold* when its bin is
 * ≤ −1. The *trend* is a Mann-Kendall test on the location's series of monthly Gi* z-scores:
 * increasing when p ≤ trendAlpha (default 0.05) and S > 0, decreasing when p ≤ trendAlpha and
 * S < 0. With T months, H of them hot, rules in order:
 *
 * 1. H = 0 → `none`.
 * 2. H ≥ 0.9·T (hot in at least 90 % of months):
 *    - increasing trend and hot in the final month → `intensifying`;
 *    - decreasing trend → `diminishing` (ArcGIS also asks for the final month hot; a long-standing
 *      hotspot that has been weakening and just dropped below significance is still, to a county
 *      leader, a diminishing hotspot, so we do not);
 *    - otherwise → `persistent` (no significant trend; also the rare increasing trend whose final
 *      month is not hot).
 * 3. Hot in the final month, and every hot month belongs to one uninterrupted run ending at the
 *    final month → `new`. With a run of one month this is ArcGIS's *new hot spot* (only the final
 *    month hot); a longer run is ArcGIS's *consecutive hot spot*, which we fold into `new` because
 *    the map has no separate label and both mean "hot now and never hot before".
 * 4. Hot in the final month and never cold → `sporadic` (on and off, ArcGIS's definition).
 * 5. Otherwise → `none`. ArcGIS's *oscillating* (hot now, cold in some month) and *historical*
 *    (hot only in the past) patterns have no label on this map and end here. Cold-spot patterns
 *    are not labelled.
 */
import type { MonthlyCounts } from './event-index.js';
import { giStarHotspots } from './gi-star.js';
import { mannKendall } from './mann-kendall.js';
import { type Neighbourhoods, locationCount as neighbourhoodSize } from './neighbourhoods.js';

/** Emerging-hotspot label of a location. */
export type EmergingLabel = 'none' | 'new' | 'intensifying' | 'persistent' | 'diminishing' | 'sporadic';

/** Thresholds of the emerging-hotspot rules. */
export interface EmergingOptions {
  /** Significance of the Mann-Kendall trend on the Gi* z-scores; default 0.05. */
  trendAlpha?: number;
  /** Share of months hot for persistent / intensifying / diminishing; default 0.9. */
  persistentShare?: number;
}

/** The label of one location from its monthly hotspot bins and Gi* z-scores (rules in the module comment). */
export function emergingLabel(
  bins: ArrayLike<number>,
  zScores: ArrayLike<number>,
  options: EmergingOptions = {},
): EmergingLabel {
  const periods = bins.length;
  if (zScores.length !== periods) throw new RangeError('bins and zScores differ in length');
  if (periods === 0) return 'none';
  const trendAlpha = options.trendAlpha ?? 0.05;
  const persistentShare = options.persistentShare ?? 0.9;
  let hot = 0;
  let cold = 0;
  for (let t = 0; t < periods; t++) {
    if (bins[t]! >= 1) hot++;
    else if (bins[t]! <= -1) cold++;
  }
  if (hot === 0) return 'none';
  const hotFinal = bins[periods - 1]! >= 1;
  if (hot >= persistentShare * periods) {
    const trend = mannKendall(zScores, { senSlope: false });
    const significant = trend.p <= trendAlpha;
    if (significant && trend.s > 0 && hotFinal) return 'intensifying';
    if (significant && trend.s < 0) return 'diminishing';
    return 'persistent';
  }
  if (!hotFinal) return 'none';
  let run = 0;
  while (run < periods && bins[periods - 1 - run]! >= 1) run++;
  if (run === hot) return 'new';
  return cold === 0 ? 'sporadic' : 'none';
}

/** Gi* per month over a study area: z-scores and bins, month-major like the input counts. */
export interface MonthlyGiStar {
  monthCount: number;
  locationCount: number;
  z: Float64Array;
  bin: Int8Array;
}

/** Gi* (with BH-FDR within each month) for every month of counts laid on the study area. */
export function monthlyGiStar(monthly: MonthlyCounts, area: Neighbourhoods): MonthlyGiStar {
  const { monthCount, locationCount, counts } = monthly;
  if (locationCount !== neighbourhoodSize(area)) throw new RangeError('Monthly counts are not on this study area');
  const z = new Float64Array(monthCount * locationCount);
  const bin = new Int8Array(monthCount * locationCount);
  for (let m = 0; m < monthCount; m++) {
    const row = m * locationCount;
    const result = giStarHotspots(counts.subarray(row, row + locationCount), area);
    z.set(result.z, row);
    bin.set(result.bin, row);
  }
  return { monthCount, locationCount, z, bin };
}

/** Emerging-hotspot labels per location (study-area hexagon, or village) from its monthly counts. */
export function emergingHotspots(
  monthly: MonthlyCounts,
  area: Neighbourhoods,
  options: EmergingOptions = {},
): { labels: EmergingLabel[]; giStar: MonthlyGiStar } {
  const giStar = monthlyGiStar(monthly, area);
  const { monthCount, locationCount } = giStar;
  const bins = new Int8Array(monthCount);
  const zScores = new Float64Array(monthCount);
  const labels: EmergingLabel[] = [];
  for (let l = 0; l < locationCount; l++) {
    for (let m = 0; m < monthCount; m++) {
      bins[m] = giStar.bin[m * locationCount + l]!;
      zScores[m] = giStar.z[m * locationCount + l]!;
    }
    labels.push(emergingLabel(bins, zScores, options));
  }
  return { labels, giStar };
}
