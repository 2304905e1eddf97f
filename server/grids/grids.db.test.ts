import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { startTestServer, type TestServer } from '../../test/http.js';
import type { Database } from '../db/database.js';
import type {
  EditResult,
  GridInfo,
  PlanComparison,
  PlanDetail,
  PlanListItem,
  RevisionInfo,
  StaleEdit,
} from './api-types.js';
import { DEMO_GRID_PLAN } from './demo.js';
import { listRevisions, undoRedoStacks } from './history.js';
import { GridService } from './service.js';
import { RoadRouting } from '../routing/service.js';

describe('undo and redo stacks replayed from the revision log', () => {
  const r = (revision: number, action: string, extra: { undoes?: number; redoes?: number } = {}) => ({
    revision,
    action,
    summary: `r${revision}`,
    undoes: extra.undoes ?? null,
    redoes: extra.redoes ?? null,
  });
  it('undo pops, redo pushes back, a new edit clears redo, a rebuild clears both', () => {
    const log = [r(1, 'create'), r(2, 'move'), r(3, 'split'), r(4, 'undo', { undoes: 3 }), r(5, 'plan')];
    let stacks = undoRedoStacks(log);
    expect(stacks.undo.map((x) => x.revision)).toEqual([2]);
    expect(stacks.redo.map((x) => x.revision)).toEqual([3]);
    stacks = undoRedoStacks([...log, r(6, 'redo', { redoes: 3 })]);
    expect(stacks.undo.map((x) => x.revision)).toEqual([2, 6]);
    expect(stacks.undo.at(-1)!.summary).toBe('r3');
    expect(stacks.redo).toEqual([]);
    stacks = undoRedoStacks([...log, r(6, 'merge')]);
    expect(stacks.undo.map((x) => x.revision)).toEqual([2, 6]);
    expect(stacks.redo).toEqual([]);
    stacks = undoRedoStacks([...log, r(6, 'rebuild_units')]);
    expect(stacks).toEqual({ undo: [], redo: [] });
  });
});

