import type { HolidayDetail, HolidayOfficer } from './state.js';
import { DUTIES } from './model.js';
import { el } from '../../ui/dom.js';
import { dayLabel, dutyShort, errorLine, numberText, shiftLabel, stationNames, type HolidayView } from './common.js';

/** A qualification by the duty it allows (the server names them by duty id); any other as spelled. */
function qualificationName(view: HolidayView, qualification: string): string {
  return (DUTIES as readonly string[]).includes(qualification) ? dutyShort(view, qualification) : qualification;
}

/** The officer pool: its figures, a searchable list, and one officer's availability toggles. */
export function poolView(view: HolidayView, detail: HolidayDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const root = el(
    'div',
    { class: 'pool', 'data-testid': 'holiday-pool-view' },
    el(
      'p',
      { 'data-testid': 'pool-summary' },
      t('holidays.pool.summary', {
        officers: numberText(view, detail.pool.officers),
        traffic: numberText(view, detail.pool.trafficQualified),
        unavailable: numberText(view, detail.pool.unavailableSlots),
      }),
    ),
  );
  const fetched = state.fetched.officers;
  const error = errorLine(view, 'officers', fetched);
  if (error) root.append(error);
  const officers = fetched.data;
  if (!officers) {
    if (!error) root.append(el('p', { class: 'muted' }, t('holidays.pool.loading')));
    return root;
  }
  const station = stationNames(detail);
  const query = state.officerQuery.trim().toLowerCase();
  const shown = officers.filter(
    (o) =>
      !query ||
      [o.name, o.department, o.homeStation ? station(o.homeStation) : '', o.id].some((text) =>
        text.toLowerCase().includes(query),
      ),
  );
  const search = el('input', {
    type: 'search',
    name: 'officerQuery',
    value: state.officerQuery,
    placeholder: t('holidays.pool.filter'),
    'data-focus-key': 'officer-query',
    'data-testid': 'officer-query',
  });
  search.addEventListener('input', () => dispatch({ type: 'holidays/setOfficerQuery', query: search.value }));
  root.append(
    el(
      'div',
      { class: 'row' },
      search,
      el('span', { class: 'muted small' }, t('holidays.pool.shown', { shown: shown.length, total: officers.length })),
    ),
    el('p', { class: 'muted small' }, t('holidays.pool.toggleHint')),
  );
  const rows = shown.flatMap((o) => officerRows(view, detail, o, station));
  root.append(
    el(
      'div',
      { class: 'scroll pool-list', 'data-scroll-key': 'pool-list' },
      el(
        'table',
        { 'data-testid': 'officer-list' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, t('holidays.pool.name')),
            el('th', {}, t('holidays.pool.department')),
            el('th', {}, t('holidays.pool.home')),
            el('th', {}, t('holidays.pool.qualifications')),
            el('th', { class: 'number' }, t('holidays.pool.unavailable')),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
  );
  return root;
}

function officerRows(
  view: HolidayView,
  detail: HolidayDetail,
  officer: HolidayOfficer,
  station: (code: string) => string,
): HTMLElement[] {
  const { state, dispatch } = view;
  const open = state.officer === officer.id;
  const row = el(
    'tr',
    { class: open ? 'selected' : '', 'data-testid': 'officer-row', 'data-id': officer.id },
    el('td', {}, officer.name),
    el('td', {}, officer.department),
    el(
      'td',
      {},
      officer.homeStation ? station(officer.homeStation) : '—',
      officer.homeIsNearest
        ? el('small', { class: 'muted', title: view.t('holidays.pool.nearest.title') }, view.t('holidays.pool.nearest'))
        : null,
    ),
    el(
      'td',
      {},
      ...officer.qualifications.map((q) => el('span', { class: `qualification ${q}` }, qualificationName(view, q))),
    ),
    el('td', { class: 'number' }, officer.unavailable.length > 0 ? String(officer.unavailable.length) : ''),
  );
  row.addEventListener('click', () =>
    dispatch({ type: 'holidays/selectOfficer', officerId: open ? null : officer.id }),
  );
  if (!open) return [row];
  return [row, el('tr', { class: 'editor-row' }, el('td', { colspan: '5' }, availabilityGrid(view, detail, officer)))];
}

/** Days × shifts of toggles: pressed = the officer can be posted; each click is saved at once. */
function availabilityGrid(view: HolidayView, detail: HolidayDetail, officer: HolidayOfficer): HTMLElement {
  const { t, commands } = view;
  const { days, shiftsPerDay } = detail.holiday;
  const off = new Set(officer.unavailable.map(([d, s]) => `${d}|${s}`));
  return el(
    'table',
    { class: 'availability', 'data-testid': 'availability' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}),
        ...Array.from({ length: days }, (_, day) => el('th', {}, dayLabel(view, detail, day))),
      ),
    ),
    el(
      'tbody',
      {},
      ...Array.from({ length: shiftsPerDay }, (_, shift) =>
        el(
          'tr',
          {},
          el('th', {}, shiftLabel(detail, shift)),
          ...Array.from({ length: days }, (_, day) => {
            const available = !off.has(`${day}|${shift}`);
            const button = el(
              'button',
              {
                type: 'button',
                class: available ? 'slot on' : 'slot off',
                'aria-pressed': available ? 'true' : 'false',
                'data-focus-key': `slot-${officer.id}-${day}-${shift}`,
                title: `${dayLabel(view, detail, day)} ${shiftLabel(detail, shift)}`,
              },
              available ? t('holidays.pool.available') : t('holidays.pool.off'),
            );
            button.addEventListener('click', () => commands?.toggleAvailability(officer.id, day, shift));
            return el('td', {}, button);
          }),
        ),
      ),
    ),
  );
}
