import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** A grid's attributes as a revision records them (its figures are recomputed, never recorded). */
export interface GridRow {
  townshipCode: string;
  name: string;
  locked: boolean;
  workerName: string | null;
  workerPhone: string | null;
  dutyList: string;
  negativeList: string;
  exemptionList: string;
  score: number | null;
}

/**
 * What one revision changed: units from one grid to another (null = no grid) and grids
 * created (before null), removed (after null) or changed. Its inverse undoes it exactly.
 */
export interface PlanChanges {
  units: [unitId: number, from: number | null, to: number | null][];
  grids: { id: number; before: GridRow | null; after: GridRow | null }[];
}

/** The changes that undo `changes`. */
export function invertChanges(changes: PlanChanges): PlanChanges {
  return {
    units: changes.units.map(([unit, from, to]) => [unit, to, from]),
    grids: changes.grids.map((g) => ({ id: g.id, before: g.after, after: g.before })),
  };
}

/** Grid ids whose figures a change affects (created, changed, or gaining or losing units), not removed ones. */
export function affectedGrids(changes: PlanChanges): { changed: number[]; removed: number[] } {
  const removed = new Set(changes.grids.filter((g) => g.after === null).map((g) => g.id));
  const changed = new Set<number>();
  for (const g of changes.grids) if (g.after !== null) changed.add(g.id);
  for (const [, from, to] of changes.units) {
    if (from !== null) changed.add(from);
    if (to !== null) changed.add(to);
  }
  for (const id of removed) changed.delete(id);
  return { changed: [...changed].sort((a, b) => a - b), removed: [...removed].sort((a, b) => a - b) };
}

/** Reads grids' attributes as a revision records them. */
export async function readGridRows(
  db: Kysely<DB>,
  planId: number,
  gridIds: readonly number[],
): Promise<Map<number, GridRow>> {
  if (gridIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('grid_plan_grids')
    .select([
      'grid_id',
      'township_code',
      'name',
      'locked',
      'worker_name',
      'worker_phone',
      'duty_list',
      'negative_list',
      'exemption_list',
      'score',
    ])
    .where('plan_id', '=', planId)
    .where('grid_id', 'in', [...gridIds])
    .execute();
  return new Map(
    rows.map((r) => [
      r.grid_id,
      {
        townshipCode: r.township_code,
        name: r.name,
        locked: r.locked,
        workerName: r.worker_name,
        workerPhone: r.worker_phone,
        dutyList: r.duty_list,
        negativeList: r.negative_list,
        exemptionList: r.exemption_list,
        score: r.score,
      },
    ]),
  );
}

const columns = (row: GridRow) => ({
  township_code: row.townshipCode,
  name: row.name,
  locked: row.locked,
  worker_name: row.workerName,
  worker_phone: row.workerPhone,
  duty_list: row.dutyList,
  negative_list: row.negativeList,
  exemption_list: row.exemptionList,
  score: row.score,
});

/**
 * Writes changes to a plan (inside the caller's transaction): new grids first, then attribute
 * changes, then unit moves, then removed grids. Figures are left for `recomputeGrids`.
 */
export async function applyChanges(trx: Kysely<DB>, planId: number, changes: PlanChanges): Promise<void> {
  const created = changes.grids.filter((g) => g.before === null && g.after !== null);
  if (created.length > 0) {
    await trx
      .insertInto('grid_plan_grids')
      .values(created.map((g) => ({ plan_id: planId, grid_id: g.id, ...columns(g.after!) })))
      .execute();
  }
  for (const g of changes.grids) {
    if (g.before === null || g.after === null) continue;
    await trx
      .updateTable('grid_plan_grids')
      .set(columns(g.after))
      .where('plan_id', '=', planId)
      .where('grid_id', '=', g.id)
      .execute();
  }
  if (changes.units.length > 0) {
    await sql`update grid_plan_units pu set grid_id = x.grid_id
      from unnest(${changes.units.map((u) => u[0])}::bigint[], ${changes.units.map((u) => u[2])}::int[]) as x(unit_id, grid_id)
      where pu.plan_id = ${planId} and pu.unit_id = x.unit_id`.execute(trx);
  }
  const removed = changes.grids.filter((g) => g.after === null).map((g) => g.id);
  if (removed.length > 0) {
    await trx.deleteFrom('grid_plan_grids').where('plan_id', '=', planId).where('grid_id', 'in', removed).execute();
  }
}
