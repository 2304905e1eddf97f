import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { EditWarning, GridAttributes, PlanEdit, PlanTargets } from './api-types.js';
import { readGridRows, type GridRow, type PlanChanges } from './changes.js';
import { townshipAssignment } from './figures.js';
import { type CountyModel, type TownshipModel, townshipTargets } from './model.js';
import {
  buildUnitGraph,
  moveUnitsCheck,
  moveWarningText,
  partitionTownship,
  type PartitionExplanation,
} from './partition/index.js';
import { gridName, mainVillage, newGridRow, runPartition } from './partition-run.js';

/** What an edit will change, how to say it, and what the planner should know. */
export interface PlannedEdit {
  changes: PlanChanges;
  summary: string;
  warnings: EditWarning[];
  /** Townships re-partitioned or completed, with the core's explanations. */
  explained: { townshipCode: string; seed: number; explanations: PartitionExplanation[] }[];
}

/** The plan as an edit sees it (read inside the edit's transaction). */
export interface EditContext {
  db: Kysely<DB>;
  planId: number;
  seed: number;
  targets: PlanTargets;
  model: CountyModel;
}

type PartitionEdit = Exclude<PlanEdit, { action: 'undo' } | { action: 'redo' }>;

/** Plans an edit (all but undo/redo): validates it against the plan and returns its changes. */
export async function planEdit(ctx: EditContext, edit: PartitionEdit): Promise<PlannedEdit> {
  switch (edit.action) {
    case 'move':
      return planMove(ctx, edit.unitIds, edit.toGrid);
    case 'split':
      return planSplit(ctx, edit.grid);
    case 'merge':
      return planMerge(ctx, edit.grids);
    case 'lock':
      return planLock(ctx, edit.grids, edit.locked);
    case 'repartition':
      return planRepartition(ctx, edit.townshipCode, 'full', edit.seed ?? ctx.seed);
    case 'complete':
      return planRepartition(ctx, edit.townshipCode, 'complete', ctx.seed);
    case 'attributes':
      return planAttributes(ctx, edit.grid, edit.attributes);
  }
}

async function gridsOrFail(ctx: EditContext, ids: readonly number[]): Promise<Map<number, GridRow>> {
  const rows = await readGridRows(ctx.db, ctx.planId, ids);
  const missing = ids.filter((id) => !rows.has(id));
  if (missing.length > 0) {
    throw AppError.notFound(`方案中没有网格 ${missing.join('、')}（No grid ${missing.join(', ')} in this plan）`);
  }
  return rows;
}

function townshipOf(ctx: EditContext, code: string): TownshipModel {
  const township = ctx.model.townships.get(code);
  if (!township) throw AppError.notFound(`没有乡镇 ${code}（No township ${code}）`);
  return township;
}

async function nextGridId(ctx: EditContext): Promise<() => number> {
  const row = await ctx.db
    .selectFrom('grid_plan_grids')
    .select((eb) => eb.fn.max<number | null>('grid_id').as('max'))
    .where('plan_id', '=', ctx.planId)
    .executeTakeFirst();
  let next = (row?.max ?? -1) + 1;
  return () => next++;
}

async function takenNames(ctx: EditContext): Promise<Set<string>> {
  const rows = await ctx.db.selectFrom('grid_plan_grids').select('name').where('plan_id', '=', ctx.planId).execute();
  return new Set(rows.map((r) => r.name));
}

async function warningsOf(
  ctx: EditContext,
  township: TownshipModel,
  warnings: ReturnType<typeof moveUnitsCheck>,
): Promise<EditWarning[]> {
  const villageName = (v: number) => township.villageNames[v];
  const ids = warnings.flatMap((w) => ('grid' in w ? [w.grid] : []));
  const rows = await readGridRows(ctx.db, ctx.planId, [...new Set(ids)]);
  const gridName = (id: number) => rows.get(id)?.name;
  return warnings.map((w) => ({
    kind: w.kind,
    ...('grid' in w ? { grid: w.grid } : {}),
    zh: moveWarningText(w, 'zh-CN', villageName, gridName),
    en: moveWarningText(w, 'en', villageName, gridName),
  }));
}

async function lockedOf(ctx: EditContext, township: TownshipModel): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('grid_plan_grids')
    .select('grid_id')
    .where('plan_id', '=', ctx.planId)
    .where('township_code', '=', township.code)
    .where('locked', '=', true)
    .execute();
  return rows.map((r) => r.grid_id);
}

