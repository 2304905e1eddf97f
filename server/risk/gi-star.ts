/**
 * Getis-Ord Gi* hotspots on hexagon counts (Ord & Getis 1995).
 *
 * Weights are binary: w_ij = 1 when j is i itself or a ring-1 neighbour of i inside the study area
 * (or, for villages, within a distance band: neighbourhoods.ts), else 0; so Σ_j w_ij = Σ_j w_ij²
 * = W_i. With n study-area cells (zero-count cells included), mean x̄ = Σx/n and
 * S = √(Σx²/n − x̄²):
 *
 *   Gi*_i = (Σ_j w_ij x_j − x̄·W_i) / (S · √((n·W_i − W_i²) / (n − 1)))
 *
 * a z-score; its two-sided p-value is corrected for the number of cells tested with
 * Benjamini–Hochberg. Bins: ±3 / ±2 / ±1 for hot (+) or cold (−) at 99 / 95 / 90 % confidence,
 * i.e. BH-adjusted p ≤ 0.01 / 0.05 / 0.10; 0 otherwise. Where Gi* is undefined (every cell has the
 * same count, or a cell's neighbourhood is the whole study area) z = 0 and p = 1: no evidence.
 */
import { benjaminiHochberg } from './fdr.js';
import { type Neighbourhoods, locationCount } from './neighbourhoods.js';
import { twoSidedP } from './normal.js';

/** Hotspot bin thresholds: largest bin whose alpha the (adjusted) p-value meets. */
export const HOTSPOT_CONFIDENCE: readonly { bin: 1 | 2 | 3; confidence: number; alpha: number }[] = [
  { bin: 3, confidence: 0.99, alpha: 0.01 },
  { bin: 2, confidence: 0.95, alpha: 0.05 },
  { bin: 1, confidence: 0.9, alpha: 0.1 },
];

/** Gi* z-scores for values aligned with the study area's locations (hexagons or villages). */
export function giStarZ(values: ArrayLike<number>, area: Neighbourhoods): Float64Array {
  const n = locationCount(area);
  if (values.length !== n) throw new RangeError(`Expected ${n} values, got ${values.length}`);
  const z = new Float64Array(n);
  if (n < 2) return z;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  // Two-pass variance: exactly 0 for constant values, where the one-pass form can round below 0.
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  const s = Math.sqrt(squares / n);
  if (!(s > 0)) return z;
  const { neighbourStart, neighbourCells } = area;
  for (let i = 0; i < n; i++) {
    const start = neighbourStart[i]!;
    const end = neighbourStart[i + 1]!;
    let local = 0;
    for (let k = start; k < end; k++) local += values[neighbourCells[k]!]!;
    const weight = end - start;
    const spread = (n * weight - weight * weight) / (n - 1);
    z[i] = spread > 0 ? (local - mean * weight) / (s * Math.sqrt(spread)) : 0;
  }
  return z;
}

/** Hotspot bin (−3…3) of a z-score and its (adjusted) p-value. */
export function hotspotBin(z: number, p: number): number {
  // Plain comparisons (same thresholds as HOTSPOT_CONFIDENCE): called per cell and month.
  if (!(z !== 0) || !(p <= 0.1)) return 0;
  const bin = p <= 0.01 ? 3 : p <= 0.05 ? 2 : 1;
  return z > 0 ? bin : -bin;
}

/** Gi* results per study-area cell. */
export interface GiStarHotspots {
  z: Float64Array;
  /** Two-sided p-value before correction. */
  p: Float64Array;
  /** Benjamini–Hochberg adjusted p-value (equals p when the correction is off). */
  pAdjusted: Float64Array;
  /** −3…3, see HOTSPOT_CONFIDENCE. */
  bin: Int8Array;
}

/** Gi* z, p, FDR-adjusted p and hotspot bins for values on the study area (FDR on by default). */
export function giStarHotspots(
  values: ArrayLike<number>,
  area: Neighbourhoods,
  options: { fdr?: boolean } = {},
): GiStarHotspots {
  const z = giStarZ(values, area);
  const p = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) p[i] = twoSidedP(z[i]!);
  const pAdjusted = options.fdr === false ? p.slice() : benjaminiHochberg(p);
  const bin = new Int8Array(z.length);
  for (let i = 0; i < z.length; i++) bin[i] = hotspotBin(z[i]!, pAdjusted[i]!);
  return { z, p, pAdjusted, bin };
}
