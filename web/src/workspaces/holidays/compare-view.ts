import { compareIds, currentComparison, type HolidayDetail, type PlanSummary } from './state.js';
import { el } from '../../ui/dom.js';
import {
  dutyName,
  errorLine,
  numberText,
  percentText,
  stationNames,
  table,
  zoneNames,
  type HolidayView,
} from './common.js';

function planOption(view: HolidayView, p: PlanSummary, selected: boolean): HTMLElement {
  return el(
    'option',
    { value: String(p.id), selected },
    `#${p.id} ${p.label}（${view.t('holidays.compare.option', { pool: p.poolSize, unmet: numberText(view, p.unmet) })}）`,
  );
}

/** Plan b against plan a: met and unmet per zone, duty and station, and the headline numbers. */
export function compareView(view: HolidayView, detail: HolidayDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const root = el(
    'div',
    { class: 'compare-view', 'data-testid': 'compare-view' },
    el('h3', {}, t('holidays.compare.title')),
  );
  const plans = state.fetched.plans.data ?? [];
  if (plans.length < 2) {
    root.append(el('p', { class: 'notice', 'data-testid': 'compare-need-two' }, t('holidays.compare.needTwo')));
    return root;
  }
  const { a, b } = compareIds(state);
  const ordered = [...plans].sort((x, y) => y.id - x.id);
  const selectA = el(
    'select',
    { name: 'a', 'data-testid': 'compare-a', 'data-focus-key': 'compare-a' },
    ...ordered.map((p) => planOption(view, p, p.id === a)),
  );
  const selectB = el(
    'select',
    { name: 'b', 'data-testid': 'compare-b', 'data-focus-key': 'compare-b' },
    ...ordered.map((p) => planOption(view, p, p.id === b)),
  );
  const chosen = () => dispatch({ type: 'holidays/setCompare', a: Number(selectA.value), b: Number(selectB.value) });
  selectA.addEventListener('change', chosen);
  selectB.addEventListener('change', chosen);
  root.append(
    el(
      'div',
      { class: 'compare-choice' },
      el('label', {}, t('holidays.compare.a'), selectA),
      el('label', {}, t('holidays.compare.b'), selectB),
    ),
  );
  const error = errorLine(view, 'comparison', state.fetched.comparison);
  if (error) root.append(error);
  if (a === b) {
    root.append(el('p', { class: 'muted' }, t('holidays.compare.same')));
    return root;
  }
  const comparison = currentComparison(state);
  if (!comparison) {
    if (!error) root.append(el('p', { class: 'muted' }, t('holidays.compare.loading')));
    return root;
  }
  const zoneName = zoneNames(view, detail);
  const station = stationNames(detail);
  const signed = (value: number) =>
    value > 0 ? `+${numberText(view, value)}` : value < 0 ? `−${numberText(view, -value)}` : '0';
  type Delta = (typeof comparison.byZone)[number];
  const deltaRow = (label: string, d: Omit<Delta, 'zoneId'>, testId: string) =>
    el(
      'tr',
      { 'data-testid': testId },
      el('td', {}, label),
      el('td', { class: 'number' }, `${numberText(view, d.metBefore)} / ${numberText(view, d.demandedBefore)}`),
      el('td', { class: 'number' }, `${numberText(view, d.metAfter)} / ${numberText(view, d.demandedAfter)}`),
      el(
        'td',
        { class: `number change ${d.metChange > 0 ? 'up' : d.metChange < 0 ? 'down' : ''}` },
        signed(d.metChange),
      ),
      el('td', { class: 'number' }, `${numberText(view, d.unmetBefore)} → ${numberText(view, d.unmetAfter)}`),
    );
  const head = [
    t('holidays.coverage.name'),
    t('holidays.compare.metA'),
    t('holidays.compare.metB'),
    t('holidays.compare.change'),
    t('holidays.compare.unmet'),
  ];
  const stations = comparison.byStation.filter((s) => s.metChange !== 0 || s.unmetChange !== 0);
  const share = (value: number | null) => percentText(value);
  const hours = (seconds: number | null) => (seconds === null ? '—' : numberText(view, seconds / 3600, 1));
  root.append(
    el(
      'p',
      { class: 'big', 'data-testid': 'compare-total' },
      t('holidays.compare.totalLine', {
        a: numberText(view, comparison.total.metBefore),
        b: numberText(view, comparison.total.metAfter),
        demanded: numberText(view, comparison.total.demandedAfter),
        change: signed(comparison.total.metChange),
      }),
    ),
    el(
      'p',
      { class: 'muted small' },
      t('holidays.compare.shares', {
        a: share(comparison.maxUnmetShareBefore),
        b: share(comparison.maxUnmetShareAfter),
        travelA: hours(comparison.travelSecondsBefore),
        travelB: hours(comparison.travelSecondsAfter),
      }),
      comparison.assignmentsChanged === null
        ? ''
        : ` ${t('holidays.compare.changed', { count: comparison.assignmentsChanged })}`,
    ),
    el('h3', {}, t('holidays.coverage.byZone')),
    table(
      { 'data-testid': 'compare-zones' },
      head,
      comparison.byZone.map((z) => deltaRow(zoneName(z.zoneId), z, 'compare-zone')),
    ),
    el('h3', {}, t('holidays.coverage.byDuty')),
    table(
      { 'data-testid': 'compare-duties' },
      head,
      comparison.byDuty.map((d) => deltaRow(dutyName(view, d.dutyId), d, 'compare-duty')),
    ),
    el('h3', {}, t('holidays.compare.stationsChanged')),
    stations.length === 0
      ? el('p', { class: 'muted' }, t('holidays.compare.noStationChange'))
      : table(
          { 'data-testid': 'compare-stations' },
          head,
          stations.map((s) => deltaRow(station(s.stationCode), s, 'compare-station')),
        ),
  );
  return root;
}
