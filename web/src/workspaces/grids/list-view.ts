import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { gridColour, townshipColourIndexes } from './map-layers.js';
import { sortGrids, townshipGrids, type GridSort } from './model.js';
import { currentUnits, selectedGrids, type GridInfo, type PlanDetail } from './state.js';
import { button, deviationCell, deviationText, minutesText, numberText, table, th, type GridView } from './common.js';
import { cssProperties, segmentedView } from './view-parts.js';

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
export function gridListView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const grids = townshipGrids(plan, state.townshipCode);
  const colours = townshipColourIndexes(state);
  const chosen = new Set(selectedGrids(state));
  const village = villageNames(view);
  const rows = sortGrids(grids, state.sort).map((g) => {
    const choose = (event: MouseEvent) => {
      const additive = event.ctrlKey || event.metaKey || event.shiftKey;
      dispatch({ type: 'grids/selectGrids', gridIds: [g.id], mode: additive ? 'toggle' : 'replace' });
    };
    return html`<tr
      class=${chosen.has(g.id) ? 'selected' : ''}
      data-testid="grid-row"
      data-grid-id=${String(g.id)}
      @click=${choose}
    >
      <td class="name">
        <span class="swatch" ${cssProperties({ background: gridColour(colours, g.id) })}></span>${g.name}
      </td>
      <td class="number" data-testid="grid-households">${numberText(view, g.households)}</td>
      <td class="number">${numberText(view, g.targetHouseholds)}</td>
      ${deviationCell(view, g.deviationRatio)}
      <td class="number">${numberText(view, g.unitCount)}</td>
      <td class="number" title=${g.villageCodes.map(village).join('、')}>${numberText(view, g.villageCodes.length)}</td>
      <td class=${g.contiguous ? '' : 'bad-text'}>${t(g.contiguous ? 'grids.yes' : 'grids.no')}</td>
      <td>${g.locked ? t('grids.list.lockedMark') : ''}</td>
      <td class="worker">${g.workerName ?? ''}</td>
    </tr>`;
  });
  const one = chosen.size === 1 ? grids.find((g) => chosen.has(g.id)) : undefined;
  return html`<div class="grid-list" data-testid="grid-list">
    <div class="row">
      <h3>${t('grids.list.title', { n: numberText(view, grids.length) })}</h3>
      <span class="spacer"></span>
      <span class="label">${t('grids.sort.label')}</span>${segmentedView(
        'grid-sort',
        SORTS.map((value) => ({ value, label: t(`grids.sort.${value}`) })),
        state.sort,
        (sort) => dispatch({ type: 'grids/setSort', sort }),
      )}
    </div>
    <div class="scroll">
      ${table(
        [
          t('grids.list.name'),
          th('number', t('grids.list.households')),
          th('number', t('grids.list.target')),
          th('number', t('grids.list.deviation')),
          th('number', t('grids.list.units')),
          th('number', t('grids.list.villages')),
          t('grids.list.contiguous'),
          t('grids.list.locked'),
          t('grids.list.worker'),
        ],
        rows,
        { className: 'clickable grid-table' },
      )}
    </div>
    <p class="small muted">${t('grids.list.hint')}</p>
    ${
      // A card of its own per grid: what is typed for one grid is never offered for another.
      one ? keyed(one.id, gridCard(view, one)) : nothing
    }
  </div>`;
}

/** The chosen grid's figures, and its worker, three lists and score to edit. */
function gridCard(view: GridView, grid: GridInfo): TemplateResult {
  const { t, state, commands } = view;
  const readOnly = !view.access.township;
  // The saved values are the controls' defaults: what is typed and not yet saved stays as typed.
  const input = (name: string, value: string, maxlength: string) =>
    html`<input type="text" name=${name} value=${value} maxlength=${maxlength} ?readonly=${readOnly} />`;
  const area = (name: string, value: string) =>
    html`<textarea name=${name} rows="3" maxlength="5000" .defaultValue=${value} ?readonly=${readOnly}></textarea>`;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (readOnly) return;
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement).value;
    const text = (name: string) => (value(name).trim() === '' ? null : value(name).trim());
    const score = value('score').trim();
    commands?.saveAttributes(grid.id, {
      name: value('name').trim() || grid.name,
      workerName: text('workerName'),
      workerPhone: text('workerPhone'),
      dutyList: value('dutyList'),
      negativeList: value('negativeList'),
      exemptionList: value('exemptionList'),
      score: score === '' ? null : Math.max(0, Math.min(100, Number(score))),
    });
  };
  const villages = grid.villageCodes.map(villageNames(view)).join('、');
  return html`<div class="card grid-card" data-testid="grid-card" data-grid-id=${String(grid.id)}>
    <h3>
      ${grid.name}${grid.locked ? html`<span class="badge locked">${t('grids.list.lockedMark')}</span>` : nothing}
    </h3>
    <dl class="grid-figures">
      <dt>${t('grids.card.households')}</dt>
      <dd data-testid="grid-card-households">${numberText(view, grid.households)}</dd>
      <dt>${t('grids.card.target')}</dt>
      <dd>${numberText(view, grid.targetHouseholds)}</dd>
      <dt>${t('grids.card.deviation')}</dt>
      <dd class="deviation">${deviationText(view, grid.deviationRatio)}</dd>
      <dt>${t('grids.card.units')}</dt>
      <dd>${numberText(view, grid.unitCount)}</dd>
      <dt>${t('grids.card.villages')}</dt>
      <dd>${villages || '—'}</dd>
      <dt>${t('grids.card.drive')}</dt>
      <dd>${minutesText(view, grid.maxDriveMinutes)}</dd>
      <dt>${t('grids.card.contiguous')}</dt>
      <dd class=${grid.contiguous ? '' : 'bad-text'}>${t(grid.contiguous ? 'grids.yes' : 'grids.no')}</dd>
    </dl>
    <form class="grid-attributes" data-testid="grid-attributes" @submit=${submit}>
      <label
        >${t('grids.card.name')}<input
          type="text"
          name="name"
          value=${grid.name}
          required
          maxlength="100"
          ?readonly=${readOnly}
      /></label>
      <label>${t('grids.card.workerName')}${input('workerName', grid.workerName ?? '', '50')}</label>
      <label
        >${t('grids.card.workerPhone')}<input
          type="text"
          name="workerPhone"
          value=${grid.workerPhone ?? ''}
          maxlength="30"
          inputmode="tel"
          ?readonly=${readOnly}
      /></label>
      <label class="area">${t('grids.card.dutyList')}${area('dutyList', grid.dutyList)}</label>
      <label class="area">${t('grids.card.negativeList')}${area('negativeList', grid.negativeList)}</label>
      <label class="area">${t('grids.card.exemptionList')}${area('exemptionList', grid.exemptionList)}</label>
      <label
        >${t('grids.card.score')}<input
          type="number"
          name="score"
          min="0"
          max="100"
          step="0.5"
          value=${grid.score === null ? '' : String(grid.score)}
          ?readonly=${readOnly}
      /></label>
      ${
        // Read-only: the attributes are shown, not offered for saving.
        readOnly
          ? nothing
          : html`<div class="row">
              <button type="submit" class="primary" ?disabled=${state.busy !== null} data-testid="grid-attributes-save">
                ${t('grids.card.save')}
              </button>
            </div>`
      }
    </form>
    ${button(t('grids.card.close'), { className: 'link' }, () => view.dispatch({ type: 'grids/escape' }))}
  </div>`;
}
