import { describe, expect, it } from 'vitest';
import { labelFeatures, townshipColourIndexes, unitFeatures } from './map-layers.js';
import {
  applyEditToUnits,
  buildUnitIndex,
  countySummary,
  deviationClass,
  gridColourIndexes,
  moveTargets,
  sortGrids,
  touchingPairs,
  unitsInLasso,
  unitSelectionFigures,
} from './model.js';
import {
  compareWith,
  currentPlan,
  currentUnits,
  gridQueries,
  initialGridsState,
  updateGrids,
  type EditResult,
  type GridAction,
  type GridInfo,
  type GridsState,
  type PlanDetail,
  type PlanListItem,
  type TownshipSummary,
  type UnitCollection,
} from './state.js';
import { deepFreeze } from '../../../../test/deep-freeze.js';

/** Apply actions one after another, freezing every state on the way (catches mutation). */
function run(state: GridsState, ...actions: GridAction[]): GridsState {
  let current = deepFreeze(state);
  for (const action of actions) current = deepFreeze(updateGrids(current, deepFreeze(action)));
  return current;
}

const T = '330329100';
const U = '330329101';

/**
 * A township of 3 × 3 square units of 0.01°, unit id = row × 3 + column + 1 (row 0 south):
 *
 *   7 8 9        C C .
 *   4 5 6   in   A B B      (grid A = 0, B = 1, C = 2; unit 9 in no grid)
 *   1 2 3        A A B
 */
const GRID_OF: Record<number, number | null> = { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1, 6: 1, 7: 2, 8: 2, 9: null };

function square(column: number, row: number): GeoJSON.Polygon {
  const x = 119.7 + column * 0.01;
  const y = 27.5 + row * 0.01;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + 0.01, y],
        [x + 0.01, y + 0.01],
        [x, y + 0.01],
        [x, y],
      ],
    ],
  };
}

const UNITS: UnitCollection = deepFreeze({
  type: 'FeatureCollection',
  features: Array.from({ length: 9 }, (_, i) => ({
    type: 'Feature' as const,
    geometry: square(i % 3, Math.floor(i / 3)),
    properties: {
      unitId: i + 1,
      townshipCode: T,
      villageCode: `${T}00${1 + (i % 3 === 2 ? 1 : 0)}`,
      villageName: i % 3 === 2 ? '东村' : '西村',
      name: null,
      households: 10 * (i + 1),
      gridId: GRID_OF[i + 1]!,
    },
  })),
});

function grid(id: number, name: string, households: number, extra: Partial<GridInfo> = {}): GridInfo {
  return {
    id,
    townshipCode: T,
    name,
    locked: false,
    workerName: null,
    workerPhone: null,
    dutyList: '',
    negativeList: '',
    exemptionList: '',
    score: null,
    households,
    targetHouseholds: 100,
    deviationRatio: (households - 100) / 100,
    unitCount: 3,
    villageCodes: [`${T}001`],
    contiguous: true,
    maxDriveMinutes: 12,
    servicePoint: null,
    ...extra,
  };
}

function township(code: string, extra: Partial<TownshipSummary> = {}): TownshipSummary {
  return {
    code,
    name: code === T ? '罗阳镇' : '司前畲族镇',
    units: 9,
    grids: 3,
    households: 450,
    maxAbsDeviationRatio: 0.5,
    within10: 1 / 3,
    within25: 2 / 3,
    nonContiguous: 0,
    unassignedUnits: 1,
    unassignedHouseholds: 90,
    villageSplits: 1,
    maxGridDriveMinutes: 12,
    explanations: [],
    ...extra,
  };
}

