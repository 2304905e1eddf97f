import { gridColour, townshipColourIndexes } from './map-layers.js';
import { sortGrids, townshipGrids, type GridSort } from './model.js';
import { currentUnits, selectedGrids, type GridInfo, type PlanDetail } from './state.js';
import { el } from '../../ui/dom.js';
import { button, deviationCell, deviationText, minutesText, numberText, table, type GridView } from './common.js';
import { segmented } from '../../ui/segmented.js';

const SORTS: readonly GridSort[] = ['name', 'households', 'deviation'];

/** Village names by code, from the township's units. */
function villageNames(view: GridView): (code: string) => string {
  const names = new Map(
    currentUnits(view.state)?.features.map((f) => [f.properties.villageCode, f.properties.villageName]),
  );
  return (code) => names.get(code) ?? code;
}

/**
 * The township's grids: name, households against the target with the deviation coloured, units,
 * villages, contiguity, lock and worker; a click chooses a grid (Ctrl/Shift adds), and the one
 * chosen opens its card.
 */
export function gridListView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const grids = townshipGrids(plan, state.townshipCode);
  const colours = townshipColourIndexes(state);
  const chosen = new Set(selectedGrids(state));
  const rows = sortGrids(grids, state.sort).map((g) => {
    const row = el(
      'tr',
      {
        class: chosen.has(g.id) ? 'selected' : '',
        'data-testid': 'grid-row',
        'data-grid-id': String(g.id),
      },
      el(
        'td',
        { class: 'name' },
        el('span', { class: 'swatch', style: `background:${gridColour(colours, g.id)}` }),
        g.name,
      ),
      el('td', { class: 'number', 'data-testid': 'grid-households' }, numberText(view, g.households)),
      el('td', { class: 'number' }, numberText(view, g.targetHouseholds)),
      deviationCell(view, g.deviationRatio),
      el('td', { class: 'number' }, numberText(view, g.unitCount)),
      el(
        'td',
        { class: 'number', title: g.villageCodes.map(villageNames(view)).join('、') },
        numberText(view, g.villageCodes.length),
      ),
      el('td', { class: g.contiguous ? '' : 'bad-text' }, t(g.contiguous ? 'grids.yes' : 'grids.no')),
      el('td', {}, g.locked ? t('grids.list.lockedMark') : ''),
      el('td', { class: 'worker' }, g.workerName ?? ''),
    );
    row.addEventListener('click', (event) => {
      const additive = event.ctrlKey || event.metaKey || event.shiftKey;
      dispatch({ type: 'grids/selectGrids', gridIds: [g.id], mode: additive ? 'toggle' : 'replace' });
    });
    return row;
  });
  const root = el(
    'div',
    { class: 'grid-list', 'data-testid': 'grid-list' },
    el(
      'div',
      { class: 'row' },
      el('h3', {}, t('grids.list.title', { n: numberText(view, grids.length) })),
      el('span', { class: 'spacer' }),
      el('span', { class: 'label' }, t('grids.sort.label')),
      segmented(
        'grid-sort',
        SORTS.map((value) => ({ value, label: t(`grids.sort.${value}`) })),
        state.sort,
        (sort) => dispatch({ type: 'grids/setSort', sort }),
      ),
    ),
    el(
      'div',
      { class: 'scroll', 'data-scroll-key': 'grid-list' },
      table(
        { class: 'clickable grid-table' },
        [
          t('grids.list.name'),
          el('th', { class: 'number' }, t('grids.list.households')),
          el('th', { class: 'number' }, t('grids.list.target')),
          el('th', { class: 'number' }, t('grids.list.deviation')),
          el('th', { class: 'number' }, t('grids.list.units')),
          el('th', { class: 'number' }, t('grids.list.villages')),
          t('grids.list.contiguous'),
          t('grids.list.locked'),
          t('grids.list.worker'),
        ],
        rows,
      ),
    ),
    el('p', { class: 'small muted' }, t('grids.list.hint')),
  );
  const one = chosen.size === 1 ? grids.find((g) => chosen.has(g.id)) : undefined;
  if (one) root.append(gridCard(view, one));
  return root;
}

