import type { PlanDetail, TownshipSummary } from './state.js';
import { el } from '../../ui/dom.js';
import { minutesText, numberText, shareText, table, type GridView } from './common.js';

/**
 * The township picker: every township of the plan with its figures (grids, households, share
 * within ±10 %, non-contiguous grids, unassigned households, village splits, longest drive);
 * a click opens it on the map. Under it, why the chosen township misses its targets.
 */
export function townshipView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const root = el('div', { class: 'townships', 'data-testid': 'grid-townships' });
  const select = el(
    'select',
    { name: 'township', 'data-testid': 'grid-township-select', 'data-focus-key': 'grid-township-select' },
    el('option', { value: '' }, t('grids.township.all')),
    ...plan.townships.map((tw) => el('option', { value: tw.code, selected: tw.code === state.townshipCode }, tw.name)),
  );
  select.addEventListener('change', () =>
    dispatch({ type: 'grids/selectTownship', townshipCode: select.value || null }),
  );
  root.append(el('div', { class: 'row township-bar' }, el('label', {}, t('grids.township.label'), select)));

  const rows = plan.townships.map((tw) => townshipRow(view, tw));
  root.append(
    el(
      'div',
      { class: 'scroll short', 'data-scroll-key': 'grid-townships' },
      table(
        { class: 'clickable township-table' },
        [
          t('grids.township.name'),
          el('th', { class: 'number' }, t('grids.township.grids')),
          el('th', { class: 'number' }, t('grids.township.households')),
          el('th', { class: 'number', title: t('grids.township.within10.title') }, t('grids.township.within10')),
          el(
            'th',
            { class: 'number', title: t('grids.township.nonContiguous.title') },
            t('grids.township.nonContiguous'),
          ),
          el('th', { class: 'number', title: t('grids.township.unassigned.title') }, t('grids.township.unassigned')),
          el('th', { class: 'number', title: t('grids.township.splits.title') }, t('grids.township.splits')),
          el('th', { class: 'number', title: t('grids.township.drive.title') }, t('grids.township.drive')),
        ],
        rows,
      ),
    ),
  );
  const chosen = plan.townships.find((tw) => tw.code === state.townshipCode);
  if (chosen) root.append(explanations(view, chosen));
  return root;
}

function townshipRow(view: GridView, tw: TownshipSummary): HTMLElement {
  const { state, dispatch } = view;
  const row = el(
    'tr',
    {
      class: tw.code === state.townshipCode ? 'selected' : '',
      'data-testid': 'grid-township-row',
      'data-code': tw.code,
    },
    el('td', {}, tw.name),
    el('td', { class: 'number' }, numberText(view, tw.grids)),
    el('td', { class: 'number' }, numberText(view, tw.households)),
    el('td', { class: `number${tw.within10 < 0.95 ? ' warn-text' : ''}` }, shareText(view, tw.within10)),
    el('td', { class: `number${tw.nonContiguous > 0 ? ' bad-text' : ''}` }, numberText(view, tw.nonContiguous)),
    el(
      'td',
      { class: `number${tw.unassignedUnits > 0 ? ' bad-text' : ''}` },
      numberText(view, tw.unassignedHouseholds),
    ),
    el('td', { class: 'number' }, numberText(view, tw.villageSplits)),
    el('td', { class: 'number' }, minutesText(view, tw.maxGridDriveMinutes)),
  );
  row.addEventListener('click', () =>
    dispatch({ type: 'grids/selectTownship', townshipCode: tw.code === state.townshipCode ? null : tw.code }),
  );
  return row;
}

/** Why a township misses its targets, in the reader's language. */
function explanations(view: GridView, tw: TownshipSummary): HTMLElement {
  const { t, locale } = view;
  return el(
    'div',
    { class: 'explanations', 'data-testid': 'grid-explanations' },
    el(
      'h3',
      {},
      t('grids.township.title', {
        name: tw.name,
        grids: numberText(view, tw.grids),
        households: numberText(view, tw.households),
        units: numberText(view, tw.units),
      }),
    ),
    tw.explanations.length === 0
      ? el('p', { class: 'small ok' }, t('grids.township.allMet'))
      : el(
          'ul',
          {},
          ...tw.explanations.map((e) => el('li', { 'data-testid': 'grid-explanation' }, locale === 'en' ? e.en : e.zh)),
        ),
  );
}
