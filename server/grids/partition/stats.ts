import type { MoveWarning } from './explain.js';
import { countPieces, DriveTimes, type UnitGraph } from './graph.js';
import { gridTargetHouseholds, servicePoint, unitArrays, type UnitArrays } from './measure.js';
import {
  DEFAULT_TOLERANCE_RATIO,
  type GridResult,
  type PartitionSummary,
  type PartitionUnit,
  type TargetOptions,
} from './types.js';

/** Options of the live figures: targets, tolerance, which grids are locked. */
export interface GridStatsOptions extends TargetOptions {
  toleranceRatio?: number;
  lockedGrids?: readonly number[];
  /** Reuse the drive times of an earlier call on the same graph (they are cached per source). */
  driveTimes?: DriveTimes;
}

/** Live figures of a plan: one entry per grid (sorted by id) and the township summary. */
export interface GridStats {
  grids: GridResult[];
  summary: PartitionSummary;
}

function checkLengths(assignment: ArrayLike<number>, units: readonly PartitionUnit[], graph: UnitGraph): void {
  if (assignment.length !== units.length || units.length !== graph.unitCount) {
    throw new RangeError(
      `Assignment (${assignment.length}), units (${units.length}) and graph (${graph.unitCount}) differ in length`,
    );
  }
}

/** Units of each grid id (ids ≥ 0), each list ascending, ids ascending. */
export function unitsByGrid(assignment: ArrayLike<number>): Map<number, number[]> {
  const byGrid = new Map<number, number[]>();
  for (let u = 0; u < assignment.length; u++) {
    const g = assignment[u]!;
    if (!(g >= 0)) continue;
    let list = byGrid.get(g);
    if (!list) byGrid.set(g, (list = []));
    list.push(u);
  }
  return new Map([...byGrid].sort((x, y) => x[0] - y[0]));
}

/** Figures of one grid from its (ascending) units. */
export function gridResult(
  id: number,
  members: number[],
  units: readonly PartitionUnit[],
  arrays: UnitArrays,
  graph: UnitGraph,
  drive: DriveTimes,
  locked: boolean,
): GridResult {
  let households = 0;
  for (const u of members) households += arrays.households[u]!;
  const targetHouseholds = gridTargetHouseholds(members, arrays);
  const deviation = households - targetHouseholds;
  const point = servicePoint(members, arrays.households, drive);
  return {
    id,
    locked,
    units: members,
    households,
    targetHouseholds,
    deviation,
    deviationRatio: targetHouseholds > 0 ? deviation / targetHouseholds : 0,
    villages: [...new Set(members.map((u) => units[u]!.villageIndex))].sort((a, b) => a - b),
    servicePointUnit: point.unit,
    maxDriveSeconds: point.maxDriveSeconds,
    contiguous: countPieces(members, graph) <= 1,
  };
}

/**
 * Live counts of a plan for hand editing: per grid households, target, deviation, villages,
 * service point, longest drive and contiguity; and the township summary. Grid ids are any
 * non-negative integers; -1 means unassigned.
 */
export function gridStats(
  assignment: ArrayLike<number>,
  units: readonly PartitionUnit[],
  graph: UnitGraph,
  options: GridStatsOptions = {},
): GridStats {
  checkLengths(assignment, units, graph);
  const arrays = unitArrays(units, options);
  const drive = options.driveTimes ?? new DriveTimes(graph);
  const locked = new Set(options.lockedGrids ?? []);
  const grids = [...unitsByGrid(assignment)].map(([id, members]) =>
    gridResult(id, members, units, arrays, graph, drive, locked.has(id)),
  );
  return { grids, summary: summarise(grids, assignment, units) };
}

