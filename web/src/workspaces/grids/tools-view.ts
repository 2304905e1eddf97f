import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
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
import { button, errorLine, numberText, seedInput, seedOf, type GridView } from './common.js';
import { segmentedView } from './view-parts.js';

const PICK_TOOLS: readonly Exclude<GridTool, 'moveTo'>[] = ['units', 'grids', 'lasso'];

/**
 * The township's tools: how the map is clicked (units, grids, lasso), what is chosen with what
 * can be done to it (move units to a grid; split, merge, lock grids), and the township's own
 * re-partition and completion.
 */
export function toolsView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const tool = state.tool === 'moveTo' ? 'units' : state.tool;
  const units = currentUnits(state);
  return html`<div class="grid-tools" data-testid="grid-tools">
    <div class="row">
      <span class="label">${t('grids.tool.label')}</span>${segmentedView(
        'grid-tool',
        PICK_TOOLS.map((value) => ({ value, label: t(`grids.tool.${value}`) })),
        tool,
        (value) => dispatch({ type: 'grids/setTool', tool: value }),
      )}
    </div>
    <p class="small muted">${t(`grids.tool.${tool}.hint`)}</p>
    ${errorLine(view, 'units', state.fetched.units)} ${errorLine(view, 'shapes', state.fetched.shapes)}
    ${
      !units
        ? html`<p class="muted" data-testid="grid-units-loading">${t('grids.units.loading')}</p>`
        : html`${
            state.selection.kind === 'units'
              ? unitActions(view, plan)
              : state.selection.kind === 'grids'
                ? gridActions(view, plan)
                : html`<p class="small" data-testid="grid-selection-none">${t('grids.selection.none')}</p>`
          }
          ${townshipActions(view, plan)}`
    }
  </div>`;
}

function gridNames(plan: PlanDetail): (id: number | null) => string {
  const names = new Map(plan.grids.map((g) => [g.id, g.name]));
  return (id) => (id === null ? '—' : (names.get(id) ?? `#${id}`));
}

function targetOption(view: GridView, grid: GridInfo): TemplateResult {
  return html`<option value=${String(grid.id)}>
    ${view.t('grids.move.option', { name: grid.name, households: numberText(view, grid.households) })}
  </option>`;
}

/** Units chosen: their households and grids, and where they may go. */
function unitActions(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands, dispatch } = view;
  const units = currentUnits(state)!;
  const index = currentUnitIndex(state);
  const chosen = selectedUnits(state);
  const figures = unitSelectionFigures(units, chosen);
  const name = gridNames(plan);
  const grids = plan.grids.filter((g) => g.townshipCode === state.townshipCode);
  const targets = moveTargets(grids, units, index?.neighbours ?? {}, chosen);
  const busy = state.busy !== null;
  // The targets keyed by grid: the grid chosen stays chosen while the selection (and the list) changes.
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const target = ((event.currentTarget as HTMLFormElement).elements.namedItem('toGrid') as HTMLSelectElement).value;
    commands?.moveSelection(target === 'none' ? null : Number(target));
  };
  const onMap = state.tool === 'moveTo';
  return html`<div class="card selection" data-testid="grid-unit-selection">
    <p data-testid="grid-selection-figures">
      ${t('grids.selection.units', {
        units: numberText(view, figures.units),
        households: numberText(view, figures.households),
        grids: figures.gridIds.map((id) => (id === null ? t('grids.noGrid') : name(id))).join('、'),
      })}
    </p>
    <form class="row move-form" data-testid="grid-move" @submit=${submit}>
      <label
        >${t('grids.move.to')}<select name="toGrid" data-testid="grid-move-target">
          ${
            targets.neighbours.length > 0
              ? html`<optgroup label=${t('grids.move.neighbours')}>
                  ${repeat(
                    targets.neighbours,
                    (g) => g.id,
                    (g) => targetOption(view, g),
                  )}
                </optgroup>`
              : nothing
          }
          ${
            targets.others.length > 0
              ? html`<optgroup label=${t('grids.move.others')}>
                  ${repeat(
                    targets.others,
                    (g) => g.id,
                    (g) => targetOption(view, g),
                  )}
                </optgroup>`
              : nothing
          }
          <option value="none">${t('grids.move.noGrid')}</option>
        </select></label
      >
      <button type="submit" class="primary" ?disabled=${busy} data-testid="grid-move-submit">
        ${t('grids.move.submit')}
      </button>
    </form>
    <div class="row">
      ${button(
        onMap ? t('grids.move.onMapCancel') : t('grids.move.onMap'),
        { pressed: onMap, testId: 'grid-move-on-map', disabled: busy },
        () => dispatch({ type: 'grids/setTool', tool: onMap ? 'units' : 'moveTo' }),
      )}
      ${button(t('grids.selection.clear'), { className: 'link', testId: 'grid-selection-clear' }, () =>
        dispatch({ type: 'grids/escape' }),
      )}
    </div>
    ${onMap ? html`<p class="small mode" data-testid="grid-move-mode">${t('grids.move.onMapHint')}</p>` : nothing}
  </div>`;
}

