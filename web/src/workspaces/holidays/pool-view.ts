import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { HolidayDetail, HolidayOfficer } from './state.js';
import { DUTIES } from './model.js';
import { dayLabel, dutyShort, errorLine, numberText, shiftLabel, stationNames, type HolidayView } from './common.js';

/** A qualification by the duty it allows (the server names them by duty id); any other as spelled. */
function qualificationName(view: HolidayView, qualification: string): string {
  return (DUTIES as readonly string[]).includes(qualification) ? dutyShort(view, qualification) : qualification;
}

/** The officer pool: its figures, a searchable list, and one officer's availability toggles. */
export function poolView(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const fetched = state.fetched.officers;
  const error = errorLine(view, 'officers', fetched);
  const officers = fetched.data;
  const summary = html`<p data-testid="pool-summary">
      ${t('holidays.pool.summary', {
        officers: numberText(view, detail.pool.officers),
        traffic: numberText(view, detail.pool.trafficQualified),
        unavailable: numberText(view, detail.pool.unavailableSlots),
      })}
    </p>
    ${error}`;
  if (!officers) {
    return html`<div class="pool" data-testid="holiday-pool-view">
      ${summary} ${error === nothing ? html`<p class="muted">${t('holidays.pool.loading')}</p>` : nothing}
    </div>`;
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
  return html`<div class="pool" data-testid="holiday-pool-view">
    ${summary}
    <div class="row">
      <input
        type="search"
        name="officerQuery"
        .value=${live(state.officerQuery)}
        placeholder=${t('holidays.pool.filter')}
        data-testid="officer-query"
        @input=${(event: Event) =>
          dispatch({ type: 'holidays/setOfficerQuery', query: (event.target as HTMLInputElement).value })}
      /><span class="muted small">${t('holidays.pool.shown', { shown: shown.length, total: officers.length })}</span>
    </div>
    <p class="muted small">${t('holidays.pool.toggleHint')}</p>
    <div class="scroll pool-list">
      <table data-testid="officer-list">
        <thead>
          <tr>
            <th>${t('holidays.pool.name')}</th>
            <th>${t('holidays.pool.department')}</th>
            <th>${t('holidays.pool.home')}</th>
            <th>${t('holidays.pool.qualifications')}</th>
            <th class="number">${t('holidays.pool.unavailable')}</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((o) => officerRows(view, detail, o, station))}
        </tbody>
      </table>
    </div>
  </div>`;
}

function officerRows(
  view: HolidayView,
  detail: HolidayDetail,
  officer: HolidayOfficer,
  station: (code: string) => string,
): TemplateResult {
  const { state, dispatch } = view;
  const open = state.officer === officer.id;
  const row = html`<tr
    class=${open ? 'selected' : ''}
    data-testid="officer-row"
    data-id=${officer.id}
    @click=${() => dispatch({ type: 'holidays/selectOfficer', officerId: open ? null : officer.id })}
  >
    <td>${officer.name}</td>
    <td>${officer.department}</td>
    <td>
      ${officer.homeStation ? station(officer.homeStation) : '—'}${
        officer.homeIsNearest
          ? html`<small class="muted" title=${view.t('holidays.pool.nearest.title')}
              >${view.t('holidays.pool.nearest')}</small
            >`
          : nothing
      }
    </td>
    <td>
      ${officer.qualifications.map((q) => html`<span class=${`qualification ${q}`}>${qualificationName(view, q)}</span>`)}
    </td>
    <td class="number">${officer.unavailable.length > 0 ? String(officer.unavailable.length) : ''}</td>
  </tr>`;
  if (!open) return row;
  return html`${row}
    <tr class="editor-row">
      <td colspan="5">${availabilityGrid(view, detail, officer)}</td>
    </tr>`;
}

/** Days × shifts of toggles: pressed = the officer can be posted; each click is saved at once. */
function availabilityGrid(view: HolidayView, detail: HolidayDetail, officer: HolidayOfficer): TemplateResult {
  const { t, commands } = view;
  const { days, shiftsPerDay } = detail.holiday;
  const off = new Set(officer.unavailable.map(([d, s]) => `${d}|${s}`));
  return html`<table class="availability" data-testid="availability">
    <thead>
      <tr>
        <th></th>
        ${Array.from({ length: days }, (_, day) => html`<th>${dayLabel(view, detail, day)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${Array.from(
        { length: shiftsPerDay },
        (_, shift) =>
          html`<tr>
            <th>${shiftLabel(detail, shift)}</th>
            ${Array.from({ length: days }, (_, day) => {
              const available = !off.has(`${day}|${shift}`);
              return html`<td>
                <button
                  type="button"
                  class=${available ? 'slot on' : 'slot off'}
                  aria-pressed=${available ? 'true' : 'false'}
                  title=${`${dayLabel(view, detail, day)} ${shiftLabel(detail, shift)}`}
                  @click=${() => commands?.toggleAvailability(officer.id, day, shift)}
                >
                  ${available ? t('holidays.pool.available') : t('holidays.pool.off')}
                </button>
              </td>`;
            })}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
