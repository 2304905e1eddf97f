import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { compareIds, currentComparison, type HolidayDetail, type PlanSummary } from './state.js';
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

function planOption(view: HolidayView, p: PlanSummary, selected: boolean): TemplateResult {
  return html`<option value=${String(p.id)} .selected=${live(selected)}>
    ${`#${p.id} ${p.label}（${view.t('holidays.compare.option', { pool: p.poolSize, unmet: numberText(view, p.unmet) })}）`}
  </option>`;
}

/** Plan b against plan a: met and unmet per zone, duty and station, and the headline numbers. */
export function compareView(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const title = html`<h3>${t('holidays.compare.title')}</h3>`;
  const plans = state.fetched.plans.data ?? [];
  if (plans.length < 2) {
    return html`<div class="compare-view" data-testid="compare-view">
      ${title}
      <p class="notice" data-testid="compare-need-two">${t('holidays.compare.needTwo')}</p>
    </div>`;
  }
  const { a, b } = compareIds(state);
  const ordered = [...plans].sort((x, y) => y.id - x.id);
  const chosen = (event: Event) => {
    const choice = (event.currentTarget as HTMLSelectElement).closest('.compare-choice')!;
    const value = (name: string) => Number(choice.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!.value);
    dispatch({ type: 'holidays/setCompare', a: value('a'), b: value('b') });
  };
  const error = errorLine(view, 'comparison', state.fetched.comparison);
  const top = html`${title}
    <div class="compare-choice">
      <label
        >${t('holidays.compare.a')}<select name="a" data-testid="compare-a" @change=${chosen}>
          ${ordered.map((p) => planOption(view, p, p.id === a))}
        </select></label
      >
      <label
        >${t('holidays.compare.b')}<select name="b" data-testid="compare-b" @change=${chosen}>
          ${ordered.map((p) => planOption(view, p, p.id === b))}
        </select></label
      >
    </div>
    ${error}`;
  const comparison = a === b ? null : currentComparison(state);
  if (!comparison) {
    return html`<div class="compare-view" data-testid="compare-view">
      ${top}
      ${
        a === b
          ? html`<p class="muted">${t('holidays.compare.same')}</p>`
          : error === nothing
            ? html`<p class="muted">${t('holidays.compare.loading')}</p>`
            : nothing
      }
    </div>`;
  }
  const zoneName = zoneNames(view, detail);
  const station = stationNames(detail);
  const signed = (value: number) =>
    value > 0 ? `+${numberText(view, value)}` : value < 0 ? `−${numberText(view, -value)}` : '0';
  type Delta = (typeof comparison.byZone)[number];
  const deltaRow = (label: string, d: Omit<Delta, 'zoneId'>, testId: string) =>
    html`<tr data-testid=${testId}>
      <td>${label}</td>
      <td class="number">${`${numberText(view, d.metBefore)} / ${numberText(view, d.demandedBefore)}`}</td>
      <td class="number">${`${numberText(view, d.metAfter)} / ${numberText(view, d.demandedAfter)}`}</td>
      <td class=${`number change ${d.metChange > 0 ? 'up' : d.metChange < 0 ? 'down' : ''}`}>${signed(d.metChange)}</td>
      <td class="number">${`${numberText(view, d.unmetBefore)} → ${numberText(view, d.unmetAfter)}`}</td>
    </tr>`;
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
  return html`<div class="compare-view" data-testid="compare-view">
    ${top}
    <p class="big" data-testid="compare-total">
      ${t('holidays.compare.totalLine', {
        a: numberText(view, comparison.total.metBefore),
        b: numberText(view, comparison.total.metAfter),
        demanded: numberText(view, comparison.total.demandedAfter),
        change: signed(comparison.total.metChange),
      })}
    </p>
    <p class="muted small">
      ${t('holidays.compare.shares', {
        a: share(comparison.maxUnmetShareBefore),
        b: share(comparison.maxUnmetShareAfter),
        travelA: hours(comparison.travelSecondsBefore),
        travelB: hours(comparison.travelSecondsAfter),
      })}${
        comparison.assignmentsChanged === null
          ? ''
          : ` ${t('holidays.compare.changed', { count: comparison.assignmentsChanged })}`
      }
    </p>
    <h3>${t('holidays.coverage.byZone')}</h3>
    ${table(
      head,
      comparison.byZone.map((z) => deltaRow(zoneName(z.zoneId), z, 'compare-zone')),
      { testId: 'compare-zones' },
    )}
    <h3>${t('holidays.coverage.byDuty')}</h3>
    ${table(
      head,
      comparison.byDuty.map((d) => deltaRow(dutyName(view, d.dutyId), d, 'compare-duty')),
      { testId: 'compare-duties' },
    )}
    <h3>${t('holidays.compare.stationsChanged')}</h3>
    ${
      stations.length === 0
        ? html`<p class="muted">${t('holidays.compare.noStationChange')}</p>`
        : table(
            head,
            stations.map((s) => deltaRow(station(s.stationCode), s, 'compare-station')),
            { testId: 'compare-stations' },
          )
    }
  </div>`;
}
