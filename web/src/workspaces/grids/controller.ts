import { KeyedFetcher } from '../../keyed-fetch.js';
import { apiFetch, requestJson as request } from '../../api.js';
import { translate } from '../../i18n/index.js';
import type { MapView } from '../../map/map-view.js';
import type { AppState, Store } from '../../state.js';
import { Lasso } from './lasso.js';
import {
  GRID_LAYERS,
  GRID_OVERVIEW_LAYERS,
  GRID_SOURCES,
  GRID_UNIT_LAYERS,
  GRID_Z,
  HATCH_IMAGE,
  hatchPixels,
  labelFeatures,
  lassoFeatures,
  shapeFeatures,
  unitFeatures,
  type GridSourceName,
} from './map-layers.js';
import { unitsInLasso } from './model.js';
import {
  currentPlan,
  currentUnitIndex,
  GRID_RESOURCES,
  gridQueries,
  selectedUnits,
  type EditResult,
  type GridAction,
  type GridAttributes,
  type GridResource,
  type GridsState,
  type GridWrite,
  type PlanDetail,
  type PlanEdit,
  type PlanStatus,
  type StaleEdit,
} from './state.js';

/** An edit as the panel asks for it; the controller adds the revision it is based on. */
export type EditRequest = PlanEdit extends infer E ? (E extends PlanEdit ? Omit<E, 'baseRevision'> : never) : never;

/** What the grid panel can ask for (choices that only change the view are dispatched directly). */
export interface GridCommands {
  createPlan(input: { name: string; seed?: number; copyOf?: number }): void;
  renamePlan(name: string): void;
  setStatus(status: PlanStatus): void;
  edit(edit: EditRequest): void;
  /** Give the selected units to a grid (null: to no grid). */
  moveSelection(toGrid: number | null): void;
  saveAttributes(gridId: number, attributes: GridAttributes): void;
  /** Print the one-page map and grid table of a township. */
  printTownship(townshipCode: string): void;
}

/** The answer to an edit: accepted, refused as stale (with the plan as it is now), or refused. */
type EditAnswer =
  { kind: 'ok'; result: EditResult } | { kind: 'stale'; body: StaleEdit } | { kind: 'error'; message: string };

