import { html, nothing, render, type TemplateResult } from 'lit-html';
import { COVERAGE_COLOURS, showsCoverage, zoneColour } from './map-layers.js';
import { dayDate, zonePrintSheet } from './model.js';
import { currentDetail, type HolidayDetail, type HolidaysState, type PlanDetail } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { dayLabel, dutyShort, numberText, shiftLabel, swatch, type HolidayView } from './common.js';

/**
 * The one-page plan of a war zone, for printing only (hidden on screen): its stations, per duty
 * and (day, shift) the officers posted against the demand with shortfalls in red, the zone's
 * shortfall explanations and a line to sign.
 */
export function zonePrint(
  view: HolidayView,
  detail: HolidayDetail,
  plan: PlanDetail,
  warZoneId: number,
): TemplateResult {
  const { t, locale } = view;
  const sheet = zonePrintSheet(detail, plan, warZoneId);
  const { days, shiftsPerDay, firstDay } = detail.holiday;
  const explanations = plan.explanations.filter(
    (e) => e.kind !== 'all_met' && 'zoneId' in e && e.zoneId === String(warZoneId),
  );
  const body = sheet.stations.flatMap((station) =>
    station.rows.map(
      (row, i) =>
        html`<tr class=${i === 0 ? 'station-start' : ''}>
          ${i === 0 ? html`<th rowspan=${String(station.rows.length)}>${station.name}</th>` : nothing}
          <th>${dutyShort(view, row.duty)}</th>
          ${row.cells.map(
            (cell, slot) =>
              html`<td class=${`${cell.short > 0 ? 'short' : ''}${slot % shiftsPerDay === 0 ? ' day-start' : ''}`}>
                ${cell.demanded === 0 && cell.posted === 0 ? '' : `${cell.posted}/${cell.demanded}`}
              </td>`,
          )}
          <td class=${row.short > 0 ? 'short' : ''}>${`${row.posted}/${row.demanded}`}</td>
        </tr>`,
    ),
  );
  return html`<div class="holiday-print" data-testid="zone-print-sheet" aria-hidden="true">
    <h2>${t('holidays.print.title', { holiday: detail.holiday.name, zone: sheet.zoneName })}</h2>
    <p>
      ${t('holidays.print.meta', {
        from: firstDay,
        to: dayDate(firstDay, days - 1),
        label: plan.label,
        status: t(plan.published ? 'holidays.status.published' : 'holidays.status.draft'),
      })}
    </p>
    <p class="summary">
      ${t('holidays.print.summary', {
        demanded: numberText(view, sheet.demanded),
        met: numberText(view, sheet.met),
        short: numberText(view, sheet.short),
        officers: numberText(view, sheet.officers),
      })}
    </p>
    <table class="print-grid">
      <thead>
        <tr>
          <th rowspan="2">${t('holidays.station.name')}</th>
          <th rowspan="2">${t('holidays.print.duty')}</th>
          ${Array.from(
            { length: days },
            (_, day) => html`<th colspan=${String(shiftsPerDay)} class="day-start">${dayLabel(view, detail, day)}</th>`,
          )}
          <th rowspan="2">${t('holidays.print.total')}</th>
        </tr>
        <tr>
          ${Array.from(
            { length: days * shiftsPerDay },
            (_, slot) =>
              html`<th class=${slot % shiftsPerDay === 0 ? 'day-start' : ''}>
                ${shiftLabel(detail, slot % shiftsPerDay)}
              </th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${body}
      </tbody>
    </table>
    <p class="small">${t('holidays.print.legend')}</p>
    <h3>${t('holidays.print.shortfalls')}</h3>
    ${
      explanations.length === 0
        ? html`<p>${t('holidays.print.noShortfalls')}</p>`
        : html`<ol>
            ${explanations.map((e) => html`<li>${locale === 'en' ? e.textEn : e.textZh}</li>`)}
          </ol>`
    }
    <p class="sign">${t('holidays.print.sign')}</p>
  </div>`;
}

/** The legend over the map: the zones' own colours, or with a plan open the coverage classes (lit updates what changed). */
export function renderHolidayOverlay(host: HTMLElement, locale: Locale, state: HolidaysState | null): void {
  const detail = state ? currentDetail(state) : null;
  if (!state || !detail) {
    render(nothing, host);
    return;
  }
  const t = (key: MessageKey) => translate(locale, key);
  const row = (colour: string, text: string) => html`<li>${swatch(colour)}<span>${text}</span></li>`;
  const coverage = showsCoverage(state);
  const ids = detail.zones.map((z) => z.id);
  render(
    html`<div class="holiday-legend map-legend" data-testid="holiday-legend">
      <h3>${t(coverage ? 'holidays.legend.coverage' : 'holidays.legend.zones')}</h3>
      <ul>
        ${
          coverage
            ? (['good', 'warn', 'bad', 'none'] as const).map((cls) =>
                row(COVERAGE_COLOURS[cls], t(`holidays.legend.${cls}`)),
              )
            : detail.zones.map((z) => row(zoneColour(ids, z.id), z.name))
        }
      </ul>
      <p>${t('holidays.legend.stations')}</p>
    </div>`,
    host,
  );
}
