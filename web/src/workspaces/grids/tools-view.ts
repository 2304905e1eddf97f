import { moveTargets, unitSelectionFigures } from './model.js';
import {
  currentUnitIndex,
  currentUnits,
  selectedGrids,
  selectedUnits,
  type GridInfo,
  type GridTool,
  type PlanDetail,
} from './state.js';
import { el } from '../../ui/dom.js';
import { button, errorLine, numberText, seedInput, seedOf, type GridView } from './common.js';
import { segmented } from '../../ui/segmented.js';

const PICK_TOOLS: readonly Exclude<GridTool, 'moveTo'>[] = ['units', 'grids', 'lasso'];

/**
 * The township's tools: how the map is clicked (units, grids, lasso), what is chosen with what
 * can be done to it (move units to a grid; split, merge, lock grids), and the township's own
 * re-partition and completion.
 */
export function toolsView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const root = el('div', { class: 'grid-tools', 'data-testid': 'grid-tools' });
  const tool = state.tool === 'moveTo' ? 'units' : state.tool;
  root.append(
    el(
      'div',
      { class: 'row' },
      el('span', { class: 'label' }, t('grids.tool.label')),
      segmented(
        'grid-tool',
        PICK_TOOLS.map((value) => ({ value, label: t(`grids.tool.${value}`) })),
        tool,
        (value) => dispatch({ type: 'grids/setTool', tool: value }),
      ),
    ),
    el('p', { class: 'small muted' }, t(`grids.tool.${tool}.hint`)),
  );
  for (const resource of ['units', 'shapes'] as const) {
    const error = errorLine(view, resource, state.fetched[resource]);
    if (error) root.append(error);
  }
  const units = currentUnits(state);
  if (!units) {
    root.append(el('p', { class: 'muted', 'data-testid': 'grid-units-loading' }, t('grids.units.loading')));
    return root;
  }
  if (state.selection.kind === 'units') root.append(unitActions(view, plan));
  else if (state.selection.kind === 'grids') root.append(gridActions(view, plan));
  else root.append(el('p', { class: 'small', 'data-testid': 'grid-selection-none' }, t('grids.selection.none')));
  root.append(townshipActions(view, plan));
  return root;
}

function gridNames(plan: PlanDetail): (id: number | null) => string {
  const names = new Map(plan.grids.map((g) => [g.id, g.name]));
  return (id) => (id === null ? '—' : (names.get(id) ?? `#${id}`));
}

function targetOption(view: GridView, grid: GridInfo): HTMLElement {
  return el(
    'option',
    { value: String(grid.id) },
    view.t('grids.move.option', { name: grid.name, households: numberText(view, grid.households) }),
  );
}

