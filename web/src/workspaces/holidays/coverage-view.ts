import { cssProperties } from '../grids/view-parts.js';
import { html, type TemplateResult } from 'lit-html';
import { COVERAGE_COLOURS, zoneColour } from './map-layers.js';
import { coverageClass, coverageShare, dayShort, DUTIES } from './model.js';
import type { HolidayDetail, PlanDetail } from './state.js';
import {
  dayLabel,
  dutyName,
  numberText,
  shareBar,
  shiftLabel,
  stationNames,
  swatch,
  table,
  zoneChip,
  zoneNames,
  type HolidayView,
} from './common.js';

/** Demanded, met and unmet per war zone, with a share bar and the zone's print button. */
export function zoneCoverageTable(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch, commands } = view;
  const ids = detail.zones.map((z) => z.id);
  const rows = detail.zones.map((z) => {
    const totals = plan.coverage.byZone.find((c) => c.zoneId === String(z.id));
    const demanded = totals?.demanded ?? 0;
    const met = totals?.met ?? 0;
    const print = (event: Event) => {
      event.stopPropagation();
      commands?.printZone(z.id);
    };
    return html`<tr
      class=${z.id === state.zoneId ? 'selected' : ''}
      data-testid="coverage-zone"
      data-zone=${String(z.id)}
      data-class=${coverageClass(coverageShare({ demanded, met }))}
      @click=${() => dispatch({ type: 'holidays/selectZone', zoneId: state.zoneId === z.id ? null : z.id })}
    >
      <td>${swatch(zoneColour(ids, z.id))}${z.name}</td>
      <td class="number">${numberText(view, demanded)}</td>
      <td class="number">${numberText(view, met)}</td>
      <td class="number">${numberText(view, demanded - met)}</td>
      <td>${shareBar({ demanded, met })}</td>
      <td>
        <button type="button" class="link" data-testid="zone-print" @click=${print}>
          ${t('holidays.coverage.print')}
        </button>
      </td>
    </tr>`;
  });
  return html`<div class="coverage">
    <h3>${t('holidays.coverage.byZone')}</h3>
    ${table(
      [
        t('holidays.coverage.zone'),
        t('holidays.coverage.demanded'),
        t('holidays.coverage.met'),
        t('holidays.coverage.unmet'),
        t('holidays.coverage.share'),
        '',
      ],
      rows,
      { testId: 'coverage-zones', className: 'clickable' },
    )}
  </div>`;
}

/** Zones × (day, shift): each cell coloured by the share met in that shift, with the shortfall in it. */
export function zoneSlotGrid(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t } = view;
  const { days, shiftsPerDay } = detail.holiday;
  const slots = new Map(plan.coverage.byZoneSlot.map((s) => [`${s.zoneId}|${s.day}|${s.shift}`, s]));
  return html`<div class="coverage">
    <h3>${t('holidays.coverage.slots')}</h3>
    <div class="scroll">
      <table class="slot-grid" data-testid="coverage-slots">
        <thead>
          <tr>
            <th></th>
            ${Array.from(
              { length: days },
              (_, day) => html`<th colspan=${String(shiftsPerDay)}>${dayShort(detail.holiday.firstDay, day)}</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${detail.zones.map(
            (z) =>
              html`<tr>
                <th>${z.name}</th>
                ${Array.from({ length: days * shiftsPerDay }, (_, slot) => {
                  const day = Math.floor(slot / shiftsPerDay);
                  const shift = slot % shiftsPerDay;
                  const s = slots.get(`${z.id}|${day}|${shift}`);
                  const cls = coverageClass(s ? coverageShare(s) : null);
                  return html`<td
                    class=${`slot ${cls}${shift === 0 ? ' day-start' : ''}`}
                    ${cssProperties({ background: COVERAGE_COLOURS[cls] })}
                    title=${t('holidays.coverage.slotTitle', {
                      zone: z.name,
                      day: dayLabel(view, detail, day),
                      shift: shiftLabel(detail, shift),
                      demanded: s?.demanded ?? 0,
                      met: s?.met ?? 0,
                    })}
                  >
                    ${s && s.unmet > 0 ? String(s.unmet) : ''}
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="muted small">${t('holidays.coverage.slotsNote')}</p>
  </div>`;
}

/** Coverage per duty, shift and day. */
export function dutyDayShift(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t } = view;
  const totalsRow = (label: string, totals: { demanded: number; met: number }, testId: string) =>
    html`<tr data-testid=${testId}>
      <td>${label}</td>
      <td class="number">${`${numberText(view, totals.met)} / ${numberText(view, totals.demanded)}`}</td>
      <td>${shareBar(totals)}</td>
    </tr>`;
  const head = [t('holidays.coverage.name'), t('holidays.coverage.metOfDemanded'), t('holidays.coverage.share')];
  return html`<div class="coverage columns">
    <div>
      <h3>${t('holidays.coverage.byDuty')}</h3>
      ${table(
        head,
        DUTIES.map((duty) => {
          const totals = plan.coverage.byDuty.find((d) => d.dutyId === duty) ?? { demanded: 0, met: 0 };
          return totalsRow(dutyName(view, duty), totals, 'coverage-duty');
        }),
        { testId: 'coverage-duties' },
      )}
      <h3>${t('holidays.coverage.byShift')}</h3>
      ${table(
        head,
        plan.coverage.byShift.map((s) => totalsRow(shiftLabel(detail, s.shift), s, 'coverage-shift')),
      )}
    </div>
    <div>
      <h3>${t('holidays.coverage.byDay')}</h3>
      ${table(
        head,
        plan.coverage.byDay.map((d) => totalsRow(dayLabel(view, detail, d.day), d, 'coverage-day')),
        { testId: 'coverage-days' },
      )}
    </div>
  </div>`;
}

/** Each station's coverage, the largest unmet share first, narrowed to the chosen zone. */
export function stationCoverage(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const zoneName = zoneNames(view, detail);
  const station = stationNames(detail);
  const rows = plan.coverage.byStation
    .filter((s) => state.zoneId === null || s.zoneId === String(state.zoneId))
    .filter((s) => s.demanded > 0)
    .sort((a, b) => b.unmetShare - a.unmetShare || b.unmet - a.unmet)
    .map(
      (s) =>
        html`<tr
          class=${s.stationCode === state.station ? 'selected' : ''}
          data-testid="coverage-station"
          data-code=${s.stationCode}
          @click=${() =>
            dispatch({
              type: 'holidays/selectStation',
              station: state.station === s.stationCode ? null : s.stationCode,
            })}
        >
          <td>${station(s.stationCode)}</td>
          <td class="muted">${zoneName(s.zoneId)}</td>
          <td class="number">${`${numberText(view, s.met)} / ${numberText(view, s.demanded)}`}</td>
          <td class="number">${numberText(view, s.unmet)}</td>
          <td>${shareBar(s)}</td>
        </tr>`,
    );
  return html`<div class="coverage">
    <h3>${t('holidays.coverage.byStation')} ${zoneChip(view, detail)}</h3>
    ${table(
      [
        t('holidays.station.name'),
        t('holidays.station.zone'),
        t('holidays.coverage.metOfDemanded'),
        t('holidays.coverage.unmet'),
        t('holidays.coverage.share'),
      ],
      rows,
      { testId: 'coverage-stations', className: 'clickable' },
    )}
  </div>`;
}