const PLAN: PlanDetail = deepFreeze({
  id: 5,
  countyCode: '330329',
  name: '2027年网格方案',
  status: 'active',
  revision: 3,
  seed: 1,
  targets: { village: 200, community: 300, townships: {}, villages: {} },
  createdBy: 'api',
  createdAt: '2026-11-01T08:00:00Z',
  updatedBy: 'api',
  updatedAt: '2026-11-02T08:00:00Z',
  undo: { revision: 3, summary: '移动 1 个单元' },
  redo: null,
  summary: countySummary([township(T), township(U, { grids: 1, households: 200, within10: 1, unassignedUnits: 0 })]),
  townships: [township(T), township(U, { grids: 1, households: 200, within10: 1, unassignedUnits: 0 })],
  // A: 1+2+4 → 70 households; B: 3+5+6 → 140; C: 7+8 → 150; and one grid in the other township.
  grids: [
    grid(0, '网格1', 70),
    grid(1, '网格2', 140),
    grid(2, '网格3', 150),
    grid(3, '网格4', 200, { townshipCode: U }),
  ],
});

const LIST: PlanListItem[] = [
  {
    id: 6,
    countyCode: '330329',
    name: '试算',
    status: 'draft',
    revision: 0,
    grids: 4,
    households: 650,
    within10: 0.5,
    updatedBy: 'api',
    updatedAt: '2026-11-03T08:00:00Z',
  },
  {
    id: 5,
    countyCode: '330329',
    name: PLAN.name,
    status: 'active',
    revision: 3,
    grids: 4,
    households: 650,
    within10: 0.5,
    updatedBy: 'api',
    updatedAt: '2026-11-02T08:00:00Z',
  },
];

const UNITS_KEY = `/api/grids/plans/5/units.geojson?township=${T}`;

/** The workspace with the plan list, plan 5 and township T's units loaded. */
function opened(): GridsState {
  return run(
    initialGridsState(),
    { type: 'grids/requested', resource: 'plans', key: '/api/grids/plans' },
    { type: 'grids/loaded', resource: 'plans', key: '/api/grids/plans', data: LIST },
    { type: 'grids/requested', resource: 'plan', key: '/api/grids/plans/5' },
    { type: 'grids/loaded', resource: 'plan', key: '/api/grids/plans/5', data: PLAN },
    { type: 'grids/selectTownship', townshipCode: T },
    { type: 'grids/requested', resource: 'units', key: UNITS_KEY },
    { type: 'grids/loaded', resource: 'units', key: UNITS_KEY, data: UNITS },
  );
}

function result(extra: Partial<EditResult>): EditResult {
  return {
    revision: 4,
    action: 'move',
    summary: '移动 1 个单元到 网格1',
    grids: [],
    removedGrids: [],
    units: [],
    warnings: [],
    townships: [],
    undo: { revision: 4, summary: '移动 1 个单元到 网格1' },
    redo: null,
    ...extra,
  };
}

const gridOf = (state: GridsState, unitId: number) =>
  currentUnits(state)!.features.find((f) => f.properties.unitId === unitId)!.properties.gridId;

describe('the geometry of a township’s units', () => {
  it('finds the units that touch, by a shared border or corner', () => {
    const index = buildUnitIndex('k', UNITS);
    expect(index.neighbours[1]).toEqual([2, 4, 5]);
    expect(index.neighbours[5]).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
    expect(index.neighbours[9]).toEqual([5, 6, 8]);
    expect(touchingPairs([square(0, 0), square(2, 2)])).toEqual([]);
    // A corner on the middle of the other's edge (no shared vertex) still touches.
    const wide: GeoJSON.Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [119.695, 27.49],
          [119.715, 27.49],
          [119.715, 27.5],
          [119.695, 27.5],
          [119.695, 27.49],
        ],
      ],
    };
    expect(touchingPairs([square(0, 0), wide])).toEqual([[0, 1]]);
  });

  it('puts each unit’s centroid in its middle and boxes the township', () => {
    const index = buildUnitIndex('k', UNITS);
    expect(index.centroids[1]![0]).toBeCloseTo(119.705, 9);
    expect(index.centroids[1]![1]).toBeCloseTo(27.505, 9);
    expect(index.centroids[9]![0]).toBeCloseTo(119.725, 9);
    expect(index.bounds).toEqual([119.7, 27.5, expect.closeTo(119.73, 9), expect.closeTo(27.53, 9)]);
  });

  it('selects with a lasso the units whose centroid lies inside the ring', () => {
    const { centroids } = buildUnitIndex('k', UNITS);
    // A freehand triangle around the west column.
    const ring: [number, number][] = [
      [119.699, 27.49],
      [119.712, 27.49],
      [119.712, 27.54],
    ];
    expect(unitsInLasso(ring, centroids)).toEqual([1]);
    const column: [number, number][] = [
      [119.699, 27.499],
      [119.711, 27.499],
      [119.711, 27.531],
      [119.699, 27.531],
    ];
    expect(unitsInLasso(column, centroids)).toEqual([1, 4, 7]);
    expect(unitsInLasso(column.slice(0, 2), centroids)).toEqual([]);
  });
});

