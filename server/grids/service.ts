import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { RoadRouting } from '../routing/service.js';
import type { EditResult, GridInfo, PlanDetail, PlanEdit, PlanListItem, PlanStatus, PlanTargets } from './api-types.js';
import { affectedGrids, applyChanges, invertChanges, type PlanChanges } from './changes.js';
import { planEdit, type PlannedEdit } from './edits.js';
import { countySummary, readGrids, recomputeGrids, townshipSummaries, TOLERANCE_RATIO } from './figures.js';
import { recordRevision, revisionChanges, revisionHeads, touchedSince, undoRedo, undoRedoStacks } from './history.js';
import { loadCountyModel, planTargets, type CountyModel } from './model.js';
import { runPartition } from './partition-run.js';
import { ensureUnits, type UnitBuildProgress, type UnitSetStatus } from './unit-store.js';

/** An edit based on a revision that is no longer the plan's. */
class StaleRevision extends Error {
  constructor(readonly revision: number) {
    super('stale revision');
  }
}

/** What a new plan is made from. */
export interface NewPlan {
  countyCode: string;
  name: string;
  seed?: number;
  targets?: Partial<PlanTargets>;
  /** Copy the grids of this plan instead of partitioning afresh. */
  copyOf?: number;
  author: string;
}

interface PlanRow {
  id: number;
  county_code: string;
  name: string;
  status: PlanStatus;
  revision: number;
  seed: number;
  targets: unknown;
  created_by: string;
  created_at: Date | string;
  updated_by: string;
  updated_at: Date | string;
}

/** Edits that may be based on an older revision when the revisions since touched other grids. */
const STALE_OK: ReadonlySet<string> = new Set(['move', 'split', 'merge', 'lock', 'attributes']);

/**
 * Grid planning: each county's units (built once from its households and roads, kept in memory
 * with their road graph until the data changes), plans and their edits. Every edit runs in one
 * transaction that first locks the plan's row and checks the revision it was based on.
 */