/** The township summary of a set of grid figures. */
export function summarise(
  grids: readonly GridResult[],
  assignment: ArrayLike<number>,
  units: readonly PartitionUnit[],
): PartitionSummary {
  let households = 0;
  let maxAbsDeviation = 0;
  let maxAbsDeviationRatio = 0;
  let within10 = 0;
  let within25 = 0;
  let nonContiguous = 0;
  let maxGridDriveSeconds = 0;
  for (const grid of grids) {
    households += grid.households;
    maxAbsDeviation = Math.max(maxAbsDeviation, Math.abs(grid.deviation));
    maxAbsDeviationRatio = Math.max(maxAbsDeviationRatio, Math.abs(grid.deviationRatio));
    // The bands reported are fixed (±10 %, ±25 %); the tolerance option only decides what is explained.
    if (Math.abs(grid.deviationRatio) <= 0.1 + 1e-9) within10++;
    if (Math.abs(grid.deviationRatio) <= 0.25 + 1e-9) within25++;
    if (!grid.contiguous) nonContiguous++;
    maxGridDriveSeconds = Math.max(maxGridDriveSeconds, grid.maxDriveSeconds);
  }
  let unassigned = 0;
  let unassignedHouseholds = 0;
  const gridsOfVillage = new Map<number, Set<number>>();
  for (let u = 0; u < assignment.length; u++) {
    const g = assignment[u]!;
    if (!(g >= 0)) {
      unassigned++;
      unassignedHouseholds += units[u]!.households;
      continue;
    }
    const village = units[u]!.villageIndex;
    let set = gridsOfVillage.get(village);
    if (!set) gridsOfVillage.set(village, (set = new Set()));
    set.add(g);
  }
  let villageSplits = 0;
  for (const set of gridsOfVillage.values()) villageSplits += set.size - 1;
  return {
    grids: grids.length,
    households,
    maxAbsDeviation,
    maxAbsDeviationRatio,
    within10,
    within25,
    nonContiguous,
    unassigned,
    unassignedHouseholds,
    villageSplits,
    maxGridDriveSeconds,
  };
}

/**
 * What moving `moving` units into grid `toGrid` (-1: unassign them) would cause, as warnings
 * that inform and never block: a locked grid touched, a donor emptied or broken into more
 * pieces, a receiver not in one piece, a grid ending outside the tolerance, a village newly
 * spread over more grids.
 */
export function moveUnitsCheck(
  assignment: ArrayLike<number>,
  moving: readonly number[],
  toGrid: number,
  units: readonly PartitionUnit[],
  graph: UnitGraph,
  options: GridStatsOptions = {},
): MoveWarning[] {
  checkLengths(assignment, units, graph);
  const arrays = unitArrays(units, options);
  const toleranceRatio = options.toleranceRatio ?? DEFAULT_TOLERANCE_RATIO;
  const locked = new Set(options.lockedGrids ?? []);
  const after = Int32Array.from(assignment);
  const affectedSet = new Set<number>();
  for (const u of moving) {
    if (!(u >= 0 && u < units.length)) throw new RangeError(`Unit ${u} does not exist`);
    if (assignment[u] === toGrid) continue;
    if (assignment[u]! >= 0) affectedSet.add(assignment[u]!);
    if (toGrid >= 0) affectedSet.add(toGrid);
    after[u] = toGrid;
  }
  const affected = [...affectedSet].sort((a, b) => a - b);

  const warnings: MoveWarning[] = [];
  const membersOf = (plan: ArrayLike<number>, g: number) => {
    const list: number[] = [];
    for (let u = 0; u < plan.length; u++) if (plan[u] === g) list.push(u);
    return list;
  };
  for (const g of affected) if (locked.has(g)) warnings.push({ kind: 'locked_grid', grid: g });
  for (const g of affected) {
    const before = membersOf(assignment, g);
    const now = membersOf(after, g);
    if (g !== toGrid) {
      if (now.length === 0) {
        warnings.push({ kind: 'donor_emptied', grid: g });
        continue;
      }
      const piecesBefore = countPieces(before, graph);
      const piecesAfter = countPieces(now, graph);
      if (piecesAfter > piecesBefore) warnings.push({ kind: 'donor_split', grid: g, piecesBefore, piecesAfter });
    } else {
      const pieces = countPieces(now, graph);
      if (pieces > 1) warnings.push({ kind: 'receiver_not_contiguous', grid: g, pieces });
    }
    const target = gridTargetHouseholds(now, arrays);
    let householdsBefore = 0;
    let householdsAfter = 0;
    for (const u of before) householdsBefore += arrays.households[u]!;
    for (const u of now) householdsAfter += arrays.households[u]!;
    const deviationRatio = (householdsAfter - target) / target;
    if (Math.abs(deviationRatio) > toleranceRatio + 1e-9) {
      warnings.push({
        kind: 'deviation',
        grid: g,
        householdsBefore,
        householdsAfter,
        targetHouseholds: target,
        deviationRatio,
        toleranceRatio,
      });
    }
  }
  const villages = [...new Set(moving.map((u) => units[u]!.villageIndex))].sort((a, b) => a - b);
  for (const village of villages) {
    const gridsIn = (plan: ArrayLike<number>) => {
      const set = new Set<number>();
      for (let u = 0; u < plan.length; u++) if (units[u]!.villageIndex === village && plan[u]! >= 0) set.add(plan[u]!);
      return set.size;
    };
    const gridsBefore = gridsIn(assignment);
    const gridsAfter = gridsIn(after);
    if (gridsAfter > gridsBefore)
      warnings.push({ kind: 'village_split', villageIndex: village, gridsBefore, gridsAfter });
  }
  return warnings;
}