/** Send an edit; a 409 is an answer (the current plan), not an error. */
async function sendEdit(planId: number, edit: PlanEdit): Promise<EditAnswer> {
  try {
    const response = await apiFetch(`/api/grids/plans/${planId}/edits`, {
      method: 'POST',
      body: JSON.stringify(edit),
      headers: { 'content-type': 'application/json' },
    });
    const body = (await response.json().catch(() => null)) as unknown;
    if (response.ok) return { kind: 'ok', result: body as EditResult };
    const stale = body as StaleEdit | null;
    if (response.status === 409 && stale?.error?.details?.plan) return { kind: 'stale', body: stale };
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    return { kind: 'error', message: message ?? `HTTP ${response.status}` };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

/** Whether a key press is typing into a control (shortcuts then belong to the control). */
function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * The grid workspace behind the panel: asks the server for what the choices need (a resource when
 * its query changed, cancelling the request it replaces), sends the planner's edits one at a time
 * on the revision last seen, and keeps the map's units, outlines, labels and lasso in step.
 */
export class GridController implements GridCommands {
  private readonly fetcher = new KeyedFetcher<GridResource>(GRID_RESOURCES, {
    requested: (resource, key) => this.store.dispatch({ type: 'grids/requested', resource, key }),
    loaded: (resource, key, data) => this.store.dispatch({ type: 'grids/loaded', resource, key, data } as GridAction),
    failed: (resource, key, message) => this.store.dispatch({ type: 'grids/failed', resource, key, message }),
  });
  /** The inputs each map source was last drawn from, so an unchanged layer is not sent again. */
  private readonly drawn = new Map<string, unknown[]>();
  /** The township (plan-independent) the map was last fitted to. */
  private fittedTo: string | null = null;
  private readonly lasso: Lasso;

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
  ) {
    const map = mapView.map;
    this.lasso = new Lasso(
      map,
      (ring) => mapView.setGeoJson(GRID_SOURCES.lasso, lassoFeatures(ring), GRID_LAYERS.lasso, GRID_Z.lasso),
      ({ ring, additive }) => {
        const index = currentUnitIndex(this.state);
        if (!index) return;
        this.dispatch({
          type: 'grids/selectUnits',
          unitIds: unitsInLasso(ring, index.centroids),
          mode: additive ? 'toggle' : 'replace',
        });
      },
    );
    // The hatch of units in no grid is made here, whenever a (re)loaded style asks for it (MapLibre
    // takes one resolver per map: no other workspace draws style images yet).
    map.setMissingStyleImageResolver((id) => {
      if (id === HATCH_IMAGE && !map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchPixels());
    });
    map.on('click', (event) => this.mapClicked(event.point, event.originalEvent));
    for (const id of [...GRID_UNIT_LAYERS, ...GRID_OVERVIEW_LAYERS]) {
      map.on('mouseenter', id, () => {
        if (this.state.tool !== 'lasso') map.getCanvas().style.cursor = 'pointer';
      });
      map.on('mouseleave', id, () => {
        if (this.state.tool !== 'lasso') map.getCanvas().style.cursor = '';
      });
    }
    window.addEventListener('keydown', (event) => this.keyPressed(event));
    window.addEventListener('afterprint', () => this.dispatch({ type: 'grids/printDone' }));
    store.subscribe((state, previous) => this.changed(state, previous));
    this.changed(store.current, null);
  }

  private get state(): GridsState {
    return this.store.current.grids;
  }

  private dispatch(action: GridAction): void {
    this.store.dispatch(action);
  }

  private changed(state: AppState, previous: AppState | null): void {
    const active = state.workspace === 'grids';
    this.drawMap(state, active);
    this.lasso.setActive(active && state.grids.tool === 'lasso' && state.grids.townshipCode !== null);
    if (!active) return;
    // The county is there (or nothing is being generated): 'idle' when the demo is not made here.
    const ready = state.county?.state === 'ready' || state.county?.state === 'idle';
    if (!ready) return;
    if (
      previous &&
      previous.grids === state.grids &&
      previous.workspace === state.workspace &&
      previous.county?.state === state.county?.state
    )
      return;
    // Each dispatch re-enters changed() with the newer state: the fetcher reads the store afresh.
    this.fetcher.sync(
      (resource) => gridQueries(this.state)[resource],
      (resource) => this.state.fetched[resource],
    );
  }

  private drawMap(app: AppState, active: boolean): void {
    const grids = app.grids;
    const show = (name: GridSourceName, inputs: unknown[], build: () => GeoJSON.FeatureCollection | null) => {
      const source = GRID_SOURCES[name];
      const last = this.drawn.get(source);
      if (last && last.length === inputs.length && last.every((value, i) => value === inputs[i])) return;
      this.drawn.set(source, inputs);
      this.mapView.setGeoJson(source, active ? build() : null, GRID_LAYERS[name], GRID_Z[name]);
    };
    const plan = grids.fetched.plan.data;
    const common = [active, grids.planId, grids.townshipCode, grids.selection];
    show('units', [...common, grids.fetched.units.data, grids.unitIndex, plan], () => unitFeatures(grids));
    show('shapes', [...common, grids.fetched.shapes.data, plan], () => shapeFeatures(grids));
    const format = new Intl.NumberFormat(app.locale);
    show('labels', [...common, grids.fetched.units.data, grids.unitIndex, plan, grids.notice, app.locale], () =>
      labelFeatures(grids, {
        households: (n) => translate(app.locale, 'grids.map.households', { n: format.format(n) }),
        locked: translate(app.locale, 'grids.map.locked'),
      }),
    );
    // A township opened: its units fill the view (once; edits and other plans keep the view).
    const index = currentUnitIndex(grids);
    if (!active || grids.townshipCode === null) this.fittedTo = null;
    else if (index?.bounds && this.fittedTo !== grids.townshipCode) {
      this.fittedTo = grids.townshipCode;
      this.mapView.fitBounds(index.bounds);
    }
  }

  private mapClicked(point: { x: number; y: number }, event: MouseEvent): void {
    const app = this.store.current;
    if (app.workspace !== 'grids' || this.state.tool === 'lasso') return;
    const map = this.mapView.map;
    const query = (layers: string[]) => {
      const present = layers.filter((id) => map.getLayer(id));
      return present.length === 0 ? [] : map.queryRenderedFeatures([point.x, point.y], { layers: present });
    };
    if (this.state.townshipCode === null) {
      const [shape] = query(GRID_OVERVIEW_LAYERS);
      const code = shape?.properties.townshipCode;
      if (typeof code === 'string') this.dispatch({ type: 'grids/selectTownship', townshipCode: code });
      return;
    }
    const [unit] = query(GRID_UNIT_LAYERS);
    if (!unit) return;
    const unitId = Number(unit.properties.unitId);
    const drawnGrid = Number(unit.properties.gridId);
    const gridId = drawnGrid >= 0 ? drawnGrid : null;
    if (this.state.tool === 'moveTo') {
      if (gridId !== null) this.moveSelection(gridId);
      return;
    }
    const additive = event.ctrlKey || event.metaKey || event.shiftKey;
    this.dispatch({ type: 'grids/clickUnit', unitId, gridId, mode: additive ? 'toggle' : 'replace' });
  }

  private keyPressed(event: KeyboardEvent): void {
    if (this.store.current.workspace !== 'grids' || typing(event.target)) return;
    if (event.key === 'Escape') {
      this.dispatch({ type: 'grids/escape' });
      return;
    }
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    const plan = currentPlan(this.state);
    if (key === 'z' && !event.shiftKey) {
      event.preventDefault();
      if (plan?.undo) this.edit({ action: 'undo' });
    } else if ((key === 'z' && event.shiftKey) || key === 'y') {
      event.preventDefault();
      if (plan?.redo) this.edit({ action: 'redo' });
    }
  }

  // ---- Commands --------------------------------------------------------------------------------

  private started(write: GridWrite, action: EditResult['action'] | null): void {
    this.dispatch({ type: 'grids/busy', write, action, startedAtMs: Date.now() });
  }

  createPlan(input: { name: string; seed?: number; copyOf?: number }): void {
    if (this.state.busy) return;
    this.started('create', null);
    // The panel stays usable while every township is partitioned (a few seconds).
    void request<PlanDetail>('/api/grids/plans', { method: 'POST', json: input }).then(
      (plan) => this.dispatch({ type: 'grids/created', plan }),
      (err: Error) => this.dispatch({ type: 'grids/writeFailed', write: 'create', message: err.message }),
    );
  }

  private patch(write: 'rename' | 'status', body: { name?: string; status?: PlanStatus }): void {
    const id = this.state.planId;
    if (id === null || this.state.busy) return;
    this.started(write, null);
    void request<PlanDetail>(`/api/grids/plans/${id}`, { method: 'PATCH', json: body }).then(
      (plan) => this.dispatch({ type: 'grids/patched', write, plan }),
      (err: Error) => this.dispatch({ type: 'grids/writeFailed', write, message: err.message }),
    );
  }

  renamePlan(name: string): void {
    this.patch('rename', { name });
  }

  setStatus(status: PlanStatus): void {
    this.patch('status', { status });
  }

  edit(edit: EditRequest): void {
    const plan = currentPlan(this.state);
    if (!plan || this.state.busy) return;
    this.started('edit', edit.action);
    const body = { ...edit, baseRevision: plan.revision } as PlanEdit;
    void sendEdit(plan.id, body).then((answer) => {
      if (answer.kind === 'ok') this.dispatch({ type: 'grids/edited', planId: plan.id, result: answer.result });
      else if (answer.kind === 'stale')
        this.dispatch({
          type: 'grids/stale',
          planId: plan.id,
          message: answer.body.error.message,
          plan: answer.body.error.details.plan,
        });
      else this.dispatch({ type: 'grids/writeFailed', write: 'edit', message: answer.message });
    });
  }

  moveSelection(toGrid: number | null): void {
    const unitIds = [...selectedUnits(this.state)];
    if (unitIds.length === 0) return;
    this.edit({ action: 'move', unitIds, toGrid });
  }

  saveAttributes(gridId: number, attributes: GridAttributes): void {
    this.edit({ action: 'attributes', grid: gridId, attributes });
  }

  printTownship(townshipCode: string): void {
    const map = this.mapView.map;
    this.dispatch({ type: 'grids/selectTownship', townshipCode });
    // The township's whole map, drawn to the end, is what goes on paper.
    const capture = () => {
      const index = currentUnitIndex(this.state);
      if (!index?.bounds) return;
      map.fitBounds(index.bounds, { padding: 24, duration: 0 });
      map.once('idle', () => {
        this.dispatch({ type: 'grids/printReady', townshipCode, imageUrl: map.getCanvas().toDataURL('image/png') });
        window.print();
      });
      map.triggerRepaint();
    };
    if (currentUnitIndex(this.state)) capture();
    else {
      // Its units are on their way: print once they are drawn.
      const stop = this.store.subscribe((state) => {
        if (state.grids.townshipCode !== townshipCode) stop();
        else if (currentUnitIndex(state.grids)) {
          stop();
          capture();
        }
      });
    }
  }
}