export class GridService {
  private models = new Map<string, Promise<CountyModel>>();
  private preparing = new Map<string, Promise<UnitSetStatus>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly routing: RoadRouting,
  ) {}

  /** Forget every county's units in memory (after an import or a county load). */
  invalidate(): void {
    this.models.clear();
    this.preparing.clear();
  }

  /** Builds the county's units when they are missing or stale (see `ensureUnits`), once at a time. */
  prepare(countyCode: string, onProgress?: UnitBuildProgress): Promise<UnitSetStatus> {
    let job = this.preparing.get(countyCode);
    if (!job) {
      job = this.buildUnits(countyCode, onProgress).finally(() => this.preparing.delete(countyCode));
      this.preparing.set(countyCode, job);
    }
    return job;
  }

  private async buildUnits(countyCode: string, onProgress?: UnitBuildProgress): Promise<UnitSetStatus> {
    const status = await ensureUnits(this.db, countyCode, await this.routing.network(), {
      ...(onProgress ? { onProgress } : {}),
      // The carried plans' figures and shapes, from the new units, in the same transaction.
      afterCarry: async (trx, planIds) => {
        const model = await loadCountyModel(trx, countyCode);
        for (const planId of planIds) {
          const plan = await trx
            .selectFrom('grid_plans')
            .select('targets')
            .where('id', '=', planId)
            .executeTakeFirstOrThrow();
          const ids = await trx.selectFrom('grid_plan_grids').select('grid_id').where('plan_id', '=', planId).execute();
          await recomputeGrids(
            trx,
            planId,
            model,
            planTargets(plan.targets),
            ids.map((r) => r.grid_id),
          );
        }
      },
    });
    if (status.rebuilt) this.models.delete(countyCode);
    return status;
  }

  /** The county's units and road graph in memory (units built first if needed). */
  async model(countyCode: string): Promise<CountyModel> {
    let model = this.models.get(countyCode);
    if (!model) {
      model = this.prepare(countyCode).then(() => loadCountyModel(this.db, countyCode));
      model.catch(() => this.models.delete(countyCode));
      this.models.set(countyCode, model);
    }
    return model;
  }

  /** Plans of a county (or all), newest first, with their headline figures. */
  async listPlans(countyCode?: string): Promise<PlanListItem[]> {
    const rows = await sql<{
      id: number;
      county_code: string;
      name: string;
      status: PlanStatus;
      revision: number;
      updated_by: string;
      updated_at: Date | string;
      grids: number;
      households: number;
      within10: number;
    }>`
      select p.id, p.county_code, p.name, p.status, p.revision, p.updated_by, p.updated_at,
        count(g.grid_id)::int as grids, coalesce(sum(g.households), 0)::int as households,
        count(g.grid_id) filter (where abs(g.deviation_ratio) <= ${TOLERANCE_RATIO + 1e-6})::int as within10
      from grid_plans p left join grid_plan_grids g on g.plan_id = p.id
      ${countyCode ? sql`where p.county_code = ${countyCode}` : sql``}
      group by p.id order by p.id desc`.execute(this.db);
    return rows.rows.map((r) => ({
      id: r.id,
      countyCode: r.county_code,
      name: r.name,
      status: r.status,
      revision: r.revision,
      grids: r.grids,
      households: r.households,
      within10: r.grids > 0 ? r.within10 / r.grids : 0,
      updatedBy: r.updated_by,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  private async planRow(db: Kysely<DB>, planId: number, forUpdate = false): Promise<PlanRow> {
    const rows = await sql<PlanRow>`
      select id, county_code, name, status, revision, seed, targets, created_by, created_at, updated_by, updated_at
      from grid_plans where id = ${planId} ${forUpdate ? sql`for update` : sql``}`.execute(db);
    const row = rows.rows[0];
    if (!row) throw AppError.notFound(`没有网格方案 ${planId}（No grid plan ${planId}）`);
    return row;
  }

  /** A plan with every grid, the township and county summaries and what undo/redo would do. */
  async detail(planId: number, db: Kysely<DB> = this.db): Promise<PlanDetail> {
    const plan = await this.planRow(db, planId);
    const model = await this.model(plan.county_code);
    const townships = await townshipSummaries(db, planId, model);
    return {
      id: plan.id,
      countyCode: plan.county_code,
      name: plan.name,
      status: plan.status,
      revision: plan.revision,
      seed: plan.seed,
      targets: planTargets(plan.targets),
      createdBy: plan.created_by,
      createdAt: new Date(plan.created_at).toISOString(),
      updatedBy: plan.updated_by,
      updatedAt: new Date(plan.updated_at).toISOString(),
      ...(await undoRedo(db, planId)),
      summary: countySummary(townships),
      townships,
      grids: await readGrids(db, planId),
    };
  }

  /** Creates a plan: every township partitioned automatically (or a copy of another plan), in one transaction. */
  async createPlan(input: NewPlan): Promise<PlanDetail> {
    const model = await this.model(input.countyCode);
    const targets = planTargets({ ...input.targets });
    const seed = input.seed ?? 1;
    const planId = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('grid_plans')
        .values({
          county_code: input.countyCode,
          name: input.name,
          seed,
          targets: JSON.stringify(targets),
          created_by: input.author,
          updated_by: input.author,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = inserted.id;
      let summary: string;
      if (input.copyOf !== undefined) {
        const source = await this.planRow(trx, input.copyOf);
        if (source.county_code !== input.countyCode) {
          throw AppError.badRequest(`方案 ${input.copyOf} 属于另一个县（Plan ${input.copyOf} is of another county）`);
        }
        await sql`insert into grid_plan_grids select ${id}, grid_id, township_code, name, locked, worker_name,
            worker_phone, duty_list, negative_list, exemption_list, score, households, target_households,
            deviation_ratio, unit_count, village_codes, contiguous, max_drive_seconds, service_unit_id, geom
          from grid_plan_grids where plan_id = ${input.copyOf}`.execute(trx);
        await sql`insert into grid_plan_units select ${id}, unit_id, grid_id from grid_plan_units
          where plan_id = ${input.copyOf}`.execute(trx);
        await sql`insert into grid_plan_townships select ${id}, township_code, 1, seed, explanations
          from grid_plan_townships where plan_id = ${input.copyOf}`.execute(trx);
        summary = `复制自方案「${source.name}」第 ${source.revision} 版（Copied from plan ${source.name}, revision ${source.revision}）`;
      } else {
        await this.partitionAll(trx, id, model, targets, seed);
        summary = `自动划分全县（种子 ${seed}）（Partitioned the whole county automatically, seed ${seed}）`;
      }
      await recordRevision(trx, id, 1, {
        action: 'create',
        author: input.author,
        summary,
        changes: { units: [], grids: [] },
      });
      return id;
    });
    return this.detail(planId);
  }

  private async partitionAll(
    trx: Kysely<DB>,
    planId: number,
    model: CountyModel,
    targets: PlanTargets,
    seed: number,
  ): Promise<void> {
    let next = 0;
    const taken = new Set<string>();
    const gridRows: PlanChanges['grids'] = [];
    const units: { unit_id: number; grid_id: number | null }[] = [];
    for (const township of model.townships.values()) {
      const run = runPartition(township, targets, {
        seed,
        mode: 'full',
        assignment: new Int32Array(township.unitIds.length).fill(-1),
        lockedGrids: [],
        existing: new Map(),
        nextId: () => next++,
        takenNames: taken,
      });
      gridRows.push(...run.changes.grids);
      const gridOf = new Map(run.changes.units.map(([unit, , to]) => [unit, to]));
      for (const id of township.unitIds) units.push({ unit_id: id, grid_id: gridOf.get(id) ?? null });
      await trx
        .insertInto('grid_plan_townships')
        .values({
          plan_id: planId,
          township_code: township.code,
          revision: 1,
          seed,
          explanations: JSON.stringify(run.explanations),
        })
        .execute();
    }
    await applyChanges(trx, planId, { units: [], grids: gridRows });
    for (let start = 0; start < units.length; start += 2000) {
      await trx
        .insertInto('grid_plan_units')
        .values(units.slice(start, start + 2000).map((u) => ({ plan_id: planId, ...u })))
        .execute();
    }
    await recomputeGrids(
      trx,
      planId,
      model,
      targets,
      gridRows.map((g) => g.id),
    );
  }

  /** Renames a plan or changes its status (one active plan per county: the previous one becomes a draft). */
  async updatePlan(
    planId: number,
    patch: { name?: string; status?: PlanStatus; targets?: Partial<PlanTargets> },
    author: string,
  ): Promise<PlanDetail> {
    const head = await this.planRow(this.db, planId);
    const model = await this.model(head.county_code);
    await this.db.transaction().execute(async (trx) => {
      const plan = await this.planRow(trx, planId, true);
      const notes: string[] = [];
      if (patch.status === 'active' && plan.status !== 'active') {
        await trx
          .updateTable('grid_plans')
          .set({ status: 'draft' })
          .where('county_code', '=', plan.county_code)
          .where('status', '=', 'active')
          .execute();
      }
      if (patch.name !== undefined && patch.name !== plan.name) notes.push(`改名为「${patch.name}」（renamed）`);
      if (patch.status !== undefined && patch.status !== plan.status) notes.push(`状态：${patch.status}（status）`);
      const targets = patch.targets ? planTargets({ ...planTargets(plan.targets), ...patch.targets }) : null;
      if (targets && JSON.stringify(targets) !== JSON.stringify(planTargets(plan.targets))) {
        notes.push(
          `目标户数：农村 ${targets.village}、社区 ${targets.community}，另有 ${Object.keys(targets.townships).length} 个乡镇、${Object.keys(targets.villages).length} 个村单独设定（targets changed; re-partition townships to follow them）`,
        );
        await trx
          .updateTable('grid_plans')
          .set({ targets: JSON.stringify(targets) })
          .where('id', '=', planId)
          .execute();
        const ids = await trx.selectFrom('grid_plan_grids').select('grid_id').where('plan_id', '=', planId).execute();
        await recomputeGrids(
          trx,
          planId,
          model,
          targets,
          ids.map((r) => r.grid_id),
        );
      }
      if (notes.length === 0) return;
      if (patch.name !== undefined || patch.status !== undefined)
        await trx
          .updateTable('grid_plans')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.status ? { status: patch.status } : {}),
          })
          .where('id', '=', planId)
          .execute();
      await recordRevision(trx, planId, plan.revision + 1, {
        action: 'plan',
        author,
        summary: notes.join('；'),
        changes: { units: [], grids: [] },
      });
    });
    return this.detail(planId);
  }

  /**
   * Applies one edit based on `edit.baseRevision`: refused with 409 and the current plan when the
   * plan has moved on; otherwise its changes, the recomputed figures and the revision are written
   * in one transaction. `townships` (a planner's own) refuses with 403 an edit touching any other.
   * Besides the answer, `gridsBefore`: the grids it changed or removed as they were (for the audit log).
   */
  async edit(
    planId: number,
    edit: PlanEdit,
    author: string,
    townships: readonly string[] | null = null,
  ): Promise<EditResult & { gridsBefore: GridInfo[] }> {
    if (
      townships !== null &&
      (edit.action === 'repartition' || edit.action === 'complete') &&
      !townships.includes(edit.townshipCode)
    ) {
      // Refused before a whole township is re-partitioned only to be rolled back.
      throw outsideTownships([edit.townshipCode]);
    }
    const head = await this.planRow(this.db, planId);
    const model = await this.model(head.county_code);
    try {
      const done = await this.db.transaction().execute(async (trx) => {
        const plan = await this.planRow(trx, planId, true);
        // An edit based on an older revision goes through when nothing since touched its grids or
        // units (planners of different grids do not block each other); undo and redo, which act on
        // the latest revision, and whole-township re-partitions need the latest.
        const stale = plan.revision !== edit.baseRevision;
        if (stale && (edit.baseRevision > plan.revision || !STALE_OK.has(edit.action))) {
          throw new StaleRevision(plan.revision);
        }
        if (plan.status === 'archived') {
          throw AppError.badRequest(
            '已归档的方案不能修改，请先设为草稿（An archived plan cannot be edited: make it a draft first）',
          );
        }
        const targets = planTargets(plan.targets);
        let planned: PlannedEdit;
        let link: { undoes?: number; redoes?: number } = {};
        if (edit.action === 'undo' || edit.action === 'redo') {
          const stacks = undoRedoStacks(await revisionHeads(trx, planId));
          const top = (edit.action === 'undo' ? stacks.undo : stacks.redo).at(-1);
          if (!top) {
            throw AppError.badRequest(
              edit.action === 'undo' ? '没有可撤销的修改（Nothing to undo）' : '没有可重做的修改（Nothing to redo）',
            );
          }
          const recorded = await revisionChanges(trx, planId, top.revision);
          planned = {
            changes: edit.action === 'undo' ? invertChanges(recorded) : recorded,
            summary: `${edit.action === 'undo' ? '撤销' : '重做'}：${top.summary}`,
            warnings: [],
            explained: [],
          };
          link = edit.action === 'undo' ? { undoes: top.revision } : { redoes: top.revision };
        } else {
          planned = await planEdit({ db: trx, planId, seed: plan.seed, targets, model }, edit);
        }
        if (stale) {
          const since = await touchedSince(trx, planId, edit.baseRevision);
          const mine = planned.changes;
          const overlaps =
            since.actions.some((action) => !STALE_OK.has(action)) ||
            mine.units.some(
              ([unit, from, to]) =>
                since.units.has(unit) ||
                (from !== null && since.grids.has(from)) ||
                (to !== null && since.grids.has(to)),
            ) ||
            mine.grids.some((g) => since.grids.has(g.id));
          if (overlaps) throw new StaleRevision(plan.revision);
        }
        const { changed, removed } = affectedGrids(planned.changes);
        const gridsBefore = await readGrids(trx, planId, { gridIds: [...changed, ...removed] });
        await applyChanges(trx, planId, planned.changes);
        await recomputeGrids(trx, planId, model, targets, changed, planned.changes);
        for (const e of planned.explained) {
          await sql`insert into grid_plan_townships (plan_id, township_code, revision, seed, explanations)
            values (${planId}, ${e.townshipCode}, ${plan.revision + 1}, ${e.seed}, ${JSON.stringify(e.explanations)})
            on conflict (plan_id, township_code) do update set revision = excluded.revision, seed = excluded.seed,
              explanations = excluded.explanations`.execute(trx);
        }
        const revision = plan.revision + 1;
        await recordRevision(trx, planId, revision, {
          action: edit.action,
          author,
          summary: planned.summary,
          changes: planned.changes,
          ...link,
        });
        const touched = new Set<string>(planned.explained.map((e) => e.townshipCode));
        for (const g of planned.changes.grids) touched.add((g.after ?? g.before)!.townshipCode);
        for (const [unit] of planned.changes.units) touched.add(model.unitPlace.get(unit)![0]);
        const outside = townships === null ? [] : [...touched].filter((code) => !townships.includes(code));
        // Thrown inside the transaction: nothing of the edit is kept.
        if (outside.length > 0) throw outsideTownships(outside);
        return { revision, planned, changed, removed, touched: [...touched], gridsBefore };
      });
      // The answer is read after the commit: the plan's row is locked only while the edit is written.
      const { revision, planned, changed, removed, touched, gridsBefore } = done;
      return {
        revision,
        action: edit.action,
        summary: planned.summary,
        grids: await readGrids(this.db, planId, { gridIds: changed }),
        removedGrids: removed,
        units: planned.changes.units.map(([unit, , to]) => [unit, to] as [number, number | null]),
        warnings: planned.warnings,
        townships: await townshipSummaries(this.db, planId, model, touched),
        ...(await undoRedo(this.db, planId)),
        gridsBefore,
      };
    } catch (err) {
      if (!(err instanceof StaleRevision)) throw err;
      throw AppError.conflict(
        `方案已被他人修改（现为第 ${err.revision} 版，您的修改基于第 ${edit.baseRevision} 版），未保存；请在最新版本上重做（The plan has changed: revision ${err.revision}, your edit was based on ${edit.baseRevision}; nothing was saved）`,
        { revision: err.revision, plan: await this.detail(planId) },
      );
    }
  }

  /** The county of a plan (404 if there is no such plan). */
  async planCounty(planId: number): Promise<string> {
    return (await this.planRow(this.db, planId)).county_code;
  }

  /** A plan's name and revision, without its grids (404 if there is no such plan). */
  async planHead(planId: number): Promise<{ name: string; revision: number }> {
    const { name, revision } = await this.planRow(this.db, planId);
    return { name, revision };
  }
}

/** The 403 of an edit that touches townships the planner does not hold. */
function outsideTownships(outside: readonly string[]): AppError {
  return new AppError(
    403,
    'forbidden',
    `您只能修改所辖乡镇的网格，此修改涉及 ${outside.join('、')}（you may edit grids only in your townships）`,
    { townships: outside },
  );
}