describe.each(BACKENDS)('grid planning on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let plan: PlanDetail;
  const api = <T>(path: string, init?: { method?: string; json?: unknown }) => server.api<T>(path, init);
  const edit = (json: object) => api<EditResult>(`/api/grids/plans/${plan.id}/edits`, { method: 'POST', json });
  const fresh = async () => (plan = (await api<PlanDetail>(`/api/grids/plans/${plan.id}`)).body);
  /** A unit of the township on the border of grid `from`, and the neighbouring grid it touches. */
  const borderUnit = async (townshipCode: string) => {
    const units = JSON.parse(
      (await api<string>(`/api/grids/plans/${plan.id}/units.geojson?township=${townshipCode}`)).body,
    ) as { features: { properties: { unitId: number; gridId: number; households: number } }[] };
    const links = await sql<{ a: number; b: number }>`
      select ua.id as a, ub.id as b from grid_unit_links l
      join grid_units ua on ua.township_code = l.township_code and ua.unit_index = l.a
      join grid_units ub on ub.township_code = l.township_code and ub.unit_index = l.b
      where l.township_code = ${townshipCode} order by l.a, l.b`.execute(database.db);
    const byId = new Map(units.features.map((f) => [f.properties.unitId, f.properties]));
    for (const link of links.rows) {
      const a = byId.get(link.a)!;
      const b = byId.get(link.b)!;
      if (a.gridId !== b.gridId) return { unit: a, toGrid: b.gridId };
    }
    throw new Error('no border');
  };

  /** Each grid's stored shape covers exactly its units: no square metre more or less, and valid. */
  const expectShapesOfUnits = async (gridIds: number[]) => {
    const shapes = await sql<{ grid_id: number; valid: boolean; units_m2: number; off_m2: number }>`
      select g.grid_id, ST_IsValid(g.geom) as valid, ST_Area(u.geom::geography) as units_m2,
        ST_Area(ST_SymDifference(g.geom, u.geom)::geography) as off_m2
      from grid_plan_grids g cross join lateral (
        select ST_Union(gu.geom) as geom from grid_plan_units pu join grid_units gu on gu.id = pu.unit_id
        where pu.plan_id = g.plan_id and pu.grid_id = g.grid_id) u
      where g.plan_id = ${plan.id} and g.grid_id = any(${gridIds}::int[]) order by g.grid_id`.execute(database.db);
    expect(shapes.rows).toHaveLength(gridIds.length);
    for (const shape of shapes.rows) {
      expect(shape.valid, `grid ${shape.grid_id}`).toBe(true);
      expect(shape.units_m2, `grid ${shape.grid_id}`).toBeGreaterThan(0);
      expect(shape.off_m2, `grid ${shape.grid_id}`).toBeLessThan(1);
    }
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    const plans = (await api<PlanListItem[]>('/api/grids/plans')).body;
    const active = plans.find((p) => p.status === 'active')!;
    plan = (await api<PlanDetail>(`/api/grids/plans/${active.id}`)).body;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('the demo plan puts every unit of the county in one grid, each grid in one piece, none across a township', async () => {
    expect(plan.name).toBe(DEMO_GRID_PLAN.name);
    const households = await sql<{ n: number }>`select count(*)::int as n from households`.execute(database.db);
    expect(plan.summary.households).toBe(households.rows[0]!.n);
    expect(plan.summary.unassignedUnits).toBe(0);
    expect(plan.summary.nonContiguous).toBe(0);
    expect(plan.grids.reduce((s, g) => s + g.households, 0)).toBe(households.rows[0]!.n);
    const crossing = await sql<{ n: number }>`
      select count(*)::int as n from grid_plan_units pu join grid_units u on u.id = pu.unit_id
      join grid_plan_grids g on g.plan_id = pu.plan_id and g.grid_id = pu.grid_id
      where pu.plan_id = ${plan.id} and g.township_code <> u.township_code`.execute(database.db);
    expect(crossing.rows[0]!.n).toBe(0);
    // Every grid has its shape and its figures stored.
    const stored = await sql<{ n: number; shapes: number; valid: number }>`
      select count(*)::int as n, count(geom)::int as shapes, count(*) filter (where ST_IsValid(geom))::int as valid
      from grid_plan_grids where plan_id = ${plan.id}`.execute(database.db);
    expect(stored.rows[0]).toEqual({ n: plan.grids.length, shapes: plan.grids.length, valid: plan.grids.length });
    // Every household in exactly one unit.
    const placed = await sql<{ n: number; distinct: number }>`
      select count(*)::int as n, count(distinct c)::int as distinct from grid_units, unnest(household_codes) c`.execute(
      database.db,
    );
    expect(placed.rows[0]).toEqual({ n: households.rows[0]!.n, distinct: households.rows[0]!.n });
  });

  it('the demo plan grids tile each township: no gap, no overlap', async () => {
    const tiling = await sql<{ code: string; township_m2: number; grids_m2: number }>`
      select t.code, ST_Area(t.geom::geography) as township_m2,
        (select sum(ST_Area(g.geom::geography)) from grid_plan_grids g
         where g.plan_id = ${plan.id} and g.township_code = t.code) as grids_m2
      from townships t order by t.code`.execute(database.db);
    for (const t of tiling.rows) expect(Math.abs(t.grids_m2 / t.township_m2 - 1), t.code).toBeLessThan(1e-6);
    const overlap = await sql<{ m2: number | null }>`
      select sum(ST_Area(ST_Intersection(a.geom, b.geom, 1e-7)::geography)) as m2
      from grid_plan_grids a join grid_plan_grids b
        on a.plan_id = b.plan_id and a.grid_id < b.grid_id
        and ST_Intersects(a.geom, b.geom)
      where a.plan_id = ${plan.id}`.execute(database.db);
    expect(overlap.rows[0]!.m2 ?? 0).toBeLessThan(1);
  });

  it('moves a unit to the neighbouring grid, both grids recounted and stored, and undo and redo restore them', async () => {
    const township = plan.townships[2]!;
    const { unit, toGrid } = await borderUnit(township.code);
    const before = new Map(plan.grids.map((g) => [g.id, g]));
    const from = before.get(unit.gridId)!;
    const to = before.get(toGrid)!;
    const moved = await edit({ baseRevision: plan.revision, action: 'move', unitIds: [unit.unitId], toGrid });
    expect(moved.status).toBe(200);
    expect(moved.body.revision).toBe(plan.revision + 1);
    const after = new Map(moved.body.grids.map((g) => [g.id, g]));
    expect(after.get(from.id)?.households ?? 0).toBe(from.households - unit.households);
    expect(after.get(to.id)!.households).toBe(to.households + unit.households);
    expect(moved.body.units).toEqual([[unit.unitId, toGrid]]);
    expect(moved.body.undo?.revision).toBe(moved.body.revision);
    // Stored: a fresh read has the same figures.
    await fresh();
    expect(plan.grids.find((g) => g.id === to.id)!.households).toBe(to.households + unit.households);
    expect(plan.revision).toBe(moved.body.revision);
    // Both shapes (the moved unit's added to one and cut from the other) are the union of their units.
    await expectShapesOfUnits([from.id, to.id]);

    const undone = await edit({ baseRevision: plan.revision, action: 'undo' });
    expect(undone.status).toBe(200);
    const restored = new Map(undone.body.grids.map((g) => [g.id, g]));
    expect(restored.get(from.id)).toEqual(from);
    expect(restored.get(to.id)).toEqual(to);
    expect(undone.body.redo?.revision).toBe(moved.body.revision);
    await fresh();
    const redone = await edit({ baseRevision: plan.revision, action: 'redo' });
    expect(redone.body.grids.find((g) => g.id === to.id)!.households).toBe(to.households + unit.households);
    await fresh();
    await edit({ baseRevision: plan.revision, action: 'undo' });
    await fresh();
    expect(plan.grids.find((g) => g.id === from.id)).toEqual(from);
    await expectShapesOfUnits([from.id, to.id]);
  });

  it('refuses an edit based on a stale revision that touched its grids with 409 and the current plan, and changes nothing', async () => {
    const township = plan.townships[3]!;
    const { unit, toGrid } = await borderUnit(township.code);
    // Someone else renames the grid the unit is in.
    const renamed = await edit({
      baseRevision: plan.revision,
      action: 'attributes',
      grid: unit.gridId,
      attributes: { workerName: '李四' },
    });
    expect(renamed.status).toBe(200);
    const stale = plan.revision;
    await fresh();
    const countBefore = await sql<{ n: number }>`
      select count(*)::int as n from grid_plan_revisions where plan_id = ${plan.id}`.execute(database.db);
    const refused = await api<StaleEdit>(`/api/grids/plans/${plan.id}/edits`, {
      method: 'POST',
      json: { baseRevision: stale, action: 'move', unitIds: [unit.unitId], toGrid },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.details.revision).toBe(plan.revision);
    expect(refused.body.error.details.plan.revision).toBe(plan.revision);
    expect(refused.body.error.details.plan.grids).toHaveLength(plan.grids.length);
    const countAfter = await sql<{ n: number }>`
      select count(*)::int as n from grid_plan_revisions where plan_id = ${plan.id}`.execute(database.db);
    expect(countAfter.rows[0]!.n).toBe(countBefore.rows[0]!.n);
    const grid = await sql<{ grid_id: number }>`
      select grid_id from grid_plan_units where plan_id = ${plan.id} and unit_id = ${unit.unitId}`.execute(database.db);
    expect(grid.rows[0]!.grid_id).toBe(unit.gridId);

    // An edit of other grids based on the same old revision goes through: planners of different grids do not block each other.
    const elsewhere = await borderUnit(plan.townships[9]!.code);
    const accepted = await edit({
      baseRevision: stale,
      action: 'move',
      unitIds: [elsewhere.unit.unitId],
      toGrid: elsewhere.toGrid,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.revision).toBe(plan.revision + 1);
    // Undo needs the latest revision.
    expect((await edit({ baseRevision: stale, action: 'undo' })).status).toBe(409);
    await fresh();
    expect((await edit({ baseRevision: plan.revision, action: 'undo' })).status).toBe(200);
    await fresh();
  });

  it('splits a grid in two contiguous halves and merges them back', async () => {
    const township = plan.townships[4]!;
    const grid = plan.grids.find((g) => g.townshipCode === township.code && g.unitCount >= 4)!;
    const split = await edit({ baseRevision: plan.revision, action: 'split', grid: grid.id });
    expect(split.status).toBe(200);
    expect(split.body.grids).toHaveLength(2);
    const [a, b] = split.body.grids as [GridInfo, GridInfo];
    expect(a.households + b.households).toBe(grid.households);
    expect(a.contiguous && b.contiguous).toBe(true);
    expect(Math.abs(a.households - b.households)).toBeLessThan(grid.households / 2);
    await fresh();
    const other = split.body.grids.find((g) => g.id !== grid.id)!;
    const merged = await edit({ baseRevision: plan.revision, action: 'merge', grids: [grid.id, other.id] });
    expect(merged.status).toBe(200);
    expect(merged.body.removedGrids).toEqual([other.id]);
    expect(merged.body.grids[0]!.households).toBe(grid.households);
    expect(merged.body.grids[0]!.unitCount).toBe(grid.unitCount);
    await fresh();
  });

  it('re-partitions a township around a locked grid, and completes unassigned units', async () => {
    const township = plan.townships[5]!;
    const gridsBefore = plan.grids.filter((g) => g.townshipCode === township.code);
    const locked = gridsBefore[0]!;
    expect((await edit({ baseRevision: plan.revision, action: 'lock', grids: [locked.id], locked: true })).status).toBe(
      200,
    );
    await fresh();
    const repartitioned = await edit({
      baseRevision: plan.revision,
      action: 'repartition',
      townshipCode: township.code,
      seed: 7,
    });
    expect(repartitioned.status).toBe(200);
    expect(repartitioned.body.units.every(([, to]) => to !== locked.id)).toBe(true);
    await fresh();
    expect(plan.grids.find((g) => g.id === locked.id)).toMatchObject({ households: locked.households, locked: true });
    const summary = plan.townships.find((t) => t.code === township.code)!;
    expect(summary.unassignedUnits).toBe(0);
    expect(summary.nonContiguous).toBe(0);
    expect(summary.explanations.length).toBeGreaterThan(0);

    // Unassign two units, then complete.
    const { unit } = await borderUnit(township.code);
    const out = await edit({ baseRevision: plan.revision, action: 'move', unitIds: [unit.unitId], toGrid: null });
    expect(out.status).toBe(200);
    await fresh();
    expect(plan.townships.find((t) => t.code === township.code)!.unassignedUnits).toBe(1);
    const completed = await edit({ baseRevision: plan.revision, action: 'complete', townshipCode: township.code });
    expect(completed.status).toBe(200);
    expect(completed.body.units).toHaveLength(1);
    await fresh();
    expect(plan.townships.find((t) => t.code === township.code)!.unassignedUnits).toBe(0);
  });

  it('records grid attributes as a revision with author and time, in the history', async () => {
    const grid = plan.grids[0]!;
    const saved = await edit({
      baseRevision: plan.revision,
      action: 'attributes',
      grid: grid.id,
      attributes: { workerName: '王网格', workerPhone: '138 0000 0000', dutyList: '巡查、走访', score: 92.5 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.grids[0]).toMatchObject({ workerName: '王网格', dutyList: '巡查、走访', score: 92.5 });
    await fresh();
    const history = (await api<RevisionInfo[]>(`/api/grids/plans/${plan.id}/revisions`)).body;
    expect(history[0]).toMatchObject({ revision: plan.revision, action: 'attributes', author: 'test-admin' });
    expect(history.at(-1)).toMatchObject({ revision: 1, action: 'create' });
  });

  it('answers bad edits with 400 or 404 and a message, and changes nothing', async () => {
    const revision = plan.revision;
    const cases: [object, number][] = [
      [{ baseRevision: revision, action: 'move', unitIds: [], toGrid: 0 }, 400],
      [{ baseRevision: revision, action: 'move', unitIds: [999999999], toGrid: 0 }, 400],
      [{ baseRevision: revision, action: 'split', grid: 99999 }, 404],
      [{ baseRevision: revision, action: 'merge', grids: [1, 1] }, 400],
      [{ baseRevision: revision, action: 'explode' }, 400],
      [{ baseRevision: 'x', action: 'undo' }, 400],
      [{ baseRevision: revision, action: 'attributes', grid: 0, attributes: { score: 101 } }, 400],
      [{ baseRevision: revision, action: 'repartition', townshipCode: '999999999' }, 404],
    ];
    for (const [json, status] of cases) {
      const answer = await api<{ error: { message: string } }>(`/api/grids/plans/${plan.id}/edits`, {
        method: 'POST',
        json,
      });
      expect(answer.status, JSON.stringify(json)).toBe(status);
      expect(answer.body.error.message.length).toBeGreaterThan(3);
    }
    // Moving units of two townships at once.
    const a = await borderUnit(plan.townships[1]!.code);
    const b = await borderUnit(plan.townships[2]!.code);
    expect(
      (
        await edit({
          baseRevision: revision,
          action: 'move',
          unitIds: [a.unit.unitId, b.unit.unitId],
          toGrid: a.toGrid,
        })
      ).status,
    ).toBe(400);
    expect((await api(`/api/grids/plans/999999`)).status).toBe(404);
    await fresh();
    expect(plan.revision).toBe(revision);
  });

  it('compares two plans: a copy moves nothing, an edit moves its households', async () => {
    const copy = await api<PlanDetail>('/api/grids/plans', { method: 'POST', json: { name: '副本', copyOf: plan.id } });
    expect(copy.status).toBe(201);
    expect(copy.body.grids).toEqual(plan.grids);
    let compared = await api<PlanComparison>(`/api/grids/plans/compare?a=${plan.id}&b=${copy.body.id}`);
    expect(compared.body.householdsMoved).toBe(0);
    const township = plan.townships[6]!;
    const { unit, toGrid } = await borderUnit(township.code);
    const moved = await api<EditResult>(`/api/grids/plans/${copy.body.id}/edits`, {
      method: 'POST',
      json: { baseRevision: copy.body.revision, action: 'move', unitIds: [unit.unitId], toGrid },
    });
    expect(moved.status).toBe(200);
    compared = await api<PlanComparison>(`/api/grids/plans/compare?a=${plan.id}&b=${copy.body.id}`);
    expect(compared.body.householdsMoved).toBe(unit.households);
    expect(compared.body.moves).toHaveLength(1);
    expect(compared.body.townships.find((t) => t.code === township.code)!.householdsMoved).toBe(unit.households);
  });

  it('exports the plan as GeoJSON, CSV with BOM and the household list', async () => {
    const geo = await api<string>(`/api/grids/plans/${plan.id}/export.geojson`);
    expect(geo.type).toContain('application/geo+json');
    const collection = JSON.parse(geo.body) as { features: { properties: { gridId: number; households: number } }[] };
    expect(collection.features).toHaveLength(plan.grids.length);
    const csv = await server.fetch(`/api/grids/plans/${plan.id}/export.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split(/\r?\n/);
    expect(lines).toHaveLength(plan.grids.length + 1);
    expect(lines[0]).toContain('网格名称');
    const households = await server.fetch(`/api/grids/plans/${plan.id}/households.csv`);
    const rows = (await households.text()).trim().split(/\r?\n/);
    expect(rows.length - 1).toBe(plan.summary.households);
  });

  it("changes a plan's targets per township: its grids measured against them, the others unchanged", async () => {
    const copy = (
      await api<PlanDetail>('/api/grids/plans', { method: 'POST', json: { name: '目标试算', copyOf: plan.id } })
    ).body;
    const township = copy.townships.find((t) => t.code === plan.townships[7]!.code)!;
    const patched = await api<PlanDetail>(`/api/grids/plans/${copy.id}`, {
      method: 'PATCH',
      json: { targets: { townships: { [township.code]: { village: 250, community: 350 } } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.revision).toBe(copy.revision + 1);
    expect(patched.body.targets.townships[township.code]).toEqual({ village: 250, community: 350 });
    for (const grid of patched.body.grids) {
      const old = copy.grids.find((g) => g.id === grid.id)!;
      if (grid.townshipCode !== township.code) expect(grid).toEqual(old);
      else {
        expect(grid.targetHouseholds).toBeGreaterThanOrEqual(250);
        expect(grid.targetHouseholds).toBeLessThanOrEqual(350);
        expect(grid.deviationRatio).toBeCloseTo((grid.households - grid.targetHouseholds) / grid.targetHouseholds, 3);
      }
    }
    const bad = await api(`/api/grids/plans/${copy.id}`, { method: 'PATCH', json: { targets: { village: 5 } } });
    expect(bad.status).toBe(400);
  });

  it('rebuilds the units when the households change, and carries every plan over to them', async () => {
    const county = plan.countyCode;
    const before = (await api<PlanDetail>(`/api/grids/plans/${plan.id}`)).body;
    // A household moves out (deleted) and the data changes under the plans, as an import would.
    const gone = await sql<{ code: string }>`
      delete from households where code = (select min(code) from households) returning code`.execute(database.db);
    expect(gone.rows).toHaveLength(1);
    const grids = new GridService(database.db, new RoadRouting(database.db));
    const status = await grids.prepare(county);
    expect(status.rebuilt).toBe(true);
    expect(status.plansCarried).toBeGreaterThanOrEqual(2);
    const after = await grids.detail(plan.id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.summary.households).toBe(before.summary.households - 1);
    expect(after.summary.unassignedUnits).toBe(0);
    expect(after.grids.map((g) => g.id)).toEqual(before.grids.map((g) => g.id));
    // Only the grids around the changed village may differ, by a few households re-cut between units.
    const shifted = after.grids.reduce((sum, g, i) => sum + Math.abs(g.households - before.grids[i]!.households), 0);
    expect(shifted).toBeLessThanOrEqual(60);
    expect(after.undo).toBeNull();
    const history = await listRevisions(database.db, plan.id);
    expect(history[0]).toMatchObject({ action: 'rebuild_units', author: 'system' });
    // Nothing to rebuild the second time.
    expect((await grids.prepare(county)).rebuilt).toBe(false);
  }, 300_000); // Rebuilding every unit of the county takes ~25 s on PGlite alone, more on a busy machine.
});
