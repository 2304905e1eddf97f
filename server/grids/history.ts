import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PlanDetail, RevisionInfo } from './api-types.js';
import type { PlanChanges } from './changes.js';

/** Revisions that change the partition or a grid and can be undone. */
const UNDOABLE = new Set(['move', 'split', 'merge', 'lock', 'repartition', 'complete', 'attributes']);
/** Revisions after which nothing before can be undone (the units or the whole plan were made anew). */
const BARRIERS = new Set(['create', 'rebuild_units']);

interface RevisionHead {
  revision: number;
  action: string;
  summary: string;
  undoes: number | null;
  redoes: number | null;
}

/** The undo and redo stacks of a plan, replayed from its revision log (tops last). */
export function undoRedoStacks(log: readonly RevisionHead[]): { undo: RevisionHead[]; redo: RevisionHead[] } {
  const byRevision = new Map(log.map((r) => [r.revision, r]));
  let undo: RevisionHead[] = [];
  let redo: RevisionHead[] = [];
  for (const r of log) {
    if (BARRIERS.has(r.action)) {
      undo = [];
      redo = [];
    } else if (UNDOABLE.has(r.action)) {
      undo.push(r);
      redo = [];
    } else if (r.action === 'undo' && r.undoes !== null) {
      if (undo.at(-1)?.revision === r.undoes) redo.push(undo.pop()!);
    } else if (r.action === 'redo' && r.redoes !== null) {
      if (redo.at(-1)?.revision === r.redoes) {
        redo.pop();
        undo.push({ ...r, summary: byRevision.get(r.redoes)?.summary ?? r.summary });
      }
    }
  }
  return { undo, redo };
}

/**
 * The plan's revision log heads, oldest first, from its last barrier on (what came before it
 * cannot be undone or redone: undoRedoStacks would empty both stacks there).
 */
export async function revisionHeads(db: Kysely<DB>, planId: number): Promise<RevisionHead[]> {
  return db
    .selectFrom('grid_plan_revisions')
    .select(['revision', 'action', 'summary', 'undoes', 'redoes'])
    .where('plan_id', '=', planId)
    .where(({ eb, selectFrom }) =>
      eb(
        'revision',
        '>=',
        selectFrom('grid_plan_revisions as b')
          .select(({ fn }) => fn.coalesce(fn.max('b.revision'), eb.lit(0)).as('since'))
          .where('b.plan_id', '=', planId)
          .where('b.action', 'in', [...BARRIERS]),
      ),
    )
    .orderBy('revision')
    .execute();
}

/** What undo and redo would do now. */
export async function undoRedo(db: Kysely<DB>, planId: number): Promise<Pick<PlanDetail, 'undo' | 'redo'>> {
  const { undo, redo } = undoRedoStacks(await revisionHeads(db, planId));
  const top = (stack: RevisionHead[]) => {
    const r = stack.at(-1);
    return r ? { revision: r.revision, summary: r.summary } : null;
  };
  return { undo: top(undo), redo: top(redo) };
}

/** A revision's changes as the driver gives the jsonb column: parsed already, or as text. */
function storedChanges(value: unknown): PlanChanges {
  return (typeof value === 'string' ? JSON.parse(value) : value) as PlanChanges;
}

/** The changes a revision recorded. */
export async function revisionChanges(db: Kysely<DB>, planId: number, revision: number): Promise<PlanChanges> {
  const row = await db
    .selectFrom('grid_plan_revisions')
    .select('changes')
    .where('plan_id', '=', planId)
    .where('revision', '=', revision)
    .executeTakeFirstOrThrow();
  return storedChanges(row.changes);
}

/** What the revisions after `revision` touched: their actions, the grids and the units they changed. */
export async function touchedSince(
  db: Kysely<DB>,
  planId: number,
  revision: number,
): Promise<{ actions: string[]; grids: Set<number>; units: Set<number> }> {
  const rows = await db
    .selectFrom('grid_plan_revisions')
    .select(['action', 'changes'])
    .where('plan_id', '=', planId)
    .where('revision', '>', revision)
    .execute();
  const grids = new Set<number>();
  const units = new Set<number>();
  for (const row of rows) {
    const changes = storedChanges(row.changes);
    for (const g of changes.grids) grids.add(g.id);
    for (const [unit, from, to] of changes.units) {
      units.add(unit);
      if (from !== null) grids.add(from);
      if (to !== null) grids.add(to);
    }
  }
  return { actions: rows.map((r) => r.action), grids, units };
}

/** Records the next revision of a plan and moves the plan to it; returns its number. */
export async function recordRevision(
  trx: Kysely<DB>,
  planId: number,
  revision: number,
  entry: { action: string; author: string; summary: string; changes: PlanChanges; undoes?: number; redoes?: number },
): Promise<void> {
  await trx
    .insertInto('grid_plan_revisions')
    .values({
      plan_id: planId,
      revision,
      action: entry.action,
      author: entry.author,
      summary: entry.summary,
      undoes: entry.undoes ?? null,
      redoes: entry.redoes ?? null,
      changes: JSON.stringify(entry.changes),
    })
    .execute();
  await trx
    .updateTable('grid_plans')
    .set({ revision, updated_by: entry.author, updated_at: new Date() })
    .where('id', '=', planId)
    .execute();
}

/** The plan's history, newest first. */
export async function listRevisions(db: Kysely<DB>, planId: number): Promise<RevisionInfo[]> {
  const list = await sql<{
    revision: number;
    action: string;
    author: string;
    created_at: Date | string;
    summary: string;
    undoes: number | null;
    redoes: number | null;
    units_moved: number;
  }>`
    select revision, action, author, created_at, summary, undoes, redoes,
      coalesce(jsonb_array_length(changes -> 'units'), 0)::int as units_moved
    from grid_plan_revisions where plan_id = ${planId} order by revision desc`.execute(db);
  return list.rows.map((r) => ({
    revision: r.revision,
    action: r.action,
    author: r.author,
    createdAt: new Date(r.created_at).toISOString(),
    summary: r.summary,
    undoes: r.undoes,
    redoes: r.redoes,
    unitsMoved: r.units_moved,
  }));
}
