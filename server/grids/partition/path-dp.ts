import { balanceCost, driveCost, type PartitionContext } from './state.js';

/** Deviations and drives closer than this are equal (sums of floats differ in the last bits). */
const EPSILON = 1e-9;

/** The best split of a strip of units into consecutive grids. */
export interface StripSplit {
  /** Each grid's units in road order; the grids follow the road too. */
  segments: number[][];
  /** Largest |deviation ratio| of any grid: the least possible for this strip and grid count. */
  maxAbsDeviationRatio: number;
  /** Longest drive of any grid: the least possible among the splits with the least deviation. */
  maxDriveSeconds: number;
  /** Σ over grids of balance + drive + village-split cost (see PartitionWeights), minimal among those. */
  cost: number;
}

interface Segment {
  driveSeconds: number;
  villages: number;
}

/**
 * Exact split of a strip (units in road order, e.g. a dead-end valley) into k consecutive
 * grids, by dynamic programming over cut points in three stages: (1) least largest deviation
 * from target; (2) among those, least longest drive from a grid's service point; (3) among those,
 * least total cost (balance², drive, villages per grid). O(k·m²) plus the drive of each
 * admissible segment, priced incrementally in O(length) per extension.
 */
export function splitStrip(context: PartitionContext, order: readonly number[], k: number): StripSplit {
  const { units, weights } = context;
  const m = order.length;
  if (k < 1 || k > m) throw new RangeError(`Cannot split ${m} units into ${k} grids`);
  const prefix = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i]! + units.load[order[i]!]!;
  const loadOf = (i: number, j: number) => prefix[j + 1]! - prefix[i]!;
  const deviation = (i: number, j: number) => Math.abs(loadOf(i, j) - 1);
  const width = m + 1;

  // Stage 1: least largest deviation. best[c * width + j]: first j units in c grids.
  let best = new Float64Array((k + 1) * width).fill(Infinity);
  best[0] = 0;
  for (let c = 1; c <= k; c++) {
    for (let j = c; j <= m - (k - c); j++) {
      let value = Infinity;
      for (let i = c - 1; i < j; i++) {
        const before = best[(c - 1) * width + i]!;
        if (before >= value) continue;
        value = Math.min(value, Math.max(before, deviation(i, j - 1)));
      }
      best[c * width + j] = value;
    }
  }
  const deviationLimit = best[k * width + m]! + EPSILON;

  const segments = admissibleSegments(context, order, prefix, deviationLimit);
  const segment = (i: number, j: number) => segments.get(i * width + j);

  // Stage 2: least longest drive among splits within the deviation limit.
  best = new Float64Array((k + 1) * width).fill(Infinity);
  best[0] = 0;
  for (let c = 1; c <= k; c++) {
    for (let j = c; j <= m - (k - c); j++) {
      let value = Infinity;
      for (let i = c - 1; i < j; i++) {
        const before = best[(c - 1) * width + i]!;
        const seg = before < value ? segment(i, j - 1) : undefined;
        if (seg) value = Math.min(value, Math.max(before, seg.driveSeconds));
      }
      best[c * width + j] = value;
    }
  }
  const driveLimit = best[k * width + m]! + EPSILON;

  // Stage 3: least total cost among splits within both limits; the first (leftmost) cut wins ties.
  best = new Float64Array((k + 1) * width).fill(Infinity);
  const cutAt = new Int32Array((k + 1) * width).fill(-1);
  best[0] = 0;
  for (let c = 1; c <= k; c++) {
    for (let j = c; j <= m - (k - c); j++) {
      let value = Infinity;
      let cut = -1;
      for (let i = c - 1; i < j; i++) {
        const before = best[(c - 1) * width + i]!;
        if (before === Infinity) continue;
        const seg = segment(i, j - 1);
        if (!seg || seg.driveSeconds > driveLimit) continue;
        const total =
          before +
          balanceCost(loadOf(i, j - 1), weights) +
          driveCost(seg.driveSeconds, weights) +
          weights.villageSplit * seg.villages;
        if (total < value) {
          value = total;
          cut = i;
        }
      }
      best[c * width + j] = value;
      cutAt[c * width + j] = cut;
    }
  }

  const out: number[][] = [];
  let maxDeviation = 0;
  let maxDrive = 0;
  for (let c = k, j = m; c > 0; c--) {
    const i = cutAt[c * width + j]!;
    out.push(order.slice(i, j));
    maxDeviation = Math.max(maxDeviation, deviation(i, j - 1));
    maxDrive = Math.max(maxDrive, segment(i, j - 1)!.driveSeconds);
    j = i;
  }
  out.reverse();
  // The cost counts each village once per grid it is in; a plan's splits are that minus one per village.
  return { segments: out, maxAbsDeviationRatio: maxDeviation, maxDriveSeconds: maxDrive, cost: best[k * width + m]! };
}

/**
 * Drive and village count of every segment whose deviation is within the limit, keyed
 * i · (m + 1) + j for units i..j. For each start the segment grows one unit at a time, keeping
 * for every candidate service point its weighted and unweighted drive sums and its longest
 * drive, so each extension costs O(length). Choice rule as `servicePoint`: least weighted sum,
 * then least longest drive, then lowest unit number.
 */
function admissibleSegments(
  context: PartitionContext,
  order: readonly number[],
  prefix: Float64Array,
  deviationLimit: number,
): Map<number, Segment> {
  const { units, drive } = context;
  const m = order.length;
  const width = m + 1;
  const out = new Map<number, Segment>();
  const weighted = new Float64Array(m);
  const plain = new Float64Array(m);
  const longest = new Float64Array(m);
  const villageUnits = new Int32Array(units.villageIndexOf.length);
  const rows = order.map((u) => drive.row(u));
  for (let i = 0; i < m; i++) {
    let households = 0;
    let villages = 0;
    const touched: number[] = [];
    for (let j = i; j < m; j++) {
      const load = prefix[j + 1]! - prefix[i]!;
      if (load - 1 > deviationLimit) break; // loads only grow with j
      const uj = order[j]!;
      const rowJ = rows[j]!;
      const wj = units.households[uj]!;
      households += wj;
      weighted[j] = 0;
      plain[j] = 0;
      longest[j] = 0;
      for (let c = i; c < j; c++) {
        const uc = order[c]!;
        // From candidate c to the new unit j, and from j to c (given all-pairs may be one-way).
        const toJ = rows[c]![uj]!;
        if (wj > 0) weighted[c]! += wj * toJ;
        plain[c]! += toJ;
        if (toJ > longest[c]!) longest[c] = toJ;
        const fromJ = rowJ[uc]!;
        const wc = units.households[uc]!;
        if (wc > 0) weighted[j]! += wc * fromJ;
        plain[j]! += fromJ;
        if (fromJ > longest[j]!) longest[j] = fromJ;
      }
      const v = units.village[uj]!;
      if (villageUnits[v]!++ === 0) {
        villages++;
        touched.push(v);
      }
      if (Math.abs(load - 1) > deviationLimit) continue;
      const sums = households > 0 ? weighted : plain;
      let at = -1;
      for (let c = i; c <= j; c++) {
        if (
          at < 0 ||
          sums[c]! < sums[at]! ||
          (sums[c] === sums[at] &&
            (longest[c]! < longest[at]! || (longest[c] === longest[at] && order[c]! < order[at]!)))
        ) {
          at = c;
        }
      }
      out.set(i * width + j, { driveSeconds: longest[at]!, villages });
    }
    for (const v of touched) villageUnits[v] = 0;
  }
  return out;
}