describe('grid colours', () => {
  it('give touching grids different colours, each its own (id mod palette) when free', () => {
    const all = new Map([
      [0, new Set([1, 2])],
      [1, new Set([0, 2])],
      [2, new Set([0, 1])],
    ]);
    expect([...gridColourIndexes([2, 0, 1], all, 12)]).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    // 0 and 12 both prefer colour 0: the larger id moves on when they touch, and only then.
    expect(gridColourIndexes([0, 12], new Map([[12, new Set([0])]]), 12).get(12)).toBe(1);
    expect(gridColourIndexes([0, 12], new Map(), 12).get(12)).toBe(0);
  });

  it('are worked out from the units: A, B and C all touch, so three colours', () => {
    const state = opened();
    const colours = townshipColourIndexes(state);
    expect(new Set([colours.get(0), colours.get(1), colours.get(2)]).size).toBe(3);
    const features = unitFeatures(state)!.features;
    const colourOf = (unitId: number) => features.find((f) => f.properties!.unitId === unitId)!.properties!.colour;
    expect(colourOf(1)).toBe(colourOf(2));
    expect(colourOf(1)).not.toBe(colourOf(3));
    expect(features.find((f) => f.properties!.unitId === 9)!.properties).toMatchObject({ assigned: false, gridId: -1 });
  });
});

describe('grid figures', () => {
  it('class deviations: within ±10 % good, within ±25 % warn, beyond bad', () => {
    expect([0, 0.1, -0.1, 0.1001, -0.25, 0.2501, -0.6].map(deviationClass)).toEqual([
      'good',
      'good',
      'good',
      'warn',
      'warn',
      'bad',
      'bad',
    ]);
  });

  it('add the townships up to the county, shares weighted by grids', () => {
    const summary = countySummary(PLAN.townships);
    expect(summary).toMatchObject({ grids: 4, households: 650, unassignedUnits: 1, unassignedHouseholds: 180 });
    expect(summary.within10).toBeCloseTo((1 / 3) * (3 / 4) + 1 / 4, 12);
  });

  it('sort grids worst deviation first, or by name with numbers in order', () => {
    const grids = [grid(0, '网格10', 100), grid(1, '网格2', 60), grid(2, '网格1', 125)];
    expect(sortGrids(grids, 'deviation').map((g) => g.id)).toEqual([1, 2, 0]);
    expect(sortGrids(grids, 'name').map((g) => g.name)).toEqual(['网格1', '网格2', '网格10']);
    expect(sortGrids(grids, 'households').map((g) => g.id)).toEqual([2, 0, 1]);
  });

  it('offer the grids touching the selection first as targets of a move', () => {
    const { neighbours } = buildUnitIndex('k', UNITS);
    const grids = PLAN.grids.filter((g) => g.townshipCode === T);
    // Unit 3 (in B) touches 2 (A) and 5, 6 (B): A first, C after, B (where it is) not at all.
    expect(moveTargets(grids, UNITS, neighbours, [3])).toEqual({ neighbours: [grids[0]], others: [grids[2]] });
    // Units 4 (A) and 5 (B): both A and B may take both; 5 touches 7, 8 (C), 4 touches 7 too.
    const both = moveTargets(grids, UNITS, neighbours, [4, 5]);
    expect(both.neighbours.map((g) => g.id)).toEqual([0, 1, 2]);
    expect(unitSelectionFigures(UNITS, [4, 5, 9])).toEqual({ units: 3, households: 180, gridIds: [0, 1, null] });
  });
});