async function planMove(ctx: EditContext, unitIds: readonly number[], toGrid: number | null): Promise<PlannedEdit> {
  const unique = [...new Set(unitIds)];
  const unknown = unique.filter((id) => !ctx.model.unitPlace.has(id));
  if (unknown.length > 0) {
    throw AppError.badRequest(
      `没有单元 ${unknown.slice(0, 10).join('、')}（No unit ${unknown.slice(0, 10).join(', ')}）`,
    );
  }
  const townships = new Set(unique.map((id) => ctx.model.unitPlace.get(id)![0]));
  if (townships.size > 1) {
    throw AppError.badRequest(
      '一次只能移动同一乡镇的单元，网格不跨乡镇（Units of one township at a time: grids never cross townships）',
    );
  }
  const township = townshipOf(ctx, [...townships][0]!);
  const target = toGrid === null ? null : (await gridsOrFail(ctx, [toGrid])).get(toGrid)!;
  if (target) {
    if (target.townshipCode !== township.code) {
      throw AppError.badRequest(
        `网格 ${toGrid} 不在该乡镇，网格不跨乡镇（Grid ${toGrid} is in another township: grids never cross townships）`,
      );
    }
  }
  const assignment = await townshipAssignment(ctx.db, ctx.planId, township);
  const indices = unique.map((id) => ctx.model.unitPlace.get(id)![1]);
  const to = toGrid ?? -1;
  const moving = indices.filter((u) => assignment[u] !== to);
  if (moving.length === 0) throw AppError.badRequest('所选单元已在该网格（The units are already in that grid）');
  const locked = await lockedOf(ctx, township);
  const warnings = moveUnitsCheck(assignment, moving, to, township.units, township.graph, {
    ...townshipTargets(ctx.targets, township),
    lockedGrids: locked,
  });
  const changes: PlanChanges = { units: [], grids: [] };
  for (const u of moving) {
    const from = assignment[u]!;
    changes.units.push([township.unitIds[u]!, from >= 0 ? from : null, toGrid]);
    assignment[u] = to;
  }
  // A grid left without units is removed (undo brings it back with its attributes).
  const donors = [...new Set(changes.units.map((c) => c[1]).filter((g): g is number => g !== null))];
  const emptied = donors.filter((g) => !assignment.includes(g));
  const rows = await readGridRows(ctx.db, ctx.planId, emptied);
  for (const g of emptied) changes.grids.push({ id: g, before: rows.get(g)!, after: null });
  const households = moving.reduce((s, u) => s + township.units[u]!.households, 0);
  const targetName = target?.name ?? null;
  return {
    changes,
    summary:
      targetName === null
        ? `移出 ${moving.length} 个单元（${households} 户）（Unassigned ${moving.length} units, ${households} households）`
        : `移动 ${moving.length} 个单元（${households} 户）到 ${targetName}（Moved ${moving.length} units, ${households} households, to ${targetName}）`,
    warnings: await warningsOf(ctx, township, warnings),
    explained: [],
  };
}

async function planSplit(ctx: EditContext, gridId: number): Promise<PlannedEdit> {
  const grid = (await gridsOrFail(ctx, [gridId])).get(gridId)!;
  const township = townshipOf(ctx, grid.townshipCode);
  const assignment = await townshipAssignment(ctx.db, ctx.planId, township);
  const members: number[] = [];
  for (let u = 0; u < assignment.length; u++) if (assignment[u] === gridId) members.push(u);
  if (members.length < 2)
    throw AppError.badRequest(
      `网格 ${grid.name} 只有 ${members.length} 个单元，无法拆分（${grid.name} has ${members.length} unit: nothing to split）`,
    );
  const local = new Map(members.map((u, i) => [u, i]));
  const edges = [];
  for (const u of members) {
    for (let e = township.graph.adjStart[u]!; e < township.graph.adjStart[u + 1]!; e++) {
      const v = township.graph.adjTarget[e]!;
      if (v > u && local.has(v))
        edges.push({ a: local.get(u)!, b: local.get(v)!, driveSeconds: township.graph.adjSeconds[e]! });
    }
  }
  const subUnits = members.map((u) => township.units[u]!);
  const result = partitionTownship(subUnits, buildUnitGraph(members.length, edges), {
    ...townshipTargets(ctx.targets, township),
    gridCount: 2,
    seed: ctx.seed,
  });
  // The half holding the grid's first unit keeps the grid; the other half is a new grid.
  const keep = result.assignment[0]!;
  const newId = (await nextGridId(ctx))();
  const moved = members.filter((_, i) => result.assignment[i] !== keep);
  const name = gridName(township.villageNames[mainVillage(township, moved)] ?? township.name, await takenNames(ctx));
  const changes: PlanChanges = {
    units: moved.map((u) => [township.unitIds[u]!, gridId, newId]),
    grids: [{ id: newId, before: null, after: newGridRow(township.code, name) }],
  };
  const movedHouseholds = moved.reduce((s, u) => s + township.units[u]!.households, 0);
  const total = members.reduce((s, u) => s + township.units[u]!.households, 0);
  return {
    changes,
    summary: `拆分 ${grid.name}：${total - movedHouseholds} 户 + ${name} ${movedHouseholds} 户（Split ${grid.name}: ${total - movedHouseholds} + ${movedHouseholds} households in ${name}）`,
    warnings: [],
    explained: [],
  };
}

