import { COVERAGE_COLOURS, showsCoverage, zoneColour } from './map-layers.js';
import { dayDate, zonePrintSheet } from './model.js';
import { currentDetail, type HolidayDetail, type HolidaysState, type PlanDetail } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { el } from '../../ui/dom.js';
import { dayLabel, dutyShort, numberText, shiftLabel, type HolidayView } from './common.js';

/**
 * The one-page plan of a war zone, for printing only (hidden on screen): its stations, per duty
 * and (day, shift) the officers posted against the demand with shortfalls in red, the zone's
 * shortfall explanations and a line to sign.
 */
export function zonePrint(view: HolidayView, detail: HolidayDetail, plan: PlanDetail, warZoneId: number): HTMLElement {
  const { t, locale } = view;
  const sheet = zonePrintSheet(detail, plan, warZoneId);
  const { days, shiftsPerDay, firstDay } = detail.holiday;
  const explanations = plan.explanations.filter(
    (e) => e.kind !== 'all_met' && 'zoneId' in e && e.zoneId === String(warZoneId),
  );
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      el('th', { rowspan: '2' }, t('holidays.station.name')),
      el('th', { rowspan: '2' }, t('holidays.print.duty')),
      ...Array.from({ length: days }, (_, day) =>
        el('th', { colspan: String(shiftsPerDay), class: 'day-start' }, dayLabel(view, detail, day)),
      ),
      el('th', { rowspan: '2' }, t('holidays.print.total')),
    ),
    el(
      'tr',
      {},
      ...Array.from({ length: days * shiftsPerDay }, (_, slot) =>
        el('th', { class: slot % shiftsPerDay === 0 ? 'day-start' : '' }, shiftLabel(detail, slot % shiftsPerDay)),
      ),
    ),
  );
  const body = sheet.stations.flatMap((station) =>
    station.rows.map((row, i) =>
      el(
        'tr',
        { class: i === 0 ? 'station-start' : '' },
        i === 0 ? el('th', { rowspan: String(station.rows.length) }, station.name) : null,
        el('th', {}, dutyShort(view, row.duty)),
        ...row.cells.map((cell, slot) =>
          el(
            'td',
            { class: `${cell.short > 0 ? 'short' : ''}${slot % shiftsPerDay === 0 ? ' day-start' : ''}` },
            cell.demanded === 0 && cell.posted === 0 ? '' : `${cell.posted}/${cell.demanded}`,
          ),
        ),
        el('td', { class: row.short > 0 ? 'short' : '' }, `${row.posted}/${row.demanded}`),
      ),
    ),
  );
  return el(
    'div',
    { class: 'holiday-print', 'data-testid': 'zone-print-sheet', 'aria-hidden': 'true' },
    el('h2', {}, t('holidays.print.title', { holiday: detail.holiday.name, zone: sheet.zoneName })),
    el(
      'p',
      {},
      t('holidays.print.meta', {
        from: firstDay,
        to: dayDate(firstDay, days - 1),
        label: plan.label,
        status: t(plan.published ? 'holidays.status.published' : 'holidays.status.draft'),
      }),
    ),
    el(
      'p',
      { class: 'summary' },
      t('holidays.print.summary', {
        demanded: numberText(view, sheet.demanded),
        met: numberText(view, sheet.met),
        short: numberText(view, sheet.short),
        officers: numberText(view, sheet.officers),
      }),
    ),
    el('table', { class: 'print-grid' }, head, el('tbody', {}, ...body)),
    el('p', { class: 'small' }, t('holidays.print.legend')),
    el('h3', {}, t('holidays.print.shortfalls')),
    explanations.length === 0
      ? el('p', {}, t('holidays.print.noShortfalls'))
      : el('ol', {}, ...explanations.map((e) => el('li', {}, locale === 'en' ? e.textEn : e.textZh))),
    el('p', { class: 'sign' }, t('holidays.print.sign')),
  );
}

/** The legend over the map: the zones' own colours, or with a plan open the coverage classes. */
export function renderHolidayOverlay(host: HTMLElement, locale: Locale, state: HolidaysState | null): void {
  const detail = state ? currentDetail(state) : null;
  if (!state || !detail) {
    if (host.childElementCount > 0) host.replaceChildren();
    delete host.dataset.signature;
    return;
  }
  const t = (key: MessageKey) => translate(locale, key);
  const swatch = (colour: string, text: string) =>
    el('li', {}, el('span', { class: 'swatch', style: `background:${colour}` }), el('span', {}, text));
  const coverage = showsCoverage(state);
  const ids = detail.zones.map((z) => z.id);
  const signature = `${locale}|${coverage}|${detail.zones.map((z) => `${z.id}:${z.name}`).join(',')}`;
  if (host.dataset.signature === signature) return;
  host.dataset.signature = signature;
  host.replaceChildren(
    el(
      'div',
      { class: 'holiday-legend map-legend', 'data-testid': 'holiday-legend' },
      el('h3', {}, t(coverage ? 'holidays.legend.coverage' : 'holidays.legend.zones')),
      el(
        'ul',
        {},
        ...(coverage
          ? (['good', 'warn', 'bad', 'none'] as const).map((cls) =>
              swatch(COVERAGE_COLOURS[cls], t(`holidays.legend.${cls}`)),
            )
          : detail.zones.map((z) => swatch(zoneColour(ids, z.id), z.name))),
      ),
      el('p', {}, t('holidays.legend.stations')),
    ),
  );
}