describe('the grid workspace state', () => {
  it('opens the county’s active plan, and asks for the township’s units and outlines', () => {
    const state = opened();
    expect(state.planId).toBe(5);
    expect(currentPlan(state)).toBe(PLAN);
    const queries = gridQueries(state);
    expect(queries).toEqual({
      plans: '/api/grids/plans',
      plan: '/api/grids/plans/5',
      units: UNITS_KEY,
      shapes: `/api/grids/plans/5/grids.geojson?township=${T}`,
      revisions: null,
      comparison: null,
    });
    expect(state.unitIndex?.key).toBe(UNITS_KEY);
    // Without a township: the county's outlines, no units.
    const county = run(state, { type: 'grids/selectTownship', townshipCode: null });
    expect(gridQueries(county).units).toBeNull();
    expect(gridQueries(county).shapes).toBe('/api/grids/plans/5/grids.geojson');
    // History and comparison are asked for when their tab opens; compared with the other plan.
    const history = run(state, { type: 'grids/setTab', tab: 'history' });
    expect(gridQueries(history).revisions).toBe('/api/grids/plans/5/revisions');
    const compare = run(state, { type: 'grids/setTab', tab: 'compare' });
    expect(compareWith(compare)).toBe(6);
    expect(gridQueries(compare).comparison).toBe('/api/grids/plans/compare?a=6&b=5');
  });

  it('drops an answer to a question no longer asked', () => {
    const state = run(opened(), { type: 'grids/requested', resource: 'units', key: 'other' });
    const after = run(state, { type: 'grids/loaded', resource: 'units', key: UNITS_KEY, data: UNITS });
    expect(after).toBe(state);
  });

  it('chooses units by click (Ctrl toggles), by lasso, or their grids with the grid tool; Esc clears', () => {
    let state = run(opened(), { type: 'grids/clickUnit', unitId: 3, gridId: 1, mode: 'replace' });
    expect(state.selection).toEqual({ kind: 'units', unitIds: [3] });
    state = run(state, { type: 'grids/clickUnit', unitId: 1, gridId: 0, mode: 'toggle' });
    expect(state.selection).toEqual({ kind: 'units', unitIds: [1, 3] });
    state = run(state, { type: 'grids/clickUnit', unitId: 3, gridId: 1, mode: 'toggle' });
    expect(state.selection).toEqual({ kind: 'units', unitIds: [1] });
    // A lasso with Ctrl adds what it caught.
    state = run(state, { type: 'grids/selectUnits', unitIds: [4, 7], mode: 'toggle' });
    expect(state.selection).toEqual({ kind: 'units', unitIds: [1, 4, 7] });
    state = run(state, { type: 'grids/selectUnits', unitIds: [8, 9], mode: 'replace' });
    expect(state.selection).toEqual({ kind: 'units', unitIds: [8, 9] });
    // "Move to" on the map needs units chosen; Esc leaves it first, then clears.
    state = run(state, { type: 'grids/setTool', tool: 'moveTo' });
    expect(state.tool).toBe('moveTo');
    state = run(state, { type: 'grids/escape' });
    expect(state.tool).toBe('units');
    expect(state.selection.kind).toBe('units');
    state = run(state, { type: 'grids/escape' });
    expect(state.selection).toEqual({ kind: 'none' });
    expect(run(state, { type: 'grids/setTool', tool: 'moveTo' }).tool).toBe('units');
    // The grid tool: a click on a unit chooses its grid; a unit in no grid chooses nothing.
    state = run(
      state,
      { type: 'grids/setTool', tool: 'grids' },
      { type: 'grids/clickUnit', unitId: 5, gridId: 1, mode: 'replace' },
    );
    expect(state.selection).toEqual({ kind: 'grids', gridIds: [1] });
    state = run(state, { type: 'grids/clickUnit', unitId: 7, gridId: 2, mode: 'toggle' });
    expect(state.selection).toEqual({ kind: 'grids', gridIds: [1, 2] });
    expect(run(state, { type: 'grids/clickUnit', unitId: 9, gridId: null, mode: 'replace' })).toBe(state);
    const drawn = unitFeatures(state)!.features.filter((f) => f.properties!.inSelectedGrid);
    expect(drawn.map((f) => f.properties!.unitId)).toEqual([3, 5, 6, 7, 8]);
  });

  it('applies an accepted move: both grids’ figures, the unit’s grid in the loaded units, undo, and the county', () => {
    let state = run(
      opened(),
      { type: 'grids/clickUnit', unitId: 3, gridId: 1, mode: 'replace' },
      { type: 'grids/setTool', tool: 'moveTo' },
    );
    const townships = [township(T, { within10: 0, unassignedUnits: 1 })];
    const moved = result({
      grids: [grid(0, '网格1', 100), grid(1, '网格2', 110)],
      units: [[3, 0]],
      townships,
      warnings: [{ kind: 'deviation', grid: 1, zh: '网格2 偏差 +10%', en: 'grid 2 is 10 % over' }],
    });
    const before = state.fetched.units.data!;
    state = run(
      state,
      { type: 'grids/busy', write: 'edit', action: 'move', startedAtMs: 1 },
      { type: 'grids/edited', planId: 5, result: moved },
    );
    const plan = currentPlan(state)!;
    expect(plan.revision).toBe(4);
    expect(plan.grids.map((g) => [g.id, g.households])).toEqual([
      [0, 100],
      [1, 110],
      [2, 150],
      [3, 200],
    ]);
    expect(plan.undo).toEqual(moved.undo);
    expect(plan.townships[0]!.within10).toBe(0);
    expect(plan.summary.within10).toBeCloseTo(1 / 4, 12);
    expect(gridOf(state, 3)).toBe(0);
    // Only the moved unit is a new object; geometry is shared.
    const after = state.fetched.units.data!;
    expect(after.features[2]!.geometry).toBe(before.features[2]!.geometry);
    expect(after.features[0]).toBe(before.features[0]);
    expect(state.unitIndex?.key).toBe(UNITS_KEY);
    // Still chosen, out of "move to", outlines and the list asked for again, the warning shown.
    expect(state.selection).toEqual({ kind: 'units', unitIds: [3] });
    expect(state.tool).toBe('units');
    expect(state.busy).toBeNull();
    expect(state.fetched.shapes.key).toBeNull();
    expect(state.fetched.plans.key).toBeNull();
    expect(state.notice).toEqual({
      kind: 'edited',
      action: 'move',
      summary: moved.summary,
      warnings: moved.warnings,
      gridIds: [0, 1],
    });
    // The labels follow the new figures at once.
    const labels = labelFeatures(state, { households: (n) => `${n} 户`, locked: '［锁］' })!.features;
    expect(labels.map((f) => [f.properties!.gridId, f.properties!.households])).toEqual([
      [0, 100],
      [1, 110],
      [2, 150],
    ]);
    expect(labels[0]!.properties!.label).toBe('网格1\n100 户');
  });

  it('chooses the grids a split or merge made, and drops removed grids from the selection', () => {
    const chosen = run(opened(), { type: 'grids/selectGrids', gridIds: [1, 2], mode: 'replace' });
    const merged = run(chosen, {
      type: 'grids/edited',
      planId: 5,
      result: result({
        action: 'merge',
        grids: [grid(1, '网格2', 290, { unitCount: 5 })],
        removedGrids: [2],
        units: [
          [7, 1],
          [8, 1],
        ],
      }),
    });
    expect(currentPlan(merged)!.grids.map((g) => g.id)).toEqual([0, 1, 3]);
    expect(merged.selection).toEqual({ kind: 'grids', gridIds: [1] });
    expect(gridOf(merged, 7)).toBe(1);
    const unlocked = run(chosen, {
      type: 'grids/edited',
      planId: 5,
      result: result({ action: 'undo', grids: [grid(0, '网格1', 70)], removedGrids: [2] }),
    });
    expect(unlocked.selection).toEqual({ kind: 'grids', gridIds: [1] });
  });

  it('opens the township an undo changed when it is another one', () => {
    const state = run(opened(), { type: 'grids/clickUnit', unitId: 3, gridId: 1, mode: 'replace' });
    const undone = run(state, {
      type: 'grids/edited',
      planId: 5,
      result: result({ action: 'undo', grids: [grid(3, '网格4', 190, { townshipCode: U })] }),
    });
    expect(undone.townshipCode).toBe(U);
    expect(undone.selection).toEqual({ kind: 'none' });
    expect(gridQueries(undone).units).toBe(`/api/grids/plans/5/units.geojson?township=${U}`);
  });

  it('replaces the plan with the server’s on a stale edit, reloads the map and keeps the selection', () => {
    const state = run(opened(), { type: 'grids/selectUnits', unitIds: [3, 6], mode: 'replace' });
    const current = deepFreeze({
      ...PLAN,
      revision: 9,
      grids: PLAN.grids.map((g) => (g.id === 1 ? { ...g, households: 120 } : g)),
    });
    const stale = run(
      state,
      { type: 'grids/busy', write: 'edit', action: 'move', startedAtMs: 1 },
      { type: 'grids/stale', planId: 5, message: '方案已被他人修改', plan: current },
    );
    expect(currentPlan(stale)).toBe(current);
    expect(stale.selection).toEqual({ kind: 'units', unitIds: [3, 6] });
    expect(stale.fetched.units.key).toBeNull();
    expect(stale.fetched.shapes.key).toBeNull();
    // The units on screen stay until the new ones come (same township: same index).
    expect(currentUnits(stale)).toBe(UNITS);
    expect(stale.notice).toEqual({ kind: 'stale', message: '方案已被他人修改' });
    expect(stale.busy).toBeNull();
    const reloaded = run(
      stale,
      { type: 'grids/requested', resource: 'units', key: UNITS_KEY },
      { type: 'grids/loaded', resource: 'units', key: UNITS_KEY, data: applyEditToUnits(UNITS, [[3, 0]]) },
    );
    expect(reloaded.unitIndex).toBe(stale.unitIndex);
    expect(gridOf(reloaded, 3)).toBe(0);
  });

  it('forgets the last plan’s answers and choices when another is opened, and opens a created plan', () => {
    const state = run(opened(), { type: 'grids/clickUnit', unitId: 3, gridId: 1, mode: 'replace' });
    const other = run(state, { type: 'grids/selectPlan', planId: 6 });
    expect(other.townshipCode).toBe(T);
    expect(other.selection).toEqual({ kind: 'none' });
    expect(currentPlan(other)).toBeNull();
    expect(currentUnits(other)).toBeNull();
    expect(other.fetched.plans.data).toBe(LIST);
    expect(gridQueries(other).units).toBe(`/api/grids/plans/6/units.geojson?township=${T}`);

    const made = deepFreeze({ ...PLAN, id: 7, name: '新方案', status: 'draft' as const, revision: 0 });
    const created = run(
      state,
      { type: 'grids/setCreating', open: true },
      { type: 'grids/busy', write: 'create', action: null, startedAtMs: 1 },
      { type: 'grids/created', plan: made },
    );
    expect(created.planId).toBe(7);
    expect(currentPlan(created)).toBe(made);
    expect(created.creating).toBe(false);
    expect(created.fetched.plans.key).toBeNull();
    expect(gridQueries(created).plan).toBe(created.fetched.plan.key);
    expect(created.notice).toEqual({ kind: 'saved', write: 'create' });
  });

  it('opens the newest plan when the county has no active one, and keeps a refused change’s message', () => {
    const drafts = LIST.map((p) => ({ ...p, status: 'draft' as const }));
    const state = run(
      initialGridsState(),
      { type: 'grids/requested', resource: 'plans', key: '/api/grids/plans' },
      { type: 'grids/loaded', resource: 'plans', key: '/api/grids/plans', data: drafts },
    );
    expect(state.planId).toBe(6);
    const failed = run(
      state,
      { type: 'grids/busy', write: 'edit', action: 'split', startedAtMs: 1 },
      { type: 'grids/writeFailed', write: 'edit', message: '不能拆分' },
    );
    expect(failed.busy).toBeNull();
    expect(failed.notice).toEqual({ kind: 'error', write: 'edit', message: '不能拆分' });
  });
});