async function planMerge(ctx: EditContext, ids: readonly [number, number]): Promise<PlannedEdit> {
  const [keepId, goneId] = ids;
  if (keepId === goneId) throw AppError.badRequest('请选择两个不同的网格（Choose two different grids）');
  const rows = await gridsOrFail(ctx, [keepId, goneId]);
  const keep = rows.get(keepId)!;
  const gone = rows.get(goneId)!;
  if (keep.townshipCode !== gone.townshipCode) {
    throw AppError.badRequest('不同乡镇的网格不能合并（Grids of different townships cannot be merged）');
  }
  const township = townshipOf(ctx, keep.townshipCode);
  const assignment = await townshipAssignment(ctx.db, ctx.planId, township);
  const moving: number[] = [];
  for (let u = 0; u < assignment.length; u++) if (assignment[u] === goneId) moving.push(u);
  const warnings = moveUnitsCheck(assignment, moving, keepId, township.units, township.graph, {
    ...townshipTargets(ctx.targets, township),
    lockedGrids: await lockedOf(ctx, township),
  }).filter((w) => w.kind !== 'donor_emptied');
  return {
    changes: {
      units: moving.map((u) => [township.unitIds[u]!, goneId, keepId]),
      grids: [{ id: goneId, before: gone, after: null }],
    },
    summary: `合并 ${gone.name} 到 ${keep.name}（Merged ${gone.name} into ${keep.name}）`,
    warnings: await warningsOf(ctx, township, warnings),
    explained: [],
  };
}

async function planLock(ctx: EditContext, ids: readonly number[], locked: boolean): Promise<PlannedEdit> {
  const rows = await gridsOrFail(ctx, [...new Set(ids)]);
  const changed = [...rows].filter(([, row]) => row.locked !== locked);
  if (changed.length === 0) {
    throw AppError.badRequest(locked ? '所选网格已锁定（Already locked）' : '所选网格未锁定（Not locked）');
  }
  const names = changed.map(([, row]) => row.name).join('、');
  return {
    changes: { units: [], grids: changed.map(([id, row]) => ({ id, before: row, after: { ...row, locked } })) },
    summary: `${locked ? '锁定' : '解锁'} ${names}（${locked ? 'Locked' : 'Unlocked'} ${changed.length} grids）`,
    warnings: [],
    explained: [],
  };
}

async function planRepartition(
  ctx: EditContext,
  townshipCode: string,
  mode: 'full' | 'complete',
  seed: number,
): Promise<PlannedEdit> {
  const township = townshipOf(ctx, townshipCode);
  const assignment = await townshipAssignment(ctx.db, ctx.planId, township);
  if (mode === 'complete' && !assignment.includes(-1)) {
    throw AppError.badRequest(`${township.name} 没有未分配的单元（Every unit of ${township.name} is in a grid）`);
  }
  const rows = await ctx.db
    .selectFrom('grid_plan_grids')
    .select('grid_id')
    .where('plan_id', '=', ctx.planId)
    .where('township_code', '=', township.code)
    .execute();
  const existing = await readGridRows(
    ctx.db,
    ctx.planId,
    rows.map((r) => r.grid_id),
  );
  const run = runPartition(township, ctx.targets, {
    seed,
    mode,
    assignment,
    lockedGrids: [...existing].filter(([, row]) => row.locked).map(([id]) => id),
    existing,
    nextId: await nextGridId(ctx),
    takenNames: await takenNames(ctx),
  });
  const households = run.changes.units.reduce(
    (s, [id]) => s + township.units[ctx.model.unitPlace.get(id)![1]]!.households,
    0,
  );
  const summary =
    mode === 'full'
      ? `重新划分 ${township.name}（种子 ${seed}）：${run.grids.length} 个网格，${households} 户换网格（Re-partitioned ${township.name}, seed ${seed}: ${run.grids.length} grids, ${households} households moved）`
      : `补全 ${township.name}：${run.changes.units.length} 个单元分入网格（Completed ${township.name}: ${run.changes.units.length} units placed）`;
  return {
    changes: run.changes,
    summary,
    warnings: [],
    explained: [{ townshipCode: township.code, seed, explanations: run.explanations }],
  };
}

async function planAttributes(ctx: EditContext, gridId: number, attributes: GridAttributes): Promise<PlannedEdit> {
  const before = (await gridsOrFail(ctx, [gridId])).get(gridId)!;
  const after: GridRow = { ...before };
  for (const [key, value] of Object.entries(attributes) as [keyof GridAttributes, unknown][]) {
    if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
  }
  if (after.name !== before.name && (await takenNames(ctx)).has(after.name)) {
    throw AppError.conflict(`已有名为 ${after.name} 的网格（A grid is already named ${after.name}）`);
  }
  if (JSON.stringify(after) === JSON.stringify(before)) throw AppError.badRequest('没有改动（Nothing changed）');
  return {
    changes: { units: [], grids: [{ id: gridId, before, after }] },
    summary: `修改 ${after.name} 的信息（Edited ${after.name}）`,
    warnings: [],
    explained: [],
  };
}
