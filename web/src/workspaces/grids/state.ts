import type {
  EditResult,
  EditWarning,
  PlanComparison,
  PlanDetail,
  PlanListItem,
  RevisionInfo,
} from '../../../../contracts/grids.js';
import { idleFetched as idle, requestedFetched, type Fetched } from '../../keyed-fetch.js';
import {
  applyEditToPlan,
  applyEditToUnits,
  buildUnitIndex,
  type GridCollection,
  type GridSort,
  type UnitCollection,
  type UnitIndex,
} from './model.js';

// The server's answers, for the rest of the workspace to import from one place.
export type * from '../../../../contracts/grids.js';
export type { Fetched, GridCollection, GridSort, UnitCollection, UnitIndex };

/** What each fetched resource answers. */
export interface GridData {
  plans: PlanListItem[];
  plan: PlanDetail;
  units: UnitCollection;
  shapes: GridCollection;
  revisions: RevisionInfo[];
  comparison: PlanComparison;
}
/** A resource the workspace fetches. */
export type GridResource = keyof GridData;
/** Every resource, in the order the controller asks for them. */
export const GRID_RESOURCES: readonly GridResource[] = ['plans', 'plan', 'units', 'shapes', 'revisions', 'comparison'];

/** The lower part of the panel: the township's grids, the plan's history, two plans compared. */
export const GRID_TABS = ['grids', 'history', 'compare'] as const;
export type GridTab = (typeof GRID_TABS)[number];

/**
 * What a click on the map does: choose units, choose grids, draw a lasso around units, or
 * (after "move to… on the map") give the selected units to the grid clicked.
 */
export type GridTool = 'units' | 'grids' | 'lasso' | 'moveTo';

/** What is chosen: some units of the township, some of its grids, or nothing. */
export type GridSelection =
  { kind: 'none' } | { kind: 'units'; unitIds: readonly number[] } | { kind: 'grids'; gridIds: readonly number[] };

/** Changes the planner sends to the server (one at a time). */
export type GridWrite = 'create' | 'rename' | 'status' | 'edit';

/** Something the server is doing for the planner, since when (the panel counts the seconds). */
export type GridBusy = { write: GridWrite; action: EditResult['action'] | null; startedAtMs: number };

/** The outcome of the last change (shown until the next). */
export type GridNotice =
  | {
      kind: 'edited';
      action: EditResult['action'];
      summary: string;
      warnings: EditWarning[];
      /** The grids the edit changed or made (their labels are placed first on the map). */
      gridIds: number[];
    }
  | { kind: 'saved'; write: Exclude<GridWrite, 'edit'> }
  | { kind: 'stale'; message: string }
  | { kind: 'error'; write: GridWrite; message: string };

/** The planners' grid workspace: what they chose, what they do, and what the server answered. */
export interface GridsState {
  planId: number | null;
  /** Township open on the map (its units loaded), or null for the county's grid outlines. */
  townshipCode: string | null;
  selection: GridSelection;
  tool: GridTool;
  tab: GridTab;
  sort: GridSort;
  /** The plan the one shown is compared with (null: the default of `compareWith`). */
  compareWith: number | null;
  creating: boolean;
  renaming: boolean;
  busy: GridBusy | null;
  notice: GridNotice | null;
  /** Centroids and neighbours of the units loaded (worked out when they arrive). */
  unitIndex: UnitIndex | null;
  /** The township's printable page with a picture of the map, while printing. */
  print: { townshipCode: string; imageUrl: string } | null;
  /** The county import form (below the planning panel) is open. */
  importOpen: boolean;
  fetched: { [R in GridResource]: Fetched<GridData[R]> };
}

type Loaded = {
  [R in GridResource]: { type: 'grids/loaded'; resource: R; key: string; data: GridData[R] };
}[GridResource];

/** How a click or a lasso changes the selection: replace it, or add/remove (Ctrl, Shift, ⌘). */
export type SelectMode = 'replace' | 'toggle';

