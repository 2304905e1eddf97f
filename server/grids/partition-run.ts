import type { PlanTargets } from './api-types.js';
import type { GridRow, PlanChanges } from './changes.js';
import { type TownshipModel, townshipTargets } from './model.js';
import { partitionTownship, type PartitionExplanation, type PartitionOptions } from './partition/index.js';

/** Independent seeded starts of an automatic partition (the core's default). */
export const PARTITION_RESTARTS = 4;

/** A new grid's attributes: named after the village holding most of its households. */
export function newGridRow(townshipCode: string, name: string): GridRow {
  return {
    townshipCode,
    name,
    locked: false,
    workerName: null,
    workerPhone: null,
    dutyList: '',
    negativeList: '',
    exemptionList: '',
    score: null,
  };
}

/** `下洋村网格`, or `下洋村第2网格`, … — the first name not taken (names are unique within a plan). */
export function gridName(villageName: string, taken: Set<string>): string {
  let name = `${villageName}网格`;
  for (let i = 2; taken.has(name); i++) name = `${villageName}第${i}网格`;
  taken.add(name);
  return name;
}

/** The village (index) holding most households of the given units. */
export function mainVillage(township: TownshipModel, units: readonly number[]): number {
  const count = new Map<number, number>();
  for (const u of units) {
    const unit = township.units[u]!;
    count.set(unit.villageIndex, (count.get(unit.villageIndex) ?? 0) + unit.households);
  }
  let best = -1;
  let bestCount = -1;
  for (const [v, n] of count) if (n > bestCount || (n === bestCount && v < best)) [best, bestCount] = [v, n];
  return best;
}

/** What re-partitioning (or completing) one township of a plan changes. */
export interface PartitionRun {
  changes: PlanChanges;
  explanations: PartitionExplanation[];
  /** Grid ids of the township after the run. */
  grids: number[];
}

/**
 * Runs the partition core on one township of a plan and turns its answer into plan changes:
 * locked grids (and in 'complete' mode every grid) stay; grids the core keeps reuse their ids;
 * new grids get fresh plan ids from `nextId` and names from their main village; grids no longer
 * used are removed. Explanations refer to plan grid ids.
 */
export function runPartition(
  township: TownshipModel,
  targets: PlanTargets,
  input: {
    seed: number;
    mode: 'full' | 'complete';
    /** Unit index → plan grid id (-1: none). */
    assignment: Int32Array;
    lockedGrids: readonly number[];
    existing: ReadonlyMap<number, GridRow>;
    nextId: () => number;
    takenNames: Set<string>;
    gridCount?: number;
  },
): PartitionRun {
  const options: PartitionOptions = {
    ...townshipTargets(targets, township),
    seed: input.seed,
    mode: input.mode,
    assignment: input.assignment,
    lockedGrids: [...input.lockedGrids],
    restarts: PARTITION_RESTARTS,
    ...(input.gridCount === undefined ? {} : { gridCount: input.gridCount }),
  };
  const result = partitionTownship(township.units, township.graph, options);
  const before = new Set<number>();
  for (const id of input.assignment) if (id >= 0) before.add(id);
  const idMap = new Map<number, number>();
  const membersOf = new Map<number, number[]>();
  for (let u = 0; u < result.assignment.length; u++) {
    const id = result.assignment[u]!;
    if (id < 0) continue;
    if (!membersOf.has(id)) membersOf.set(id, []);
    membersOf.get(id)!.push(u);
  }
  const changes: PlanChanges = { units: [], grids: [] };
  for (const [id, members] of [...membersOf].sort((a, b) => a[1][0]! - b[1][0]!)) {
    if (before.has(id)) {
      idMap.set(id, id);
      continue;
    }
    const planId = input.nextId();
    idMap.set(id, planId);
    const village = township.villageNames[mainVillage(township, members)] ?? township.name;
    changes.grids.push({
      id: planId,
      before: null,
      after: newGridRow(township.code, gridName(village, input.takenNames)),
    });
  }
  for (const id of before) {
    if (idMap.has(id)) continue;
    const row = input.existing.get(id);
    if (row) changes.grids.push({ id, before: row, after: null });
  }
  for (let u = 0; u < result.assignment.length; u++) {
    const from = input.assignment[u]! >= 0 ? input.assignment[u]! : null;
    const out = result.assignment[u]!;
    const to = out >= 0 ? idMap.get(out)! : null;
    if (from !== to) changes.units.push([township.unitIds[u]!, from, to]);
  }
  const explanations = result.explanations.map((e) => remapExplanation(e, idMap));
  return { changes, explanations, grids: [...idMap.values()].sort((a, b) => a - b) };
}

/** The explanation with the core's grid ids replaced by the plan's. */
function remapExplanation(e: PartitionExplanation, idMap: ReadonlyMap<number, number>): PartitionExplanation {
  const map = (id: number) => idMap.get(id) ?? id;
  const out = { ...e } as PartitionExplanation & { grid?: number; neighbourGrids?: number[] };
  if ('grid' in e && typeof e.grid === 'number') out.grid = map(e.grid);
  if ('neighbourGrids' in e && Array.isArray(e.neighbourGrids)) out.neighbourGrids = e.neighbourGrids.map(map);
  return out;
}
