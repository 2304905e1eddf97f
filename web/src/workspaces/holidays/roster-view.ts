import { dayShort, rosterByOfficer } from './model.js';
import type { HolidayDetail, PlanDetail } from './state.js';
import { el } from '../../ui/dom.js';
import {
  dayLabel,
  dutyName,
  dutyShort,
  numberText,
  shiftLabel,
  stationNames,
  table,
  zoneChip,
  type HolidayView,
} from './common.js';

type Assignment = PlanDetail['assignments'][number];

/** Officers the roster lists before it asks for the export. */
const ROSTER_ROWS = 80;

/**
 * The roster by officer, narrowed to the chosen station or zone: one day with a column per shift,
 * or the whole holiday with each officer's posts in time order.
 */
export function roster(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const station = stationNames(detail);
  const codes = state.station
    ? new Set([state.station])
    : state.zoneId !== null
      ? new Set(detail.stations.filter((s) => s.warZoneId === state.zoneId).map((s) => s.code))
      : null;
  const officers = rosterByOfficer(plan, { stationCodes: codes, day: state.rosterDay });
  const daySelect = el(
    'select',
    { name: 'rosterDay', 'data-focus-key': 'roster-day', 'data-testid': 'roster-day' },
    el('option', { value: '' }, t('holidays.roster.allDays')),
    ...Array.from({ length: detail.holiday.days }, (_, day) =>
      el('option', { value: String(day), selected: day === state.rosterDay }, dayLabel(view, detail, day)),
    ),
  );
  daySelect.addEventListener('change', () =>
    dispatch({ type: 'holidays/setRosterDay', day: daySelect.value === '' ? null : Number(daySelect.value) }),
  );
  const stationChip = state.station
    ? el(
        'button',
        { type: 'button', class: 'zone-chip', title: t('holidays.zone.clear') },
        `${station(state.station)} ×`,
      )
    : null;
  stationChip?.addEventListener('click', () => dispatch({ type: 'holidays/selectStation', station: null }));
  const { shiftsPerDay } = detail.holiday;
  const day = state.rosterDay;
  const postText = (p: Assignment) => `${p.stationName.replace(/派出所$/, '')}·${dutyShort(view, p.duty)}`;
  const postChip = (p: Assignment, withTime: boolean) =>
    el(
      'span',
      {
        class: `post ${p.duty}`,
        title: `${dayLabel(view, detail, p.day)} ${shiftLabel(detail, p.shift)} ${p.stationName} ${dutyName(view, p.duty)} · ${t('holidays.roster.minutes', { minutes: p.travelMinutes })}`,
      },
      withTime
        ? `${dayShort(detail.holiday.firstDay, p.day)} ${shiftLabel(detail, p.shift)} ${postText(p)}`
        : postText(p),
    );
  // One day: a column per shift. The whole holiday: each officer's posts in time order.
  const rows = officers.slice(0, ROSTER_ROWS).map((o) =>
    el(
      'tr',
      { 'data-testid': 'roster-row', 'data-officer': o.officerId },
      el('td', {}, o.officerName),
      el('td', { class: 'muted' }, station(o.homeStation)),
      ...(day === null
        ? [el('td', { class: 'posts' }, ...o.posts.map((p) => postChip(p, true)))]
        : Array.from({ length: shiftsPerDay }, (_, shift) => {
            const post = o.posts.find((p) => p.shift === shift);
            return el('td', { class: 'posts' }, post ? postChip(post, false) : null);
          })),
      el('td', { class: 'number' }, t('holidays.roster.minutes', { minutes: numberText(view, o.travelMinutes) })),
    ),
  );
  const head =
    day === null
      ? [t('holidays.roster.posts')]
      : Array.from({ length: shiftsPerDay }, (_, shift) => shiftLabel(detail, shift));
  return el(
    'div',
    { class: 'roster', 'data-testid': 'roster' },
    el(
      'div',
      { class: 'row' },
      el('h3', {}, t('holidays.roster.title')),
      el('span', { class: 'muted small' }, t('holidays.roster.officers', { count: officers.length })),
      stationChip ?? zoneChip(view, detail),
      el('span', { class: 'spacer' }),
      daySelect,
    ),
    el(
      'div',
      { class: 'scroll', 'data-scroll-key': 'roster' },
      table(
        { 'data-testid': 'roster-table' },
        [t('holidays.roster.officer'), t('holidays.roster.home'), ...head, t('holidays.roster.travel')],
        rows,
      ),
    ),
    officers.length > ROSTER_ROWS
      ? el('p', { class: 'muted small' }, t('holidays.roster.limit', { shown: ROSTER_ROWS }))
      : null,
  );
}