/** What can happen in the grid workspace. */
export type GridAction =
  | { type: 'grids/selectPlan'; planId: number | null }
  | { type: 'grids/selectTownship'; townshipCode: string | null }
  | { type: 'grids/setTool'; tool: GridTool }
  | { type: 'grids/setTab'; tab: GridTab }
  | { type: 'grids/setSort'; sort: GridSort }
  | { type: 'grids/setCompareWith'; planId: number | null }
  /** A unit clicked on the map (its grid as drawn): a unit or its grid is chosen, by the tool. */
  | { type: 'grids/clickUnit'; unitId: number; gridId: number | null; mode: SelectMode }
  | { type: 'grids/selectUnits'; unitIds: number[]; mode: SelectMode }
  | { type: 'grids/selectGrids'; gridIds: number[]; mode: SelectMode }
  /** Esc: out of "move to" first, else nothing chosen. */
  | { type: 'grids/escape' }
  | { type: 'grids/setCreating'; open: boolean }
  | { type: 'grids/setRenaming'; open: boolean }
  | { type: 'grids/toggleImport' }
  | { type: 'grids/busy'; write: GridWrite; action: EditResult['action'] | null; startedAtMs: number }
  /** A new plan (made or copied): it is opened. */
  | { type: 'grids/created'; plan: PlanDetail }
  /** A plan renamed or its status changed. */
  | { type: 'grids/patched'; write: 'rename' | 'status'; plan: PlanDetail }
  | { type: 'grids/edited'; planId: number; result: EditResult }
  /** An edit was based on an old revision: the server's current plan replaces ours. */
  | { type: 'grids/stale'; planId: number; message: string; plan: PlanDetail }
  | { type: 'grids/writeFailed'; write: GridWrite; message: string }
  | { type: 'grids/clearNotice' }
  | { type: 'grids/printReady'; townshipCode: string; imageUrl: string }
  | { type: 'grids/printDone' }
  /** A request went out (key null: the resource is not wanted any more). */
  | { type: 'grids/requested'; resource: GridResource; key: string | null }
  | Loaded
  | { type: 'grids/failed'; resource: GridResource; key: string; message: string }
  /** The server's copy changed: ask again (the last answer stays on screen meanwhile). */
  | { type: 'grids/invalidate'; resources: GridResource[] }
  /** The county changed (an import): everything again, from the list. */
  | { type: 'grids/reset' };

function idleFetched(): GridsState['fetched'] {
  return { plans: idle(), plan: idle(), units: idle(), shapes: idle(), revisions: idle(), comparison: idle() };
}

const NOTHING: GridSelection = Object.freeze({ kind: 'none' });

/** The workspace before anything is loaded. */
export function initialGridsState(): GridsState {
  return {
    planId: null,
    townshipCode: null,
    selection: NOTHING,
    tool: 'units',
    tab: 'grids',
    sort: 'name',
    compareWith: null,
    creating: false,
    renaming: false,
    busy: null,
    notice: null,
    unitIndex: null,
    print: null,
    importOpen: false,
    fetched: idleFetched(),
  };
}

// ---- Queries --------------------------------------------------------------------------------

/** The plan compared with the one shown: the chosen one, else the active one, else the newest other. */
export function compareWith(state: GridsState): number | null {
  const plans = state.fetched.plans.data ?? [];
  const others = plans.filter((p) => p.id !== state.planId);
  if (state.compareWith !== null && others.some((p) => p.id === state.compareWith)) return state.compareWith;
  return (others.find((p) => p.status === 'active') ?? others[0])?.id ?? null;
}

/**
 * The URL each resource should answer for the current choices (null: not wanted now). The
 * controller fetches a resource when this differs from the key it asked for last.
 */
export function gridQueries(state: GridsState): Record<GridResource, string | null> {
  const base = state.planId === null ? null : `/api/grids/plans/${state.planId}`;
  const township = state.townshipCode === null ? null : encodeURIComponent(state.townshipCode);
  const other = compareWith(state);
  return {
    plans: '/api/grids/plans',
    plan: base,
    units: base && township ? `${base}/units.geojson?township=${township}` : null,
    // Without a township, the county's grid outlines.
    shapes: base && (township ? `${base}/grids.geojson?township=${township}` : `${base}/grids.geojson`),
    revisions: base && state.tab === 'history' ? `${base}/revisions` : null,
    comparison:
      base && state.tab === 'compare' && other !== null
        ? `/api/grids/plans/compare?a=${other}&b=${state.planId}`
        : null,
  };
}

/** The downloads of a plan. */
export function exportUrls(planId: number): { geojson: string; csv: string; xlsx: string; households: string } {
  const base = `/api/grids/plans/${planId}`;
  return {
    geojson: `${base}/export.geojson`,
    csv: `${base}/export.csv`,
    xlsx: `${base}/export.xlsx`,
    households: `${base}/households.csv`,
  };
}

/** The plan on screen when it is the one chosen. */
export function currentPlan(state: GridsState): PlanDetail | null {
  const plan = state.fetched.plan.data;
  return plan && plan.id === state.planId ? plan : null;
}

