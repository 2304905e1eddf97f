import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { dayShort, rosterByOfficer } from './model.js';
import type { HolidayDetail, PlanDetail } from './state.js';
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
export function roster(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const station = stationNames(detail);
  const codes = state.station
    ? new Set([state.station])
    : state.zoneId !== null
      ? new Set(detail.stations.filter((s) => s.warZoneId === state.zoneId).map((s) => s.code))
      : null;
  const officers = rosterByOfficer(plan, { stationCodes: codes, day: state.rosterDay });
  const dayChosen = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    dispatch({ type: 'holidays/setRosterDay', day: value === '' ? null : Number(value) });
  };
  const stationChip = state.station
    ? html`<button
        type="button"
        class="zone-chip"
        title=${t('holidays.zone.clear')}
        @click=${() => dispatch({ type: 'holidays/selectStation', station: null })}
      >
        ${`${station(state.station)} ×`}
      </button>`
    : null;
  const { shiftsPerDay } = detail.holiday;
  const day = state.rosterDay;
  const postText = (p: Assignment) => `${p.stationName.replace(/派出所$/, '')}·${dutyShort(view, p.duty)}`;
  const postChip = (p: Assignment, withTime: boolean) =>
    html`<span
      class=${`post ${p.duty}`}
      title=${`${dayLabel(view, detail, p.day)} ${shiftLabel(detail, p.shift)} ${p.stationName} ${dutyName(view, p.duty)} · ${t('holidays.roster.minutes', { minutes: p.travelMinutes })}`}
      >${
        withTime
          ? `${dayShort(detail.holiday.firstDay, p.day)} ${shiftLabel(detail, p.shift)} ${postText(p)}`
          : postText(p)
      }</span
    >`;
  // One day: a column per shift. The whole holiday: each officer's posts in time order.
  const rows = officers.slice(0, ROSTER_ROWS).map(
    (o) =>
      html`<tr data-testid="roster-row" data-officer=${o.officerId}>
        <td>${o.officerName}</td>
        <td class="muted">${station(o.homeStation)}</td>
        ${
          day === null
            ? html`<td class="posts">${o.posts.map((p) => postChip(p, true))}</td>`
            : Array.from({ length: shiftsPerDay }, (_, shift) => {
                const post = o.posts.find((p) => p.shift === shift);
                return html`<td class="posts">${post ? postChip(post, false) : nothing}</td>`;
              })
        }
        <td class="number">${t('holidays.roster.minutes', { minutes: numberText(view, o.travelMinutes) })}</td>
      </tr>`,
  );
  const head =
    day === null
      ? [t('holidays.roster.posts')]
      : Array.from({ length: shiftsPerDay }, (_, shift) => shiftLabel(detail, shift));
  return html`<div class="roster" data-testid="roster">
    <div class="row">
      <h3>${t('holidays.roster.title')}</h3>
      <span class="muted small">${t('holidays.roster.officers', { count: officers.length })}</span>
      ${stationChip ?? zoneChip(view, detail)}
      <span class="spacer"></span>
      <select name="rosterDay" data-testid="roster-day" @change=${dayChosen}>
        <option value="" .selected=${live(day === null)}>${t('holidays.roster.allDays')}</option>
        ${Array.from(
          { length: detail.holiday.days },
          (_, d) => html`<option value=${String(d)} .selected=${live(d === day)}>${dayLabel(view, detail, d)}</option>`,
        )}
      </select>
    </div>
    <div class="scroll">
      ${table([t('holidays.roster.officer'), t('holidays.roster.home'), ...head, t('holidays.roster.travel')], rows, {
        testId: 'roster-table',
      })}
    </div>
    ${
      officers.length > ROSTER_ROWS
        ? html`<p class="muted small">${t('holidays.roster.limit', { shown: ROSTER_ROWS })}</p>`
        : nothing
    }
  </div>`;
}