/** Units chosen: their households and grids, and where they may go. */
function unitActions(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const units = currentUnits(state)!;
  const index = currentUnitIndex(state);
  const chosen = selectedUnits(state);
  const figures = unitSelectionFigures(units, chosen);
  const name = gridNames(plan);
  const grids = plan.grids.filter((g) => g.townshipCode === state.townshipCode);
  const targets = moveTargets(grids, units, index?.neighbours ?? {}, chosen);
  const busy = state.busy !== null;
  const target = el(
    'select',
    { name: 'toGrid', 'data-testid': 'grid-move-target', 'data-focus-key': 'grid-move-target' },
    targets.neighbours.length > 0
      ? el('optgroup', { label: t('grids.move.neighbours') }, ...targets.neighbours.map((g) => targetOption(view, g)))
      : null,
    targets.others.length > 0
      ? el('optgroup', { label: t('grids.move.others') }, ...targets.others.map((g) => targetOption(view, g)))
      : null,
    el('option', { value: 'none' }, t('grids.move.noGrid')),
  );
  const form = el(
    'form',
    { class: 'row move-form', 'data-testid': 'grid-move' },
    el('label', {}, t('grids.move.to'), target),
    el(
      'button',
      { type: 'submit', class: 'primary', disabled: busy, 'data-testid': 'grid-move-submit' },
      t('grids.move.submit'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.moveSelection(target.value === 'none' ? null : Number(target.value));
  });
  const onMap = state.tool === 'moveTo';
  return el(
    'div',
    { class: 'card selection', 'data-testid': 'grid-unit-selection' },
    el(
      'p',
      { 'data-testid': 'grid-selection-figures' },
      t('grids.selection.units', {
        units: numberText(view, figures.units),
        households: numberText(view, figures.households),
        grids: figures.gridIds.map((id) => (id === null ? t('grids.noGrid') : name(id))).join('、'),
      }),
    ),
    form,
    el(
      'div',
      { class: 'row' },
      button(
        onMap ? t('grids.move.onMapCancel') : t('grids.move.onMap'),
        { 'aria-pressed': onMap ? 'true' : 'false', 'data-testid': 'grid-move-on-map', disabled: busy },
        () => dispatch({ type: 'grids/setTool', tool: onMap ? 'units' : 'moveTo' }),
      ),
      button(t('grids.selection.clear'), { class: 'link', 'data-testid': 'grid-selection-clear' }, () =>
        dispatch({ type: 'grids/escape' }),
      ),
    ),
    onMap ? el('p', { class: 'small mode', 'data-testid': 'grid-move-mode' }, t('grids.move.onMapHint')) : null,
  );
}

/** Grids chosen: split one, merge two, lock or unlock. */
function gridActions(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const ids = selectedGrids(state);
  const grids = ids.map((id) => plan.grids.find((g) => g.id === id)).filter((g): g is GridInfo => g !== undefined);
  const busy = state.busy !== null;
  const allLocked = grids.length > 0 && grids.every((g) => g.locked);
  const households = grids.reduce((n, g) => n + g.households, 0);
  return el(
    'div',
    { class: 'card selection', 'data-testid': 'grid-grid-selection' },
    el(
      'p',
      {},
      t('grids.selection.grids', {
        grids: grids.map((g) => g.name).join('、'),
        households: numberText(view, households),
      }),
    ),
    el(
      'div',
      { class: 'row' },
      button(
        t('grids.split'),
        { 'data-testid': 'grid-split', disabled: busy || grids.length !== 1, title: t('grids.split.title') },
        () => commands?.edit({ action: 'split', grid: grids[0]!.id }),
      ),
      button(
        t('grids.merge'),
        { 'data-testid': 'grid-merge', disabled: busy || grids.length !== 2, title: t('grids.merge.title') },
        () => commands?.edit({ action: 'merge', grids: [grids[0]!.id, grids[1]!.id] }),
      ),
      button(
        allLocked ? t('grids.unlock') : t('grids.lock'),
        { 'data-testid': 'grid-lock', disabled: busy || grids.length === 0 },
        () => commands?.edit({ action: 'lock', grids: grids.map((g) => g.id), locked: !allLocked }),
      ),
      button(t('grids.selection.clear'), { class: 'link', 'data-testid': 'grid-selection-clear' }, () =>
        dispatch({ type: 'grids/escape' }),
      ),
    ),
  );
}

/** Re-partition the township around its locked grids (a seed tries another start), or complete it. */
function townshipActions(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands } = view;
  const township = plan.townships.find((tw) => tw.code === state.townshipCode);
  if (!township) return el('div', {});
  const busy = state.busy !== null;
  const locked = plan.grids.filter((g) => g.townshipCode === township.code && g.locked).length;
  const seed = seedInput(t('grids.repartition.seed'), 'grid-repartition-seed');
  const form = el(
    'form',
    { class: 'row township-actions', 'data-testid': 'grid-repartition' },
    el('button', { type: 'submit', disabled: busy, 'data-testid': 'grid-repartition-submit' }, t('grids.repartition')),
    seed,
    button(
      t('grids.complete'),
      {
        'data-testid': 'grid-complete',
        disabled: busy || township.unassignedUnits === 0,
        title: t('grids.complete.title', { n: numberText(view, township.unassignedHouseholds) }),
      },
      () => commands?.edit({ action: 'complete', townshipCode: township.code }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = t('grids.repartition.confirm', { name: township.name, locked: numberText(view, locked) });
    if (!window.confirm(text)) return;
    commands?.edit({ action: 'repartition', townshipCode: township.code, ...seedOf(seed) });
  });
  return el('div', { class: 'township-tools' }, el('h3', {}, t('grids.township.tools')), form);
}