/** The units on screen when they are the chosen plan's and township's. */
export function currentUnits(state: GridsState): UnitCollection | null {
  const units = state.fetched.units;
  const wanted = gridQueries(state).units;
  return wanted !== null && units.dataKey === wanted ? units.data : null;
}

/** The grid shapes on screen when they are the chosen plan's and township's (or county's). */
export function currentShapes(state: GridsState): GridCollection | null {
  const shapes = state.fetched.shapes;
  const wanted = gridQueries(state).shapes;
  return wanted !== null && shapes.dataKey === wanted ? shapes.data : null;
}

/** The comparison on screen when it compares the plans chosen now. */
export function currentComparison(state: GridsState): PlanComparison | null {
  const comparison = state.fetched.comparison;
  const wanted = gridQueries(state).comparison;
  return wanted !== null && comparison.dataKey === wanted ? comparison.data : null;
}

/** The unit index when it belongs to the units on screen. */
export function currentUnitIndex(state: GridsState): UnitIndex | null {
  const index = state.unitIndex;
  return index && index.key === state.fetched.units.dataKey && currentUnits(state) ? index : null;
}

/** Unit ids chosen (none when grids are). */
export function selectedUnits(state: GridsState): readonly number[] {
  return state.selection.kind === 'units' ? state.selection.unitIds : [];
}

/** Grid ids chosen (none when units are). */
export function selectedGrids(state: GridsState): readonly number[] {
  return state.selection.kind === 'grids' ? state.selection.gridIds : [];
}

// ---- Transitions ----------------------------------------------------------------------------

function withFetched<R extends GridResource>(state: GridsState, resource: R, next: Fetched<GridData[R]>): GridsState {
  return { ...state, fetched: { ...state.fetched, [resource]: next } };
}

/** Forget the answers the next question will replace: keeps their data, drops their key. */
function invalidate(state: GridsState, resources: readonly GridResource[]): GridsState {
  const fetched = { ...state.fetched };
  for (const r of resources) (fetched as Record<string, Fetched<unknown>>)[r] = { ...fetched[r], key: null };
  return { ...state, fetched };
}

/** The plan to open first: the county's active one, else the newest (the list is newest first). */
function defaultPlan(plans: readonly PlanListItem[]): number | null {
  return (plans.find((p) => p.status === 'active') ?? plans[0])?.id ?? null;
}

/** Add or remove ids (toggle), or take them instead (replace); ascending, no repeats. */
function choose(current: readonly number[], ids: readonly number[], mode: SelectMode): number[] {
  if (mode === 'replace') return [...new Set(ids)].sort((a, b) => a - b);
  const next = new Set(current);
  // A lasso with Ctrl adds what it caught unless all of it was chosen already (then it removes it).
  const allIn = ids.length > 0 && ids.every((id) => next.has(id));
  for (const id of ids) {
    if (ids.length === 1 || allIn) {
      if (next.has(id)) next.delete(id);
      else next.add(id);
    } else next.add(id);
  }
  return [...next].sort((a, b) => a - b);
}

function selectUnits(state: GridsState, ids: readonly number[], mode: SelectMode): GridsState {
  const current = state.selection.kind === 'units' ? state.selection.unitIds : [];
  const unitIds = choose(current, ids, mode);
  const selection: GridSelection = unitIds.length === 0 ? NOTHING : { kind: 'units', unitIds };
  return { ...state, selection };
}

function selectGrids(state: GridsState, ids: readonly number[], mode: SelectMode): GridsState {
  const current = state.selection.kind === 'grids' ? state.selection.gridIds : [];
  const gridIds = choose(current, ids, mode);
  const selection: GridSelection = gridIds.length === 0 ? NOTHING : { kind: 'grids', gridIds };
  return { ...state, selection };
}

/** Grids chosen that the plan no longer has are dropped from the selection. */
function pruneSelection(selection: GridSelection, plan: PlanDetail): GridSelection {
  if (selection.kind !== 'grids') return selection;
  const present = new Set(plan.grids.map((g) => g.id));
  const gridIds = selection.gridIds.filter((id) => present.has(id));
  if (gridIds.length === selection.gridIds.length) return selection;
  return gridIds.length === 0 ? NOTHING : { kind: 'grids', gridIds };
}

