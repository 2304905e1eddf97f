import { html, nothing, render, type TemplateResult } from 'lit-html';
import { sortGrids, townshipGrids } from './model.js';
import type { GridInfo, GridsState, PlanDetail } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { deviationCell, numberText, shareText, type GridView } from './common.js';

/** Grid rows that fit beside the map on a landscape page at the normal print size. */
const ROWS_PER_COLUMN = 48;

/** One column of the printed grid table (the phone only when there is room: one column). */
function printTable(view: GridView, grids: GridInfo[], withPhone: boolean): TemplateResult {
  const { t } = view;
  return html`<table class="print-table">
    <thead>
      <tr>
        <th>${t('grids.list.name')}</th>
        <th>${t('grids.list.households')}</th>
        <th>${t('grids.list.deviation')}</th>
        <th>${t('grids.list.worker')}</th>
        ${withPhone ? html`<th>${t('grids.card.workerPhone')}</th>` : nothing}
      </tr>
    </thead>
    <tbody>
      ${grids.map(
        (g) =>
          html`<tr>
            <td>${g.name}</td>
            <td class="number">${numberText(view, g.households)}</td>
            ${deviationCell(view, g.deviationRatio)}
            <td>${g.workerName ?? ''}</td>
            ${withPhone ? html`<td>${g.workerPhone ?? ''}</td>` : nothing}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The printable page of a township (hidden on screen): the map as drawn, and a table of its
 * grids with households, deviation and worker, on one landscape page with a line to sign.
 */
export function townshipPrint(
  view: GridView,
  plan: PlanDetail,
  print: { townshipCode: string; imageUrl: string },
): TemplateResult {
  const { t } = view;
  const township = plan.townships.find((tw) => tw.code === print.townshipCode);
  const grids = sortGrids(townshipGrids(plan, print.townshipCode), 'name');
  // One page: a big township's grids (the county seat has 150+) in up to three columns beside the map.
  const columnCount = Math.min(3, Math.max(1, Math.ceil(grids.length / ROWS_PER_COLUMN)));
  const perColumn = Math.max(1, Math.ceil(grids.length / columnCount));
  const columns = Array.from({ length: columnCount }, (_, i) => grids.slice(i * perColumn, (i + 1) * perColumn));
  return html`<div class="grid-print" data-testid="grid-print-sheet" aria-hidden="true">
    <h2>${t('grids.printSheet.title', { township: township?.name ?? print.townshipCode, plan: plan.name })}</h2>
    <p>
      ${t('grids.printSheet.meta', {
        status: t(`grids.status.${plan.status}`),
        revision: plan.revision,
        date: new Date().toLocaleDateString(view.locale),
      })}${
        township
          ? ` ${t('grids.printSheet.summary', {
              grids: numberText(view, township.grids),
              households: numberText(view, township.households),
              within10: shareText(view, township.within10),
            })}`
          : ''
      }
    </p>
    <div class=${`print-body columns-${columnCount}`}>
      <img class="print-map" src=${print.imageUrl} alt=${t('grids.printSheet.mapAlt')} />
      ${columns.map((rows) => printTable(view, rows, columns.length === 1))}
    </div>
    <p class="sign">${t('grids.printSheet.sign')}</p>
  </div>`;
}

/** Over the map: what the colours mean, and what a click or drag does in the tool chosen (lit updates what changed). */
export function renderGridOverlay(host: HTMLElement, locale: Locale, state: GridsState | null): void {
  if (!state || state.planId === null) {
    render(nothing, host);
    return;
  }
  const t = (key: MessageKey) => translate(locale, key);
  const township = state.townshipCode !== null;
  const mode = township && (state.tool === 'lasso' || state.tool === 'moveTo') ? state.tool : null;
  const item = (swatch: string, text: string) =>
    html`<li><span class=${`swatch ${swatch}`}></span><span>${text}</span></li>`;
  render(
    html`<div class="grid-legend map-legend" data-testid="grid-legend">
      <h3>${t('grids.legend.title')}</h3>
      <ul>
        ${item('grid', t(township ? 'grids.legend.grids' : 'grids.legend.overview'))}
        ${township ? item('unassigned', t('grids.legend.unassigned')) : nothing}
        ${item('outline', t('grids.legend.outline'))} ${item('locked', t('grids.legend.locked'))}
      </ul>
      ${mode ? html`<p class="mode" data-testid="grid-mode-hint">${t(`grids.legend.mode.${mode}`)}</p>` : nothing}
    </div>`,
    host,
  );
}
