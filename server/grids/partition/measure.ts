import type { DriveTimes } from './graph.js';
import {
  DEFAULT_COMMUNITY_TARGET_HOUSEHOLDS,
  DEFAULT_VILLAGE_TARGET_HOUSEHOLDS,
  type PartitionUnit,
  type TargetOptions,
} from './types.js';

/** Per-unit figures on typed arrays, as every step of the partition reads them. */
export interface UnitArrays {
  households: Float64Array;
  /** Households per grid the unit's own village or community aims at. */
  targetHouseholds: Float64Array;
  /** households / targetHouseholds: the share of one grid the unit fills. */
  load: Float64Array;
  /** Dense village number 0..villageCount-1 (in order of first appearance). */
  village: Int32Array;
  /** `villageIndex` of each dense village number. */
  villageIndexOf: number[];
}

/** The household target of one unit: its village's override, else its kind's target. */
export function unitTargetHouseholds(unit: PartitionUnit, options: TargetOptions): number {
  const override = options.targetByVillage?.[unit.villageIndex];
  const target =
    override ??
    (unit.kind === 'community'
      ? (options.communityTargetHouseholds ?? DEFAULT_COMMUNITY_TARGET_HOUSEHOLDS)
      : (options.villageTargetHouseholds ?? DEFAULT_VILLAGE_TARGET_HOUSEHOLDS));
  if (!(target > 0) || !Number.isFinite(target)) {
    throw new RangeError(`Target ${target} households for village ${unit.villageIndex} is not positive`);
  }
  return target;
}

/** Typed per-unit figures; rejects negative or missing household counts. */
export function unitArrays(units: readonly PartitionUnit[], options: TargetOptions): UnitArrays {
  const n = units.length;
  const households = new Float64Array(n);
  const targetHouseholds = new Float64Array(n);
  const load = new Float64Array(n);
  const village = new Int32Array(n);
  const villageIndexOf: number[] = [];
  const dense = new Map<number, number>();
  for (let u = 0; u < n; u++) {
    const unit = units[u]!;
    if (!(unit.households >= 0) || !Number.isFinite(unit.households)) {
      throw new RangeError(`Unit ${u} has ${unit.households} households`);
    }
    households[u] = unit.households;
    targetHouseholds[u] = unitTargetHouseholds(unit, options);
    load[u] = unit.households / targetHouseholds[u]!;
    let v = dense.get(unit.villageIndex);
    if (v === undefined) {
      v = villageIndexOf.length;
      dense.set(unit.villageIndex, v);
      villageIndexOf.push(unit.villageIndex);
    }
    village[u] = v;
  }
  return { households, targetHouseholds, load, village, villageIndexOf };
}

/**
 * The households a set of units should hold as one grid. With one target that target; with a
 * mix, Σh / Σ(h / t), so that a grid is on target exactly when its units fill one grid's worth
 * of load (a community household counts 1/300 of a grid, a village household 1/200).
 */
export function gridTargetHouseholds(members: ArrayLike<number>, arrays: UnitArrays): number {
  if (members.length === 0) return 0;
  const first = arrays.targetHouseholds[members[0]!]!;
  let uniform = true;
  let households = 0;
  let load = 0;
  let targetSum = 0;
  for (let i = 0; i < members.length; i++) {
    const u = members[i]!;
    if (arrays.targetHouseholds[u] !== first) uniform = false;
    households += arrays.households[u]!;
    load += arrays.load[u]!;
    targetSum += arrays.targetHouseholds[u]!;
  }
  if (uniform) return first;
  return households > 0 ? households / load : targetSum / members.length;
}

/** The service point of a grid and the longest drive from it. */
export interface ServicePoint {
  unit: number;
  maxDriveSeconds: number;
}

/**
 * The grid's travel-time median: the unit minimising the household-weighted drive seconds to
 * all units of the grid (every unit weighs 1 when the grid has no households); ties go to the
 * shorter longest drive, then to the lower unit number. Members must be ascending. O(m²).
 */
export function servicePoint(members: ArrayLike<number>, households: Float64Array, drive: DriveTimes): ServicePoint {
  let total = 0;
  for (let i = 0; i < members.length; i++) total += households[members[i]!]!;
  let bestUnit = -1;
  let bestSum = Infinity;
  let bestMax = Infinity;
  for (let i = 0; i < members.length; i++) {
    const c = members[i]!;
    const row = drive.row(c);
    let sum = 0;
    let max = 0;
    for (let j = 0; j < members.length; j++) {
      const u = members[j]!;
      const seconds = row[u]!;
      const weight = total > 0 ? households[u]! : 1;
      // A unit without households does not pull the service point (and 0 · Infinity is NaN).
      if (weight > 0) sum += weight * seconds;
      if (seconds > max) max = seconds;
    }
    if (bestUnit < 0 || sum < bestSum || (sum === bestSum && max < bestMax)) {
      bestUnit = c;
      bestSum = sum;
      bestMax = max;
    }
  }
  return { unit: bestUnit, maxDriveSeconds: bestUnit < 0 ? 0 : bestMax };
}
