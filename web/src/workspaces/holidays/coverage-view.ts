import { COVERAGE_COLOURS, zoneColour } from './map-layers.js';
import { coverageClass, coverageShare, dayShort, DUTIES } from './model.js';
import type { HolidayDetail, PlanDetail } from './state.js';
import { el } from '../../ui/dom.js';
import {
  dayLabel,
  dutyName,
  numberText,
  shareBar,
  shiftLabel,
  stationNames,
  table,
  zoneChip,
  zoneNames,
  type HolidayView,
} from './common.js';

/** Demanded, met and unmet per war zone, with a share bar and the zone's print button. */
export function zoneCoverageTable(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch, commands } = view;
  const ids = detail.zones.map((z) => z.id);
  const rows = detail.zones.map((z) => {
    const totals = plan.coverage.byZone.find((c) => c.zoneId === String(z.id));
    const demanded = totals?.demanded ?? 0;
    const met = totals?.met ?? 0;
    const print = el(
      'button',
      { type: 'button', class: 'link', 'data-testid': 'zone-print' },
      t('holidays.coverage.print'),
    );
    print.addEventListener('click', (event) => {
      event.stopPropagation();
      commands?.printZone(z.id);
    });
    const row = el(
      'tr',
      {
        class: z.id === state.zoneId ? 'selected' : '',
        'data-testid': 'coverage-zone',
        'data-zone': String(z.id),
        'data-class': coverageClass(coverageShare({ demanded, met })),
      },
      el('td', {}, el('span', { class: 'swatch', style: `background:${zoneColour(ids, z.id)}` }), z.name),
      el('td', { class: 'number' }, numberText(view, demanded)),
      el('td', { class: 'number' }, numberText(view, met)),
      el('td', { class: 'number' }, numberText(view, demanded - met)),
      el('td', {}, shareBar({ demanded, met })),
      el('td', {}, print),
    );
    row.addEventListener('click', () =>
      dispatch({ type: 'holidays/selectZone', zoneId: state.zoneId === z.id ? null : z.id }),
    );
    return row;
  });
  return el(
    'div',
    { class: 'coverage' },
    el('h3', {}, t('holidays.coverage.byZone')),
    table(
      { 'data-testid': 'coverage-zones', class: 'clickable' },
      [
        t('holidays.coverage.zone'),
        t('holidays.coverage.demanded'),
        t('holidays.coverage.met'),
        t('holidays.coverage.unmet'),
        t('holidays.coverage.share'),
        '',
      ],
      rows,
    ),
  );
}

/** Zones × (day, shift): each cell coloured by the share met in that shift, with the shortfall in it. */
export function zoneSlotGrid(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t } = view;
  const { days, shiftsPerDay } = detail.holiday;
  const slots = new Map(plan.coverage.byZoneSlot.map((s) => [`${s.zoneId}|${s.day}|${s.shift}`, s]));
  return el(
    'div',
    { class: 'coverage' },
    el('h3', {}, t('holidays.coverage.slots')),
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { class: 'slot-grid', 'data-testid': 'coverage-slots' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}),
            ...Array.from({ length: days }, (_, day) =>
              el('th', { colspan: String(shiftsPerDay) }, dayShort(detail.holiday.firstDay, day)),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          ...detail.zones.map((z) =>
            el(
              'tr',
              {},
              el('th', {}, z.name),
              ...Array.from({ length: days * shiftsPerDay }, (_, slot) => {
                const day = Math.floor(slot / shiftsPerDay);
                const shift = slot % shiftsPerDay;
                const s = slots.get(`${z.id}|${day}|${shift}`);
                const cls = coverageClass(s ? coverageShare(s) : null);
                return el(
                  'td',
                  {
                    class: `slot ${cls}${shift === 0 ? ' day-start' : ''}`,
                    style: `background:${COVERAGE_COLOURS[cls]}`,
                    title: t('holidays.coverage.slotTitle', {
                      zone: z.name,
                      day: dayLabel(view, detail, day),
                      shift: shiftLabel(detail, shift),
                      demanded: s?.demanded ?? 0,
                      met: s?.met ?? 0,
                    }),
                  },
                  s && s.unmet > 0 ? String(s.unmet) : '',
                );
              }),
            ),
          ),
        ),
      ),
    ),
    el('p', { class: 'muted small' }, t('holidays.coverage.slotsNote')),
  );
}

/** Coverage per duty, shift and day. */
export function dutyDayShift(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t } = view;
  const totalsRow = (label: string, totals: { demanded: number; met: number }, testId: string) =>
    el(
      'tr',
      { 'data-testid': testId },
      el('td', {}, label),
      el('td', { class: 'number' }, `${numberText(view, totals.met)} / ${numberText(view, totals.demanded)}`),
      el('td', {}, shareBar(totals)),
    );
  const head = [t('holidays.coverage.name'), t('holidays.coverage.metOfDemanded'), t('holidays.coverage.share')];
  return el(
    'div',
    { class: 'coverage columns' },
    el(
      'div',
      {},
      el('h3', {}, t('holidays.coverage.byDuty')),
      table(
        { 'data-testid': 'coverage-duties' },
        head,
        DUTIES.map((duty) => {
          const totals = plan.coverage.byDuty.find((d) => d.dutyId === duty) ?? { demanded: 0, met: 0 };
          return totalsRow(dutyName(view, duty), totals, 'coverage-duty');
        }),
      ),
      el('h3', {}, t('holidays.coverage.byShift')),
      table(
        {},
        head,
        plan.coverage.byShift.map((s) => totalsRow(shiftLabel(detail, s.shift), s, 'coverage-shift')),
      ),
    ),
    el(
      'div',
      {},
      el('h3', {}, t('holidays.coverage.byDay')),
      table(
        { 'data-testid': 'coverage-days' },
        head,
        plan.coverage.byDay.map((d) => totalsRow(dayLabel(view, detail, d.day), d, 'coverage-day')),
      ),
    ),
  );
}

/** Each station's coverage, the largest unmet share first, narrowed to the chosen zone. */
export function stationCoverage(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const zoneName = zoneNames(view, detail);
  const station = stationNames(detail);
  const rows = plan.coverage.byStation
    .filter((s) => state.zoneId === null || s.zoneId === String(state.zoneId))
    .filter((s) => s.demanded > 0)
    .sort((a, b) => b.unmetShare - a.unmetShare || b.unmet - a.unmet)
    .map((s) => {
      const row = el(
        'tr',
        {
          class: s.stationCode === state.station ? 'selected' : '',
          'data-testid': 'coverage-station',
          'data-code': s.stationCode,
        },
        el('td', {}, station(s.stationCode)),
        el('td', { class: 'muted' }, zoneName(s.zoneId)),
        el('td', { class: 'number' }, `${numberText(view, s.met)} / ${numberText(view, s.demanded)}`),
        el('td', { class: 'number' }, numberText(view, s.unmet)),
        el('td', {}, shareBar(s)),
      );
      row.addEventListener('click', () =>
        dispatch({ type: 'holidays/selectStation', station: state.station === s.stationCode ? null : s.stationCode }),
      );
      return row;
    });
  return el(
    'div',
    { class: 'coverage' },
    el('h3', {}, t('holidays.coverage.byStation'), ' ', zoneChip(view, detail)),
    table(
      { 'data-testid': 'coverage-stations', class: 'clickable' },
      [
        t('holidays.station.name'),
        t('holidays.station.zone'),
        t('holidays.coverage.metOfDemanded'),
        t('holidays.coverage.unmet'),
        t('holidays.coverage.share'),
      ],
      rows,
    ),
  );
}