/** Grids chosen: split one, merge two, lock or unlock. */
function gridActions(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands, dispatch } = view;
  const ids = selectedGrids(state);
  const grids = ids.map((id) => plan.grids.find((g) => g.id === id)).filter((g): g is GridInfo => g !== undefined);
  const busy = state.busy !== null;
  const allLocked = grids.length > 0 && grids.every((g) => g.locked);
  const households = grids.reduce((n, g) => n + g.households, 0);
  return html`<div class="card selection" data-testid="grid-grid-selection">
    <p>
      ${t('grids.selection.grids', {
        grids: grids.map((g) => g.name).join('、'),
        households: numberText(view, households),
      })}
    </p>
    <div class="row">
      ${button(
        t('grids.split'),
        { testId: 'grid-split', disabled: busy || grids.length !== 1, title: t('grids.split.title') },
        () => commands?.edit({ action: 'split', grid: grids[0]!.id }),
      )}
      ${button(
        t('grids.merge'),
        { testId: 'grid-merge', disabled: busy || grids.length !== 2, title: t('grids.merge.title') },
        () => commands?.edit({ action: 'merge', grids: [grids[0]!.id, grids[1]!.id] }),
      )}
      ${button(
        allLocked ? t('grids.unlock') : t('grids.lock'),
        { testId: 'grid-lock', disabled: busy || grids.length === 0 },
        () => commands?.edit({ action: 'lock', grids: grids.map((g) => g.id), locked: !allLocked }),
      )}
      ${button(t('grids.selection.clear'), { className: 'link', testId: 'grid-selection-clear' }, () =>
        dispatch({ type: 'grids/escape' }),
      )}
    </div>
  </div>`;
}

/** Re-partition the township around its locked grids (a seed tries another start), or complete it. */
function townshipActions(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands } = view;
  const township = plan.townships.find((tw) => tw.code === state.townshipCode);
  if (!township) return html`<div></div>`;
  const busy = state.busy !== null;
  const locked = plan.grids.filter((g) => g.townshipCode === township.code && g.locked).length;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = t('grids.repartition.confirm', { name: township.name, locked: numberText(view, locked) });
    if (!window.confirm(text)) return;
    const form = event.currentTarget as HTMLFormElement;
    commands?.edit({ action: 'repartition', townshipCode: township.code, ...seedOf(form) });
  };
  return html`<div class="township-tools">
    <h3>${t('grids.township.tools')}</h3>
    <form class="row township-actions" data-testid="grid-repartition" @submit=${submit}>
      <button type="submit" ?disabled=${busy} data-testid="grid-repartition-submit">${t('grids.repartition')}</button
      >${seedInput(t('grids.repartition.seed'))}${button(
        t('grids.complete'),
        {
          testId: 'grid-complete',
          disabled: busy || township.unassignedUnits === 0,
          title: t('grids.complete.title', { n: numberText(view, township.unassignedHouseholds) }),
        },
        () => commands?.edit({ action: 'complete', townshipCode: township.code }),
      )}
    </form>
  </div>`;
}