/** A plan opened: its township stays open, what was chosen in the last one is forgotten. */
function openPlan(state: GridsState, planId: number | null): GridsState {
  return {
    ...state,
    planId,
    selection: NOTHING,
    tool: state.tool === 'moveTo' ? 'units' : state.tool,
    renaming: false,
    notice: null,
    print: null,
    compareWith: state.compareWith === planId ? null : state.compareWith,
    fetched: {
      ...idleFetched(),
      plans: state.fetched.plans,
      // Another plan's answers are dropped; the county's list is kept.
      comparison: idle(),
    },
  };
}

/** Where an undo or redo sends the planner: the township all the grids it changed are in, if another. */
function townshipOfChange(state: GridsState, plan: PlanDetail, result: EditResult): string | null {
  if (result.action !== 'undo' && result.action !== 'redo') return state.townshipCode;
  const codes = new Set(result.grids.map((g) => g.townshipCode));
  if (codes.size !== 1) return state.townshipCode;
  const [code] = codes;
  return code !== undefined && plan.townships.some((t) => t.code === code) ? code : state.townshipCode;
}

/** An accepted edit: the plan, the units drawn and the selection follow its answer. */
function edited(state: GridsState, result: EditResult): GridsState {
  const plan = currentPlan(state);
  if (!plan) return state;
  const nextPlan = applyEditToPlan(plan, result);
  let next: GridsState = withFetched(state, 'plan', { ...state.fetched.plan, data: nextPlan });
  const units = state.fetched.units;
  if (units.data) next = withFetched(next, 'units', { ...units, data: applyEditToUnits(units.data, result.units) });
  // Outlines, history and comparison are the server's to redraw; the list shows the new revision.
  next = invalidate(next, ['shapes', 'revisions', 'comparison', 'plans']);
  let selection = pruneSelection(state.selection, nextPlan);
  if (result.action === 'split' || result.action === 'merge') {
    const made = result.grids.map((g) => g.id).sort((a, b) => a - b);
    selection = made.length === 0 ? NOTHING : { kind: 'grids', gridIds: made };
  } else if (result.action === 'repartition' || result.action === 'complete') {
    selection = NOTHING;
  }
  const townshipCode = townshipOfChange(state, nextPlan, result);
  if (townshipCode !== state.townshipCode) selection = NOTHING;
  return {
    ...next,
    townshipCode,
    selection,
    tool: state.tool === 'moveTo' ? 'units' : state.tool,
    busy: null,
    notice: {
      kind: 'edited',
      action: result.action,
      summary: result.summary,
      warnings: result.warnings,
      gridIds: result.grids.map((g) => g.id),
    },
  };
}

