import { sortGrids, townshipGrids } from './model.js';
import type { GridInfo, GridsState, PlanDetail } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { el } from '../../ui/dom.js';
import { deviationCell, numberText, shareText, type GridView } from './common.js';

/** Grid rows that fit beside the map on a landscape page at the normal print size. */
const ROWS_PER_COLUMN = 48;

/** One column of the printed grid table (the phone only when there is room: one column). */
function printTable(view: GridView, grids: GridInfo[], withPhone: boolean): HTMLElement {
  const { t } = view;
  return el(
    'table',
    { class: 'print-table' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, t('grids.list.name')),
        el('th', {}, t('grids.list.households')),
        el('th', {}, t('grids.list.deviation')),
        el('th', {}, t('grids.list.worker')),
        withPhone ? el('th', {}, t('grids.card.workerPhone')) : null,
      ),
    ),
    el(
      'tbody',
      {},
      ...grids.map((g) =>
        el(
          'tr',
          {},
          el('td', {}, g.name),
          el('td', { class: 'number' }, numberText(view, g.households)),
          deviationCell(view, g.deviationRatio),
          el('td', {}, g.workerName ?? ''),
          withPhone ? el('td', {}, g.workerPhone ?? '') : null,
        ),
      ),
    ),
  );
}

/**
 * The printable page of a township (hidden on screen): the map as drawn, and a table of its
 * grids with households, deviation and worker, on one landscape page with a line to sign.
 */
export function townshipPrint(
  view: GridView,
  plan: PlanDetail,
  print: { townshipCode: string; imageUrl: string },
): HTMLElement {
  const { t } = view;
  const township = plan.townships.find((tw) => tw.code === print.townshipCode);
  const grids = sortGrids(townshipGrids(plan, print.townshipCode), 'name');
  // One page: a big township's grids (the county seat has 150+) in up to three columns beside the map.
  const columnCount = Math.min(3, Math.max(1, Math.ceil(grids.length / ROWS_PER_COLUMN)));
  const perColumn = Math.max(1, Math.ceil(grids.length / columnCount));
  const columns = Array.from({ length: columnCount }, (_, i) => grids.slice(i * perColumn, (i + 1) * perColumn));
  return el(
    'div',
    { class: 'grid-print', 'data-testid': 'grid-print-sheet', 'aria-hidden': 'true' },
    el('h2', {}, t('grids.printSheet.title', { township: township?.name ?? print.townshipCode, plan: plan.name })),
    el(
      'p',
      {},
      t('grids.printSheet.meta', {
        status: t(`grids.status.${plan.status}`),
        revision: plan.revision,
        date: new Date().toLocaleDateString(view.locale),
      }),
      township
        ? ` ${t('grids.printSheet.summary', {
            grids: numberText(view, township.grids),
            households: numberText(view, township.households),
            within10: shareText(view, township.within10),
          })}`
        : '',
    ),
    el(
      'div',
      { class: `print-body columns-${columnCount}` },
      el('img', { class: 'print-map', src: print.imageUrl, alt: t('grids.printSheet.mapAlt') }),
      ...columns.map((rows) => printTable(view, rows, columns.length === 1)),
    ),
    el('p', { class: 'sign' }, t('grids.printSheet.sign')),
  );
}

/** Over the map: what the colours mean, and what a click or drag does in the tool chosen. */
export function renderGridOverlay(host: HTMLElement, locale: Locale, state: GridsState | null): void {
  if (!state || state.planId === null) {
    if (host.childElementCount > 0) host.replaceChildren();
    delete host.dataset.signature;
    return;
  }
  const t = (key: MessageKey) => translate(locale, key);
  const township = state.townshipCode !== null;
  const mode = township && (state.tool === 'lasso' || state.tool === 'moveTo') ? state.tool : null;
  const signature = `${locale}|${township}|${mode}`;
  if (host.dataset.signature === signature) return;
  host.dataset.signature = signature;
  const item = (swatch: string, text: string) =>
    el('li', {}, el('span', { class: `swatch ${swatch}` }), el('span', {}, text));
  host.replaceChildren(
    el(
      'div',
      { class: 'grid-legend map-legend', 'data-testid': 'grid-legend' },
      el('h3', {}, t('grids.legend.title')),
      el(
        'ul',
        {},
        item('grid', t(township ? 'grids.legend.grids' : 'grids.legend.overview')),
        township ? item('unassigned', t('grids.legend.unassigned')) : null,
        item('outline', t('grids.legend.outline')),
        item('locked', t('grids.legend.locked')),
      ),
      mode ? el('p', { class: 'mode', 'data-testid': 'grid-mode-hint' }, t(`grids.legend.mode.${mode}`)) : null,
    ),
  );
}