/** The chosen grid's figures, and its worker, three lists and score to edit. */
function gridCard(view: GridView, grid: GridInfo): HTMLElement {
  const { t, state, commands } = view;
  const key = (name: string) => `grid-card-${grid.id}-${name}`;
  const input = (name: string, value: string, attributes: Record<string, string> = {}) =>
    el('input', { type: 'text', name, value, 'data-focus-key': key(name), ...attributes });
  const area = (name: string, value: string) => {
    const box = el('textarea', { name, rows: '3', maxlength: '5000', 'data-focus-key': key(name) });
    box.value = value;
    // The panel keeps what is typed when it is redrawn (shell's keepPanelInputs) by the default value.
    box.defaultValue = value;
    return box;
  };
  const name = input('name', grid.name, { required: 'true', maxlength: '100' });
  const workerName = input('workerName', grid.workerName ?? '', { maxlength: '50' });
  const workerPhone = input('workerPhone', grid.workerPhone ?? '', { maxlength: '30', inputmode: 'tel' });
  const duty = area('dutyList', grid.dutyList);
  const negative = area('negativeList', grid.negativeList);
  const exemption = area('exemptionList', grid.exemptionList);
  const score = el('input', {
    type: 'number',
    name: 'score',
    min: '0',
    max: '100',
    step: '0.5',
    value: grid.score === null ? '' : String(grid.score),
    'data-focus-key': key('score'),
  });
  const form = el(
    'form',
    { class: 'grid-attributes', 'data-testid': 'grid-attributes' },
    el('label', {}, t('grids.card.name'), name),
    el('label', {}, t('grids.card.workerName'), workerName),
    el('label', {}, t('grids.card.workerPhone'), workerPhone),
    el('label', { class: 'area' }, t('grids.card.dutyList'), duty),
    el('label', { class: 'area' }, t('grids.card.negativeList'), negative),
    el('label', { class: 'area' }, t('grids.card.exemptionList'), exemption),
    el('label', {}, t('grids.card.score'), score),
    el(
      'div',
      { class: 'row' },
      el(
        'button',
        { type: 'submit', class: 'primary', disabled: state.busy !== null, 'data-testid': 'grid-attributes-save' },
        t('grids.card.save'),
      ),
    ),
  );
  if (!view.access.township) {
    // Read-only: the attributes are shown, not offered for saving.
    for (const control of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))
      control.readOnly = true;
    form.querySelector('[data-testid=grid-attributes-save]')?.closest('.row')?.remove();
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!view.access.township) return;
    const text = (value: string) => (value.trim() === '' ? null : value.trim());
    commands?.saveAttributes(grid.id, {
      name: name.value.trim() || grid.name,
      workerName: text(workerName.value),
      workerPhone: text(workerPhone.value),
      dutyList: duty.value,
      negativeList: negative.value,
      exemptionList: exemption.value,
      score: score.value.trim() === '' ? null : Math.max(0, Math.min(100, Number(score.value))),
    });
  });
  const villages = grid.villageCodes.map(villageNames(view)).join('、');
  return el(
    'div',
    { class: 'card grid-card', 'data-testid': 'grid-card', 'data-grid-id': String(grid.id) },
    el('h3', {}, grid.name, grid.locked ? el('span', { class: 'badge locked' }, t('grids.list.lockedMark')) : null),
    el(
      'dl',
      { class: 'grid-figures' },
      el('dt', {}, t('grids.card.households')),
      el('dd', { 'data-testid': 'grid-card-households' }, numberText(view, grid.households)),
      el('dt', {}, t('grids.card.target')),
      el('dd', {}, numberText(view, grid.targetHouseholds)),
      el('dt', {}, t('grids.card.deviation')),
      el('dd', { class: `deviation` }, deviationText(view, grid.deviationRatio)),
      el('dt', {}, t('grids.card.units')),
      el('dd', {}, numberText(view, grid.unitCount)),
      el('dt', {}, t('grids.card.villages')),
      el('dd', {}, villages || '—'),
      el('dt', {}, t('grids.card.drive')),
      el('dd', {}, minutesText(view, grid.maxDriveMinutes)),
      el('dt', {}, t('grids.card.contiguous')),
      el('dd', { class: grid.contiguous ? '' : 'bad-text' }, t(grid.contiguous ? 'grids.yes' : 'grids.no')),
    ),
    form,
    button(t('grids.card.close'), { class: 'link' }, () => view.dispatch({ type: 'grids/escape' })),
  );
}