/** Pure transitions of the grid workspace. */
export function updateGrids(state: GridsState, action: GridAction): GridsState {
  switch (action.type) {
    case 'grids/selectPlan':
      return state.planId === action.planId ? state : openPlan(state, action.planId);
    case 'grids/selectTownship':
      if (state.townshipCode === action.townshipCode) return state;
      return {
        ...state,
        townshipCode: action.townshipCode,
        selection: NOTHING,
        tool: state.tool === 'moveTo' ? 'units' : state.tool,
        print: null,
      };
    case 'grids/setTool': {
      if (state.tool === action.tool) return state;
      // "Move to" needs units chosen; choosing grids or units keeps what is chosen.
      if (action.tool === 'moveTo' && state.selection.kind !== 'units') return state;
      return { ...state, tool: action.tool };
    }
    case 'grids/setTab':
      return state.tab === action.tab ? state : { ...state, tab: action.tab };
    case 'grids/setSort':
      return state.sort === action.sort ? state : { ...state, sort: action.sort };
    case 'grids/setCompareWith':
      return state.compareWith === action.planId ? state : { ...state, compareWith: action.planId };
    case 'grids/clickUnit':
      if (state.tool === 'grids') {
        return action.gridId === null ? state : selectGrids(state, [action.gridId], action.mode);
      }
      return selectUnits(state, [action.unitId], action.mode);
    case 'grids/selectUnits':
      return selectUnits(state, action.unitIds, action.mode);
    case 'grids/selectGrids':
      return selectGrids(state, action.gridIds, action.mode);
    case 'grids/escape':
      if (state.tool === 'moveTo') return { ...state, tool: 'units' };
      return state.selection.kind === 'none' ? state : { ...state, selection: NOTHING };
    case 'grids/setCreating':
      return state.creating === action.open ? state : { ...state, creating: action.open, renaming: false };
    case 'grids/setRenaming':
      return state.renaming === action.open ? state : { ...state, renaming: action.open, creating: false };
    case 'grids/toggleImport':
      return { ...state, importOpen: !state.importOpen };
    case 'grids/busy':
      return { ...state, busy: { write: action.write, action: action.action, startedAtMs: action.startedAtMs } };
    case 'grids/created': {
      const list = state.fetched.plans;
      const next = openPlan({ ...state, creating: false }, action.plan.id);
      const key = gridQueries(next).plan!;
      return invalidate(
        {
          ...next,
          busy: null,
          notice: { kind: 'saved', write: 'create' },
          fetched: {
            ...next.fetched,
            plans: list,
            plan: { key, status: 'ready', data: action.plan, dataKey: key, message: null },
          },
        },
        ['plans'],
      );
    }
    case 'grids/patched': {
      const plan = currentPlan(state);
      if (!plan || plan.id !== action.plan.id) return invalidate({ ...state, busy: null }, ['plans']);
      return invalidate(
        {
          ...withFetched(state, 'plan', { ...state.fetched.plan, data: action.plan }),
          busy: null,
          renaming: action.write === 'rename' ? false : state.renaming,
          notice: { kind: 'saved', write: action.write },
        },
        ['plans'],
      );
    }
    case 'grids/edited':
      if (action.planId !== state.planId) return { ...state, busy: null };
      return edited(state, action.result);
    case 'grids/stale': {
      if (action.planId !== state.planId) return { ...state, busy: null };
      const next = withFetched(state, 'plan', { ...state.fetched.plan, data: action.plan });
      // The map is drawn again from the server; the units and grids chosen stay chosen.
      return invalidate(
        {
          ...next,
          selection: pruneSelection(state.selection, action.plan),
          busy: null,
          notice: { kind: 'stale', message: action.message },
        },
        ['units', 'shapes', 'revisions', 'comparison', 'plans'],
      );
    }
    case 'grids/writeFailed':
      return { ...state, busy: null, notice: { kind: 'error', write: action.write, message: action.message } };
    case 'grids/clearNotice':
      return state.notice === null ? state : { ...state, notice: null };
    case 'grids/printReady':
      return { ...state, print: { townshipCode: action.townshipCode, imageUrl: action.imageUrl } };
    case 'grids/printDone':
      return state.print === null ? state : { ...state, print: null };
    case 'grids/requested': {
      const current = state.fetched[action.resource];
      const next = requestedFetched<unknown>(current, action.key);
      return next === current ? state : withFetched(state, action.resource, next as typeof current);
    }
    case 'grids/loaded':
      return loaded(state, action);
    case 'grids/failed': {
      if (state.fetched[action.resource].key !== action.key) return state;
      return withFetched(state, action.resource, {
        ...state.fetched[action.resource],
        status: 'error',
        message: action.message,
      });
    }
    case 'grids/invalidate':
      return invalidate(state, action.resources);
    case 'grids/reset':
      return { ...initialGridsState(), tab: state.tab, sort: state.sort };
  }
}

/** An answer arrives: kept when it answers the question asked last, and what depends on it follows. */
function loaded(state: GridsState, action: Loaded): GridsState {
  // An answer to a question no longer asked (another plan, another township): dropped.
  if (state.fetched[action.resource].key !== action.key) return state;
  const ready = { key: action.key, status: 'ready', data: action.data, dataKey: action.key, message: null } as const;
  const next = withFetched(state, action.resource, ready as never);
  switch (action.resource) {
    case 'plans': {
      const plans = action.data;
      if (state.planId !== null && plans.some((p) => p.id === state.planId)) return next;
      return openPlan(next, defaultPlan(plans));
    }
    case 'plan': {
      const plan = action.data;
      // A township the plan does not have (another county) is closed.
      const townshipCode =
        state.townshipCode !== null && plan.townships.some((t) => t.code === state.townshipCode)
          ? state.townshipCode
          : null;
      return { ...next, townshipCode, selection: pruneSelection(next.selection, plan) };
    }
    case 'units': {
      // The same township loaded again (after a stale edit) keeps its index: the shapes are the same.
      const index = state.unitIndex?.key === action.key ? state.unitIndex : buildUnitIndex(action.key, action.data);
      const present = new Set(action.data.features.map((f) => f.properties.unitId));
      const selection: GridSelection =
        state.selection.kind === 'units' && state.selection.unitIds.some((id) => !present.has(id))
          ? unitsOrNothing(state.selection.unitIds.filter((id) => present.has(id)))
          : state.selection;
      return { ...next, unitIndex: index, selection };
    }
    default:
      return next;
  }
}

function unitsOrNothing(unitIds: number[]): GridSelection {
  return unitIds.length === 0 ? NOTHING : { kind: 'units', unitIds };
}
